"""Who may act on a case (CONTRACTS.md "Who may do what"): public predicates the pages
use to show what a person may do, and the ensure_* guards the services call. Being out of
scope answers as a case that does not exist would (NotFound)."""

from __future__ import annotations

from django.db.models import Q
from django.utils import timezone

from shenpi.accounts.constants import Role
from shenpi.accounts.models import Department
from shenpi.catalog.constants import HandlingMode, ItemKind
from shenpi.core.errors import Conflict, NotFound
from shenpi.core.flow import parse_flow

from . import authorisations
from .models import ACTIVE_TASK_STATUSES, Case


def is_client(actor) -> bool:
    return getattr(actor, "is_system_client", False)


def is_official_of(actor, department) -> bool:
    """A person, never a system client: a client names the official who acts
    (accounts.client_operations)."""
    if is_client(actor):
        return False
    return bool(
        actor.has_role(Role.OFFICIAL, Role.HEAD)
        and actor.department
        and actor.department.pk == department.pk
    )


def is_clerk_for(actor, department) -> bool:
    return bool(
        not is_client(actor)
        and actor.has_role(Role.CLERK)
        and actor.window_id
        and actor.window.department_id == department.pk
    )


def is_applicant_side(actor, case) -> bool:
    """The applicant or the person who submitted for them (a clerk; an agent while their
    authorisation is in force); a system client only for the cases it submitted."""
    if is_client(actor):
        return case.submitted_by_client_id is not None and (
            case.submitted_by_client_id == actor.client.pk
        )
    if actor.pk == case.applicant_id:
        return True
    if case.agent_id is not None:
        return actor.pk == case.agent_id and authorisations.is_live(
            case.authorisation, timezone.localdate()
        )
    return actor.pk == case.submitted_by_id


def staff_of(actor, department, role: str) -> bool:
    """An official (or, for a head step, the head) of the task's department."""
    if is_client(actor) or actor.department is None or actor.department.pk != department.pk:
        return False
    return actor.has_role(Role.HEAD) if role == "head" else actor.has_role(Role.OFFICIAL, Role.HEAD)


def ensure_intake_staff(actor, case) -> None:
    """Pre-review, correction notice, acceptance: officials of the competent department
    (and its window's clerks, who act for it)."""
    if not (is_official_of(actor, case.department) or is_clerk_for(actor, case.department)):
        raise NotFound("未找到该办件。")


def ensure_applicant_side(actor, case) -> None:
    """The applicant, or a clerk or agent acting for them; a system client only for the
    cases it submitted for the applicant."""
    if is_applicant_side(actor, case):
        return
    if not is_client(actor) and is_clerk_for(actor, case.department):
        return
    raise NotFound("未找到该办件。")


def ensure_task_staff(actor, task) -> None:
    if not staff_of(actor, task.department, task.role):
        raise NotFound("未找到该任务。")


def ensure_decider(actor, case) -> None:
    """Instant items: the window's clerk or the department's official decides on the spot.
    Otherwise the decision step (CONTRACTS.md): its task must be open, the actor the head
    of the lead department, and every co-department "disagree" answered by the lead."""
    if case.version.kind == ItemKind.INSTANT:
        if is_clerk_for(actor, case.department) or is_official_of(actor, case.department):
            return
        raise NotFound("未找到该办件，或您无权作出决定。")
    flow = parse_flow(case.version.flow)
    decision = flow.decision_step
    lead = Department.objects.filter(code=decision.owner.department).first() if decision else None
    if (
        is_client(actor)
        or lead is None
        or not actor.has_role(Role.HEAD)
        or actor.department is None
        or actor.department.pk != lead.pk
    ):
        raise NotFound("未找到该办件，或您无权作出决定。")
    if not case.tasks.filter(step_key=decision.key, status__in=ACTIVE_TASK_STATUSES).exists():
        raise Conflict("审查环节尚未全部完成，批复环节还未开启。", code="decision_not_open")


def may_read_personal(actor, case: Case) -> bool:
    """Whose work needs the applicant's full ID and mobile numbers: the applicant's side;
    the staff handling the case (its department's officials and window, the departments
    with a step on it); supervision, which calls applicants back on warnings and complaints;
    a system client allowed to read the case (the department's own system). Not observers,
    whose view is masked (CONTRACTS.md), nor leaders or legal reviewers (LAW.md PUB-01)."""
    if is_client(actor):
        return True  # ensure_client_may decided
    if is_applicant_side(actor, case):
        return True
    if is_official_of(actor, case.department) or is_clerk_for(actor, case.department):
        return True
    if actor.has_role(Role.SUPERVISOR):
        return True
    return bool(
        actor.has_role(Role.OFFICIAL, Role.HEAD)
        and actor.department
        and case.tasks.filter(department=actor.department).exists()
    )


def extension_approver(case: Case) -> tuple[bool, int, str]:
    """(needs the government's leader, the deciding department, its division): the head
    of the deciding department for single handling (Art. 42 ¶1); the leader of the
    people's government at that level for unified, joint or centralised (Art. 42 ¶2)."""
    department = case.item.department
    return case.version.handling_mode != HandlingMode.SINGLE, department.pk, department.division_id


def may_approve_extension(
    actor, *, needs_leader: bool, department_id: int, division_id: str
) -> bool:
    if is_client(actor):
        return False
    if needs_leader:
        return actor.has_role(Role.LEADER) and actor.division_id == division_id
    return bool(
        actor.has_role(Role.HEAD) and actor.department and actor.department.pk == department_id
    )


def extensions_approvable_by(actor) -> Q:
    """`may_approve_extension` as a filter on ExtensionRequest: the requests this person decides."""
    if is_client(actor):
        return Q(pk__in=[])
    mine = Q(pk__in=[])
    if actor.has_role(Role.HEAD) and actor.department:
        mine |= Q(needs_leader=False, department_id=actor.department.pk)
    if actor.has_role(Role.LEADER) and actor.division_id:
        mine |= Q(needs_leader=True, division_id=actor.division_id)
    return mine


def ensure_step_department_staff(actor, case) -> None:
    """Special procedures, hearings, asking for an extension: an official or head of the
    competent department or of a department holding an open step."""
    departments = set(
        case.tasks.filter(status__in=ACTIVE_TASK_STATUSES).values_list("department_id", flat=True)
    )
    departments.add(case.department_id)
    if (
        is_client(actor)
        or actor.department is None
        or actor.department.pk not in departments
        or not actor.has_role(Role.OFFICIAL, Role.HEAD)
    ):
        raise NotFound("未找到该办件。")
