"""Who may act on a question: the one rule the pages, the API and the services share."""

from shenpi.accounts.constants import Role

from .constants import CENTRE_KIND


def is_staff_of(actor, department) -> bool:
    """An official or the head of the question's department, or a clerk of the service
    centre for its general questions (never a system client)."""
    if not (
        actor is not None
        and getattr(actor, "is_authenticated", False)
        and not getattr(actor, "is_system_client", False)
        and actor.department
        and actor.department.pk == department.pk
    ):
        return False
    if actor.has_role(Role.OFFICIAL, Role.HEAD):
        return True
    return actor.has_role(Role.CLERK) and department.kind_id == CENTRE_KIND


def may_watch(actor, department) -> bool:
    """A supervisor (or a division's leader, who reads the same monitor) whose divisions
    include the department's: 电子监察 reads every question there, as it reads cases; it
    answers none."""
    from shenpi.accounts.scope import scope_for

    return bool(
        actor is not None
        and getattr(actor, "is_authenticated", False)
        and not getattr(actor, "is_system_client", False)
        and actor.has_role(Role.SUPERVISOR, Role.LEADER)
        and scope_for(actor).sees_division(department.division)
    )
