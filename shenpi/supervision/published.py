"""What supervision tells other systems (the information exchange, issue 25): orders to the
department that holds a case (a lower-level platform's system receives the region's orders
this way), complaints' progress, and each scan's new or reddened cards — one event per
department a scan, listing them, not one per card: a day's change raises tens of thousands."""

from __future__ import annotations

from collections import defaultdict

from shenpi.accounts.models import Department
from shenpi.exchange.publishing import Outgoing, publish, publish_many

CARDS_LISTED = 500  # per department and scan; the counts are all of them


def publish_order(order, action: str) -> None:
    case = order.case
    publish(
        action,
        f"cases/{case.pk}",
        division=case.division_id,
        department=order.department_id,
        data={
            "order": order.pk,
            "case": str(case.pk),
            "number": case.number,
            "department": order.department.code,
            "text": order.text,
            "answer_due": order.answer_due.isoformat(),
            "answered_at": order.answered_at.isoformat() if order.answered_at else None,
            "action": action,
        },
    )


def publish_complaint(complaint, action: str) -> None:
    department = complaint.department
    publish(
        action,
        f"complaints/{complaint.number}",
        division=department.division_id,
        department=department.pk,
        data={
            "complaint": complaint.number,
            "status": complaint.status,
            "department": department.code,
            "case": str(complaint.case_id) if complaint.case_id else None,
            "decide_by": complaint.decide_by.isoformat() if complaint.decide_by else None,
            "reply_due": complaint.reply_due.isoformat() if complaint.reply_due else None,
            "substantiated": complaint.substantiated,
            "action": action,
        },
    )


def publish_cards(cards, tally) -> None:
    """`tally`: {(department id, level): new or reddened cards}; `cards`: those read back."""
    if not tally:
        return
    counts: dict = defaultdict(dict)
    for (department, level), n in tally.items():
        counts[department][level] = n
    listed: dict = defaultdict(list)
    for card in cards:
        if len(listed[card.department_id]) < CARDS_LISTED:
            listed[card.department_id].append(
                {
                    "case": str(card.case_id) if card.case_id else None,
                    "task": str(card.task_id) if card.task_id else None,
                    "kind": card.kind,
                    "level": card.level,
                    "due": card.due.isoformat() if card.due else None,
                }
            )
    where = {
        pk: (code, division)
        for pk, code, division in Department.objects.filter(pk__in=list(counts)).values_list(
            "pk", "code", "division_id"
        )
    }
    publish_many(
        [
            Outgoing(
                "supervision.cards",
                f"departments/{where[department][0]}",
                where[department][1],
                department,
                {"department": where[department][0], "counts": levels, "cards": listed[department]},
            )
            for department, levels in counts.items()
            if department in where
        ]
    )
