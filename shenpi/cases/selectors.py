"""Reading cases, always through the one scoping rule (CONTRACTS.md "Who sees a case")."""

from __future__ import annotations

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404

from shenpi.accounts.constants import Role
from shenpi.accounts.scope import scope_for

from .constants import CaseStatus
from .models import Case, Task


def cases_visible_to(user) -> QuerySet[Case]:
    """Its applicant (and whoever submitted for them); staff of the competent department,
    of the item's department or of any step's department; that department's window
    clerks; supervisors and leaders over the division subtree. Everyone else: nothing."""
    qs = Case.objects.select_related("item", "version", "department__division")
    if not getattr(user, "is_authenticated", False):
        return qs.none()
    scope = scope_for(user)
    if scope.everything:
        return qs
    client = getattr(user, "is_system_client", False)
    departments = list(scope.department_ids)
    staff = Q(pk__in=[])
    if departments:
        staff |= Q(department_id__in=departments)
        staff |= Q(item__department_id__in=departments)
        staff |= Exists(Task.objects.filter(case=OuterRef("pk"), department_id__in=departments))
    if (client and user.client.division_id) or (
        not client and user.has_role(Role.SUPERVISOR, Role.LEADER)
    ):
        for path in scope.subtree_paths:
            staff |= Q(division__path__startswith=path)
    visible = staff & ~Q(status=CaseStatus.DRAFT)  # a draft is its applicant's alone
    if not client:
        visible |= Q(applicant=user)
        visible |= Q(submitted_by=user)
    return qs.filter(visible)


def case_for_user(user, case_id) -> Case:
    case = cases_visible_to(user).filter(pk=case_id).first()
    if case is None:
        raise Http404
    return case


def intake_inbox(user) -> QuerySet[Case]:
    """Received cases awaiting pre-review in the user's departments, by deadline."""
    scope = scope_for(user)
    return (
        Case.objects.filter(
            department_id__in=list(scope.department_ids),
            status__in=[
                CaseStatus.RECEIVED,
                CaseStatus.CORRECTION_REQUESTED,
                CaseStatus.PROCESSING,
                CaseStatus.DECIDED,
            ],
        )
        .select_related("version", "department")
        .order_by("correction_due", "received_at")
    )
