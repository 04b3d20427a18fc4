"""两级平台 (issue 25): a city's or county's own approval system pushes the cases it handles
itself, so the region's monitoring, deadline scan, statistics and supervision see them
like the platform's own. An upsert keyed by the pushing system and its own case id,
idempotent, versioned: a late or repeated push never overwrites newer state. The case is
read-only here (records.lock refuses every transition of ours on it)."""

from __future__ import annotations

import hashlib
import json
import secrets
from dataclasses import dataclass
from datetime import date, datetime

from django.db import IntegrityError, transaction
from django.utils import timezone

from shenpi.accounts.client_operations import ensure_client_may, is_client
from shenpi.accounts.models import Department
from shenpi.accounts.services import applicant_named, applicant_register_named
from shenpi.catalog.constants import VersionStatus
from shenpi.catalog.models import ItemVersion
from shenpi.common.fields import held
from shenpi.core import transitions
from shenpi.core.errors import Conflict, InvalidInput, NotAllowed, NotFound

from .. import numbering, records
from ..constants import CaseStatus, Channel, LicenceStatus, Outcome
from ..models import Case, Licence
from .decision import licence_render

# The statuses a pushed case may report (a draft is nobody's business but its applicant's).
PUSHABLE = [s for s in CaseStatus.values if s != CaseStatus.DRAFT]
DECIDED = (CaseStatus.DECIDED, CaseStatus.CLOSED)
# The timeline entry each status adds the first time a case reaches it (the statistics
# count these kinds, as they count the platform's own cases').
ENTERED = {
    CaseStatus.CORRECTION_REQUESTED: ("correction", "一次性告知补正"),
    CaseStatus.SUSPENDED: ("suspended", "进入特别程序"),
    CaseStatus.NOT_ACCEPTED: ("not_accepted", "不予受理"),
    CaseStatus.WITHDRAWN: ("withdrawn", "申请已撤回"),
    CaseStatus.TERMINATED: ("terminated", "办理终止"),
    CaseStatus.CLOSED: ("closed", "已送达，办结"),
}
# Fields a push may change; the case's item, department and applicant are fixed by the
# first one.
STATE = ("status", "outcome", "received_at", "accepted_at", "statutory_due", "promised_due",
         "decided_at", "ended_at", "reason_text")  # fmt: skip


@dataclass(frozen=True)
class Pushed:
    case: Case
    created: bool
    changed: bool


def _fingerprint(data: dict) -> str:
    def plain(value):
        if isinstance(value, date | datetime):
            return value.isoformat()
        raise TypeError(type(value))

    canonical = json.dumps(data, ensure_ascii=False, sort_keys=True, default=plain)
    return hashlib.sha256(canonical.encode()).hexdigest()


def _lower_platform(actor):
    if not is_client(actor):
        raise NotAllowed("只有下级平台的系统客户端可以推送办件。", code="clients_only")
    ensure_client_may(actor, "exchange.push")
    client = actor.client
    if client.division_id is None:
        raise NotAllowed("只有绑定区划的下级平台可以推送其自办办件。", code="not_a_lower_platform")
    return client


def _checked(client, data: dict):
    department = (
        Department.objects.select_related("division")
        .filter(code=data["department"], division__path__startswith=client.division.path)
        .first()
    )
    if department is None:
        raise NotFound("未找到该部门，或该部门不在本平台所绑定的区划内。")
    version = (
        ItemVersion.objects.select_related("item")
        .filter(
            item__code=data["item"],
            number=data["item_version"],
            status__in=(VersionStatus.PUBLISHED, VersionStatus.SUPERSEDED),
        )
        .first()
    )
    if version is None:
        raise InvalidInput(
            "事项目录中没有该事项编码或版本（须为已发布的版本）。",
            code="unknown_item",
            errors={"item": ["未知的事项编码或版本。"]},
        )
    status = data["status"]
    if status in DECIDED and data.get("outcome") not in (Outcome.GRANTED, Outcome.REFUSED):
        raise InvalidInput(
            "已决定的办件须写明决定结果。", errors={"outcome": ["须为 granted 或 refused。"]}
        )
    if status in DECIDED and not data.get("decided_at"):
        raise InvalidInput("已决定的办件须写明决定时间。", errors={"decided_at": ["必填。"]})
    if status not in (CaseStatus.RECEIVED, CaseStatus.CORRECTION_REQUESTED, CaseStatus.NOT_ACCEPTED,
                      CaseStatus.WITHDRAWN) and not data.get("accepted_at"):  # fmt: skip
        raise InvalidInput("已受理的办件须写明受理时间。", errors={"accepted_at": ["必填。"]})
    granted = status in DECIDED and data.get("outcome") == Outcome.GRANTED
    if data.get("licence") and not (granted and version.licence_type):
        raise InvalidInput(
            "只有准予许可且颁发证照的事项可以附证照信息。", errors={"licence": ["不应填写。"]}
        )
    return department, version


def _licence(case: Case, given: dict | None) -> Licence | None:
    """PUB-07 (Art. 40): a grant made below is public here as the platform's own are, in
    the register and the licence check, so the county's licence is registered with the
    number, holder, validity and scope its system issued, rendered and sealed in the
    issuing department's name. Its number is fixed by the first push; its status, end
    date and scope follow what the county's system reports (it revokes and renews them
    there, Art. 69, 70)."""
    if not (case.outcome == Outcome.GRANTED and case.version.licence_type):
        return None
    licence = Licence.objects.select_for_update().filter(case=case).first()
    if given is None:
        if licence is None:
            raise InvalidInput(
                "准予许可的办件须附所颁发证照的信息（第四十条：许可决定应当公开）。",
                errors={"licence": ["必填。"]},
            )
        return licence
    if licence is not None and licence.number != given["number"]:
        raise InvalidInput("证照编号推送后不能更改。", code="immutable_field")
    if licence is None:
        if Licence.objects.filter(number=given["number"]).exists():
            raise Conflict("该证照编号已被其他证照使用。", code="licence_number_taken")
        licence = Licence(
            number=given["number"],
            verification_code=secrets.token_hex(8).upper(),
            case=case,
            item=case.item,
            name=case.version.licence_name or case.version.name,
            holder=case.applicant,
            holder_name=case.applicant_name,
            holder_code=held(case, "applicant_code"),
            department=case.department,
            issued_at=case.decided_at,
        )
    reported = (given["valid_from"], given.get("valid_until"), given.get("scope", ""),
                given.get("status", LicenceStatus.VALID))  # fmt: skip
    if licence.pk and reported == (licence.valid_from, licence.valid_until, licence.scope,
                                   licence.status):  # fmt: skip
        return licence
    licence.valid_from, licence.valid_until, licence.scope, licence.status = reported
    licence_render(licence, issued=records.local_date(case.decided_at))
    licence.save()
    return licence


def _milestones(case: Case, before: dict | None) -> None:
    """The timeline entries of what the push reports for the first time, at its times."""
    was = before or {}
    department = case.department
    if not was.get("received_at") and case.received_at:
        records.event(case, "received", "下级平台收件", department=department, at=case.received_at)
    if not was.get("accepted_at") and case.accepted_at:
        records.event(case, "accepted", "已受理", department=department, at=case.accepted_at)
    if not was.get("decided_at") and case.decided_at:
        label = Outcome(case.outcome).label
        records.event(case, "decided", f"作出决定：{label}", department=department,
                      at=case.decided_at)  # fmt: skip
    if was.get("status") != case.status and case.status in ENTERED:
        kind, text = ENTERED[case.status]
        at = case.ended_at if case.status in transitions.TERMINAL else None
        records.event(case, kind, text, department=department, at=at)


@transaction.atomic
def case_push(*, actor, source_case_id: str, version: int, data: dict) -> Pushed:
    """Create or bring up to date the case `source_case_id` of the pushing platform.
    `data`: item, item_version, department, applicant_name, applicant_code (and
    applicant_kind), the state (STATE), and for a grant that issues a licence, the
    licence (number, valid_from, valid_until, scope, status). The same version again with the same content
    changes nothing; an older version, or the same with other content, is a 409 with the
    current version; a status the flow cannot reach from the current one, a 409 too."""
    client = _lower_platform(actor)
    department, item_version = _checked(client, data)
    fingerprint = _fingerprint({**data, "version": version})
    case = (
        Case.objects.select_for_update(of=("self",))
        .select_related("item", "version", "department__division")
        .filter(source_client=client, source_case_id=source_case_id)
        .first()
    )
    if case is not None:
        if version == case.source_version and fingerprint == case.source_fingerprint:
            return Pushed(case, created=False, changed=False)  # a repeat: nothing to do
        if version <= case.source_version:
            raise Conflict(
                f"该办件已有版本 {case.source_version}，不接受版本 {version}。",
                code="stale_version",
                extra={"current_version": case.source_version},
            )
        fixed = (case.item_id, case.version_id, case.department_id)
        if fixed != (item_version.item_id, item_version.pk, department.pk) or (
            data["applicant_name"],
            data["applicant_code"].strip().upper(),
        ) != (case.applicant_name, case.applicant_code):
            raise InvalidInput(
                "办件的事项、版本、部门和申请人推送后不能更改。", code="immutable_field"
            )
    now = case.status if case else CaseStatus.DRAFT
    if not transitions.reachable(now, data["status"]):
        raise Conflict(
            f"办件不能从“{CaseStatus(now).label}”变为“{CaseStatus(data['status']).label}”。",
            code="flow_forbids",
            extra={"current_status": now},
        )
    before = {field: getattr(case, field) for field in STATE} if case else None
    created = case is None
    if created:
        applicant = applicant_named(
            code=data["applicant_code"],
            name=data["applicant_name"],
            kind=data.get("applicant_kind", ""),
        )
        if applicant.pk is None:
            applicant_register_named(applicant, actor=actor)
        case = Case(
            item=item_version.item,
            version=item_version,
            applicant=applicant,
            applicant_name=data["applicant_name"],
            applicant_code=data["applicant_code"].strip().upper(),
            submitted_by_client=client,
            channel=Channel.LOWER,
            department=department,
            division=department.division,
            source_client=client,
            source_case_id=source_case_id,
            number=numbering.case_number(department.division, timezone.localdate()),
        )
    for field in STATE:
        blank = "" if field in ("outcome", "reason_text") else None
        setattr(case, field, data.get(field) or blank)
    if case.status in transitions.TERMINAL and not case.ended_at:
        case.ended_at = timezone.now()
    if case.status == CaseStatus.CLOSED:
        case.closed_at = case.ended_at
    case.round_received_at = case.received_at
    case.source_version, case.source_fingerprint = version, fingerprint
    try:
        with transaction.atomic():
            case.save(force_insert=created)
    except IntegrityError:
        raise Conflict("同一办件正被并发推送，请稍后重试。", code="concurrent_push") from None
    _milestones(case, before)
    licence = _licence(case, data.get("licence"))
    detail = {"source_case_id": source_case_id, "source_version": version, "status": case.status}
    if licence is not None:
        detail |= {"licence": licence.number, "licence_status": licence.status}
    records.audit(case, "case.push", actor, detail)
    return Pushed(case, created=created, changed=True)
