"""The extension (TL-01/TL-02, Art. 42): asked for by the step's official with reasons,
granted or refused by the approver the handling mode names before the statutory limit
ends, once per case, its reasons told to the applicant in a written notice.

Who approves is one rule (access.extension_approver, may_approve_extension); the
approvers' queue is the same rule as a filter (access.extensions_approvable_by)."""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.utils import timezone

from shenpi.accounts.constants import Role
from shenpi.accounts.models import User
from shenpi.core import clock, transitions
from shenpi.core.errors import Conflict, InvalidInput, NotAllowed, NotFound
from shenpi.notify.services import notify_many
from shenpi.workdays.services import calendar

from .. import access, notices, records
from ..constants import ExtensionRequestStatus, NoticeKind
from ..models import Case, Extension, ExtensionRequest

PENDING = ExtensionRequestStatus.PENDING


def _ensure_approver(actor, needs_leader: bool, department_id: int, division_id: str) -> None:
    if access.is_client(actor):
        raise NotFound("未找到该办件。")
    if not access.may_approve_extension(
        actor, needs_leader=needs_leader, department_id=department_id, division_id=division_id
    ):
        raise NotAllowed(
            "延期须由"
            + ("本级人民政府负责人" if needs_leader else "本部门负责人")
            + "批准（第四十二条）。",
            code="not_approver",
        )


def _ensure_may_extend(case: Case) -> None:
    """Once per case, where the item allows one, while the statutory limit runs: Art. 42
    extends a limit "二十日内不能作出决定的", so not once it has ended."""
    transitions.check("extend", case.status)
    if case.extension_days:
        raise Conflict("每件只能延期一次（第四十二条）。", code="already_extended")
    if case.version.extension_days < 1:
        raise Conflict("本事项不设延长期限。", code="no_extension")
    if case.statutory_due and records.today() > case.statutory_due:
        raise Conflict(
            f"法定期限已于 {case.statutory_due:%Y-%m-%d} 届满，不能再延期（第四十二条）。",
            code="limit_passed",
        )


def _reasons(reasons: str) -> str:
    reasons = (reasons or "").strip()
    if not reasons:
        raise InvalidInput(
            "延期须说明理由，并告知申请人（第四十二条）。", errors={"reasons": ["必填。"]}
        )
    return reasons[:1000]


def _approvers(request: ExtensionRequest):
    if request.needs_leader:
        return User.objects.filter(
            division_id=request.division_id, role_assignments__role=Role.LEADER, is_active=True
        ).distinct()
    return User.objects.filter(
        office__department_id=request.department_id,
        role_assignments__role=Role.HEAD,
        is_active=True,
    ).distinct()


def _ask(case: Case, actor, reasons: str) -> ExtensionRequest:
    needs_leader, department_id, division_id = access.extension_approver(case)
    try:
        with transaction.atomic():
            return ExtensionRequest.objects.create(
                case=case,
                days=case.version.extension_days,
                reasons=reasons,
                asked_by=actor,
                asked_at=timezone.now(),
                needs_leader=needs_leader,
                department_id=department_id,
                division_id=division_id,
            )
    except IntegrityError:
        raise Conflict("本件已有待批的延期申请，请等待审批。", code="extension_pending") from None


@transaction.atomic
def extension_ask(*, actor, case: Case, reasons: str) -> ExtensionRequest:
    """The step's official asks; the approvers are told (in-site message, SMS, e-mail)."""
    case = records.lock(case)
    access.ensure_step_department_staff(actor, case)
    _ensure_may_extend(case)
    request = _ask(case, actor, _reasons(reasons))
    records.event(
        case,
        "extension_asked",
        f"申请延长 {request.days} 个工作日，待"
        + ("本级人民政府负责人" if request.needs_leader else "部门负责人")
        + f"批准：{request.reasons}",
        actor=actor,
        public=False,
    )
    records.audit(case, "case.extension_ask", actor, {"days": request.days})
    notify_many(
        (
            user,
            f"延期待批（{case.number}）",
            f"{actor.display_name} 申请将“{case.version.name}”延长 {request.days} 个工作日，"
            f"请在法定期限 {case.statutory_due:%Y-%m-%d} 前审批。理由：{request.reasons}",
            case,
        )
        for user in _approvers(request)
    )
    return request


def _grant(case: Case, request: ExtensionRequest, actor) -> Extension:
    try:
        with transaction.atomic():
            extension = Extension.objects.create(
                case=case,
                days=request.days,
                reasons=request.reasons,
                approved_by=actor,
                approved_at=request.decided_at,
            )
    except IntegrityError:
        raise Conflict("每件只能延期一次（第四十二条）。", code="already_extended") from None
    days, cal = request.days, calendar()
    case.extension_days = days
    case.statutory_due = clock.shift(cal, case.statutory_due, days)
    case.promised_due = clock.shift(cal, case.promised_due, days)
    case.save(update_fields=["extension_days", "statutory_due", "promised_due"])
    notices.issue_notice(
        case,
        NoticeKind.EXTENSION,
        f"你（单位）申请的“{case.version.name}”（办件编号 {case.number}），因{extension.reasons}，"
        f"不能在法定期限内作出决定。经批准，依据《中华人民共和国行政许可法》第四十二条，延长 {days} 个工作日，"
        f"至 {case.statutory_due:%Y年%m月%d日}。",
        department=case.item.department,
    )
    records.event(case, "extended", f"经批准延长 {days} 个工作日：{extension.reasons}", actor=actor)
    records.tell_applicant(case, "办理期限延长", f"延长 {days} 个工作日，理由：{extension.reasons}")
    return extension


@transaction.atomic
def extension_decide(
    *, actor, request: ExtensionRequest, approve: bool, answer: str = ""
) -> ExtensionRequest:
    """The approver grants (the limits move, the applicant gets the written notice) or
    refuses with a reason; the asker is told either way. A second answer to the same
    request is refused, so a double click or a retry changes nothing."""
    case = records.lock(request.case)
    request = ExtensionRequest.objects.select_for_update().get(pk=request.pk)
    _ensure_approver(actor, request.needs_leader, request.department_id, request.division_id)
    if request.status != PENDING:
        raise Conflict(f"该延期申请已{request.get_status_display()}。", code="extension_decided")
    answer = (answer or "").strip()[:300]
    if approve:
        _ensure_may_extend(case)
    elif not answer:
        raise InvalidInput("不予批准须说明理由。", errors={"answer": ["请填写不予批准的理由。"]})
    request.status = ExtensionRequestStatus.APPROVED if approve else ExtensionRequestStatus.REFUSED
    request.decided_by, request.decided_at, request.answer = actor, timezone.now(), answer
    request.save(update_fields=["status", "decided_by", "decided_at", "answer"])
    if approve:
        _grant(case, request, actor)
    else:
        records.event(
            case, "extension_refused", f"延期申请不予批准：{answer}", actor=actor, public=False
        )
    records.audit(
        case, "case.extension_decide", actor, {"approved": approve, "request": str(request.pk)}
    )
    notify_many(
        [
            (
                request.asked_by,
                f"延期申请{request.get_status_display()}（{case.number}）",
                f"{actor.display_name}：{answer or request.get_status_display()}",
                case,
            )
        ]
    )
    return request


@transaction.atomic
def case_extend(*, actor, case: Case, reasons: str) -> Extension:
    """The approver extends on the case page without a request: recorded as a request
    asked and granted by them at once, so every extension has one history."""
    case = records.lock(case)
    needs_leader, department_id, division_id = access.extension_approver(case)
    _ensure_approver(actor, needs_leader, department_id, division_id)
    _ensure_may_extend(case)
    request = _ask(case, actor, _reasons(reasons))
    request.status, request.decided_by, request.decided_at = (
        ExtensionRequestStatus.APPROVED,
        actor,
        timezone.now(),
    )
    request.save(update_fields=["status", "decided_by", "decided_at"])
    extension = _grant(case, request, actor)
    records.audit(case, "case.extend", actor, {"days": request.days})
    return extension
