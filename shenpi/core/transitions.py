"""Which status each case action starts from and leads to (CONTRACTS.md "Case states").

Pure: the services ask `move` for a case's next status, or `check` whether an action
that keeps the status may run now; an action out of turn is refused with its own words.
No other code decides which status follows which.
"""

from __future__ import annotations

from dataclasses import dataclass

from .errors import Conflict

DRAFT = "draft"
RECEIVED = "received"
CORRECTION_REQUESTED = "correction_requested"
PROCESSING = "processing"
SUSPENDED = "suspended"
DECIDED = "decided"
CLOSED = "closed"
NOT_ACCEPTED = "not_accepted"
WITHDRAWN = "withdrawn"
TERMINATED = "terminated"

STATUSES = (
    DRAFT,
    RECEIVED,
    CORRECTION_REQUESTED,
    PROCESSING,
    SUSPENDED,
    DECIDED,
    CLOSED,
    NOT_ACCEPTED,
    WITHDRAWN,
    TERMINATED,
)
TERMINAL = frozenset({CLOSED, NOT_ACCEPTED, WITHDRAWN, TERMINATED})
# Withdrawal is possible until the decision (Art. 29 and CONTRACTS.md).
WITHDRAWABLE = frozenset({RECEIVED, CORRECTION_REQUESTED, PROCESSING, SUSPENDED})
# A renewal applied for and not yet decided (RNW-02, Art. 50 ¶2).
RENEWAL_PENDING = frozenset({RECEIVED, PROCESSING, SUSPENDED})


@dataclass(frozen=True)
class Transition:
    sources: frozenset[str]
    target: str | None  # None: the action keeps the status
    refusal: str  # said when the case is in no source status; "{status}" is its label
    code: str


def _t(sources, target, refusal="当前状态下不能进行此操作。", code="out_of_turn"):
    return Transition(frozenset(sources), target, refusal, code)


TABLE: dict[str, Transition] = {
    # Applying (the applicant's side).
    "save_form": _t({DRAFT}, None, "已提交的申请不能修改申请表。", "not_a_draft"),
    "add_material": _t(
        {DRAFT, CORRECTION_REQUESTED, PROCESSING},
        None,
        "当前状态下不能上传材料。",
        "materials_closed",
    ),  # fmt: skip
    "reuse_licence": _t({DRAFT}, None, "只能在提交前从证照库添加材料。", "not_a_draft"),
    "reuse_material": _t({DRAFT}, None, "只能在提交前从材料库添加材料。", "not_a_draft"),
    "remove_material": _t({DRAFT}, None, "已提交的材料不能删除。", "material_submitted"),
    "submit": _t({DRAFT}, RECEIVED, "该申请已经提交，请勿重复提交。", "already_submitted"),
    # Intake (RCV-01..08, Art. 32).
    "request_correction": _t(
        {RECEIVED}, CORRECTION_REQUESTED, "只有待预审的办件才能发出补正通知。", "not_received"
    ),
    "supplement": _t(
        {CORRECTION_REQUESTED}, RECEIVED, "该办件不在待补正状态。", "not_awaiting_supplement"
    ),
    "accept": _t({RECEIVED}, PROCESSING, "只有待预审的办件才能受理。", "not_received"),
    "deem_accept": _t({RECEIVED}, PROCESSING),  # RCV-04: the five days passed
    "not_accept": _t(
        {RECEIVED, CORRECTION_REQUESTED},
        NOT_ACCEPTED,
        "该办件已受理或已结束，不能作出不予受理决定。",
        "not_in_intake",
    ),  # fmt: skip
    "request_originals": _t({RECEIVED, PROCESSING}, None, "当前状态下不能要求核验原件。"),
    "withdraw": _t(
        WITHDRAWABLE, WITHDRAWN, "已作出决定或已结束的办件不能撤回。", "not_withdrawable"
    ),
    "deem_withdraw": _t({CORRECTION_REQUESTED}, WITHDRAWN),  # the supplement deadline passed
    "terminate": _t({PROCESSING, SUSPENDED}, TERMINATED, "只有办理中的办件可以终止。"),
    # Review (Art. 34-36, 42, 45-48).
    "task": _t({PROCESSING}, None, "办件当前状态为“{status}”，不能办理环节。", "not_processing"),
    "suspend": _t({PROCESSING}, SUSPENDED, "只有办理中的办件才能进入特别程序。", "not_processing"),
    "resume": _t({SUSPENDED}, PROCESSING, "办件不在特别程序中。", "not_suspended"),
    "extend": _t({PROCESSING, SUSPENDED}, None, "只有办理中的办件可以延期。", "not_processing"),
    "hearing_notify": _t(
        {PROCESSING}, None, "只有办理中的办件才能告知听证权利。", "not_processing"
    ),
    "urge": _t(
        {RECEIVED, CORRECTION_REQUESTED, PROCESSING, SUSPENDED, DECIDED},
        None,
        "已结束的办件无需催办。",
        "ended",
    ),  # fmt: skip
    # Decision and delivery (DEC-01/02, Art. 38-40, 44).
    "decide": _t({PROCESSING}, DECIDED, "只有已受理、办理中的办件才能作出决定。", "not_processing"),
    "deem_renew": _t(RENEWAL_PENDING, DECIDED),  # RNW-02: no decision before expiry
    "deliver": _t({DECIDED}, CLOSED, "只有已作出决定的办件才能送达。", "not_decided"),
}


def allowed(action: str, status: str) -> bool:
    return status in TABLE[action].sources


def check(action: str, status: str, *, label: str = "") -> None:
    """Refuse `action` on a case in `status` unless the table allows it (Conflict, with
    the action's own words; `label` is the status as people read it)."""
    transition = TABLE[action]
    if status not in transition.sources:
        raise Conflict(transition.refusal.format(status=label or status), code=transition.code)


def move(action: str, status: str, *, label: str = "") -> str:
    """The status `action` leads to from `status`; refused as `check` refuses."""
    check(action, status, label=label)
    target = TABLE[action].target
    return status if target is None else target


def reachable(source: str, target: str) -> bool:
    """Whether some sequence of the table's moves leads from `source` to `target` (or it is
    where the case is): a lower-level platform reports the states its cases reach, not
    each move that led there, and may report none but the last."""
    seen, todo = {source}, [source]
    while todo:
        status = todo.pop()
        for transition in TABLE.values():
            if status in transition.sources and transition.target not in (None, *seen):
                seen.add(transition.target)
                todo.append(transition.target)
    return target in seen
