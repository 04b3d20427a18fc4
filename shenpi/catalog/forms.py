"""Forms of the drafting screens: the version's elements and its lists (materials,
fees, flow steps, application-form fields) as formsets."""

from django import forms
from django.forms import formset_factory

from shenpi.accounts.models import Department, DepartmentKind

from .constants import Copies, FieldType, FormFileKind, MaterialSource, Medium
from .models import FormFile, ItemVersion, Theme
from .services import VERSION_FIELDS


def bootstrap(form):
    for field in form.fields.values():
        widget = field.widget
        if isinstance(widget, forms.CheckboxInput):
            widget.attrs.setdefault("class", "form-check-input")
        elif isinstance(widget, forms.Select | forms.SelectMultiple):
            widget.attrs.setdefault("class", "form-select form-select-sm")
        else:
            widget.attrs.setdefault("class", "form-control form-control-sm")
    return form


class BootstrapMixin:
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        bootstrap(self)


class VersionForm(BootstrapMixin, forms.ModelForm):
    themes = forms.ModelMultipleChoiceField(
        label="主题",
        queryset=Theme.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = ItemVersion
        # Every public element (Art. 30), in the order the services define them; themes after audience.
        fields = [f.removesuffix("_id") for f in VERSION_FIELDS if f not in ("form_fields", "flow")]
        fields.insert(fields.index("audience") + 1, "themes")
        widgets = {
            f: forms.Textarea(attrs={"rows": 3})
            for f in [
                "legal_basis",
                "conditions",
                "procedure",
                "special_procedures",
                "where_to_apply",
            ]
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["themes"].widget.attrs = {}
        self.fields["lower_kind"].queryset = DepartmentKind.objects.all()


class ItemCodeForm(BootstrapMixin, forms.Form):
    code = forms.CharField(
        label="事项编码", max_length=40, help_text="全省唯一，例如 640100-SCJG-001"
    )


class MaterialForm(BootstrapMixin, forms.Form):
    name = forms.CharField(label="材料名称", max_length=120)
    required = forms.BooleanField(label="必需", required=False, initial=True)
    copies_kind = forms.ChoiceField(
        label="原件/复印件", choices=Copies.choices, initial=Copies.COPY
    )
    copies = forms.IntegerField(label="份数", min_value=1, max_value=99, initial=1)
    medium = forms.ChoiceField(label="载体", choices=Medium.choices, initial=Medium.ELECTRONIC)
    show_original = forms.BooleanField(label="核验原件", required=False)
    source = forms.ChoiceField(
        label="来源", choices=MaterialSource.choices, initial=MaterialSource.APPLICANT
    )
    library_type = forms.CharField(label="证照库类型", max_length=60, required=False)
    lenient_allowed = forms.BooleanField(label="可容缺", required=False)
    template = forms.ModelChoiceField(
        label="空白表格", queryset=FormFile.objects.none(), required=False
    )
    sample = forms.ModelChoiceField(
        label="示范文本", queryset=FormFile.objects.none(), required=False
    )
    notes = forms.CharField(label="说明", max_length=300, required=False)

    def __init__(self, *args, department=None, **kwargs):
        super().__init__(*args, **kwargs)
        files = (
            FormFile.objects.filter(department=department)
            if department
            else FormFile.objects.none()
        )
        self.fields["template"].queryset = files.filter(kind=FormFileKind.TEMPLATE)
        self.fields["sample"].queryset = files.filter(kind=FormFileKind.SAMPLE)


class FeeForm(BootstrapMixin, forms.Form):
    name = forms.CharField(label="收费项目", max_length=120)
    standard = forms.CharField(label="收费标准", max_length=200)
    legal_basis = forms.CharField(
        label="收费依据（法律、行政法规）", max_length=300, required=False
    )


class StepForm(BootstrapMixin, forms.Form):
    stage = forms.IntegerField(
        label="阶段", min_value=1, max_value=20, help_text="同一阶段的环节并联办理"
    )
    key = forms.SlugField(label="标识", max_length=30)
    name = forms.CharField(label="环节名称", max_length=30)
    department = forms.ModelChoiceField(
        label="承办部门",
        queryset=Department.objects.filter(is_active=True),
        required=False,
        to_field_name="code",
    )
    local = forms.BooleanField(label="申请人所选区划的同类部门", required=False)
    role = forms.ChoiceField(
        label="角色", choices=[("official", "经办人"), ("head", "负责人")], initial="official"
    )
    days = forms.IntegerField(label="时限（工作日）", min_value=1, max_value=365)
    verification = forms.BooleanField(label="须两人核查", required=False)
    lead = forms.BooleanField(label="牵头部门", required=False)
    decision = forms.BooleanField(label="批复环节", required=False)


class FieldForm(BootstrapMixin, forms.Form):
    key = forms.SlugField(label="标识", max_length=40)
    label = forms.CharField(label="名称", max_length=60)
    type = forms.ChoiceField(label="类型", choices=FieldType.choices, initial=FieldType.TEXT)
    required = forms.BooleanField(label="必填", required=False)
    choices = forms.CharField(label="选项（以、分隔）", max_length=300, required=False)
    help = forms.CharField(label="填写说明", max_length=200, required=False)


MaterialFormSet = formset_factory(MaterialForm, extra=1, can_delete=True)
FeeFormSet = formset_factory(FeeForm, extra=1, can_delete=True)
StepFormSet = formset_factory(StepForm, extra=1, can_delete=True)
FieldFormSet = formset_factory(FieldForm, extra=1, can_delete=True)


def _kept(formset):
    return [
        f.cleaned_data for f in formset.forms if f.cleaned_data and not f.cleaned_data.get("DELETE")
    ]


def materials_from(formset) -> list[dict]:
    out = []
    for row in _kept(formset):
        row = dict(row)
        row.pop("DELETE", None)
        template, sample = row.pop("template", None), row.pop("sample", None)
        row["template_id"] = template.pk if template else None
        row["sample_id"] = sample.pk if sample else None
        out.append(row)
    return out


def fees_from(formset) -> list[dict]:
    return [{k: row[k] for k in ("name", "standard", "legal_basis")} for row in _kept(formset)]


def flow_from(formset, lower_kind: str | None) -> dict:
    stages: dict[int, list] = {}
    for row in _kept(formset):
        owner = (
            {"kind": lower_kind or ""}
            if row["local"]
            else {"department": row["department"].code if row["department"] else ""}
        )
        stages.setdefault(row["stage"], []).append(
            {
                "key": row["key"],
                "name": row["name"],
                "owner": owner,
                "role": row["role"],
                "days": row["days"],
                "verification": row["verification"],
                "lead": row["lead"],
                "decision": row["decision"],
            }
        )
    return {"stages": [{"steps": stages[k]} for k in sorted(stages)]}


def fields_from(formset) -> list[dict]:
    out = []
    for row in _kept(formset):
        choices = [
            c.strip() for c in row.get("choices", "").replace(",", "、").split("、") if c.strip()
        ]
        out.append(
            {
                "key": row["key"],
                "label": row["label"],
                "type": row["type"],
                "required": row["required"],
                "choices": choices,
                "help": row.get("help", ""),
            }
        )
    return out


def initial_steps(flow: dict) -> list[dict]:
    rows = []
    for index, stage in enumerate((flow or {}).get("stages", []), start=1):
        for step in stage.get("steps", []):
            owner = step.get("owner", {})
            rows.append(
                {
                    "stage": index,
                    "key": step.get("key"),
                    "name": step.get("name"),
                    "department": owner.get("department"),
                    "local": bool(owner.get("kind")),
                    "role": step.get("role", "official"),
                    "days": step.get("days", 1),
                    "verification": step.get("verification", False),
                    "lead": step.get("lead", False),
                    "decision": step.get("decision", False),
                }
            )
    return rows


def initial_fields(fields: list) -> list[dict]:
    return [{**f, "choices": "、".join(f.get("choices") or [])} for f in fields or []]


class ReviewForm(BootstrapMixin, forms.Form):
    effective_from = forms.DateField(
        label="生效日期",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text="留空为今天生效",
    )
    comment = forms.CharField(
        label="审核意见", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class FormFileForm(BootstrapMixin, forms.Form):
    title = forms.CharField(label="表格名称", max_length=120)
    kind = forms.ChoiceField(label="类别", choices=FormFileKind.choices)
    file = forms.FileField(label="文件（PDF、DOCX 或 XLSX，不超过 10 MB）")


class ImportForm(BootstrapMixin, forms.Form):
    file = forms.FileField(label="XLSX 文件")


class AbolishForm(BootstrapMixin, forms.Form):
    reason = forms.CharField(label="废止理由", widget=forms.Textarea(attrs={"rows": 2}))
