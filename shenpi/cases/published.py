"""What a case's change tells other systems (the information exchange, issue 25): one event
per audited transition, written with its audit record in the same transaction. It names
the case, its state and dates and what was done — no applicant's personal data (a system
that may read the case asks the API, which checks its scope and audits the read)."""

from __future__ import annotations

from shenpi.exchange.publishing import publish

from .constants import CaseStatus

# Reads and the applicant's private drafting are not changes others follow.
UNPUBLISHED = frozenset(
    {"case.draft", "case.personal_read", "case.material.add", "case.material.remove"}
)
# What of an audit record's detail an event carries: codes, dates and counts, no free text.
CARRIED = ("step", "verdict", "opened", "outcome", "method", "licence", "days", "round",
           "breach", "channel", "expected_days", "on", "fraud", "licence_status")  # fmt: skip


def _date(value):
    return value.isoformat() if value else None


def case_data(case, action: str = "", detail: dict | None = None) -> dict:
    detail = detail or {}
    return {
        "case": str(case.pk),
        "number": case.number,
        "status": case.status,
        "outcome": case.outcome or None,
        "item": case.item.code,
        "item_version": case.version.number,
        "department": case.department.code,
        "division": case.division_id,
        "channel": case.channel,
        "received_at": case.received_at.isoformat() if case.received_at else None,
        "accepted_at": case.accepted_at.isoformat() if case.accepted_at else None,
        "statutory_due": _date(case.statutory_due),
        "promised_due": _date(case.promised_due),
        "action": action,
        **{key: detail[key] for key in CARRIED if key in detail},
    }


def publish_case(case, action: str, detail: dict | None = None) -> None:
    if action in UNPUBLISHED or case.status == CaseStatus.DRAFT:
        return
    publish(
        action,
        f"cases/{case.pk}",
        division=case.division_id,
        department=case.department_id,
        data=case_data(case, action, detail),
    )
