"""Review (issue 5): tasks through the flow — claim, hand back, pass, verify, complete,
the lead's response to a disagreement — and the clock's pauses: special procedures
(Art. 45), the one extension (Art. 42), and urging (催办). Each service is one
transaction with its timeline event, audit record and notifications."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from django.db import IntegrityError, transaction
from django.utils import timezone

from shenpi.accounts.constants import Role
from shenpi.accounts.models import Department, User
from shenpi.catalog.constants import HandlingMode
from shenpi.core import clock, transitions
from shenpi.core.errors import Conflict, InvalidInput, NotAllowed, NotFound
from shenpi.core.flow import parse_flow, steps_opened_by
from shenpi.notify.services import notify
from shenpi.workdays.services import calendar

from . import access, notices, records
from .constants import CaseStatus, NoticeKind, SuspensionReason, TaskStatus
from .models import ACTIVE_TASK_STATUSES, Case, Extension, Hearing, Suspension, Task, Urge

ACTIVE = ACTIVE_TASK_STATUSES


def _lock_task(task: Task) -> tuple[Task, Case]:
    case = records.lock(task.case)
    task = Task.objects.select_for_update(of=("self",)).select_related("department").get(pk=task.pk)
    return task, case


def open_tasks(case, steps, cal, start: date, opened_at) -> list[Task]:
    """One task per step, due `step.days` working days after `start`; a step owned by
    "the department of this kind" is the case's own department (two-level items)."""
    codes = {s.owner.department for s in steps if not s.owner.is_local}
    departments = {d.code: d for d in Department.objects.filter(code__in=codes)}
    tasks = [
        Task(
            case=case,
            step_key=step.key,
            step_name=step.name,
            stage=0,
            department=case.department
            if step.owner.is_local
            else departments[step.owner.department],
            role=step.role,
            opened_at=opened_at,
            due_date=clock.add_working_days(cal, start, step.days),
        )
        for step in steps
    ]
    Task.objects.bulk_create(tasks)
    return tasks


def _ensure_flowing(case) -> None:
    transitions.check("task", case.status, label=case.get_status_display())


def verdict_required(flow, step_key: str) -> bool:
    """A step not flagged as the lead department's is a co-department's opinion: it is
    completed with an explicit agree or disagree (CONTRACTS.md "The flow"). The page
    shows the control by this rule and task_complete enforces it."""
    return not flow.step(step_key).lead


@transaction.atomic
def task_claim(*, actor, task: Task) -> Task:
    task, case = _lock_task(task)
    access.ensure_task_staff(actor, task)
    _ensure_flowing(case)
    if task.status != TaskStatus.OPEN:
        raise Conflict("该任务已被认领或已完成。", code="task_taken")
    task.status, task.claimed_by = TaskStatus.CLAIMED, actor
    task.save(update_fields=["status", "claimed_by"])
    records.audit(case, "task.claim", actor, {"step": task.step_key})
    return task


@transaction.atomic
def task_hand_back(*, actor, task: Task) -> Task:
    task, case = _lock_task(task)
    access.ensure_task_staff(actor, task)
    if task.status != TaskStatus.CLAIMED or task.claimed_by_id != actor.pk:
        raise Conflict("只能退回自己认领的任务。", code="not_yours")
    task.status, task.claimed_by, task.verified_by = TaskStatus.OPEN, None, None
    task.save(update_fields=["status", "claimed_by", "verified_by"])
    records.audit(case, "task.hand_back", actor, {"step": task.step_key})
    return task


@transaction.atomic
def task_pass(*, actor, task: Task, to: User) -> Task:
    """Pass a claimed task to a colleague of the same department."""
    task, case = _lock_task(task)
    access.ensure_task_staff(actor, task)
    if task.status != TaskStatus.CLAIMED or task.claimed_by_id != actor.pk:
        raise Conflict("只能转交自己认领的任务。", code="not_yours")
    if to.pk == actor.pk or not access.staff_of(to, task.department, task.role):
        raise InvalidInput("只能转交给本部门有相应角色的同事。", errors={"to": ["人员无效。"]})
    task.claimed_by = to
    task.save(update_fields=["claimed_by"])
    notify(to, title=f"转交给您的任务：{task.step_name}", body=f"办件 {case.number}", case=case)
    records.audit(case, "task.pass", actor, {"step": task.step_key, "to": str(to.public_id)})
    return task


@transaction.atomic
def task_verify(*, actor, task: Task) -> Task:
    """REV-02 (Art. 34 ¶3): a verification step is checked by two different officials."""
    task, case = _lock_task(task)
    access.ensure_task_staff(actor, task)
    _ensure_flowing(case)
    step = parse_flow(case.version.flow).step(task.step_key)
    if not step.verification:
        raise Conflict("该环节不需要两人核查。", code="not_verification")
    if task.status != TaskStatus.CLAIMED:
        raise Conflict("须先由一名工作人员认领并核查。", code="not_claimed")
    if task.claimed_by_id == actor.pk:
        raise NotAllowed(
            "核查须由两名不同的工作人员进行（第三十四条第三款），不能自己复核自己。",
            code="same_official",
        )
    task.verified_by = actor
    task.save(update_fields=["verified_by"])
    records.audit(case, "task.verify", actor, {"step": task.step_key})
    return task


@transaction.atomic
def task_complete(*, actor, task: Task, opinion: str, verdict: str = "") -> list[Task]:
    """Record the opinion and complete the step; the next stage opens when every step
    of this one is done (the join). Returns the tasks that opened."""
    task, case = _lock_task(task)
    access.ensure_task_staff(actor, task)
    _ensure_flowing(case)
    flow = parse_flow(case.version.flow)
    step = flow.step(task.step_key)
    if step.decision:
        raise Conflict("批复环节由负责人作出准予或不予许可的决定。", code="decision_step")
    if task.status not in ACTIVE:
        raise Conflict("该任务已完成，不能重复办理。", code="task_done")
    if task.status == TaskStatus.CLAIMED and task.claimed_by_id != actor.pk:
        raise Conflict("该任务已由其他工作人员认领。", code="task_taken")
    if not (opinion or "").strip():
        raise InvalidInput("请填写审查意见。", errors={"opinion": ["必填。"]})
    if verdict_required(flow, task.step_key):
        if verdict not in ("agree", "disagree"):
            raise InvalidInput("协办部门须明确同意或不同意。", errors={"verdict": ["请选择。"]})
    elif verdict:
        verdict = ""
    if step.verification and (task.verified_by_id is None or task.verified_by_id == actor.pk):
        raise Conflict(
            "该环节须由另一名工作人员复核后才能完成（第三十四条第三款）。",
            code="needs_second_official",
        )
    now = timezone.now()
    done_before = set(case.tasks.filter(status=TaskStatus.DONE).values_list("step_key", flat=True))
    task.status, task.claimed_by, task.completed_at = TaskStatus.DONE, actor, now
    task.opinion, task.verdict = opinion.strip(), verdict
    task.save(update_fields=["status", "claimed_by", "completed_at", "opinion", "verdict"])
    opened = open_tasks(
        case,
        steps_opened_by(flow, done_before, task.step_key),
        calendar(),
        records.local_date(now),
        now,
    )
    text = f"{task.step_name}已完成" + (
        f"（{'同意' if verdict == 'agree' else '不同意'}）" if verdict else ""
    )
    if opened:
        text += "，转" + "、".join(
            f"{t.department.short_name or t.department.name}{t.step_name}" for t in opened
        )
    records.event(case, "step_done", text, actor=actor, department=task.department)
    records.audit(
        case,
        "task.complete",
        actor,
        {"step": task.step_key, "verdict": verdict, "opened": [t.step_key for t in opened]},
    )
    for new in opened:
        for staff in User.objects.filter(
            office__department=new.department, role_assignments__role=new.role
        ):
            notify(
                staff,
                title=f"新的待办：{new.step_name}",
                body=f"办件 {case.number}，期限 {new.due_date}",
                case=case,
            )
    return opened


@transaction.atomic
def task_respond(*, actor, task: Task, response: str) -> Task:
    """The lead department answers a co-department's "disagree" before any grant."""
    task, case = _lock_task(task)
    lead = case.item.department
    if (
        access.is_client(actor)
        or actor.department is None
        or actor.department.pk != lead.pk
        or not actor.has_role(Role.OFFICIAL, Role.HEAD)
    ):
        raise NotFound("未找到该任务。")
    if task.verdict != "disagree":
        raise Conflict("只需答复不同意的意见。", code="nothing_to_answer")
    if not (response or "").strip():
        raise InvalidInput("请填写对不同意意见的答复。", errors={"response": ["必填。"]})
    task.response, task.responded_by = response.strip(), actor
    task.save(update_fields=["response", "responded_by"])
    records.event(
        case,
        "responded",
        f"牵头部门已答复{task.department.short_name or task.department.name}的不同意意见",
        actor=actor,
        public=False,
    )
    records.audit(case, "task.respond", actor, {"step": task.step_key})
    return task


# --- special procedures and extension --------------------------------------------------------


def _ensure_step_department_staff(actor, case) -> None:
    departments = set(case.tasks.filter(status__in=ACTIVE).values_list("department_id", flat=True))
    departments.add(case.department_id)
    if (
        access.is_client(actor)
        or actor.department is None
        or actor.department.pk not in departments
        or not actor.has_role(Role.OFFICIAL, Role.HEAD)
    ):
        raise NotFound("未找到该办件。")


@transaction.atomic
def case_suspend(
    *, actor, case: Case, reason: str, expected_days: int, note: str = ""
) -> Suspension:
    """TL-05 (Art. 45): only for hearing, tendering, auction, testing, inspection,
    quarantine, appraisal or expert review; the applicant is told the time needed."""
    case = records.lock(case)
    _ensure_step_department_staff(actor, case)
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
    _ensure_step_department_staff(actor, case)
    transitions.check("resume", case.status)
    return _resume(case, actor, "特别程序结束")


def _resume(case: Case, actor, why: str) -> Case:
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
    for task in case.tasks.filter(status__in=ACTIVE):
        Task.objects.filter(pk=task.pk).update(due_date=clock.shift(cal, task.due_date, excluded))
    records.event(
        case,
        "resumed",
        f"{why}，恢复计时；{excluded} 个工作日不计入期限，法定期限顺延至 "
        f"{case.statutory_due:%Y-%m-%d}",
        actor=actor,
    )
    records.audit(case, "case.resume", actor, {"excluded_days": excluded})
    return case


def _ensure_extension_approver(actor, case) -> None:
    """Single-department handling: the head of the deciding department (Art. 42 ¶1);
    unified, joint or centralised: the division's leader (Art. 42 ¶2)."""
    if access.is_client(actor):
        raise NotFound("未找到该办件。")
    if case.version.handling_mode == HandlingMode.SINGLE:
        if (
            actor.has_role(Role.HEAD)
            and actor.department
            and actor.department.pk == case.item.department_id
        ):
            return
    elif actor.has_role(Role.LEADER) and actor.division_id == case.item.department.division_id:
        return
    raise NotAllowed(
        "延期须由"
        + (
            "本部门负责人"
            if case.version.handling_mode == HandlingMode.SINGLE
            else "本级人民政府负责人"
        )
        + "批准（第四十二条）。",
        code="not_approver",
    )


@transaction.atomic
def case_extend(*, actor, case: Case, reasons: str) -> Extension:
    case = records.lock(case)
    _ensure_extension_approver(actor, case)
    transitions.check("extend", case.status)
    if not (reasons or "").strip():
        raise InvalidInput(
            "延期须说明理由，并告知申请人（第四十二条）。", errors={"reasons": ["必填。"]}
        )
    days = case.version.extension_days
    if days < 1:
        raise Conflict("本事项不设延长期限。", code="no_extension")
    try:
        with transaction.atomic():
            extension = Extension.objects.create(
                case=case,
                days=days,
                reasons=reasons.strip(),
                approved_by=actor,
                approved_at=timezone.now(),
            )
    except IntegrityError:
        raise Conflict("每件只能延期一次（第四十二条）。", code="already_extended") from None
    cal = calendar()
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
    records.audit(case, "case.extend", actor, {"days": days})
    records.tell_applicant(case, "办理期限延长", f"延长 {days} 个工作日，理由：{extension.reasons}")
    return extension


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
    holders = list(case.tasks.filter(status__in=ACTIVE).select_related("department", "claimed_by"))
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


# --- hearings (HRG-01..03) ---------------------------------------------------------------------

HEARING_REQUEST_DAYS = 5  # HRG-02, Art. 47: applicant's limit, read as working days in their favour
HEARING_WITHIN_DAYS = 20  # HRG-02, Art. 47: held within 20 (working) days of the request
HEARING_NOTICE_DAYS = 7  # HRG-03, Art. 48(1): notice at least 7 (working) days before


@transaction.atomic
def hearing_notify_rights(*, actor, case: Case, interested_parties: str = "") -> Hearing:
    """Tell the applicant and interested parties of their right to a hearing (Art. 36, 47);
    for an item whose hearing is mandatory (Art. 46) the hearing will be held regardless."""

    case = records.lock(case)
    _ensure_step_department_staff(actor, case)
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
    _ensure_step_department_staff(actor, case)
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
        _resume(case, actor, "听证结束")
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
