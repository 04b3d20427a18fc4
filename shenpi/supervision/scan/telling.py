"""Telling people what a scan found: one message a scan to each head of a department
with new or reddened cards, and to each holder of a step among them."""

from __future__ import annotations

from collections import Counter

from django.db import transaction

from shenpi.accounts.constants import Role
from shenpi.accounts.models import User
from shenpi.cases.models import ACTIVE_TASK_STATUSES, Task
from shenpi.notify.services import notify_many

from ..models import Level, WarningKind

# A scan reads back at most this many of its new or reddened cards to find the holders of
# their steps (each told once, of theirs among them); the heads are told the numbers of all.
NOTIFY_AT_MOST = 500


def tell_of_cards(cards, tally) -> None:
    """One message a scan to each person concerned (in-site, and by SMS and e-mail where
    they have them), not one per card: a day's change raises tens of thousands of cards,
    and told of each, the people concerned would get dozens of messages and texts a day.
    Each head of a department with new or reddened cards is told its
    numbers (`tally`: {(department id, level): cards}, all of the scan's); each holder of a
    step among `cards` (the first NOTIFY_AT_MOST) is told theirs, with their due dates."""
    if not tally:
        return
    heads = {}
    for user in User.objects.filter(
        role_assignments__role=Role.HEAD,
        office__department_id__in={department for department, _level in tally},
    ).select_related("office"):
        heads.setdefault(user.office.department_id, []).append(user)
    # Who holds each step: read from the open steps' index by case (task_scan_open, which
    # carries the holder; the scan has just read it), not from the steps' rows, which are
    # scattered over a table of millions. A step no longer open has no holder to tell.
    holder_of = dict(
        Task.objects.filter(
            case_id__in={w.case_id for w in cards if w.task_id},
            status__in=ACTIVE_TASK_STATUSES,
            pk__in=[w.task_id for w in cards if w.task_id],
        )
        .exclude(claimed_by=None)
        .values_list("pk", "claimed_by_id")
    )
    holders = User.objects.in_bulk(set(holder_of.values()))
    theirs: dict = {}  # holder → their cards
    for card in cards:
        holder = holders.get(holder_of.get(card.task_id))
        if holder is not None:
            theirs.setdefault(holder, []).append(card)
    kinds = {kind: str(label) for kind, label in WarningKind.choices}
    notices = []
    for department, users in heads.items():
        title = card_numbers({level: n for (d, level), n in tally.items() if d == department})
        body = (
            f"本次期限巡查，本部门有{title}（新增或升为红牌），请在电子监察“预警”中查看并督促办理。"
        )
        notices += [(user, title, body, None) for user in users]
    for holder, mine in theirs.items():
        title = card_numbers(Counter(card.level for card in mine))
        lines = [f"{kinds[card.kind]}，期限 {card.due}" for card in mine[:5]]
        more = f"等 {len(mine)} 项" if len(mine) > 5 else ""
        body = f"您经办的环节有{title}：{'；'.join(lines)}{more}。请在待办中尽快办理。"
        notices.append((holder, title, body, None))
    with transaction.atomic():
        notify_many(notices)


def card_numbers(counts) -> str:
    """'红牌预警 2 件、黄牌预警 5 件' (red first; a colour with none left out)."""
    labels = {level: str(label) for level, label in Level.choices}
    return "、".join(
        f"{labels[level]}预警 {counts[level]} 件"
        for level in (Level.RED, Level.YELLOW)
        if counts.get(level)
    )
