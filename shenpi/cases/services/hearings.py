"""Hearings (HRG-01..03, Art. 46-48): telling the applicant and interested parties of
their right, the request, the schedule and notice, the record the decision rests on."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from shenpi.accounts.models import User
from shenpi.core import clock, transitions
from shenpi.core.errors import Conflict, InvalidInput, NotFound
from shenpi.workdays.services import calendar

from .. import access, records
from ..constants import CaseStatus, SuspensionReason
from ..models import Case, Hearing
from .pauses import case_suspend, resume

HEARING_REQUEST_DAYS = 5  # HRG-02, Art. 47: applicant's limit, read as working days in their favour


HEARING_WITHIN_DAYS = 20  # HRG-02, Art. 47: held within 20 (working) days of the request


HEARING_NOTICE_DAYS = 7  # HRG-03, Art. 48(1): notice at least 7 (working) days before


@transaction.atomic
def hearing_notify_rights(*, actor, case: Case, interested_parties: str = "") -> Hearing:
    """Tell the applicant and interested parties of their right to a hearing (Art. 36, 47);
    for an item whose hearing is mandatory (Art. 46) the hearing will be held regardless."""

    case = records.lock(case)
    access.ensure_step_department_staff(actor, case)
    transitions.check("hearing_notify", case.status)
    if Hearing.objects.filter(case=case).exists():
        raise Conflict("已经告知过听证权利。", code="already_notified")
    today = timezone.localdate()
    hearing = Hearing.objects.create(
        case=case,
        mandatory=case.version.hearing_mandatory,
        interested_parties=(interested_parties or "").strip(),
        rights_notified_on=today,
        request_due=clock.add_working_days(calendar(), today, HEARING_REQUEST_DAYS),
    )
    records.event(
        case,
        "hearing_rights",
        f"已告知听证权利，可在 {hearing.request_due:%Y-%m-%d} 前申请听证"
        + ("（本事项依法须听证）" if hearing.mandatory else ""),
        actor=actor,
    )
    records.audit(case, "hearing.notify", actor, {"request_due": hearing.request_due.isoformat()})
    records.tell_applicant(
        case,
        "听证权利告知",
        f"您有权要求听证，请于 {hearing.request_due:%Y-%m-%d} 前提出（第四十七条）。"
        "申请人、利害关系人不承担听证费用。",
    )
    return hearing


@transaction.atomic
def hearing_request(*, actor, case: Case):

    case = records.lock(case)
    access.ensure_applicant_side(actor, case)
    hearing = Hearing.objects.select_for_update().filter(case=case).first()
    if hearing is None:
        raise Conflict("尚未告知听证权利。", code="no_hearing")
    if hearing.requested_on:
        raise Conflict("已经申请过听证。", code="already_requested")
    if timezone.localdate() > hearing.request_due:
        raise Conflict(
            f"申请听证的期限（{hearing.request_due:%Y-%m-%d}）已过。", code="request_late"
        )
    hearing.requested_on = timezone.localdate()
    hearing.save(update_fields=["requested_on"])
    records.event(case, "hearing_requested", "申请人已申请听证", actor=actor)
    records.audit(case, "hearing.request", actor)
    return hearing


def _reviewers(case) -> set[int]:
    ids = set()
    for claimed, verified in case.tasks.values_list("claimed_by_id", "verified_by_id"):
        ids.update(x for x in (claimed, verified) if x)
    return ids


@transaction.atomic
def hearing_schedule(*, actor, case: Case, on, place: str, presiding_officer: User):
    """Held within 20 working days of the request, noticed at least 7 working days before,
    presided by someone who did not review the case; the time does not count (Art. 45)."""

    case = records.lock(case)
    access.ensure_step_department_staff(actor, case)
    hearing = Hearing.objects.select_for_update().filter(case=case).first()
    if hearing is None or not (hearing.requested_on or hearing.mandatory):
        raise Conflict("没有需要举行的听证。", code="no_hearing_needed")
    if hearing.held_on:
        raise Conflict("听证已经举行。", code="hearing_held")
    cal = calendar()
    today = timezone.localdate()
    if hearing.requested_on and on > clock.add_working_days(
        cal, hearing.requested_on, HEARING_WITHIN_DAYS
    ):
        raise InvalidInput(
            "听证须在申请之日起二十日内组织（第四十七条）。",
            code="hearing_too_late",
            errors={"on": ["超过二十个工作日。"]},
        )
    if not cal.is_working(on):
        # Art. 48(2): the hearing is public, so it is held when the organ is open.
        raise InvalidInput(
            f"{on:%Y年%m月%d日}不是工作日，听证须公开举行，请选择工作日（第四十八条）。",
            code="hearing_not_on_a_working_day",
            errors={"on": ["请选择工作日。"]},
        )
    if clock.working_days_between(cal, today, on) < HEARING_NOTICE_DAYS:
        raise InvalidInput(
            "须在举行听证的七日前通知申请人、利害关系人（第四十八条）。",
            code="notice_too_short",
            errors={"on": ["通知期不足七个工作日。"]},
        )
    if presiding_officer.pk in _reviewers(case):
        raise InvalidInput(
            "听证主持人不能是审查该申请的工作人员（第四十八条）。",
            code="presiding_reviewer",
            errors={"presiding_officer": ["该人员审查过本件。"]},
        )
    if not (place or "").strip():
        raise InvalidInput("请填写听证地点。", errors={"place": ["必填。"]})
    hearing.scheduled_for, hearing.place, hearing.presiding_officer = (
        on,
        place.strip(),
        presiding_officer,
    )
    hearing.notice_sent_on = today
    hearing.save(update_fields=["scheduled_for", "place", "presiding_officer", "notice_sent_on"])
    records.event(
        case, "hearing_scheduled", f"定于 {on:%Y-%m-%d} 在{hearing.place}公开举行听证", actor=actor
    )
    records.audit(case, "hearing.schedule", actor, {"on": on.isoformat()})
    records.tell_applicant(
        case,
        "听证通知",
        f"听证定于 {on:%Y年%m月%d日} 在{hearing.place}公开举行。"
        "如认为主持人与本事项有直接利害关系，可以申请回避。",
    )
    if case.status == CaseStatus.PROCESSING:
        case_suspend(
            actor=actor,
            case=case,
            reason=SuspensionReason.HEARING,
            expected_days=max(1, clock.working_days_between(cal, today, on) + 1),
            note="听证",
        )
    return hearing


@transaction.atomic
def hearing_record(*, actor, case: Case, record: str):
    """The record is attached; the decision is made on its basis (Art. 48(5)); the clock resumes."""

    case = records.lock(case)
    hearing = Hearing.objects.select_for_update().filter(case=case).first()
    if hearing is None or hearing.scheduled_for is None:
        raise Conflict("听证尚未安排。", code="not_scheduled")
    if actor.pk != hearing.presiding_officer_id:
        raise NotFound("只有听证主持人可以提交听证笔录。")
    today = timezone.localdate()
    if today < hearing.scheduled_for:
        # HRG-03 (Art. 48(1)): the parties were given 7 days' notice of that day; a record
        # dated earlier would defeat the notice and unblock the decision.
        raise Conflict(
            f"听证定于 {hearing.scheduled_for:%Y年%m月%d日} 举行，当日及以后才能提交听证笔录（第四十八条）。",
            code="hearing_not_yet_held",
        )
    if not (record or "").strip():
        raise InvalidInput("请提交经参加人确认的听证笔录。", errors={"record": ["必填。"]})
    hearing.record, hearing.held_on = record.strip(), today
    hearing.save(update_fields=["record", "held_on"])
    records.event(case, "hearing_held", "听证已举行，笔录已归档", actor=actor)
    records.audit(case, "hearing.record", actor)
    if case.status == CaseStatus.SUSPENDED:
        resume(case, actor, "听证结束")
    return hearing


def hearing_blocks_decision(case) -> str | None:
    """HRG-01/02: why a decision cannot be made yet, or None."""

    hearing = Hearing.objects.filter(case=case).first()
    if hearing is None:
        if case.version.hearing_mandatory:
            return "本事项依法须听证，尚未告知听证权利、举行听证（第四十六条、第七十二条第八项）。"
        return None
    if hearing.held_on:
        return None
    if hearing.mandatory or hearing.requested_on:
        return "听证尚未举行，须根据听证笔录作出决定（第四十八条）。"
    if timezone.localdate() <= hearing.request_due:
        return f"申请听证的期限（{hearing.request_due:%Y-%m-%d}）未满，不能作出决定（第四十七条）。"
    return None
