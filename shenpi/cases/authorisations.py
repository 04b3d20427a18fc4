"""Who may act for an applicant (全程代理, 经办人): the one rule every page, API view and
service asks. An authorisation is live from its signing until the end of its last day,
unless revoked; an act under it must also fall within its scope (named items, or the
items of the one project it was given for)."""

from __future__ import annotations

from datetime import date

from django.db.models import Q

from shenpi.accounts.constants import AccountType, Role
from shenpi.core.errors import NotAllowed, NotFound

from .constants import AuthorisationScope
from .models import Authorisation


def may_hold(applicant, agent) -> bool:
    """A service-centre agent for anyone; for an enterprise, also a person (its 经办人).
    Never the applicant themself, nor a system client."""
    if agent is None or getattr(agent, "is_system_client", False) or agent.pk == applicant.pk:
        return False
    if not agent.is_active:
        return False
    if agent.has_role(Role.AGENT):
        return True
    return (
        applicant.account_type == AccountType.ENTERPRISE
        and agent.account_type == AccountType.PERSON
    )


def live_q(today: date, prefix: str = "") -> Q:
    """`is_live` as a filter (on Authorisation, or on a relation to one under `prefix`)."""
    return Q(**{f"{prefix}revoked_at__isnull": True, f"{prefix}until__gte": today})


def is_live(authorisation: Authorisation, today: date) -> bool:
    return authorisation.revoked_at is None and authorisation.until >= today


def covers(authorisation: Authorisation, item, project=None) -> bool:
    """Named items: the item is one of them. A project's: the act is within that project
    (`project` is the agency's project, read by its authorisation and its items only)."""
    if authorisation.scope == AuthorisationScope.PROJECT:
        return bool(
            project is not None
            and project.authorisation_id == authorisation.pk
            and item.pk in project.item_ids()
        )
    return authorisation.items.filter(pk=item.pk).exists()


def ensure_may_act(actor, authorisation, *, applicant, item, today: date, project=None) -> None:
    """An agent applies for `applicant` under `authorisation`: theirs, from this applicant,
    in force today, covering the item. Another's authorisation answers as one that does
    not exist; a lapsed or too narrow one says why."""
    if (
        authorisation is None
        or authorisation.agent_id != actor.pk
        or authorisation.applicant_id != applicant.pk
    ):
        raise NotAllowed(
            "您没有该申请人的有效委托书，不能代为申请。请先由申请人在网上签署或到窗口办理委托。",
            code="no_authorisation",
        )
    if authorisation.revoked_at is not None:
        raise NotAllowed(
            f"委托书 {authorisation.number} 已于 {authorisation.revoked_at:%Y年%m月%d日} 被委托人撤销。",
            code="authorisation_revoked",
        )
    if authorisation.until < today:
        raise NotAllowed(
            f"委托书 {authorisation.number} 已于 {authorisation.until:%Y年%m月%d日} 到期，"
            "请申请人重新委托。",
            code="authorisation_expired",
        )
    if not covers(authorisation, item, project):
        raise NotAllowed(
            f"委托书 {authorisation.number} 的委托范围不含“{item.current.name}”。",
            code="beyond_authorisation",
        )


def held_by(agent, today: date):
    """The authorisations in force that this person holds."""
    return Authorisation.objects.filter(live_q(today), agent=agent)


def ensure_visible(actor, authorisation: Authorisation) -> None:
    """Either side sees it (and the window that scanned it); anyone else: 404."""
    if getattr(actor, "is_system_client", False) or actor.pk not in (
        authorisation.applicant_id,
        authorisation.agent_id,
        authorisation.recorded_by_id,
    ):
        raise NotFound("未找到该委托书。")
