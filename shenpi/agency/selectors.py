"""Reading projects, always through one rule: the investor; the agent while the project's
authorisation is in force; supervisors and leaders over the project's division; anyone
else, a project that does not exist (404)."""

from __future__ import annotations

from datetime import date

from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone

from shenpi.accounts.constants import Role
from shenpi.accounts.scope import scope_for
from shenpi.audit.services import audit_denied
from shenpi.cases import authorisations
from shenpi.cases.constants import CORRECTION_DAYS, CaseStatus, Outcome
from shenpi.core import clock, timeline
from shenpi.workdays.services import calendar

from .models import Project, ProjectItem


def projects_visible_to(user) -> QuerySet[Project]:
    qs = Project.objects.select_related("investor", "agent", "authorisation", "division")
    if not getattr(user, "is_authenticated", False) or getattr(user, "is_system_client", False):
        return qs.none()
    scope = scope_for(user)
    if scope.everything:
        return qs
    visible = Q(investor=user)
    visible |= Q(agent=user) & authorisations.live_q(timezone.localdate(), "authorisation__")
    if user.has_role(Role.SUPERVISOR, Role.LEADER):
        for path in scope.subtree_paths:
            visible |= Q(division__path__startswith=path)
    return qs.filter(visible)


def project_for(user, project_id, request=None) -> Project:
    project = projects_visible_to(user).filter(pk=project_id).first()
    if project is None:
        audit_denied(user=user, object_type="project", object_id=project_id, request=request)
        raise Http404
    return project


# How a case's state reads on the timeline.
_STATES = {
    CaseStatus.DRAFT: timeline.DRAFT,
    CaseStatus.RECEIVED: timeline.RUNNING,
    CaseStatus.PROCESSING: timeline.RUNNING,
    CaseStatus.SUSPENDED: timeline.RUNNING,
    CaseStatus.CORRECTION_REQUESTED: timeline.CORRECTION,
}


def _node(cal, pi: ProjectItem, deps: dict[int, list[int]]) -> timeline.Node:
    case, version = pi.case, pi.item.current
    state, started, due, done = timeline.NOT_STARTED, None, None, None
    if case is not None:
        started = timezone.localtime(case.received_at).date() if case.received_at else None
        if case.outcome == Outcome.GRANTED and case.decided_at:
            state, done = timeline.GRANTED, timezone.localtime(case.decided_at).date()
        elif case.status in _STATES:
            state = _STATES[case.status]
            due = case.promised_due
            if due is None and version is not None:
                # Before acceptance the promised limit has not begun: it is expected to
                # run from the end of the pre-review (RCV-04) or of the correction period.
                waiting = case.supplement_due or case.correction_due
                due = (
                    clock.add_working_days(cal, waiting, version.promised_days) if waiting else None
                )
        else:
            state = timeline.FAILED
    return timeline.Node(
        key=str(pi.pk),
        name=pi.item.current.name,
        department=pi.item.department.name,
        state=state,
        promised_days=version.promised_days if version else 0,
        intake_days=CORRECTION_DAYS,
        depends=tuple(str(d) for d in deps.get(pi.pk, [])),
        started=started,
        due=due,
        done=done,
    )


def project_items(project: Project) -> list[ProjectItem]:
    return list(
        project.items.select_related(
            "item__current", "item__department", "case__version", "case__department"
        )
    )


def dependencies(project: Project) -> dict[int, list[int]]:
    """project item id → the ids of the project items it depends on."""
    deps: dict[int, list[int]] = {}
    through = ProjectItem.depends_on.through.objects.filter(from_projectitem__project=project)
    for source, target in through.values_list("from_projectitem_id", "to_projectitem_id"):
        deps.setdefault(source, []).append(target)
    return deps


def project_timeline(project: Project, today: date | None = None):
    """(timeline.Timeline, {project item id: ProjectItem}) of the project today."""
    items = project_items(project)
    deps = dependencies(project)
    cal = calendar()
    plan = timeline.plan(cal, [_node(cal, pi, deps) for pi in items], today or timezone.localdate())
    return plan, {str(pi.pk): pi for pi in items}


def projects_watched(user, today: date | None = None) -> list[tuple]:
    """(project, its timeline, light) for the visible projects, those behind first: red
    when the planned date has passed with an item not yet granted, yellow when the expected
    completion is later than planned or unknown (an item refused), green otherwise."""
    today = today or timezone.localdate()
    rows = []
    for project in projects_visible_to(user).order_by("-opened_at")[:500]:
        plan, _items = project_timeline(project, today)
        rows.append((project, plan, project_light(project, plan, today)))
    rank = {"red": 0, "yellow": 1, "green": 2, "done": 3}
    return sorted(rows, key=lambda row: rank[row[2]])


def project_light(project: Project, plan, today: date) -> str:
    if all(row.node.state == timeline.GRANTED for row in plan.rows):
        return "done"
    planned = project.planned_completion
    if planned and planned < today:
        return "red"
    if planned and (plan.completion is None or plan.completion > planned):
        return "yellow"
    return "green"
