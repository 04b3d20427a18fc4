"""The deadline scan (CONTRACTS.md "Lights"; REV-05, RCV-04, TL-04, TL-06): it compares
the dates stored on cases, steps and orders (STYLE.md 5) with today through the pure
clock's light rule, and writes only what changed: a card raised, raised from yellow to
red, or cleared; a second scan right after the first writes nothing.

sources    where lights come from (a registry: new kinds of deadline register here)
rules      the warning rules: which threshold applies to an item and a step
judge      the portable judgement, one light at a time (SQLite, rule trials)
engine     the set-based, incremental judgement (PostgreSQL)
keeping    each case's worst light, the counts, the breach cards
telling    one message a scan to each person concerned
watched    deadlines that light their own rows (a question's answer), judged in the same scan
"""

from __future__ import annotations

from datetime import date

from django.db import transaction
from django.utils import timezone

from ..models import Level
from ..published import publish_cards
from .judge import desired_warnings, scan_in_python
from .keeping import breach_warnings, count_lights, keep_case_lights
from .rules import active_rules, thresholds
from .sources import SOURCES, LightSource, light_kinds, register
from .telling import NOTIFY_AT_MOST, tell_of_cards
from .watched import WATCHED, Watched, register_watched, scan_watched, watched_indicators

__all__ = [
    "NOTIFY_AT_MOST",
    "SOURCES",
    "WATCHED",
    "LightSource",
    "Watched",
    "active_rules",
    "desired_warnings",
    "light_kinds",
    "register",
    "register_watched",
    "scan_deadlines",
    "thresholds",
    "watched_indicators",
]


def scan_deadlines(today: date | None = None) -> dict:
    """Raise, raise further and clear warnings, and keep each case's worst light; returns
    the counts of rows written. One transaction: monitoring never sees half a scan.

    On PostgreSQL the scan is set-based and incremental (engine.py): it judges again
    only the cases changed since the last scan (and those with an open order), and moves
    the others' lights by their plans, unless the rules or the calendar changed or `today`
    is earlier than the last scan's day (then it judges all)."""
    from django.db import connection

    from .engine import scan_set_based

    today = today or timezone.localdate()
    now = timezone.now()
    with transaction.atomic():
        if connection.vendor == "postgresql":
            (raised, to_notify, escalated, cleared, tally), incremental = scan_set_based(today, now)
        else:
            (raised, to_notify, escalated, cleared, tally), incremental = (
                scan_in_python(today, now),
                False,
            )
        breaches = breach_warnings(incremental=incremental)
        lights = keep_case_lights(incremental=incremental, red=[w.case_id for w in breaches])
        counts = count_lights()
        watched = scan_watched(today)
        tally.update((w.department_id, Level.RED) for w in breaches)  # a Counter, either scan
        publish_cards(breaches + to_notify, tally)
    report = {
        "raised": raised + len(breaches),
        "escalated": escalated,
        "cleared": cleared,
        "lights": lights,
        "counts": counts,
        "watched": watched,
    }
    tell_of_cards((breaches + to_notify)[:NOTIFY_AT_MOST], tally)
    return report
