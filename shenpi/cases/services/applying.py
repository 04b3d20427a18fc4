"""Applying: the draft, its form and materials, the submission (step by step or in one
request), and who may apply for whom (Art. 29-31)."""

from __future__ import annotations

import hashlib
import secrets
from datetime import date

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import connection, transaction
from django.db.models import Sum
from django.utils import timezone

from shenpi.accounts.constants import AccountType, Role
from shenpi.accounts.models import Department, Division, User
from shenpi.accounts.services import applicant_register_named
from shenpi.audit.services import audit_records
from shenpi.catalog.constants import VersionStatus
from shenpi.catalog.models import Item, MaterialRequirement
from shenpi.catalog.selectors import version_materials
from shenpi.common import personal
from shenpi.common.fields import held
from shenpi.common.files import CheckedFile, check_upload
from shenpi.common.lookup import by_id
from shenpi.common.queries import JoinedLookup
from shenpi.core import clock, transitions
from shenpi.core.errors import Conflict, DomainError, InvalidInput, NotAllowed, NotFound, TooLarge
from shenpi.workdays.services import calendar

from .. import access, authorisations, numbering, records, selectors
from ..constants import (
    CORRECTION_DAYS,
    MATERIAL_FILE_TYPES,
    CaseStatus,
    Channel,
)
from ..models import (
    Authorisation,
    Bar,
    Case,
    CaseMaterial,
    Licence,
)
from ..published import publish_case


def competent_department(version, item, chosen_division: Division | None) -> Department:
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


# The bar that ends last, of those in force (written once per process: every submission
# asks, and compiling the query each time was a twentieth of a one-request submission).
_BAR = JoinedLookup(
    Bar,
    (),
    "t0.applicant_code_digest = %s AND t0.item_id = %s AND t0.until >= %s",
    order="t0.until DESC",
)


def _check_bar(applicant: User, item: Item) -> None:
    """SAN-01/02 (Art. 78, 79): a barred applicant cannot apply, and is told until when."""
    bar = _BAR.get(
        [
            _applicant_digest(applicant),
            Bar._meta.get_field("item").get_db_prep_value(item.pk, connection),
            Bar._meta.get_field("until").get_db_prep_value(records.today(), connection),
        ]
    )
    if bar:
        raise NotAllowed(
            f"依据《行政许可法》{bar.article}，您在 {bar.until:%Y年%m月%d日} 前不得再次申请本事项。",
            code="barred",
        )


def _ensure_may_apply_for(
    actor, applicant, department, item, authorisation, project, bundle_application=None
) -> None:
    """Applicants apply for themselves; a clerk of the department's window, or an agent
    under a live authorisation from this applicant covering the item (cases.authorisations),
    or the department's (or lower platform's) system client for them (CONTRACTS.md). The
    window of a two-level item's upper organ takes walk-ins for the city or county the
    clerk picks with the applicant (Art. 35); a window of any of a bundle's departments
    takes the whole bundle."""
    if access.is_client(actor):
        client = actor.client
        if client.allows("case.submit") and (
            client.department_id == department.pk
            or (client.division_id and department.division.path.startswith(client.division.path))
        ):
            return
        raise NotFound("未找到该事项，或不在本系统的受理范围内。")
    if actor.pk == applicant.pk and authorisation is None:
        return
    if authorisation is not None:
        # Read again (and, in a transaction, held: a revocation in flight lands first or waits).
        fresh = Authorisation.objects.all()
        if connection.in_atomic_block:
            fresh = fresh.select_for_update()
        authorisation = fresh.get(pk=authorisation.pk)
    if authorisation is None and access.is_clerk_for(actor, department):
        return
    if (
        authorisation is None
        and bundle_application is not None
        and any(
            access.is_clerk_for(actor, other.department)
            for other in bundle_application.bundle.items.select_related("department")
        )
    ):
        return  # RCV-08 (Art. 26): a bundle is taken in at one window, for all its items
    if (
        authorisation is None
        and department.pk != item.department_id
        and access.is_clerk_for(actor, item.department)
    ):
        return
    if authorisation is not None or actor.has_role(Role.AGENT):
        authorisations.ensure_may_act(
            actor, authorisation, applicant=applicant, item=item, today=records.today(),
            project=project,
        )  # fmt: skip
        return
    raise NotAllowed("您不能代他人申请该事项。", code="not_on_behalf")


def _new_case(actor, item, version, applicant, department, chosen_division, channel, **more):
    """An application's case (unsaved): who applies, for what, at which organ, by whom
    (an agent under an authorisation applies through the 全程代理 channel)."""
    authorisation = more.pop("authorisation", None)
    if authorisation is not None:
        channel = Channel.AGENT
    return Case(
        agent=actor if authorisation is not None else None,
        authorisation=authorisation,
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
    authorisation=None,
    project=None,
) -> Case:
    """A draft application. An agent names the authorisation they act under (and, for a
    project's, the agency's project the item belongs to)."""
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
        department = competent_department(version, item, chosen_division)
        licence = None
    _ensure_may_apply_for(actor, applicant, department, item, authorisation, project)
    case = _new_case(
        actor, item, version, applicant, department, chosen_division, channel, kind=kind,
        licence=licence, authorisation=authorisation,
    )  # fmt: skip
    case.form_data = prefilled(version, applicant)
    case.save(force_insert=True)
    records.audit(case, "case.draft", actor)
    return case


def prefilled(version, applicant) -> dict:
    """What the platform already knows of the applicant, in the form's own fields: the name,
    the contact person and the mobile number given at registration (online or at the
    window), so that nobody types them twice. The applicant may change them."""
    known = {
        "applicant_name": applicant.display_name,
        "contact": applicant.real_name or applicant.display_name,
        "phone": applicant.mobile or "",
    }
    keys = {field["key"] for field in version.form_fields or []}
    return {key: value for key, value in known.items() if key in keys and value}


def open_draft(
    *, actor, item: Item, applicant: User, channel: str, chosen_division=None
) -> Case | None:
    """The applicant's unsubmitted application for the item on this channel, if there is
    one the actor may continue: a clerk's second 开始收件 resumes it rather than making
    another."""
    draft = (
        Case.objects.filter(applicant=applicant, item=item, channel=channel,
                            status=CaseStatus.DRAFT, kind="new", chosen_division=chosen_division)
        .order_by("-created_at")
        .first()
    )  # fmt: skip
    if draft is None:
        return None
    try:
        access.ensure_applicant_side(actor, draft)
    except DomainError:
        return None
    return draft


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
    checked = _checked_upload(upload, requirement)
    # A new file for a requirement replaces the one sent in this round (a draft, or this
    # correction), as the applicant means by uploading again; earlier rounds' stay on record.
    replaced = list(
        case.materials.filter(requirement=requirement, round=case.correction_round).values_list(
            "pk", "size"
        )
    )
    used = case.materials.aggregate(total=Sum("size"))["total"] or 0
    _within_case_limit(used - sum(size for _pk, size in replaced), checked)
    if replaced:
        CaseMaterial.objects.filter(pk__in=[pk for pk, _size in replaced]).delete()
    material = _material(case, requirement, checked, actor, scanned=scanned)
    if scanned and not access.is_client(actor):
        material.original_seen_by, material.original_seen_at = actor, timezone.now()
    material.save(force_insert=True)
    detail = {"material": requirement.name, "sha256": checked.sha256}
    records.audit(case, "case.material.add", actor, detail | {"replaced": len(replaced)})
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
    records.audit(case, "case.material.remove", actor, {"material": material.name})


def _missing(version, requirements, present: set, *, lenient_ok: bool) -> list[str]:
    """The required materials not among `present` (requirement ids); under lenient
    acceptance (容缺受理) the pieces allowed to follow are not missing at submission."""
    return [
        requirement.name
        for requirement in requirements
        if requirement.required
        and requirement.pk not in present
        and not (lenient_ok and version.lenient_acceptance and requirement.lenient_allowed)
    ]


def checked_material(upload, label: str) -> CheckedFile:
    """An upload checked as a material (Art. 31), named `label` in the refusal."""
    return check_upload(
        upload,
        allowed=MATERIAL_FILE_TYPES,
        max_bytes=settings.SHENPI_MAX_FILE_MB * 1024 * 1024,
        label=label,
    )


def _checked_upload(upload, requirement):
    """Art. 31: a whole file of an accepted type, within the per-file limit (a file the
    check has passed already — one upload a bundle hands to several cases — as it is)."""
    if isinstance(upload, CheckedFile):
        return upload
    return check_upload(
        upload,
        allowed=MATERIAL_FILE_TYPES,
        max_bytes=settings.SHENPI_MAX_FILE_MB * 1024 * 1024,
        label=f"“{requirement.name}”",
    )


def _within_case_limit(used: int, upload) -> None:
    if used + upload.size > settings.SHENPI_MAX_CASE_MB * 1024 * 1024:
        raise TooLarge(
            f"本件材料总量不能超过 {settings.SHENPI_MAX_CASE_MB} MB。", code="case_too_large"
        )


def missing_required(case, *, lenient_ok: bool) -> list[str]:
    present = set(case.materials.values_list("requirement_id", flat=True))
    return _missing(case.version, version_materials(case.version), present, lenient_ok=lenient_ok)


def _submission_check(version, form_data: dict, *, declaration: bool, missing: list[str]):
    """What every submission must satisfy, step by step or in one request: the
    truthfulness declaration (Art. 31), the item's form, every required material. Returns
    the cleaned form; refuses with every problem at once, so the applicant mends them in
    one go rather than meeting them one by one."""
    clean, errors = _validate_form(version, form_data)
    if missing:
        errors["materials"] = [f"请上传必需材料：{'、'.join(missing)}。"]
    if not declaration:
        errors["declaration"] = ["请阅读并勾选申请人承诺（《行政许可法》第三十一条）。"]
    if list(errors) == ["declaration"]:
        raise InvalidInput(errors["declaration"][0], errors=errors)
    if errors:
        raise InvalidInput("申请还不完整，请按提示补充后再提交。", code="incomplete", errors=errors)
    return clean


def check_submission(version, form_data: dict, *, declaration: bool, present: set) -> dict:
    """`_submission_check` for an application whose materials are `present` (requirement
    ids) but not yet written: a bundle checks each of its items before writing any."""
    missing = _missing(version, version_materials(version), present, lenient_ok=True)
    return _submission_check(version, form_data, declaration=declaration, missing=missing)


def _received(case, actor, department) -> None:
    """The timeline entry of a submission (the same for both ways of submitting)."""
    by = f"，由{case.agent.display_name}受委托代为申请" if case.agent_id else ""
    records.event(
        case,
        "received",
        f"已收件（{case.get_channel_display()}{by}），等待{department.name}预审",
        actor=actor,
    )


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
    if form_data is not None:
        case.form_data = {**case.form_data, **form_data}
    clean = _submission_check(
        case.version,
        case.form_data,
        declaration=declaration,
        missing=missing_required(case, lenient_ok=True),
    )
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
    case.save(
        update_fields=[
            "version",
            "form_data",
            "number",
            "query_password",
            "status",
            "declaration_at",
            "received_at",
            "round_received_at",
            "correction_due",
        ]
    )
    _received(case, actor, case.department)
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
    authorisation=None,
    project=None,
    bundle_application=None,
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
    department = competent_department(version, item, chosen_division)
    _ensure_may_apply_for(
        actor, applicant, department, item, authorisation, project, bundle_application
    )
    # Art. 31: only materials on the item's published list, each a whole file of an
    # accepted type, within the per-file and per-case limits.
    requirements = {str(r.pk): r for r in version_materials(version)}
    checked, total = [], 0
    for requirement_id, upload in uploads.items():
        requirement = requirements.get(str(requirement_id))
        if requirement is None:
            raise InvalidInput("该材料不在本事项的材料目录中。", code="unknown_material")
        one = _checked_upload(upload, requirement)
        _within_case_limit(total, one)
        total += one.size
        checked.append((requirement, one))
    present = {requirement.pk for requirement, _one in checked}
    clean = _submission_check(
        version,
        form_data,
        declaration=declaration,
        missing=_missing(version, requirements.values(), present, lenient_ok=True),
    )

    now = timezone.now()
    today = records.local_date(now)
    division = department.division
    number = numbering.case_number(division, today)
    with transaction.atomic():
        if applicant.pk is None:
            # Named by a system client, registered with the application (audited).
            applicant_register_named(applicant, actor=actor)
        case = _new_case(
            actor,
            item,
            version,
            applicant,
            department,
            chosen_division,
            channel,
            authorisation=authorisation,
            bundle_application=bundle_application,
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
        _received(case, actor, department)
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
        publish_case(case, "case.submit", {"channel": case.channel})
        records.tell_applicant(case, "申请已收件", _received_message(case))
        return case
