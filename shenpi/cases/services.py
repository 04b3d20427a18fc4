"""Every case transition is one service: one transaction that locks the case, asks
the core, writes the new state, the timeline, the audit record and the outbox of
notifications (STYLE.md 3). Nothing else assigns `Case.status`."""

from __future__ import annotations

import functools
import hashlib
import secrets
from datetime import date, timedelta

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Sum
from django.urls import reverse
from django.utils import timezone

from shenpi.accounts.client_operations import ensure_client_may
from shenpi.accounts.constants import AccountType, Role
from shenpi.accounts.models import Department, Division, User
from shenpi.audit.services import audit_records
from shenpi.catalog.constants import ItemKind, VersionStatus
from shenpi.catalog.models import Item, MaterialRequirement
from shenpi.common import personal
from shenpi.common.fields import held
from shenpi.common.files import check_upload
from shenpi.common.lookup import by_id
from shenpi.core import clock, transitions
from shenpi.core.errors import Conflict, InvalidInput, NotAllowed, NotFound, TooLarge
from shenpi.core.flow import opening_steps, parse_flow
from shenpi.notify.services import notify
from shenpi.workdays.services import calendar

from . import access, documents, notices, numbering, records, review, selectors
from .constants import (
    MATERIAL_FILE_TYPES,
    CaseStatus,
    Channel,
    DeliveryMethod,
    LicenceStatus,
    NotAcceptedReason,
    NoticeKind,
    Outcome,
    TaskStatus,
)
from .models import (
    Bar,
    Case,
    CaseMaterial,
    CorrectionNotice,
    Licence,
    Task,
)

CORRECTION_DAYS = 5  # RCV-04, Art. 32(4)
# A renewal applied for and not yet decided (RNW-02, Art. 50 ¶2): its licence does not
# lapse; past the expiry date it is deemed renewed.
RENEWAL_PENDING = sorted(transitions.RENEWAL_PENDING)
LICENCE_DAYS = 10  # TL-04, Art. 44
REMEDIES = (
    "如不服本决定，可以自收到本决定书之日起六十日内依法申请行政复议，"
    "或者在六个月内依法向人民法院提起行政诉讼。"
)


# --- small helpers -------------------------------------------------------------------------


def _today_applies_first(service):
    """RCV-04 (Art. 32(4)) and the supplement deadline take effect on their day, whether
    or not the periodic job has run: an intake action first applies, in its own
    transaction as the job would, the deemed acceptance or withdrawal that today's date
    has already brought, then decides on the case as it now stands."""

    @functools.wraps(service)
    def run(*, case: Case, **kwargs):
        today = records.today()
        _deem_accepted(case.pk, today)
        _deem_withdrawn(case.pk, today)
        return service(case=case, **kwargs)

    return run


def _deemed_refusal(case, action: str) -> Conflict:
    """The answer to an intake action on a case that the law already deems accepted."""
    return Conflict(
        f"本机关未在 {case.correction_due:%Y年%m月%d日} 前一次告知补正内容，依据《中华人民共和国"
        f"行政许可法》第三十二条第一款第四项，本件自收到申请材料之日（{records.local_date(case.accepted_at):%Y年%m月%d日}）"
        f"起即为受理，法定期限至 {case.statutory_due:%Y年%m月%d日}，不能再{action}。",
        code="deemed_accepted",
    )


# --- applying ---------------------------------------------------------------------------------


def _competent_department(version, item, chosen_division: Division | None) -> Department:
    """Two-level items (Art. 35, 43): the department of the item's kind in the chosen
    city or county, which must lie below the item's organ."""
    if not version.two_level:
        return item.department
    if chosen_division is None:
        raise InvalidInput(
            "请选择办理的市、县（区）。", errors={"chosen_division": ["两级审批事项须选择区划。"]}
        )
    if not selectors.two_level_divisions(version).filter(pk=chosen_division.pk).exists():
        raise InvalidInput(
            f"本事项须先经市、县（区）审查（第三十五条），不能选择“{chosen_division.name}”，"
            f"请选择{item.department.division.name}下辖、设有受理部门的市、县（区）。",
            errors={"chosen_division": ["请选择下辖的市、县（区）。"]},
        )
    return (
        Department.objects.filter(
            division=chosen_division, kind_id=version.lower_kind_id, is_active=True
        )
        .order_by("code")
        .first()
    )


def _applicant_code(user: User):
    """The applicant's code as a case holds it: a person's ID number copied sealed."""
    if user.account_type == AccountType.ENTERPRISE:
        return user.credit_code
    return held(user, "id_number") or ""


def _applicant_digest(user: User) -> str:
    if user.account_type == AccountType.ENTERPRISE:
        return personal.digest(user.credit_code or "")
    return user.id_number_digest or ""


def _check_bar(applicant: User, item: Item) -> None:
    """SAN-01/02 (Art. 78, 79): a barred applicant cannot apply, and is told until when."""
    bar = (
        Bar.objects.filter(
            applicant_code_digest=_applicant_digest(applicant),
            item=item,
            until__gte=records.today(),
        )
        .order_by("-until")
        .first()
    )
    if bar:
        raise NotAllowed(
            f"依据《行政许可法》{bar.article}，您在 {bar.until:%Y年%m月%d日} 前不得再次申请本事项。",
            code="barred",
        )


def _ensure_may_apply_for(actor, applicant, department, item) -> None:
    """Applicants apply for themselves; a clerk of the department's window, an agent or
    the department's (or lower platform's) system client for them (CONTRACTS.md). The
    window of a two-level item's upper organ takes walk-ins for the city or county the
    clerk picks with the applicant (Art. 35)."""
    if access.is_client(actor):
        client = actor.client
        if client.allows("case.submit") and (
            client.department_id == department.pk
            or (client.division_id and department.division.path.startswith(client.division.path))
        ):
            return
        raise NotFound("未找到该事项，或不在本系统的受理范围内。")
    if actor.pk == applicant.pk:
        return
    if actor.has_role(Role.AGENT) or access.is_clerk_for(actor, department):
        return
    if department.pk != item.department_id and access.is_clerk_for(actor, item.department):
        return
    raise NotAllowed("您不能代他人申请该事项。", code="not_on_behalf")


def _new_case(actor, item, version, applicant, department, chosen_division, channel, **more):
    """An application's case (unsaved): who applies, for what, at which organ, by whom."""
    return Case(
        item=item,
        version=version,
        applicant=applicant,
        applicant_name=applicant.display_name,
        applicant_code=_applicant_code(applicant),
        applicant_mobile=held(applicant, "mobile"),
        submitted_by=None if access.is_client(actor) else actor,
        submitted_by_client=actor.client if access.is_client(actor) else None,
        channel=channel,
        department=department,
        division=department.division,
        chosen_division=chosen_division if version.two_level else None,
        **more,
    )


@transaction.atomic
def case_create_draft(
    *,
    actor,
    item: Item,
    applicant: User | None = None,
    chosen_division: Division | None = None,
    channel: str = Channel.ONLINE,
    kind: str = "new",
    licence: Licence | None = None,
) -> Case:
    applicant = applicant or actor
    if applicant.account_type not in (AccountType.PERSON, AccountType.ENTERPRISE):
        raise NotAllowed("只有自然人或法人可以作为申请人。", code="not_an_applicant")
    version = item.current
    if version is None or item.abolished_at or version.status != VersionStatus.PUBLISHED:
        raise Conflict("该事项已废止或尚未发布，不能申请。", code="item_not_in_force")
    if kind in ("change", "renewal"):
        # CHG-01, RNW-01 (Art. 49, 50): at the organ that granted the licence.
        if licence is None or licence.holder_id != applicant.pk or licence.item_id != item.pk:
            raise NotFound("未找到该证照。")
        if licence.status != "valid":
            raise Conflict("只有有效的证照可以申请变更或延续。", code="licence_not_valid")
        if kind == "renewal" and (
            licence.valid_until is None or licence.valid_until < records.today()
        ):
            raise Conflict(
                "该证照没有有效期或已过期，不能申请延续，请重新申请。", code="not_renewable"
            )
        department = licence.department
        chosen_division = None
    else:
        _check_bar(applicant, item)
        department = _competent_department(version, item, chosen_division)
        licence = None
    _ensure_may_apply_for(actor, applicant, department, item)
    case = _new_case(
        actor, item, version, applicant, department, chosen_division, channel, kind=kind,
        licence=licence,
    )  # fmt: skip
    case.save(force_insert=True)
    records.audit(case, "case.draft", actor)
    return case


def _validate_form(version, data: dict) -> dict:
    errors, clean = {}, {}
    for field in version.form_fields or []:
        key, value = field["key"], data.get(field["key"])
        if isinstance(value, str):
            value = value.strip()
        if value in (None, "", []):
            if field.get("required"):
                errors[key] = [f"请填写“{field['label']}”。"]
            continue
        if field["type"] == "number":
            try:
                value = float(value)
                value = int(value) if value.is_integer() else value
            except (TypeError, ValueError):
                errors[key] = [f"“{field['label']}”须为数字。"]
                continue
        elif field["type"] == "date":
            try:
                value = date.fromisoformat(str(value)).isoformat()
            except ValueError:
                errors[key] = [f"“{field['label']}”须为日期（如 2026-12-01）。"]
                continue
        elif field["type"] == "choice" and value not in field.get("choices", []):
            errors[key] = [f"“{field['label']}”须从选项中选择。"]
            continue
        elif field["type"] == "boolean":
            value = value in (True, "true", "on", "1", 1)
        elif len(str(value)) > 2000:
            errors[key] = [f"“{field['label']}”过长。"]
            continue
        clean[key] = value
    return clean, errors


@transaction.atomic
def case_save_form(*, actor, case: Case, data: dict) -> Case:
    case = records.lock(case)
    access.ensure_applicant_side(actor, case)
    transitions.check("save_form", case.status)
    clean, _errors = _validate_form(case.version, data)
    case.form_data = {**case.form_data, **clean}
    case.save(update_fields=["form_data"])
    return case


def _requirement(case, requirement_id) -> MaterialRequirement:
    requirement = by_id(MaterialRequirement, requirement_id, version=case.version)
    if requirement is None:
        # Art. 31: only materials on the item's published list.
        raise InvalidInput("该材料不在本事项的材料目录中。", code="unknown_material")
    return requirement


def _material(case, requirement, checked, actor, *, scanned=False) -> CaseMaterial:
    """A checked upload as the case's material of this round (unsaved; its file stored)."""
    material = CaseMaterial(
        case=case,
        requirement=requirement,
        name=checked.name,
        content_type=checked.content_type,
        size=checked.size,
        sha256=checked.sha256,
        round=case.correction_round,
        uploaded_by=None if access.is_client(actor) else actor,
        scanned=scanned,
    )
    material.file.save(checked.name, ContentFile(checked.data), save=False)
    return material


@transaction.atomic
def case_add_material(
    *, actor, case: Case, requirement_id, upload, scanned: bool = False
) -> CaseMaterial:
    case = records.lock(case)
    access.ensure_applicant_side(actor, case)
    transitions.check("add_material", case.status)
    requirement = _requirement(case, requirement_id)
    checked = check_upload(
        upload,
        allowed=MATERIAL_FILE_TYPES,
        max_bytes=settings.SHENPI_MAX_FILE_MB * 1024 * 1024,
        label=f"“{requirement.name}”",
    )
    used = case.materials.aggregate(total=Sum("size"))["total"] or 0
    if used + checked.size > settings.SHENPI_MAX_CASE_MB * 1024 * 1024:
        raise TooLarge(
            f"本件材料总量不能超过 {settings.SHENPI_MAX_CASE_MB} MB。", code="case_too_large"
        )
    material = _material(case, requirement, checked, actor, scanned=scanned)
    if scanned and not access.is_client(actor):
        material.original_seen_by, material.original_seen_at = actor, timezone.now()
    material.save(force_insert=True)
    records.audit(
        case, "case.material.add", actor, {"material": requirement.name, "sha256": checked.sha256}
    )
    return material


@transaction.atomic
def case_reuse_licence(*, actor, case: Case, requirement_id, licence: Licence) -> CaseMaterial:
    """资源共享: a licence the platform issued the applicant supplies a material."""
    case = records.lock(case)
    access.ensure_applicant_side(actor, case)
    transitions.check("reuse_licence", case.status)
    requirement = _requirement(case, requirement_id)
    if licence.holder_id != case.applicant_id or licence.status != "valid":
        raise NotFound("未找到该证照。")
    data = licence.file.open("rb").read()
    material = CaseMaterial(
        case=case,
        requirement=requirement,
        name=f"{licence.name}.pdf",
        content_type="application/pdf",
        size=len(data),
        from_licence=licence,
        sha256=hashlib.sha256(data).hexdigest(),
        uploaded_by=None if access.is_client(actor) else actor,
    )
    material.file.save(f"licence-{licence.number}.pdf", ContentFile(data), save=False)
    material.save(force_insert=True)
    records.audit(
        case,
        "case.material",
        actor,
        {"requirement": requirement.pk, "from_licence": licence.number},
    )
    return material


@transaction.atomic
def case_reuse_material(
    *, actor, case: Case, requirement_id, material: CaseMaterial
) -> CaseMaterial:
    """资源共享: a document the applicant uploaded for an earlier case, used again."""
    case = records.lock(case)
    access.ensure_applicant_side(actor, case)
    transitions.check("reuse_material", case.status)
    requirement = _requirement(case, requirement_id)
    if material.case.applicant_id != case.applicant_id:
        raise NotFound("未找到该材料。")
    copy = CaseMaterial(
        case=case,
        requirement=requirement,
        file=material.file.name,
        name=material.name,
        content_type=material.content_type,
        size=material.size,
        sha256=material.sha256,
        uploaded_by=None if access.is_client(actor) else actor,
    )
    copy.save(force_insert=True)
    records.audit(
        case,
        "case.material.reuse",
        actor,
        {"material": requirement.name, "sha256": material.sha256},
    )
    return copy


@transaction.atomic
def case_remove_material(*, actor, material: CaseMaterial) -> None:
    case = records.lock(material.case)
    access.ensure_applicant_side(actor, case)
    transitions.check("remove_material", case.status)
    if material.round != case.correction_round:
        raise Conflict("已提交的材料不能删除。", code="material_submitted")
    material.delete()


def _missing_required(case, *, lenient_ok: bool) -> list[str]:
    present = set(case.materials.values_list("requirement_id", flat=True))
    missing = []
    for requirement in case.version.materials.all():
        if requirement.required and requirement.pk not in present:
            if lenient_ok and case.version.lenient_acceptance and requirement.lenient_allowed:
                continue
            missing.append(requirement.name)
    return missing


@transaction.atomic
def case_submit(*, actor, case: Case, declaration: bool, form_data: dict | None = None) -> Case:
    """Submit (收件): the truthfulness declaration (Art. 31), the item's form, every
    required material; the case gets its number and query password."""
    case = records.lock(case)
    access.ensure_applicant_side(actor, case)
    transitions.check("submit", case.status)
    item = Item.objects.select_related("current").get(pk=case.item_id)
    if item.abolished_at or item.current is None:
        raise Conflict("该事项已废止，不能再申请。", code="item_abolished")
    if item.current_id != case.version_id:
        # CONTRACTS.md: a new application takes the version in force at submission.
        case.version = item.current
    _check_bar(case.applicant, item)
    if not declaration:
        raise InvalidInput(
            "请阅读并勾选申请人承诺（《行政许可法》第三十一条）。",
            errors={"declaration": ["须承诺所提交材料真实有效。"]},
        )
    if form_data is not None:
        case.form_data = {**case.form_data, **form_data}
    clean, errors = _validate_form(case.version, case.form_data)
    missing = _missing_required(case, lenient_ok=True)
    if missing:
        errors["materials"] = [f"请上传必需材料：{'、'.join(missing)}。"]
    if errors:
        raise InvalidInput("申请还不完整，请按提示补充后再提交。", code="incomplete", errors=errors)
    now = timezone.now()
    case.form_data = clean
    case.number = numbering.case_number(case.division, records.local_date(now))
    case.query_password = _query_password()
    case.status = transitions.move("submit", case.status)
    case.declaration_at = now
    case.received_at = case.round_received_at = now
    cal = calendar()
    # RCV-04 (Art. 32(4)): the one-time correction notice is due within 5 working days of receipt.
    case.correction_due = clock.add_working_days(cal, records.local_date(now), CORRECTION_DAYS)
    case.save()
    records.event(
        case,
        "received",
        f"已收件（{case.get_channel_display()}），等待{case.department.name}预审",
        actor=actor,
    )
    records.audit(case, "case.submit", actor, {"channel": case.channel})
    records.tell_applicant(case, "申请已收件", _received_message(case))
    return case


def _query_password() -> str:
    return "".join(secrets.choice("23456789ABCDEFGHJKLMNPQRSTUVWXYZ") for _ in range(8))


def _received_message(case) -> str:
    return (
        f"您申请的“{case.version.name}”已收件，办件编号 {case.number}，"
        f"查询密码 {case.query_password}。{case.department.name}将在 "
        f"{case.correction_due:%m月%d日} 前完成预审。"
    )


def case_submit_whole(
    *,
    actor,
    item: Item,
    applicant: User,
    chosen_division: Division | None,
    uploads: dict,
    declaration: bool,
    form_data: dict,
    channel: str = Channel.API,
) -> Case:
    """A whole application in one step (the one-request API of department systems and
    lower platforms): the same checks and the same records as draft → materials →
    submit, in one transaction with one write of each row. Everything is checked before
    anything is written, so a refusal leaves nothing behind (files included).

    The case number is drawn after the checks, outside that transaction (numbering.py): a
    submission that fails after the draw leaves a gap in the day's numbers, as a database
    sequence would; no number is ever given twice.

    `uploads`: requirement id → uploaded file. `applicant` may be unsaved (a person the
    submitting system names who has no account yet): saved here, with the case."""
    if applicant.account_type not in (AccountType.PERSON, AccountType.ENTERPRISE):
        raise NotAllowed("只有自然人或法人可以作为申请人。", code="not_an_applicant")
    version = item.current
    if version is None or item.abolished_at or version.status != VersionStatus.PUBLISHED:
        raise Conflict("该事项已废止或尚未发布，不能申请。", code="item_not_in_force")
    _check_bar(applicant, item)  # SAN-01/02
    department = _competent_department(version, item, chosen_division)
    _ensure_may_apply_for(actor, applicant, department, item)
    # Art. 31: only materials on the item's published list, each a whole file of an
    # accepted type, within the per-file and per-case limits.
    requirements = {str(r.pk): r for r in version.materials.all()}
    checked, total = [], 0
    for requirement_id, upload in uploads.items():
        requirement = requirements.get(str(requirement_id))
        if requirement is None:
            raise InvalidInput("该材料不在本事项的材料目录中。", code="unknown_material")
        one = check_upload(
            upload,
            allowed=MATERIAL_FILE_TYPES,
            max_bytes=settings.SHENPI_MAX_FILE_MB * 1024 * 1024,
            label=f"“{requirement.name}”",
        )
        total += one.size
        if total > settings.SHENPI_MAX_CASE_MB * 1024 * 1024:
            raise TooLarge(
                f"本件材料总量不能超过 {settings.SHENPI_MAX_CASE_MB} MB。", code="case_too_large"
            )
        checked.append((requirement, one))
    if not declaration:
        raise InvalidInput(
            "请阅读并勾选申请人承诺（《行政许可法》第三十一条）。",
            errors={"declaration": ["须承诺所提交材料真实有效。"]},
        )
    clean, errors = _validate_form(version, form_data)
    present = {requirement.pk for requirement, _one in checked}
    missing = [
        r.name
        for r in requirements.values()
        if r.required
        and r.pk not in present
        and not (version.lenient_acceptance and r.lenient_allowed)
    ]
    if missing:
        errors["materials"] = [f"请上传必需材料：{'、'.join(missing)}。"]
    if errors:
        raise InvalidInput("申请还不完整，请按提示补充后再提交。", code="incomplete", errors=errors)

    now = timezone.now()
    today = records.local_date(now)
    division = department.division
    number = numbering.case_number(division, today)
    with transaction.atomic():
        if applicant.pk is None:
            applicant.save()  # named by a system client, registered with the application
        case = _new_case(
            actor,
            item,
            version,
            applicant,
            department,
            chosen_division,
            channel,
            form_data=clean,
            query_password=_query_password(),
            status=transitions.move("submit", CaseStatus.DRAFT),  # created as submitted
            declaration_at=now,
            received_at=now,
            round_received_at=now,
            # RCV-04 (Art. 32(4)): the one-time correction notice within 5 working days.
            correction_due=clock.add_working_days(calendar(), today, CORRECTION_DAYS),
        )
        case.number = number
        case.save(force_insert=True)
        materials = [_material(case, requirement, one, actor) for requirement, one in checked]
        CaseMaterial.objects.bulk_create(materials)
        case.submitted_materials = materials
        records.event(
            case,
            "received",
            f"已收件（{case.get_channel_display()}），等待{department.name}预审",
            actor=actor,
        )
        # The same records as the three steps would have written, with one write of the stream.
        numbered = {"number": number}
        audit_records(
            stream=f"case:{case.pk}",
            new_stream=True,
            division=case.division_id,
            entries=[("case.draft", numbered)]
            + [
                ("case.material.add", {**numbered, "material": r.name, "sha256": one.sha256})
                for r, one in checked
            ]
            + [("case.submit", {**numbered, "channel": case.channel})],
            actor=actor,
            object_type="case",
            object_id=str(case.pk),
        )
        records.tell_applicant(case, "申请已收件", _received_message(case))
        return case


# --- pre-review -------------------------------------------------------------------------------


def _defects(case, defects: list[dict]) -> list[dict]:
    if not defects:
        raise InvalidInput(
            "补正通知须列明需要补正的全部内容。", errors={"defects": ["请至少选择一项。"]}
        )
    ids = {str(r.pk): r for r in case.version.materials.all()}
    out, seen = [], set()
    for defect in defects:
        requirement = ids.get(str(defect.get("requirement")))
        if requirement is None:
            # PUB-05 (Art. 31): nothing outside the item's published list may be asked for.
            raise InvalidInput(
                "补正内容只能是本事项材料目录中的材料（第三十一条）。",
                code="not_on_list",
                errors={"defects": ["含有不在材料目录中的材料。"]},
            )
        note = str(defect.get("note", "")).strip()
        if not note:
            raise InvalidInput(
                f"请写明“{requirement.name}”需要如何补正。",
                errors={"defects": ["请填写补正说明。"]},
            )
        if requirement.pk in seen:
            continue
        seen.add(requirement.pk)
        out.append({"requirement": requirement.pk, "name": requirement.name, "note": note[:300]})
    return out


@_today_applies_first
@transaction.atomic
def case_request_correction(*, actor, case: Case, defects: list[dict]) -> CorrectionNotice:
    """RCV-04 (Art. 32(4)): ONE notice listing every defect, within 5 working days of the
    round's receipt; a later round may only name what is still wrong with the pieces the
    first notice named."""
    case = records.lock(case)
    access.ensure_intake_staff(actor, case)
    if case.deemed_accepted and case.status == CaseStatus.PROCESSING:
        raise _deemed_refusal(case, "发出补正通知")
    transitions.check("request_correction", case.status)
    items = _defects(case, defects)
    first = case.corrections.order_by("round").first()
    if first is not None:
        named = {d["requirement"] for d in first.defects}
        extra = [d["name"] for d in items if d["requirement"] not in named]
        if extra:
            raise InvalidInput(
                f"再次补正只能针对第一次告知中的材料（第三十二条：一次告知全部内容），不能新增：{'、'.join(extra)}。",
                code="not_in_first_notice",
                errors={"defects": ["含有第一次未告知的材料。"]},
            )
    today = records.today()
    case.correction_round += 1
    case.status = transitions.move("request_correction", case.status)
    # The applicant's supplement deadline is set per item in calendar days (read in their favour).
    case.supplement_due = today + timedelta(days=case.version.supplement_days)
    case.save(update_fields=["correction_round", "status", "supplement_due"])
    notice = CorrectionNotice.objects.create(
        case=case,
        round=case.correction_round,
        defects=items,
        issued_by=actor,
        supplement_due=case.supplement_due,
    )
    lines = "\n".join(f"{i}. {d['name']}：{d['note']}" for i, d in enumerate(items, start=1))
    notices.issue_notice(
        case,
        NoticeKind.CORRECTION,
        f"你（单位）于 {records.local_date(case.round_received_at):%Y年%m月%d日} 提交的“{case.version.name}”申请"
        f"（办件编号 {case.number}），申请材料不齐全或者不符合法定形式。依据《中华人民共和国行政许可法》"
        f"第三十二条第一款第四项，现一次告知需要补正的全部内容如下：\n{lines}\n"
        f"请于 {case.supplement_due:%Y年%m月%d日} 前补正；逾期未补正的，视为撤回申请。",
    )
    records.event(
        case,
        "correction",
        f"一次性告知补正（第 {case.correction_round} 次），请于 {case.supplement_due:%m月%d日} 前补正",
        actor=actor,
    )
    records.audit(
        case, "case.request_correction", actor, {"round": case.correction_round, "defects": items}
    )
    records.tell_applicant(
        case,
        "请补正材料",
        f"需要补正：{'、'.join(d['name'] for d in items)}。补正期限 {case.supplement_due:%Y-%m-%d}。",
    )
    return notice


@_today_applies_first
@transaction.atomic
def case_supplement(*, actor, case: Case) -> Case:
    """The supplement is in: back to pre-review, with a new 5-working-day window."""
    case = records.lock(case)
    access.ensure_applicant_side(actor, case)
    transitions.check("supplement", case.status)
    notice = case.corrections.get(round=case.correction_round)
    updated = set(
        case.materials.filter(round=case.correction_round).values_list("requirement_id", flat=True)
    )
    missing = [d["name"] for d in notice.defects if d["requirement"] not in updated]
    if missing:
        raise InvalidInput(
            f"请先上传需要补正的材料：{'、'.join(missing)}。",
            code="supplement_incomplete",
            errors={"materials": missing},
        )
    now = timezone.now()
    case.status = transitions.move("supplement", case.status)
    case.round_received_at = now
    case.correction_due = clock.add_working_days(
        calendar(), records.local_date(now), CORRECTION_DAYS
    )
    case.save(update_fields=["status", "round_received_at", "correction_due"])
    records.event(case, "supplemented", "已补正材料，等待预审", actor=actor)
    records.audit(case, "case.supplement", actor, {"round": case.correction_round})
    return case


def _open_first_stage(case, cal, start: date, opened_at) -> list[Task]:
    return review.open_tasks(
        case, opening_steps(parse_flow(case.version.flow)), cal, start, opened_at
    )


def _start_clock(case, accepted_at, *, deemed: bool) -> None:
    cal = calendar()
    start = records.local_date(accepted_at)
    version = case.version
    promised = 1 if version.kind == ItemKind.INSTANT else version.promised_days
    case.accepted_at = accepted_at
    case.deemed_accepted = deemed
    # TL-01/TL-02 (Art. 42): statutory and promised working days from acceptance.
    case.statutory_due = clock.add_working_days(cal, start, version.statutory_days)
    case.promised_due = clock.add_working_days(cal, start, promised)
    if case.kind == "renewal" and case.licence_id and case.licence.valid_until:
        # RNW-02 (Art. 50 ¶2): the renewal is decided before the licence expires.
        case.statutory_due = min(case.statutory_due, case.licence.valid_until)
        case.promised_due = min(case.promised_due, case.statutory_due)
    case.due_provisional = cal.any_provisional(start, case.statutory_due)
    case.status = transitions.move("deem_accept" if deemed else "accept", case.status)
    _open_first_stage(case, cal, start, accepted_at)


@_today_applies_first
@transaction.atomic
def case_accept(
    *,
    actor,
    case: Case,
    lenient: list | None = None,
    commitment: str = "",
    lenient_due: date | None = None,
) -> Case:
    """Accept (受理). Art. 32(5): acceptance is mandatory once complete. With 容缺, the
    listed gaps are to be filled by the applicant's committed date."""
    case = records.lock(case)
    access.ensure_intake_staff(actor, case)
    if case.deemed_accepted and case.status == CaseStatus.PROCESSING:
        raise _deemed_refusal(case, "另行受理（受理日期不变）")
    transitions.check("accept", case.status)
    missing = _missing_required(case, lenient_ok=False)
    lenient = [str(x) for x in (lenient or [])]
    if lenient:
        if not case.version.lenient_acceptance:
            raise InvalidInput("本事项不允许容缺受理。", code="lenient_not_allowed")
        allowed = {str(r.pk): r.name for r in case.version.materials.filter(lenient_allowed=True)}
        if not set(lenient) <= set(allowed):
            raise InvalidInput("只有事项指定的材料可以容缺。", code="not_lenient_material")
        if not commitment.strip() or lenient_due is None or lenient_due <= records.today():
            raise InvalidInput(
                "容缺受理须有申请人的承诺和补交期限。",
                errors={"commitment": ["请填写承诺和期限。"]},
            )
        missing = [name for name in missing if name not in {allowed[x] for x in lenient}]
    if missing:
        raise Conflict(
            f"材料不齐全，不能受理：{'、'.join(missing)}。请发出一次性补正通知。", code="incomplete"
        )
    now = timezone.now()
    _start_clock(case, now, deemed=False)
    if lenient:
        case.lenient_due, case.lenient_commitment = lenient_due, commitment.strip()
    case.save()
    _acceptance_notice(
        case,
        lenient_names=[
            n
            for k, n in {str(r.pk): r.name for r in case.version.materials.all()}.items()
            if k in lenient
        ],
    )
    records.event(case, "accepted", "已受理" + ("（容缺受理）" if lenient else ""), actor=actor)
    records.audit(case, "case.accept", actor, {"lenient": lenient})
    records.tell_applicant(
        case,
        "申请已受理",
        f"承诺办结日期 {case.promised_due:%Y-%m-%d}，法定办结日期 {case.statutory_due:%Y-%m-%d}。",
    )
    return case


def _acceptance_notice(case, *, lenient_names=()):
    body = (
        f"你（单位）于 {records.local_date(case.received_at):%Y年%m月%d日} 提交的“{case.version.name}”申请"
        f"（办件编号 {case.number}），申请材料齐全、符合法定形式，依据《中华人民共和国行政许可法》第三十二条，"
        f"决定予以受理。本机关将在 {case.statutory_due:%Y年%m月%d日} 前（法定期限）作出决定，"
        f"承诺于 {case.promised_due:%Y年%m月%d日} 前办结。\n可凭办件编号和查询密码在网上审批平台查询办理进度。"
    )
    if case.deemed_accepted:
        body = (
            f"你（单位）于 {records.local_date(case.accepted_at):%Y年%m月%d日} 提交的“{case.version.name}”申请"
            f"（办件编号 {case.number}），本机关未在五个工作日内一次告知补正内容，依据《中华人民共和国行政许可法》"
            f"第三十二条第一款第四项，自收到申请材料之日起即为受理。法定期限至 {case.statutory_due:%Y年%m月%d日}。"
        )
    if lenient_names:
        body += (
            f"\n容缺材料：{'、'.join(lenient_names)}，请按承诺于 {case.lenient_due:%Y年%m月%d日} 前补交；"
            "逾期未补交的，终止办理。"
        )
    notices.issue_notice(case, NoticeKind.LENIENT if lenient_names else NoticeKind.ACCEPTANCE, body)


@_today_applies_first
@transaction.atomic
def case_not_accept(
    *, actor, case: Case, reason: str, text: str, competent_organ: str = ""
) -> Case:
    """RCV-01/02/07 (Art. 32, 72(7)): never without reasons; naming the competent organ
    when that is the reason. False materials bar the applicant (SAN-01, Art. 78)."""
    case = records.lock(case)
    access.ensure_intake_staff(actor, case)
    if case.deemed_accepted and case.status == CaseStatus.PROCESSING:
        raise _deemed_refusal(case, "作出不予受理决定")
    transitions.check("not_accept", case.status)
    if reason not in NotAcceptedReason.values:
        raise InvalidInput("请选择不予受理的情形。", errors={"reason": ["情形无效。"]})
    if not (text or "").strip():
        raise InvalidInput(
            "不予受理必须说明理由（第七十二条第七项）。", errors={"text": ["请填写理由。"]}
        )
    if reason == NotAcceptedReason.NOT_COMPETENT and not (competent_organ or "").strip():
        raise InvalidInput(
            "不属于本机关职权的，须告知申请人向哪个机关申请（第三十二条第一款第二项）。",
            errors={"competent_organ": ["请填写有权机关。"]},
        )
    case.status = transitions.move("not_accept", case.status)
    case.not_accepted_reason = reason
    case.reason_text = text.strip()
    case.competent_organ = (competent_organ or "").strip()
    case.ended_at = timezone.now()
    case.save(
        update_fields=[
            "status",
            "not_accepted_reason",
            "reason_text",
            "competent_organ",
            "ended_at",
        ]
    )
    if reason == NotAcceptedReason.FALSE_MATERIALS and case.version.safety_item:
        # SAN-01 (Art. 78): one year for items touching public safety, health, life and property.
        Bar.objects.create(
            applicant_code=held(case, "applicant_code"),
            item=case.item,
            case=case,
            article="第七十八条",
            until=records.today() + timedelta(days=365),
        )
    body = (
        f"你（单位）于 {records.local_date(case.received_at):%Y年%m月%d日} 提交的“{case.version.name}”申请"
        f"（办件编号 {case.number}），经审查，{NotAcceptedReason(reason).label}。\n理由：{case.reason_text}"
    )
    if case.competent_organ:
        body += f"\n请向{case.competent_organ}提出申请。"
    body += "\n" + REMEDIES
    notices.issue_notice(case, NoticeKind.NON_ACCEPTANCE, body)
    records.event(case, "not_accepted", f"不予受理：{case.reason_text}", actor=actor)
    records.audit(case, "case.not_accept", actor, {"reason": reason})
    records.tell_applicant(case, "不予受理", case.reason_text)
    return case


@transaction.atomic
def case_request_originals(*, actor, case: Case, due: date) -> Case:
    """预审后通知提供原始材料: show the originals at the window by a date."""
    case = records.lock(case)
    access.ensure_intake_staff(actor, case)
    transitions.check("request_originals", case.status)
    if due < records.today():
        raise InvalidInput("核验原件的期限不能早于今天。", errors={"due": ["期限无效。"]})
    case.originals_due = due
    case.save(update_fields=["originals_due"])
    names = "、".join(
        case.version.materials.filter(show_original=True).values_list("name", flat=True)
    )
    records.event(
        case, "originals", f"请于 {due:%m月%d日} 前携带原件到窗口核验：{names}", actor=actor
    )
    records.tell_applicant(
        case,
        "请到窗口核验原件",
        f"请于 {due:%Y-%m-%d} 前携带原件到{case.department.name}窗口：{names}。",
    )
    return case


@transaction.atomic
def material_mark_original_seen(*, actor, material: CaseMaterial) -> CaseMaterial:
    case = records.lock(material.case)
    if not access.is_clerk_for(actor, case.department):
        raise NotFound("未找到该材料。")
    CaseMaterial.objects.filter(pk=material.pk).update(
        original_seen_by=actor, original_seen_at=timezone.now()
    )
    records.event(
        case,
        "original_seen",
        f"窗口已核验原件：{material.requirement.name}",
        actor=actor,
        public=True,
    )
    records.audit(case, "case.original_seen", actor, {"material": material.requirement.name})
    material.refresh_from_db()
    return material


@transaction.atomic
def case_withdraw(*, actor, case: Case, reason: str = "") -> Case:
    case = records.lock(case)
    access.ensure_applicant_side(actor, case)
    if case.status == CaseStatus.DRAFT:
        raise Conflict("草稿尚未提交，直接删除即可。", code="draft")
    case.status = transitions.move("withdraw", case.status)
    case.ended_at = timezone.now()
    case.reason_text = (reason or "申请人撤回").strip()[:500]
    case.save(update_fields=["status", "ended_at", "reason_text"])
    records.cancel_open_tasks(case)
    records.event(case, "withdrawn", "申请人已撤回申请", actor=actor)
    records.audit(case, "case.withdraw", actor, {"reason": case.reason_text})
    records.tell_applicant(case, "申请已撤回", case.reason_text)
    return case


@transaction.atomic
def case_terminate(*, actor, case: Case, reason: str) -> Case:
    case = records.lock(case)
    if actor is not None:
        access.ensure_intake_staff(actor, case)
    case.status = transitions.move("terminate", case.status)
    case.ended_at = timezone.now()
    case.reason_text = reason
    case.save(update_fields=["status", "ended_at", "reason_text"])
    records.cancel_open_tasks(case)
    records.event(case, "terminated", f"终止办理：{reason}", actor=actor)
    records.audit(case, "case.terminate", actor, {"reason": reason})
    records.tell_applicant(case, "办件已终止", reason)
    return case


# --- decision and delivery (instant items here; flows in the review issue) -------------------------


def _ensure_may_grant(case) -> None:
    from shenpi.core.flow import unanswered_disagreements

    verdicts = dict(case.tasks.exclude(verdict="").values_list("step_key", "verdict"))
    answered = set(case.tasks.exclude(response="").values_list("step_key", flat=True))
    pending = unanswered_disagreements(verdicts, answered)
    if pending:
        names = "、".join(
            case.tasks.filter(step_key__in=pending).values_list("step_name", flat=True)
        )
        raise Conflict(
            f"协办部门的不同意意见尚未答复，不能准予许可：{names}。", code="disagreement_unanswered"
        )
    version = case.version
    if version.quota:
        # DEC-04 (Art. 57): first accepted, first granted, within the year's quota.
        year = timezone.localdate().year
        granted = Case.objects.filter(
            item=case.item, outcome=Outcome.GRANTED, decided_at__year=year
        ).count()
        earlier = Case.objects.filter(
            item=case.item,
            accepted_at__lt=case.accepted_at,
            status__in=[CaseStatus.PROCESSING, CaseStatus.SUSPENDED],
        ).count()
        if version.quota - granted <= earlier:
            raise Conflict(
                f"本年度数量限制剩余 {version.quota - granted} 个，须按受理先后顺序准予"
                f"（第五十七条），在先受理的 {earlier} 件尚未决定。",
                code="quota",
            )


def _issue_licence(case, actor) -> Licence:
    version = case.version
    now = timezone.now()
    valid_from = records.local_date(now)
    valid_until = None
    if version.validity_months:
        valid_until = _add_months(valid_from, version.validity_months) - timedelta(days=1)
    licence = Licence(
        number=numbering.licence_number(case.item.department, records.local_date(now).year),
        verification_code=secrets.token_hex(8).upper(),
        case=case,
        item=case.item,
        name=version.licence_name or version.name,
        holder=case.applicant,
        holder_name=case.applicant_name,
        holder_code=held(case, "applicant_code"),
        department=case.item.department,
        issued_at=now,
        valid_from=valid_from,
        valid_until=valid_until,
        scope="；".join(
            f"{k}：{v}" for k, v in case.form_data.items() if k not in ("contact", "phone")
        )[:500],
    )
    licence_render(licence, issued=valid_from)
    licence.save(force_insert=True)
    return licence


def licence_render(licence: Licence, *, issued: date) -> None:
    """The licence's document as its row now stands (number, holder, scope, validity):
    drawn at the grant and again at every renewal or change, so that the certificate a
    holder downloads never shows an old expiry date or scope. The caller saves the row."""
    url = settings.SHENPI_PUBLIC_URL.rstrip("/") + reverse(
        "cases:verify_licence", args=[licence.verification_code]
    )
    pdf = documents.render_licence(
        name=licence.name,
        number=licence.number,
        organ=licence.department.name,
        holder=licence.holder_name,
        holder_code=personal.mask_code(licence.holder_code),
        scope=licence.scope,
        valid_from=licence.valid_from,
        valid_until=licence.valid_until,
        issued=issued,
        verify_url=url,
    )
    licence.file.save(f"{licence.number}.pdf", ContentFile(pdf), save=False)


def _add_months(day: date, months: int) -> date:
    total = day.month - 1 + months
    year, month = day.year + total // 12, total % 12 + 1
    return date(year, month, min(day.day, 28))


def _renew_or_change(case) -> Licence:
    licence = (
        Licence.objects.select_for_update().select_related("department").get(pk=case.licence_id)
    )
    if case.kind == "renewal":
        licence.valid_until = _add_months(licence.valid_until, case.version.validity_months or 12)
        licence.reminded_at = None
        fields = ["valid_until", "reminded_at", "file"]
    else:
        licence.scope = "；".join(
            f"{k}：{v}" for k, v in case.form_data.items() if k not in ("contact", "phone")
        )[:500]
        fields = ["scope", "file"]
    licence_render(licence, issued=records.today())
    licence.save(update_fields=fields)
    return licence


@transaction.atomic
def case_personal_read(*, actor, case: Case) -> dict:
    """The applicant's numbers in clear, for a reader whose work needs them; every such
    read is audited (PIPL Art. 51). Pages and lists show them masked."""
    ensure_client_may(actor, "case.personal")
    if not access.may_read_personal(actor, case):
        raise NotAllowed(
            "您的职责无需查看申请人的完整证件号码和联系电话。", code="personal_not_needed"
        )
    records.audit(case, "case.personal_read", actor)
    return {
        "applicant_name": case.applicant_name,
        "applicant_code": case.applicant_code,
        "applicant_mobile": case.applicant_mobile,
    }


@transaction.atomic
def case_decide(*, actor, case: Case, outcome: str, reasons: str = "") -> Case:
    """DEC-01/02 (Art. 38): grant in writing; a refusal gives reasons and the rights to
    reconsideration and litigation. A grant issues the licence."""
    case = records.lock(case)
    access.ensure_decider(actor, case)
    transitions.check("decide", case.status)
    if outcome not in (Outcome.GRANTED, Outcome.REFUSED):
        raise InvalidInput("决定须为准予或不予许可。", errors={"outcome": ["无效。"]})
    if outcome == Outcome.REFUSED and not (reasons or "").strip():
        raise InvalidInput(
            "不予许可必须说明理由（第三十八条第二款）。", errors={"reasons": ["请填写理由。"]}
        )
    if case.version.kind != ItemKind.INSTANT:
        blocked = review.hearing_blocks_decision(case)
        if blocked:
            raise Conflict(blocked, code="hearing_pending")
    if outcome == Outcome.GRANTED:
        _ensure_may_grant(case)
    now = timezone.now()
    case.status = transitions.move("decide", case.status)
    case.outcome = outcome
    case.decided_at = now
    case.reason_text = (reasons or "").strip()
    if outcome == Outcome.GRANTED and case.version.licence_type:
        # TL-04 (Art. 44): the licence is delivered within 10 working days of the decision.
        case.licence_due = clock.add_working_days(calendar(), records.local_date(now), LICENCE_DAYS)
    case.save(update_fields=["status", "outcome", "decided_at", "reason_text", "licence_due"])
    case.tasks.filter(status__in=[TaskStatus.OPEN, TaskStatus.CLAIMED]).update(
        status=TaskStatus.DONE,
        completed_at=now,
        claimed_by=None if access.is_client(actor) else actor,
    )
    if outcome == Outcome.GRANTED and case.kind in ("renewal", "change") and case.licence_id:
        licence = _renew_or_change(case)
        if case.kind == "renewal":
            body = (
                f"你（单位）申请延续《{licence.name}》（编号 {licence.number}），经审查，符合法定条件、标准，"
                f"依据《中华人民共和国行政许可法》第五十条，决定准予延续，有效期至 {licence.valid_until:%Y年%m月%d日}。"
            )
        else:
            body = (
                f"你（单位）申请变更《{licence.name}》（编号 {licence.number}），经审查，符合法定条件、标准，"
                "依据《中华人民共和国行政许可法》第四十九条，决定准予变更。"
            )
        notices.issue_notice(case, NoticeKind.GRANT, body, department=case.item.department)
    elif outcome == Outcome.GRANTED:
        licence = _issue_licence(case, actor) if case.version.licence_type else None
        notices.issue_notice(
            case,
            NoticeKind.GRANT,
            (
                f"你（单位）提交的“{case.version.name}”申请（办件编号 {case.number}），经审查，符合法定条件、标准。"
                f"依据《中华人民共和国行政许可法》第三十八条第一款，决定准予行政许可。"
                + (f"\n颁发《{licence.name}》，编号 {licence.number}。" if licence else "")
            ),
            department=case.item.department,
        )
    else:
        notices.issue_notice(
            case,
            NoticeKind.REFUSAL,
            (
                f"你（单位）提交的“{case.version.name}”申请（办件编号 {case.number}），经审查，不符合法定条件、标准。"
                f"\n理由：{case.reason_text}\n依据《中华人民共和国行政许可法》第三十八条第二款，决定不予行政许可。\n{REMEDIES}"
            ),
            department=case.item.department,
        )
    records.event(case, "decided", "已作出决定：" + Outcome(outcome).label, actor=actor)
    records.audit(case, "case.decide", actor, {"outcome": outcome})
    records.tell_applicant(
        case,
        "已作出决定",
        Outcome(outcome).label + ("" if outcome == Outcome.GRANTED else f"：{case.reason_text}"),
    )
    return case


@transaction.atomic
def case_deliver(*, actor, case: Case, method: str, tracking_number: str = "") -> Case:
    case = records.lock(case)
    if not (
        access.is_clerk_for(actor, case.department)
        or access.is_official_of(actor, case.department)
        or access.is_clerk_for(actor, case.item.department)
        or access.is_official_of(actor, case.item.department)
    ):
        raise NotFound("未找到该办件。")
    transitions.check("deliver", case.status)
    if method not in DeliveryMethod.values:
        raise InvalidInput("请选择送达方式。", errors={"method": ["无效。"]})
    if method == DeliveryMethod.POST and not tracking_number.strip():
        raise InvalidInput("邮寄送达须填写邮件单号。", errors={"tracking_number": ["请填写单号。"]})
    case.status = transitions.move("deliver", case.status)
    case.delivery_method = method
    case.tracking_number = tracking_number.strip()
    case.closed_at = timezone.now()
    case.save(update_fields=["status", "delivery_method", "tracking_number", "closed_at"])
    records.event(case, "delivered", f"已送达（{DeliveryMethod(method).label}），办结", actor=actor)
    records.audit(case, "case.deliver", actor, {"method": method})
    records.tell_applicant(
        case, "已办结", f"送达方式：{DeliveryMethod(method).label}。欢迎对本次服务作出评价。"
    )
    return case


@transaction.atomic
def case_window_instant(
    *, actor, case: Case, reasons: str = "", outcome: str = Outcome.GRANTED
) -> Case:
    """Instant items at the window (Art. 34 ¶2, 56): received → processing → decided →
    closed while the applicant waits, all in one transaction."""
    if not access.is_clerk_for(actor, case.department):
        raise NotFound("未找到该办件。")
    if case.version.kind != ItemKind.INSTANT:
        raise Conflict("只有即办件可以当场办结。", code="not_instant")
    case = case_submit(actor=actor, case=case, declaration=True)
    case = case_accept(actor=actor, case=case)
    case = case_decide(actor=actor, case=case, outcome=outcome, reasons=reasons)
    return case_deliver(actor=actor, case=case, method=DeliveryMethod.WINDOW)


# --- the periodic job (deemed events) -----------------------------------------------------------


def licences_renewal_watch(today: date | None = None) -> dict:
    """RNW-01: remind holders before the renewal lead time; RNW-02: a renewal not decided
    by the expiry date is deemed granted, recorded and flagged for supervision."""
    today = today or records.today()
    report = {"reminded": 0, "deemed_renewed": 0}
    for licence in Licence.objects.filter(
        status="valid", valid_until__isnull=False, reminded_at__isnull=True, valid_until__gte=today
    ).select_related("case__version", "holder"):
        lead = licence.case.version.renewal_lead_days or 30
        if today >= licence.valid_until - timedelta(days=lead + 30):
            with transaction.atomic():
                notify(
                    licence.holder,
                    title=f"证照即将到期：{licence.name}",
                    body=f"编号 {licence.number} 有效期至 {licence.valid_until:%Y-%m-%d}，需要延续的，请于届满 "
                    f"{lead} 日前（{licence.valid_until - timedelta(days=lead):%Y-%m-%d} 前）提出申请（第五十条）。",
                )
                Licence.objects.filter(pk=licence.pk).update(reminded_at=timezone.now())
            report["reminded"] += 1
    pending = Case.objects.filter(
        kind="renewal", status__in=RENEWAL_PENDING, licence__valid_until__lt=today
    ).values_list("pk", flat=True)
    for case_id in pending:
        with transaction.atomic():
            case = records.lock(Case(pk=case_id))
            licence = (
                Licence.objects.select_for_update()
                .select_related("department")
                .get(pk=case.licence_id)
            )
            if (
                licence.valid_until >= today
                or not transitions.allowed("deem_renew", case.status)
                or licence.status not in (LicenceStatus.VALID, LicenceStatus.EXPIRED)
            ):
                continue
            now = timezone.now()
            licence.valid_until = _add_months(
                licence.valid_until, case.version.validity_months or 12
            )
            licence.deemed_renewed_at = now
            # RNW-02 (Art. 50 ¶2): renewed, so valid again even if the expiry job ran first.
            licence.status = LicenceStatus.VALID
            licence_render(licence, issued=records.local_date(now))
            licence.save(update_fields=["valid_until", "deemed_renewed_at", "status", "file"])
            case.status = transitions.move("deem_renew", case.status)
            case.outcome, case.decided_at = Outcome.GRANTED, now
            case.reason_text = "有效期届满前未作出决定，视为准予延续（第五十条第二款）"
            case.save(update_fields=["status", "outcome", "decided_at", "reason_text"])
            records.cancel_open_tasks(case)
            records.event(case, "deemed_renewed", case.reason_text, breach="RNW-02")
            records.audit(
                case, "case.deemed_renew", None, {"valid_until": licence.valid_until.isoformat()}
            )
            records.tell_applicant(
                case, "视为准予延续", f"有效期延续至 {licence.valid_until:%Y-%m-%d}。"
            )
            report["deemed_renewed"] += 1
    return report


def cases_deadlines(today: date | None = None) -> dict:
    """Deemed acceptance (RCV-04), deemed withdrawal, missed 容缺 pieces. Each case in
    its own transaction, so one failure does not hold back the others."""
    today = today or records.today()
    report = {"deemed_accepted": 0, "deemed_withdrawn": 0, "terminated": 0}
    for case_id in Case.objects.filter(
        status=CaseStatus.RECEIVED, correction_due__lt=today
    ).values_list("pk", flat=True):
        if _deem_accepted(case_id, today):
            report["deemed_accepted"] += 1
    for case_id in Case.objects.filter(
        status=CaseStatus.CORRECTION_REQUESTED, supplement_due__lt=today
    ).values_list("pk", flat=True):
        if _deem_withdrawn(case_id, today):
            report["deemed_withdrawn"] += 1
    for case_id in Case.objects.filter(
        status=CaseStatus.PROCESSING, lenient_due__lt=today
    ).values_list("pk", flat=True):
        with transaction.atomic():
            case = records.lock(Case(pk=case_id))
            lenient = set(
                case.version.materials.filter(lenient_allowed=True).values_list("pk", flat=True)
            )
            supplied = set(
                case.materials.filter(requirement_id__in=lenient).values_list(
                    "requirement_id", flat=True
                )
            )
            required_lenient = {
                r.pk for r in case.version.materials.filter(pk__in=lenient, required=True)
            }
            if required_lenient - supplied:
                case_terminate(actor=None, case=case, reason="容缺材料逾期未补交")
                report["terminated"] += 1
            else:
                Case.objects.filter(pk=case.pk).update(lenient_due=None)
    return report


@transaction.atomic
def _deem_accepted(case_id, today) -> bool:
    case = records.lock(Case(pk=case_id))
    if not transitions.allowed("deem_accept", case.status) or case.correction_due >= today:
        return False
    # RCV-04 (Art. 32(4)): deemed accepted as of the receipt that opened the round.
    _start_clock(case, case.round_received_at, deemed=True)
    case.save()
    _acceptance_notice(case)
    records.event(
        case,
        "deemed_accepted",
        "未在五个工作日内一次告知补正，自收件之日起视为受理",
        breach="RCV-04",
    )
    records.audit(
        case,
        "case.deemed_accept",
        None,
        {"breach": "RCV-04", "correction_due": case.correction_due.isoformat()},
    )
    records.tell_applicant(case, "申请视为已受理", f"法定办结日期 {case.statutory_due:%Y-%m-%d}。")
    return True


@transaction.atomic
def _deem_withdrawn(case_id, today) -> bool:
    case = records.lock(Case(pk=case_id))
    if not transitions.allowed("deem_withdraw", case.status) or case.supplement_due >= today:
        return False
    case.status = transitions.move("deem_withdraw", case.status)
    case.ended_at = timezone.now()
    case.reason_text = "逾期未补正，视为撤回申请"
    case.save(update_fields=["status", "ended_at", "reason_text"])
    records.event(case, "deemed_withdrawn", case.reason_text)
    records.audit(
        case, "case.deemed_withdraw", None, {"supplement_due": case.supplement_due.isoformat()}
    )
    records.tell_applicant(case, "申请视为撤回", case.reason_text)
    return True


# --- provisional years (CONTRACTS.md "The clock") -------------------------------------------------


def cases_recompute_provisional() -> list[dict]:
    """Once a year's schedule is announced, recompute every provisional due date;
    returns the cases whose dates moved (the administrator is shown the list)."""
    from .constants import TERMINAL

    cal = calendar()
    moved = []
    cases = (
        Case.objects.filter(due_provisional=True, accepted_at__isnull=False)
        .exclude(status__in=TERMINAL)
        .select_related("version")
    )
    for case in cases:
        with transaction.atomic():
            case = records.lock(case)
            start = records.local_date(case.accepted_at)
            shift_days = case.suspended_days + case.extension_days
            promised = 1 if case.version.kind == ItemKind.INSTANT else case.version.promised_days
            statutory_due = clock.add_working_days(
                cal, start, case.version.statutory_days + shift_days
            )
            promised_due = clock.add_working_days(cal, start, promised + shift_days)
            provisional = cal.any_provisional(start, statutory_due)
            if (statutory_due, promised_due) != (case.statutory_due, case.promised_due):
                moved.append(
                    {
                        "number": case.number,
                        "statutory": (case.statutory_due, statutory_due),
                        "promised": (case.promised_due, promised_due),
                    }
                )
                records.event(
                    case,
                    "recomputed",
                    f"放假安排公布，期限重算：法定 {statutory_due:%Y-%m-%d}，承诺 {promised_due:%Y-%m-%d}",
                )
                records.audit(
                    case,
                    "case.recompute",
                    None,
                    {"statutory": statutory_due.isoformat(), "promised": promised_due.isoformat()},
                )
            Case.objects.filter(pk=case.pk).update(
                statutory_due=statutory_due, promised_due=promised_due, due_provisional=provisional
            )
    return moved
