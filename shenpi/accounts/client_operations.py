"""What a system client may do (CONTRACTS.md "API conventions"): every operation a page or
API dispatcher runs is named here with the allowed action a client needs for it, and
`ensure_client_may` is the one check they all call. A person passes (their rules are the
services'); a client passes only with the action its administrator allowed. An operation
marked `None` is people's alone (rating, urging, supervision's work).

A client acts for people, never as one: on a step or an intake decision it names the
department's official who takes it, and the services apply their rules to that person.
"""

from __future__ import annotations

from shenpi.core.errors import NotAllowed

from .constants import ClientAction

READ, SUBMIT, ACT = ClientAction.CASE_READ, ClientAction.CASE_SUBMIT, ClientAction.CASE_ACT

OPERATIONS: dict[str, ClientAction | None] = {
    # Reading cases and the department's steps.
    "case.list": READ,
    "case.read": READ,
    "case.personal": READ,  # the applicant's numbers in clear, audited
    "task.list": READ,
    # On the applicant's side (a client only for the cases it submitted for them).
    "case.draft": SUBMIT,
    "case.material": SUBMIT,
    "case.submit": SUBMIT,
    "case.submit_whole": SUBMIT,
    "case.supplement": SUBMIT,
    "case.withdraw": SUBMIT,
    "review.hearing_request": SUBMIT,
    # As the department, in the name of the official it names.
    "case.accept": ACT,
    "case.correction": ACT,
    "case.not_accept": ACT,
    "case.decide": ACT,
    "case.deliver": ACT,
    "case.originals": ACT,
    "material.original_seen": ACT,
    "task.claim": ACT,
    "task.hand_back": ACT,
    "task.pass": ACT,
    "task.verify": ACT,
    "task.complete": ACT,
    "task.respond": ACT,
    "review.suspend": ACT,
    "review.resume": ACT,
    "review.extend": ACT,
    "review.extension_ask": ACT,
    "review.hearing_notify": ACT,
    "review.hearing_schedule": ACT,
    "review.hearing_record": ACT,
    # The information exchange: the change feed, and a lower-level platform's own cases.
    "exchange.feed": ClientAction.EVENTS_READ,
    "exchange.push": ClientAction.CASE_PUSH,
    # 电子证照: another department reads a holder's licences (consent or lawful need).
    "licence.share_read": ClientAction.LICENCE_READ,
    "licence.consent": None,  # the holder's own consent
    # People's alone.
    "review.urge": None,
    "extension.decide": None,
    "authorisation.act": None,  # 委托书 and 代理项目: people only, never a system
    "project.act": None,
    "bundle.apply": None,  # the public's own application; department systems use submit_whole
    "commitment.sign": None,  # the applicant's own signature
    "post_check.act": None,
    "case.rate": None,
    "complaint.act": None,
    "supervision.act": None,
}


def is_client(actor) -> bool:
    return getattr(actor, "is_system_client", False)


def ensure_client_may(actor, operation: str) -> None:
    """Raise NotAllowed (403) when a system client attempts `operation` without the allowed
    action it needs; an unknown operation is a programming error (KeyError)."""
    needed = OPERATIONS[operation]
    if not is_client(actor):
        return
    if needed is None:
        raise NotAllowed("该操作须由本人办理，系统客户端不能代为操作。", code="people_only")
    if not actor.client.allows(needed):
        raise NotAllowed(
            f"该系统客户端未被授权执行“{needed.label}”。", code="client_action_not_allowed"
        )


def acts_as_department(operation: str) -> bool:
    """The operation is the department's (a client names the official who takes it)."""
    return OPERATIONS[operation] == ACT
