from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import F, Q
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from shenpi.accounts.constants import DivisionLevel, Role
from shenpi.accounts.models import Department, Division
from shenpi.core.errors import DomainError, InvalidInput
from shenpi.search.terms import query_terms

from . import selectors, services, xlsx
from .bundles import published_bundles
from .constants import EDITABLE, ItemKind, ThemeGroup, VersionStatus
from .forms import (
    AbolishForm,
    FeeFormSet,
    FieldFormSet,
    FormFileForm,
    ImportForm,
    ItemCodeForm,
    MaterialFormSet,
    ReviewForm,
    StepFormSet,
    VersionForm,
    fees_from,
    fields_from,
    flow_from,
    initial_fields,
    initial_steps,
    materials_from,
)
from .models import FormFile, Item, ItemVersion, Theme

# --- public ----------------------------------------------------------------------


def guide_list(request):
    params = {
        k: request.GET.get(k, "").strip()
        for k in ("q", "department", "division", "theme", "kind", "audience")
    }
    error, terms = None, []
    try:
        items = selectors.item_search(**params)
        terms = query_terms(params["q"])
    except InvalidInput as exc:
        error = exc.message
        items = selectors.items_in_force().none()
    page = Paginator(items, 20).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "catalog/guide_list.html",
        {
            "page": page,
            "params": params,
            "error": error,
            "terms": terms,
            "query": query.urlencode(),
            "divisions": Division.objects.filter(
                Q(level__in=[DivisionLevel.REGION, DivisionLevel.CITY])
                | Q(departments__isnull=False)
            )
            .distinct()
            .order_by("path"),
            "departments": Department.objects.filter(items__current__isnull=False)
            .distinct()
            .order_by("code"),
            "theme_groups": [
                (label, Theme.objects.filter(group=value)) for value, label in ThemeGroup.choices
            ],
            "kinds": ItemKind.choices,
            "bundles": published_bundles(),
        },
    )


def _guide(request, item, version, *, is_current):
    version = selectors.version_with_children(version.pk)
    from shenpi.core.flow import parse_flow

    flow = parse_flow(version.flow)
    departments = {d.code: d for d in Department.objects.filter(code__in=flow.fixed_departments)}
    stages = [
        [(step, departments.get(step.owner.department)) for step in stage.steps]
        for stage in flow.stages
    ]
    forms = []
    for m in version.materials.all():
        forms.extend(f for f in (m.template, m.sample) if f)
    return render(
        request,
        "catalog/guide_detail.html",
        {
            "item": item,
            "version": version,
            "stages": stages,
            "forms": forms,
            "is_current": is_current,
            "upcoming": selectors.upcoming_version(item) if is_current else None,
            "history": selectors.public_versions(item),
        },
    )


def guide_detail(request, code):
    item = get_object_or_404(
        Item.objects.select_related("current", "department"), code=code, current__isnull=False
    )
    return _guide(request, item, item.current, is_current=not item.abolished_at)


def guide_version(request, code, number):
    item = get_object_or_404(Item, code=code)
    version = get_object_or_404(item.versions, number=number, status__in=selectors.PUBLIC_STATUSES)
    return _guide(
        request, item, version, is_current=version.pk == item.current_id and not item.abolished_at
    )


def form_download(request, pk):
    """Forms are free (Art. 58) and need no account; only forms of public versions."""
    form = get_object_or_404(FormFile, pk=pk)
    public = ItemVersion.objects.filter(status__in=selectors.PUBLIC_STATUSES).filter(
        materials__template=form
    ) | ItemVersion.objects.filter(status__in=selectors.PUBLIC_STATUSES, materials__sample=form)
    if not public.exists():
        raise Http404
    return FileResponse(
        form.file.open("rb"),
        as_attachment=True,
        filename=f"{form.title}.{form.extension}",
        content_type=form.content_type,
    )


# --- departments: drafting ------------------------------------------------------------


def _my_department(request):
    user = request.user
    if not user.has_role(Role.OFFICIAL, Role.HEAD) or user.department is None:
        raise Http404
    return user.department


@login_required
def manage(request):
    department = _my_department(request)
    items = (
        Item.objects.filter(department=department)
        .select_related("current")
        .prefetch_related("versions")
        .order_by("code")
    )
    rows = []
    for item in items:
        versions = sorted(item.versions.all(), key=lambda v: -v.number)
        open_draft = next(
            (
                v
                for v in versions
                if v.status
                in (VersionStatus.DRAFT, VersionStatus.IN_REVIEW, VersionStatus.RETURNED)
            ),
            None,
        )
        rows.append((item, open_draft))
    return render(
        request,
        "catalog/manage.html",
        {
            "department": department,
            "rows": rows,
            "import_form": ImportForm(),
            "form_form": FormFileForm(),
            "form_files": FormFile.objects.filter(department=department),
        },
    )


def _formsets(request, department, version=None):
    data = request.POST if request.method == "POST" else None
    if version is not None:
        material_initial = [
            {
                **{
                    k: getattr(m, k)
                    for k in (
                        "name",
                        "required",
                        "copies_kind",
                        "copies",
                        "medium",
                        "show_original",
                        "source",
                        "library_type",
                        "lenient_allowed",
                        "notes",
                    )
                },
                "template": m.template_id,
                "sample": m.sample_id,
            }
            for m in version.materials.all()
        ]
        fee_initial = list(version.fees.values("name", "standard", "legal_basis"))
        step_initial = initial_steps(version.flow)
        field_initial = initial_fields(version.form_fields)
    else:
        material_initial, fee_initial, field_initial = [], [], []
        step_initial = [
            {
                "stage": 1,
                "key": "first_review",
                "name": "初审",
                "department": department.code,
                "role": "official",
                "days": 3,
                "lead": True,
            },
            {
                "stage": 2,
                "key": "review",
                "name": "审核",
                "department": department.code,
                "role": "official",
                "days": 3,
                "lead": True,
            },
            {
                "stage": 3,
                "key": "decision",
                "name": "批复",
                "department": department.code,
                "role": "head",
                "days": 2,
                "lead": True,
                "decision": True,
            },
        ]
    return (
        MaterialFormSet(
            data, prefix="m", initial=material_initial, form_kwargs={"department": department}
        ),
        FeeFormSet(data, prefix="f", initial=fee_initial),
        StepFormSet(data, prefix="s", initial=step_initial),
        FieldFormSet(data, prefix="a", initial=field_initial),
    )


def _attach_errors(form, formsets, exc: DomainError):
    placed = False
    for field, errors in exc.errors.items():
        target = form if field in form.fields else None
        for error in errors:
            if target is not None:
                target.add_error(field, error)
                placed = True
    return [(field, errs) for field, errs in exc.errors.items() if field not in form.fields] or (
        [] if placed else [("", [exc.message])]
    )


def _edit(request, department, version=None):
    form = VersionForm(request.POST or None, instance=version)
    code_form = ItemCodeForm(request.POST or None) if version is None else None
    materials, fees, steps, fields = _formsets(request, department, version)
    list_errors = []
    if request.method == "POST":
        valid = all(
            f.is_valid()
            for f in [form, materials, fees, steps, fields] + ([code_form] if code_form else [])
        )
        if valid:
            data = {k: v for k, v in form.cleaned_data.items() if k not in ("themes", "lower_kind")}
            lower = form.cleaned_data.get("lower_kind")
            data["lower_kind_id"] = lower.pk if lower else None
            data["flow"] = flow_from(steps, data["lower_kind_id"])
            data["form_fields"] = fields_from(fields)
            themes = [t.code for t in form.cleaned_data["themes"]]
            try:
                if version is None:
                    saved = services.item_create(
                        actor=request.user,
                        department=department,
                        code=code_form.cleaned_data["code"],
                        data=data,
                        materials=materials_from(materials),
                        fees=fees_from(fees),
                        themes=themes,
                    )
                else:
                    saved = services.version_update(
                        actor=request.user,
                        version=version,
                        data=data,
                        materials=materials_from(materials),
                        fees=fees_from(fees),
                        themes=themes,
                    )
            except DomainError as exc:
                if code_form is not None and "code" in exc.errors:
                    code_form.add_error("code", exc.errors["code"][0])
                list_errors = _attach_errors(form, [], exc)
            else:
                messages.success(request, "草稿已保存。")
                return redirect("catalog:version_diff", pk=saved.pk)
        else:
            list_errors = [("", ["请按下方提示修改后重新保存。"])]
    return render(
        request,
        "catalog/version_edit.html",
        {
            "form": form,
            "code_form": code_form,
            "materials": materials,
            "fees": fees,
            "steps": steps,
            "fields": fields,
            "version": version,
            "department": department,
            "list_errors": list_errors,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def item_new(request):
    return _edit(request, _my_department(request))


@login_required
@require_http_methods(["GET", "POST"])
def version_edit(request, pk):
    department = _my_department(request)
    version = get_object_or_404(
        ItemVersion.objects.select_related("item"), pk=pk, item__department=department
    )
    if version.status not in EDITABLE:
        messages.error(request, "已提交审核或已发布的版本不能修改；请起草新版本。")
        return redirect("catalog:version_diff", pk=version.pk)
    return _edit(request, department, version)


@login_required
@require_POST
def draft_next(request, code):
    department = _my_department(request)
    item = get_object_or_404(Item, code=code, department=department)
    try:
        draft = services.version_draft_next(actor=request.user, item=item)
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect("catalog:manage")
    return redirect("catalog:version_edit", pk=draft.pk)


@login_required
def version_diff(request, pk):
    user = request.user
    version = get_object_or_404(
        ItemVersion.objects.select_related("item__department__division", "item__current"), pk=pk
    )
    is_owner = (
        user.department is not None
        and user.department.pk == version.item.department_id
        and user.has_role(Role.OFFICIAL, Role.HEAD)
    )
    try:
        services.ensure_may_review(user, version)
        is_reviewer = True
    except DomainError:
        is_reviewer = False
    if not (is_owner or is_reviewer):
        raise Http404
    base = version.item.current if version.item.current_id != version.pk else None
    return render(
        request,
        "catalog/version_diff.html",
        {
            "version": version,
            "base": base,
            "diff": selectors.version_diff(base, version),
            "is_owner": is_owner,
            "is_reviewer": is_reviewer,
            "review_form": ReviewForm(),
            "editable": version.status in EDITABLE,
        },
    )


@login_required
@require_POST
def version_submit(request, pk):
    department = _my_department(request)
    version = get_object_or_404(ItemVersion, pk=pk, item__department=department)
    try:
        services.version_submit(actor=request.user, version=version)
    except DomainError as exc:
        for field, errors in exc.errors.items():
            for error in errors:
                messages.error(request, f"{field}：{error}")
        if not exc.errors:
            messages.error(request, exc.message)
    else:
        messages.success(request, "已提交法制机构审核。")
    return redirect("catalog:version_diff", pk=version.pk)


@login_required
def export_items(request):
    department = _my_department(request)
    content = xlsx.export_items(department)
    response = HttpResponse(
        content, content_type=("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    )
    response["Content-Disposition"] = f'attachment; filename="items-{department.code}.xlsx"'
    return response


@login_required
@require_POST
def import_items(request):
    department = _my_department(request)
    form = ImportForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, "请选择要导入的 XLSX 文件。")
        return redirect("catalog:manage")
    try:
        report = xlsx.import_items(
            actor=request.user, department=department, upload=form.cleaned_data["file"]
        )
    except DomainError as exc:
        messages.error(request, exc.message)
        for field, errors in exc.errors.items():
            for error in errors[:20]:
                messages.error(request, f"{field}：{error}")
    else:
        messages.success(
            request, f"已导入：新建 {report['created']} 个事项，更新 {report['updated']} 个草稿。"
        )
    return redirect("catalog:manage")


@login_required
@require_POST
def form_upload(request):
    department = _my_department(request)
    form = FormFileForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.form_file_upload(
                actor=request.user,
                department=department,
                title=form.cleaned_data["title"],
                kind=form.cleaned_data["kind"],
                upload=form.cleaned_data["file"],
            )
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, "表格已上传。")
    else:
        messages.error(request, "请填写表格名称并选择文件。")
    return redirect("catalog:manage")


# --- legal office: review ---------------------------------------------------------------


def _my_legal_office(request):
    user = request.user
    if (
        not user.has_role(Role.LEGAL)
        or user.department is None
        or user.department.kind_id != "legal_affairs"
    ):
        raise Http404
    return user.department


def _in_jurisdiction(office, qs):
    """Items whose nearest legal office up the division tree is `office`."""
    return qs.filter(item__department__division__in=services.divisions_reviewed_by(office))


@login_required
def review_queue(request):
    office = _my_legal_office(request)
    pending = _in_jurisdiction(
        office, ItemVersion.objects.filter(status=VersionStatus.IN_REVIEW).order_by("submitted_at")
    )
    published = _in_jurisdiction(
        office,
        ItemVersion.objects.filter(
            status=VersionStatus.PUBLISHED, item__current_id=F("id")
        ).order_by("item__code"),
    )
    return render(
        request,
        "catalog/review_queue.html",
        {"pending": pending, "published": published, "abolish_form": AbolishForm()},
    )


@login_required
@require_POST
def review_decide(request, pk):
    _my_legal_office(request)
    version = get_object_or_404(ItemVersion, pk=pk)
    form = ReviewForm(request.POST)
    if not form.is_valid():
        messages.error(request, "审核信息有误。")
        return redirect("catalog:version_diff", pk=pk)
    try:
        if request.POST.get("decision") == "approve":
            services.version_approve(
                actor=request.user,
                version=version,
                effective_from=form.cleaned_data["effective_from"],
                comment=form.cleaned_data["comment"],
            )
            messages.success(request, "已审核通过并发布。")
        else:
            services.version_return(
                actor=request.user, version=version, comment=form.cleaned_data["comment"]
            )
            messages.success(request, "已退回起草部门。")
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect("catalog:version_diff", pk=pk)
    return redirect("catalog:review_queue")


@login_required
@require_POST
def item_abolish(request, code):
    _my_legal_office(request)
    item = get_object_or_404(Item, code=code)
    form = AbolishForm(request.POST)
    try:
        services.item_abolish(
            actor=request.user,
            item=item,
            reason=form.cleaned_data["reason"] if form.is_valid() else "",
        )
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, f"事项 {item.code} 已废止。")
    return redirect("catalog:review_queue")
