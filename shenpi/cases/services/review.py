"""Review (REV-01..05, Art. 34-36): the steps of the flow — claim, hand back, pass,
verify, complete, the lead's response to a disagreement — each one transaction with its
timeline entry, audit record and notifications."""

from __future__ import annotations

from datetime import date

from django.db import transaction
from django.utils import timezone

from shenpi.accounts.constants import Role
from shenpi.accounts.models import Department, User
from shenpi.core import clock, transitions
from shenpi.core.errors import Conflict, InvalidInput, NotAllowed, NotFound
from shenpi.core.flow import parse_flow, steps_opened_by, verdict_required
from shenpi.notify.services import notify
from shenpi.stats.rollup import count_steps
from shenpi.workdays.services import calendar

from .. import access, records
from ..constants import TaskStatus
from ..models import ACTIVE_TASK_STATUSES, Case, Task


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
    if task.status not in ACTIVE_TASK_STATUSES:
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
    count_steps(case, [task])
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
