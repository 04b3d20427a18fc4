"""Who may act on a question: the one rule the pages, the API and the services share."""

from shenpi.accounts.constants import Role


def is_staff_of(actor, department) -> bool:
    """An official or the head of the question's department (never a system client)."""
    return bool(
        actor is not None
        and getattr(actor, "is_authenticated", False)
        and not getattr(actor, "is_system_client", False)
        and actor.has_role(Role.OFFICIAL, Role.HEAD)
        and actor.department
        and actor.department.pk == department.pk
    )
