"""The one place that decides what a user (or a system client) may see.

CONTRACTS.md, "who sees a case": staff of the competent department or of a
department owning a step; clerks of that department's window; heads and
leaders whose approval it needs; supervisors and leaders whose division
subtree holds the competent department; observers who watch it; the
applicant. Later apps build their querysets from `Scope`; everything outside
it is answered with 404, never 403.
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass

from django.db.models import Q, QuerySet

from .constants import AccountType, ClientAction, Role
from .models import Department, Division, User


@dataclass(frozen=True)
class Scope:
    everything: bool
    # Departments whose work the user does: their own (staff) and those their window acts for.
    department_ids: frozenset
    # Division subtrees the user oversees (supervisor, leader, legal): path prefixes.
    subtree_paths: tuple[str, ...]

    def department_q(self, field: str = "") -> Q:
        """A Q on Department (or on a model with a department FK at `field`)."""
        prefix = f"{field}__" if field else ""
        if self.everything:
            return Q()
        q = (
            Q(**{f"{prefix}pk__in": list(self.department_ids)})
            if self.department_ids
            else Q(pk__in=[])
        )
        for path in self.subtree_paths:
            # Each condition on its own line: one per overseen subtree.
            q |= Q(**{f"{prefix}division__path__startswith": path})
        return q

    def sees_division(self, division: Division) -> bool:
        return self.everything or any(division.path.startswith(p) for p in self.subtree_paths)

    @property
    def whole_region(self) -> bool:
        """The whole region is overseen (its root's subtree, "640000/"): region-wide
        settings are for such a reader alone."""
        return self.everything or any(p.count("/") == 1 for p in self.subtree_paths)


EMPTY = Scope(everything=False, department_ids=frozenset(), subtree_paths=())


def scope_for(user) -> Scope:
    """The scope of a person or a system client; computed once per request object."""
    cached = getattr(user, "_shenpi_scope", None)
    if cached is not None:
        return cached
    scope = _compute_scope(user)
    with contextlib.suppress(AttributeError):  # AnonymousUser and friends
        user._shenpi_scope = scope
    return scope


def _compute_scope(user) -> Scope:
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return EMPTY
    if getattr(user, "is_system_client", False):
        client = user.client
        if client.department_id:
            return Scope(False, frozenset({client.department_id}), ())
        return Scope(False, frozenset(), (client.division.path,))
    roles = user.roles
    if Role.ADMIN in roles:
        return Scope(True, frozenset(), ())
    departments = set()
    if user.office_id and roles & {Role.OFFICIAL, Role.HEAD, Role.CLERK}:
        departments.add(user.office.department_id)
    if user.window_id and Role.CLERK in roles:
        departments.add(user.window.department_id)
    paths: tuple[str, ...] = ()
    if roles & {Role.SUPERVISOR, Role.LEADER, Role.LEGAL}:
        division = user.division or (user.office.department.division if user.office_id else None)
        if division is not None:
            paths = (division.path,)
    return Scope(False, frozenset(departments), paths)


def visible_departments(user) -> QuerySet[Department]:
    scope = scope_for(user)
    return Department.objects.filter(scope.department_q()).select_related("division", "kind")


def visible_staff(user) -> QuerySet[User]:
    """The staff directory a user may read: colleagues in the departments of their scope."""
    scope = scope_for(user)
    qs = User.objects.filter(account_type=AccountType.STAFF, is_active=True)
    if not scope.everything:
        qs = qs.filter(office__isnull=False).filter(scope.department_q("office__department"))
    return qs.select_related("office__department__division").prefetch_related("role_assignments")


def client_may(user, action: ClientAction) -> bool:
    """A system client may only do what its administrator allowed."""
    return not getattr(user, "is_system_client", False) or user.client.allows(action)
