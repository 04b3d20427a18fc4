"""Writes on the catalogue: drafting, review, publication and abolition of items.

Each service is one transaction with its audit record (stream "item:<uuid>").
"""

from __future__ import annotations

from datetime import date

from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from pypinyin import Style, lazy_pinyin

from shenpi.accounts.constants import ClientAction, Role
from shenpi.accounts.models import Department, Division
from shenpi.audit.services import audit_record
from shenpi.common.files import check_upload
from shenpi.core.errors import Conflict, InvalidInput, NotAllowed, NotFound
from shenpi.core.flow import parse_flow
from shenpi.core.rules import FeeSpec, VersionSpec, check_version
from shenpi.search.terms import index_terms

from .constants import EDITABLE, FORM_FILE_MAX_BYTES, FORM_FILE_TYPES, FieldType, VersionStatus
from .models import Fee, FormFile, Item, ItemVersion, MaterialRequirement, Theme

# Fields of a version that a draft may set (everything public under Art. 30).
VERSION_FIELDS = [
    "name",
    "kind",
    "audience",
    "legal_basis",
    "conditions",
    "procedure",
    "quota",
    "quota_basis",
    "handling_mode",
    "statutory_days",
    "promised_days",
    "extension_days",
    "limit_basis",
    "special_procedures",
    "two_level",
    "lower_kind_id",
    "hearing_mandatory",
    "safety_item",
    "in_person",
    "lenient_acceptance",
    "commitment_allowed",
    "commitment_conditions",
    "commitment_days",
    "post_check_days",
    "inspection",
    "grants_public",
    "licence_type",
    "licence_name",
    "validity_months",
    "renewal_lead_days",
    "supplement_days",
    "where_to_apply",
    "office_hours",
    "online",
    "contact_phone",
    "complaint_phone",
    "responsible_office",
    "responsible_person",
    "form_fields",
    "flow",
]
MATERIAL_FIELDS = [
    "name",
    "required",
    "copies_kind",
    "copies",
    "medium",
    "show_original",
    "source",
    "library_type",
    "lenient_allowed",
    "template_id",
    "sample_id",
    "notes",
]
FEE_FIELDS = ["name", "standard", "legal_basis"]
REQUIRED_TEXT = {
    "name": "事项名称",
    "legal_basis": "设定依据",
    "conditions": "申请条件",
    "procedure": "办理程序",
    "where_to_apply": "办理地点",
    "office_hours": "办理时间",
    "contact_phone": "咨询电话",
    "complaint_phone": "投诉电话",
    "responsible_office": "承办机构",
}


def item_stream(item: Item) -> str:
    return f"item:{item.pk}"


# --- who may do what ----------------------------------------------------------


def _is_client(actor) -> bool:
    return getattr(actor, "is_system_client", False)


def ensure_may_edit(actor, item: Item) -> None:
    """Officials (and heads) of the item's department; a system client of it with catalog.write."""
    if _is_client(actor):
        if actor.client.department_id != item.department_id or not actor.client.allows(
            ClientAction.CATALOG_WRITE
        ):
            raise NotFound("未找到该事项。")
        return
    if not (
        actor.has_role(Role.OFFICIAL, Role.HEAD)
        and actor.department
        and actor.department.pk == item.department_id
    ):
        raise NotFound("未找到该事项，或它不属于您的部门。")


def legal_office_for(division: Division) -> Department | None:
    """The legal office of the nearest division, going up, that has one (法制办)."""
    node = division
    while node is not None:
        office = Department.objects.filter(
            division=node, kind_id="legal_affairs", is_active=True
        ).first()
        if office is not None:
            return office
        node = node.parent
    return None


def divisions_reviewed_by(office: Department) -> list[str]:
    """Division codes whose nearest legal office is `office` (its subtree, less the
    parts that have a legal office of their own)."""
    root = office.division
    others = (
        Department.objects.filter(
            kind_id="legal_affairs", is_active=True, division__path__startswith=root.path
        )
        .exclude(division=root)
        .values_list("division__path", flat=True)
    )
    own = list(others)
    return [
        code
        for code, path in Division.objects.filter(path__startswith=root.path).values_list(
            "code", "path"
        )
        if not any(path.startswith(p) for p in own)
    ]


def ensure_may_review(actor, version: ItemVersion) -> None:
    office = legal_office_for(version.item.department.division)
    if (
        _is_client(actor)
        or not actor.has_role(Role.LEGAL)
        or office is None
        or actor.department is None
        or actor.department.pk != office.pk
    ):
        raise NotFound("未找到该事项版本，或它不由您的法制机构审核。")


# --- validation -----------------------------------------------------------------


def validate_form_fields(fields) -> list[str]:
    problems = []
    if not isinstance(fields, list):
        return ["申请表字段格式有误。"]
    keys = set()
    for f in fields:
        key = str(f.get("key", "")).strip()
        if not key or not key.replace("_", "").isalnum() or not key.isascii():
            problems.append(f"字段“{f.get('label', key)}”的标识须为英文字母、数字或下划线。")
        if key in keys:
            problems.append(f"字段标识“{key}”重复。")
        keys.add(key)
        if not str(f.get("label", "")).strip():
            problems.append(f"字段“{key}”缺少名称。")
        if f.get("type") not in FieldType.values:
            problems.append(f"字段“{key}”的类型无效。")
        if f.get("type") == FieldType.CHOICE and not f.get("choices"):
            problems.append(f"单选字段“{key}”须列出选项。")
    return problems


def _spec(version: ItemVersion, materials: list[dict], fees: list[dict]):
    flow = None
    errors: dict[str, list[str]] = {}
    try:
        flow = parse_flow(version.flow)
    except InvalidInput as exc:
        errors.update(exc.errors)
    spec = VersionSpec(
        kind=version.kind,
        handling_mode=version.handling_mode,
        statutory_days=version.statutory_days or 0,
        promised_days=version.promised_days or 0,
        extension_days=version.extension_days or 0,
        limit_basis=version.limit_basis or "",
        material_count=len(materials),
        fees=tuple(FeeSpec(f.get("name", ""), f.get("legal_basis", "")) for f in fees),
        flow=flow,
        quota=version.quota,
        lenient_acceptance=version.lenient_acceptance,
        lenient_materials=sum(1 for m in materials if m.get("lenient_allowed")),
        validity_months=version.validity_months,
        renewal_lead_days=version.renewal_lead_days,
        two_level=version.two_level,
        lower_kind=version.lower_kind_id or "",
    )
    return spec, errors


def validate_version(version: ItemVersion, materials: list[dict], fees: list[dict]) -> None:
    """Every statutory and completeness rule at once; raises InvalidInput listing them per field."""
    spec, errors = _spec(version, materials, fees)
    for field, label in REQUIRED_TEXT.items():
        if not str(getattr(version, field, "") or "").strip():
            errors.setdefault(field, []).append(f"请填写{label}（第三十条须公示）。")
    for violation in check_version(spec):
        errors.setdefault(violation.field, []).append(f"{violation.message} [{violation.rule}]")
    if spec.flow is not None:
        codes = set(
            Department.objects.filter(code__in=spec.flow.fixed_departments).values_list(
                "code", flat=True
            )
        )
        missing = spec.flow.fixed_departments - codes
        if missing:
            errors.setdefault("flow", []).append(
                f"流程中的部门不存在：{'、'.join(sorted(missing))}。"
            )
    if version.commitment_allowed:
        # 告知承诺: the conditions committed to, the shorter limit and the post-check.
        if not (version.commitment_conditions or "").strip():
            errors.setdefault("commitment_conditions", []).append("请列明可以承诺的条件。")
        if not version.commitment_days or version.commitment_days > (version.promised_days or 0):
            errors.setdefault("commitment_days", []).append(
                "告知承诺时限须填写，且不长于承诺时限。"
            )
        if not version.post_check_days:
            errors.setdefault("post_check_days", []).append("请填写事后核查期限。")
    problems = validate_form_fields(version.form_fields)
    if problems:
        errors["form_fields"] = problems
    for index, m in enumerate(materials, start=1):
        if not str(m.get("name", "")).strip():
            errors.setdefault("materials", []).append(f"第 {index} 项材料缺少名称。")
    names = [str(m.get("name", "")).strip() for m in materials]
    if len(set(names)) != len(names):
        errors.setdefault("materials", []).append("材料名称不能重复。")
    for fee in fees:
        if not str(fee.get("name", "")).strip() or not str(fee.get("standard", "")).strip():
            errors.setdefault("fees", []).append("收费须写明项目和标准。")
    if errors:
        raise InvalidInput(
            "事项版本不符合要求，请按提示修改。", code="invalid_version", errors=errors
        )


def _search_fields(version: ItemVersion, materials: list[dict]) -> None:
    department = version.item.department
    parts = [version.name, department.name, department.short_name] + [m["name"] for m in materials]
    version.search_text = " ".join(p for p in parts if p)
    initials = "".join(lazy_pinyin(version.name, style=Style.FIRST_LETTER, errors="ignore"))
    version.name_initials = initials.lower()[:120]
    version.search_terms = index_terms(
        department.name, department.short_name, *(m["name"] for m in materials), whole=version.name
    )


# --- drafting ---------------------------------------------------------------------


def _version_values(data: dict) -> dict:
    values = {k: data[k] for k in VERSION_FIELDS if k in data}
    if "lower_kind" in data and "lower_kind_id" not in data:
        values["lower_kind_id"] = data["lower_kind"] or None
    return values


def _write_children(version: ItemVersion, materials: list[dict], fees: list[dict], themes) -> None:
    version.materials.all().delete()
    version.fees.all().delete()
    MaterialRequirement.objects.bulk_create(
        MaterialRequirement(
            version=version, order=i, **{k: m[k] for k in MATERIAL_FIELDS if k in m}
        )
        for i, m in enumerate(materials, start=1)
    )
    Fee.objects.bulk_create(
        Fee(version=version, **{k: f[k] for k in FEE_FIELDS if k in f}) for f in fees
    )
    if themes is not None:
        version.themes.set(Theme.objects.filter(code__in=list(themes)))


def _check_forms_belong(department: Department, materials: list[dict]) -> None:
    ids = {m.get(k) for m in materials for k in ("template_id", "sample_id") if m.get(k)}
    if ids and FormFile.objects.filter(pk__in=ids, department=department).count() != len(ids):
        raise InvalidInput(
            "材料引用的表格不存在或不属于本部门。", errors={"materials": ["表格引用无效。"]}
        )


@transaction.atomic
def item_create(
    *,
    actor,
    department: Department,
    code: str,
    data: dict,
    materials: list[dict],
    fees: list[dict],
    themes=(),
) -> ItemVersion:
    """A new item with its first draft version."""
    code = (code or "").strip()
    if not code:
        raise InvalidInput("请填写事项编码。", errors={"code": ["请填写事项编码。"]})
    item = Item(code=code, department=department)
    ensure_may_edit(actor, item)
    if Item.objects.filter(code__iexact=code).exists():
        raise Conflict(
            f"事项编码“{code}”已被使用。",
            code="duplicate_item_code",
            errors={"code": ["事项编码已被使用。"]},
        )
    version = ItemVersion(
        item=item,
        number=1,
        status=VersionStatus.DRAFT,
        created_by=None if _is_client(actor) else actor,
        **_version_values(data),
    )
    validate_version(version, materials, fees)
    _check_forms_belong(department, materials)
    try:
        with transaction.atomic():
            item.save(force_insert=True)
    except IntegrityError:
        raise Conflict(f"事项编码“{code}”已被使用。", code="duplicate_item_code") from None
    _search_fields(version, materials)
    version.item = item
    version.save(force_insert=True)
    _write_children(version, materials, fees, themes)
    audit_record(
        stream=item_stream(item),
        action="item.create",
        actor=actor,
        object_type="item_version",
        object_id=str(version.pk),
        detail={"code": code, "number": 1},
    )
    return version


@transaction.atomic
def item_confirm_guide(*, actor, item: Item) -> Item:
    """信息时效: the department confirms that the guide in force is still right (its
    information stays current without a new version), on record."""
    item = Item.objects.select_for_update().get(pk=item.pk)
    ensure_may_edit(actor, item)
    if item.current_id is None or item.abolished_at is not None:
        raise Conflict("该事项没有现行版本。", code="no_current_version")
    item.guide_confirmed_at = timezone.now()
    item.save(update_fields=["guide_confirmed_at"])
    audit_record(
        stream=item_stream(item),
        action="item.guide_confirmed",
        actor=actor,
        object_type="item",
        object_id=str(item.pk),
        detail={"code": item.code},
    )
    return item


@transaction.atomic
def version_draft_next(*, actor, item: Item) -> ItemVersion:
    """Start the next version as a copy of the latest one (a published version is never edited)."""
    item = Item.objects.select_for_update().get(pk=item.pk)
    ensure_may_edit(actor, item)
    if item.abolished_at:
        raise Conflict("该事项已废止，不能再起草新版本。", code="item_abolished")
    if item.versions.filter(
        status__in=[VersionStatus.DRAFT, VersionStatus.IN_REVIEW, VersionStatus.RETURNED]
    ).exists():
        raise Conflict("该事项已有正在起草或审核的版本。", code="draft_exists")
    source = item.versions.order_by("-number").first()
    materials = list(source.materials.values(*MATERIAL_FIELDS))
    fees = list(source.fees.values(*FEE_FIELDS))
    themes = list(source.themes.values_list("code", flat=True))
    # A copy of every definition field; the review trail starts afresh.
    fresh = {
        "id",
        "number",
        "status",
        "effective_from",
        "created_by_id",
        "created_at",
        "submitted_at",
        "reviewed_by_id",
        "reviewed_at",
        "review_comment",
    }
    values = {
        f.attname: getattr(source, f.attname)
        for f in ItemVersion._meta.concrete_fields
        if f.attname not in fresh
    }
    draft = ItemVersion(
        **values,
        number=source.number + 1,
        status=VersionStatus.DRAFT,
        created_by=None if _is_client(actor) else actor,
    )
    draft.save(force_insert=True)
    _write_children(draft, materials, fees, themes)
    audit_record(
        stream=item_stream(item),
        action="item.draft",
        actor=actor,
        object_type="item_version",
        object_id=str(draft.pk),
        detail={"number": draft.number, "from": source.number},
    )
    return draft


@transaction.atomic
def version_update(
    *, actor, version: ItemVersion, data: dict, materials: list[dict], fees: list[dict], themes=None
) -> ItemVersion:
    version = (
        ItemVersion.objects.select_for_update()
        .select_related("item__department")
        .get(pk=version.pk)
    )
    ensure_may_edit(actor, version.item)
    if version.status not in EDITABLE:
        raise Conflict("已提交审核或已发布的版本不能修改；请起草新版本。", code="version_frozen")
    for key, value in _version_values(data).items():
        setattr(version, key, value)
    validate_version(version, materials, fees)
    _check_forms_belong(version.item.department, materials)
    _search_fields(version, materials)
    version.save()
    _write_children(version, materials, fees, themes)
    audit_record(
        stream=item_stream(version.item),
        action="item.update",
        actor=actor,
        object_type="item_version",
        object_id=str(version.pk),
        detail={"number": version.number},
    )
    return version


@transaction.atomic
def version_submit(*, actor, version: ItemVersion) -> ItemVersion:
    version = (
        ItemVersion.objects.select_for_update()
        .select_related("item__department")
        .get(pk=version.pk)
    )
    ensure_may_edit(actor, version.item)
    if version.status not in EDITABLE:
        raise Conflict("该版本已提交审核或已发布。", code="not_a_draft")
    validate_version(
        version,
        list(version.materials.values(*MATERIAL_FIELDS)),
        list(version.fees.values(*FEE_FIELDS)),
    )
    version.status = VersionStatus.IN_REVIEW
    version.submitted_at = timezone.now()
    version.save(update_fields=["status", "submitted_at"])
    audit_record(
        stream=item_stream(version.item),
        action="item.submit",
        actor=actor,
        object_type="item_version",
        object_id=str(version.pk),
        detail={"number": version.number},
    )
    return version


def _locked_for_review(actor, version: ItemVersion) -> ItemVersion:
    version = (
        ItemVersion.objects.select_for_update()
        .select_related("item__department__division")
        .get(pk=version.pk)
    )
    ensure_may_review(actor, version)
    if version.status != VersionStatus.IN_REVIEW:
        raise Conflict("该版本不在待审核状态。", code="not_in_review")
    if version.created_by_id == actor.pk:
        raise NotAllowed("不能审核自己起草的版本。", code="own_draft")
    return version


@transaction.atomic
def version_return(*, actor, version: ItemVersion, comment: str) -> ItemVersion:
    version = _locked_for_review(actor, version)
    if not (comment or "").strip():
        raise InvalidInput("退回须写明审核意见。", errors={"comment": ["请填写退回理由。"]})
    version.status = VersionStatus.RETURNED
    version.reviewed_by = actor
    version.reviewed_at = timezone.now()
    version.review_comment = comment.strip()
    version.save(update_fields=["status", "reviewed_by", "reviewed_at", "review_comment"])
    audit_record(
        stream=item_stream(version.item),
        action="item.return",
        actor=actor,
        object_type="item_version",
        object_id=str(version.pk),
        detail={"comment": version.review_comment},
    )
    return version


@transaction.atomic
def version_approve(
    *, actor, version: ItemVersion, effective_from: date | None = None, comment: str = ""
) -> ItemVersion:
    """Publish a reviewed version from its effective date; it is frozen from now on."""
    version = _locked_for_review(actor, version)
    today = timezone.localdate()
    effective_from = effective_from or today
    if effective_from < today:
        raise InvalidInput(
            "生效日期不能早于今天。", errors={"effective_from": ["生效日期不能早于今天。"]}
        )
    version.status = VersionStatus.PUBLISHED
    version.effective_from = effective_from
    version.reviewed_by = actor
    version.reviewed_at = timezone.now()
    version.review_comment = (comment or "").strip()
    version.save(
        update_fields=["status", "effective_from", "reviewed_by", "reviewed_at", "review_comment"]
    )
    audit_record(
        stream=item_stream(version.item),
        action="item.publish",
        actor=actor,
        object_type="item_version",
        object_id=str(version.pk),
        detail={"number": version.number, "effective_from": effective_from.isoformat()},
    )
    if effective_from <= today:
        _bring_into_force(version)
    return version


def _bring_into_force(version: ItemVersion) -> None:
    """On its effective day a published version becomes current; the previous one is superseded."""
    item = Item.objects.select_for_update().get(pk=version.item_id)
    previous = item.current
    if previous is not None and previous.number >= version.number:
        return
    if previous is not None and previous.status == VersionStatus.PUBLISHED:
        ItemVersion.objects.filter(pk=previous.pk).update(status=VersionStatus.SUPERSEDED)
    item.current = version
    item.save(update_fields=["current"])
    audit_record(
        stream=item_stream(item),
        action="item.in_force",
        object_type="item_version",
        object_id=str(version.pk),
        actor_label="system",
        detail={"number": version.number, "superseded": previous.number if previous else None},
    )


def versions_bring_into_force(today: date | None = None) -> int:
    """The daily job: every published version whose effective day has come."""
    today = today or timezone.localdate()
    count = 0
    due = (
        ItemVersion.objects.filter(status=VersionStatus.PUBLISHED, effective_from__lte=today)
        .exclude(item__current_id=F("id"))
        .order_by("item_id", "number")
    )
    for version in due:
        with transaction.atomic():
            before = (
                Item.objects.filter(pk=version.item_id).values_list("current_id", flat=True).first()
            )
            _bring_into_force(version)
            if (
                Item.objects.filter(pk=version.item_id).values_list("current_id", flat=True).first()
                != before
            ):
                count += 1
    return count


@transaction.atomic
def item_abolish(*, actor, item: Item, reason: str) -> Item:
    """No new applications from now on; open cases carry on under their version."""
    item = (
        Item.objects.select_for_update(of=("self",))  # `current` is an outer join
        .select_related("department__division", "current")
        .get(pk=item.pk)
    )
    if item.current is None:
        raise Conflict("该事项尚未发布，不能废止。", code="not_published")
    ensure_may_review(actor, item.current)
    if item.abolished_at:
        raise Conflict("该事项已废止。", code="already_abolished")
    if not (reason or "").strip():
        raise InvalidInput("废止须写明理由。", errors={"reason": ["请填写废止理由。"]})
    item.abolished_at = timezone.now()
    item.abolish_reason = reason.strip()
    item.save(update_fields=["abolished_at", "abolish_reason"])
    ItemVersion.objects.filter(item=item, status=VersionStatus.PUBLISHED).update(
        status=VersionStatus.ABOLISHED
    )
    ItemVersion.objects.filter(
        item=item, status__in=[VersionStatus.DRAFT, VersionStatus.IN_REVIEW, VersionStatus.RETURNED]
    ).delete()
    audit_record(
        stream=item_stream(item),
        action="item.abolish",
        actor=actor,
        object_type="item",
        object_id=str(item.pk),
        detail={"reason": item.abolish_reason},
    )
    return item


@transaction.atomic
def form_file_upload(*, actor, department: Department, title: str, kind: str, upload) -> FormFile:
    if not _is_client(actor) and not (actor.department and actor.department.pk == department.pk):
        raise NotFound("未找到该部门。")
    if not (title or "").strip():
        raise InvalidInput("请填写表格名称。", errors={"title": ["请填写表格名称。"]})
    checked = check_upload(
        upload, allowed=FORM_FILE_TYPES, max_bytes=FORM_FILE_MAX_BYTES, label="表格文件"
    )
    form = FormFile(
        department=department,
        title=title.strip(),
        kind=kind,
        content_type=checked.content_type,
        size=checked.size,
        sha256=checked.sha256,
    )
    form.file.save(checked.name, ContentFile(checked.data), save=False)
    form.save()
    audit_record(
        stream=f"form:{form.pk}",
        action="form.upload",
        actor=actor,
        object_type="form_file",
        object_id=str(form.pk),
        detail={"sha256": checked.sha256, "title": form.title},
    )
    return form
