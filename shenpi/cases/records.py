"""What every case transition writes besides its new state: the lock it takes first, the
timeline entry, the audit record, the applicant's notice, the steps it cancels. Each is
part of the caller's transaction (STYLE.md 3)."""

from __future__ import annotations

from datetime import date

from django.utils import timezone

from shenpi.audit.services import audit_record
from shenpi.core.errors import Conflict
from shenpi.notify.services import notify
from shenpi.stats.rollup import count_event

from .constants import TaskStatus
from .models import ACTIVE_TASK_STATUSES, Case, CaseEvent
from .published import publish_case


def today() -> date:
    return timezone.localdate()


def local_date(moment) -> date:
    return timezone.localtime(moment).date()


def lock(case: Case) -> Case:
    """The case row locked for this transaction, with what every transition reads. A case a
    lower-level platform handles itself is read-only here (issue 25): it changes only by
    what that platform pushes (services.pushing), so no transition of ours may run on it."""
    locked = (
        Case.objects.select_for_update(of=("self",))
        .select_related("item", "version", "department__division", "applicant")
        .get(pk=case.pk)
    )
    if locked.source_client_id:
        raise Conflict(
            "该办件由下级平台自行办理，本平台只读，不能在此办理。", code="handled_by_source"
        )
    return locked


def event(case, kind, text, *, actor=None, department=None, public=True, breach="", at=None):
    """A timeline entry; a system client's act is shown as the department's. The entries
    that a statistic counts add their rows to the rollup here, in the same transaction.
    `at`: when it happened, if not now (a lower-level platform reports its cases' times)."""
    person = actor if actor is not None and not getattr(actor, "is_system_client", False) else None
    at = at or timezone.now()
    count_event(case, kind, at)
    CaseEvent.objects.create(
        case=case,
        at=at,
        kind=kind,
        text=text[:300],
        actor=person,
        department=department or case.department,
        public=public,
        breach=breach,
    )


def audit(case, action, actor, detail=None):
    """The case stream's audit record (scoped to the case's division), and the event other
    systems receive of it (published.py). An agent's act is recorded as done for the
    applicant, under the authorisation."""
    if actor is not None and case.agent_id and getattr(actor, "pk", None) == case.agent_id:
        detail = {
            **(detail or {}),
            "for_applicant": case.applicant_name,
            "authorisation": str(case.authorisation_id),
        }
    audit_record(
        stream=f"case:{case.pk}",
        action=action,
        actor=actor,
        object_type="case",
        object_id=str(case.pk),
        detail={"number": case.number, **(detail or {})},
        actor_label="" if actor else "system",
        division=case.division_id,
    )
    publish_case(case, action, detail)


def tell_applicant(case, title, body):
    """The applicant, and the agent who applied for them (全程代理: notices go to both)."""
    notify(case.applicant, title=f"{title}（{case.number}）", body=body, case=case)
    if case.agent_id:
        notify(case.agent, title=f"{title}（{case.number}，代理）", body=body, case=case)


def cancel_open_tasks(case) -> int:
    """A case that ends (withdrawn, terminated, deemed renewed) leaves no step open."""
    return case.tasks.filter(status__in=ACTIVE_TASK_STATUSES).update(status=TaskStatus.CANCELLED)
