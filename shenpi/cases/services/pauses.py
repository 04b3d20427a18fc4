"""The clock's pauses and pushes: special procedures that stop it (Art. 45) and urging
(催办). The extension (Art. 42) has its own module, extensions.py."""

from __future__ import annotations

from datetime import datetime, time, timedelta

from django.db import transaction
from django.utils import timezone

from shenpi.accounts.constants import Role
from shenpi.accounts.models import User
from shenpi.core import clock, transitions
from shenpi.core.errors import Conflict, InvalidInput
from shenpi.notify.services import notify
from shenpi.workdays.services import calendar

from .. import access, notices, records
from ..constants import NoticeKind, SuspensionReason
from ..models import ACTIVE_TASK_STATUSES, Case, Suspension, Task, Urge


@transaction.atomic
def case_suspend(
    *, actor, case: Case, reason: str, expected_days: int, note: str = ""
) -> Suspension:
    """TL-05 (Art. 45): only for hearing, tendering, auction, testing, inspection,
    quarantine, appraisal or expert review; the applicant is told the time needed."""
    case = records.lock(case)
    access.ensure_step_department_staff(actor, case)
    transitions.check("suspend", case.status)
    if reason not in SuspensionReason.values:
        raise InvalidInput(
            "特别程序只能是听证、招标、拍卖、检验、检测、检疫、鉴定或专家评审（第四十五条）。",
            code="reason_not_in_art_45",
            errors={"reason": ["不属于第四十五条规定的情形。"]},
        )
    if not expected_days or expected_days < 1:
        raise InvalidInput(
            "须书面告知所需时间（第四十五条）。", errors={"expected_days": ["请填写。"]}
        )
    suspension = Suspension.objects.create(
        case=case,
        reason=reason,
        expected_days=expected_days,
        note=(note or "").strip()[:300],
        started_on=timezone.localdate(),
        started_by=actor,
    )
    case.status = transitions.move("suspend", case.status)
    case.save(update_fields=["status"])
    case.tasks.filter(status__in=ACTIVE_TASK_STATUSES).update(paused=True)
    label = SuspensionReason(reason).label
    notices.issue_notice(
        case,
        NoticeKind.SUSPENSION,
        f"你（单位）申请的“{case.version.name}”（办件编号 {case.number}）需要进行{label}，"
        f"预计需要 {expected_days} 个工作日。依据《中华人民共和国行政许可法》第四十五条，"
        f"所需时间不计算在审查期限内。{suspension.note}",
    )
    records.event(
        case,
        "suspended",
        f"进入特别程序（{label}），暂停计时，预计 {expected_days} 个工作日",
        actor=actor,
    )
    records.audit(case, "case.suspend", actor, {"reason": reason, "expected_days": expected_days})
    records.tell_applicant(
        case, "办件进入特别程序", f"{label}，预计 {expected_days} 个工作日，期间不计入办理时限。"
    )
    return suspension


@transaction.atomic
def case_resume(*, actor, case: Case) -> Case:
    case = records.lock(case)
    access.ensure_step_department_staff(actor, case)
    transitions.check("resume", case.status)
    return resume(case, actor, "特别程序结束")


def resume(case: Case, actor, why: str) -> Case:
    """The clock runs again; the case's and every open step's due dates move by the
    working days in [start, end) of the pause (CONTRACTS.md "Suspension")."""
    suspension = Suspension.objects.select_for_update().get(case=case, ended_on__isnull=True)
    cal = calendar()
    today = timezone.localdate()
    excluded = clock.excluded_by_suspension(cal, suspension.started_on, today)
    suspension.ended_on, suspension.excluded_days = today, excluded
    suspension.save(update_fields=["ended_on", "excluded_days"])
    case.status = transitions.move("resume", case.status)
    case.suspended_days += excluded
    case.statutory_due = clock.shift(cal, case.statutory_due, excluded)
    case.promised_due = clock.shift(cal, case.promised_due, excluded)
    case.due_provisional = cal.any_provisional(
        records.local_date(case.accepted_at), case.statutory_due
    )
    case.save(
        update_fields=[
            "status",
            "suspended_days",
            "statutory_due",
            "promised_due",
            "due_provisional",
        ]
    )
    for task in case.tasks.filter(status__in=ACTIVE_TASK_STATUSES):
        Task.objects.filter(pk=task.pk).update(
            due_date=clock.shift(cal, task.due_date, excluded), paused=False
        )
    records.event(
        case,
        "resumed",
        f"{why}，恢复计时；{excluded} 个工作日不计入期限，法定期限顺延至 "
        f"{case.statutory_due:%Y-%m-%d}",
        actor=actor,
    )
    records.audit(case, "case.resume", actor, {"excluded_days": excluded})
    return case


@transaction.atomic
def case_urge(*, actor, case: Case, text: str = "") -> Urge:
    """Anyone who can see the case urges its current holder (the caller has checked that)."""
    case = records.lock(case)
    transitions.check("urge", case.status)
    # Each urge texts the department's heads: once per case and person per working day
    # (the last working day up to today, so a weekend adds none).
    cal, day = calendar(), timezone.localdate()
    while not cal.is_working(day):
        day -= timedelta(days=1)
    since = timezone.make_aware(datetime.combine(day, time.min))
    if Urge.objects.filter(case=case, by=actor, at__gte=since).exists():
        raise Conflict("您今天已经催办过本件，请下一个工作日再催办。", code="urged_today")
    holders = list(
        case.tasks.filter(status__in=ACTIVE_TASK_STATUSES).select_related(
            "department", "claimed_by"
        )
    )
    department = holders[0].department if holders else case.department
    urge = Urge.objects.create(
        case=case, by=actor, department=department, text=(text or "请尽快办理。").strip()[:300]
    )
    recipients = {t.claimed_by for t in holders if t.claimed_by} | set(
        User.objects.filter(office__department=department, role_assignments__role=Role.HEAD)
    )
    for user in recipients:
        notify(user, title=f"催办：{case.number}", body=urge.text, case=case)
    records.event(
        case, "urged", f"催办：{urge.text}", actor=actor, department=department, public=False
    )
    records.audit(case, "case.urge", actor, {"department": department.code})
    return urge
