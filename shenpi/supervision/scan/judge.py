"""The portable judgement: every light of every registered source, one by one through
the pure clock (shenpi.core.clock.light). The scan on SQLite, and trying a rule on past
days, use it; on PostgreSQL engine.py judges the same lights as a set, and
tests/supervision/test_lights.py holds the two to the same answers."""

from __future__ import annotations

from collections import Counter
from datetime import date

from shenpi.core import clock
from shenpi.workdays.services import calendar

from ..models import Level, Warning
from .rules import active_rules, thresholds
from .sources import SOURCES, light_kinds
from .telling import NOTIFY_AT_MOST


def desired_warnings(today: date, *, rules: dict | None = None, history: bool = False) -> dict:
    """{(case_id, task_id or None, kind): (level, due, department_id, rule)} for every light
    that is yellow or red today. `history`: as the day was (for trying a rule on past
    days): the case and step lights of the cases then in process."""
    cal = calendar(today)
    rules = active_rules() if rules is None else rules
    out = {}

    def judge(key, *, start, due, item_id, department_id, step_key="", rule=""):
        if due is None or start is None:
            return
        yellow_left, ratio = thresholds(rules, item_id, step_key)
        limit = max(1, clock.working_days_between(cal, start, due))
        light = clock.light(
            cal,
            today=today,
            start=start,
            due=due,
            limit=limit,
            yellow_left=yellow_left,
            yellow_ratio=ratio,
        )
        if light != clock.GREEN:
            out[key] = (light, due, department_id, rule)

    for source in SOURCES:
        source.portable(today, judge, out, history=history)
    return out


def scan_in_python(today, now):
    """The cards as `desired_warnings` wants them, written as differences: raised, moved
    (level or due date), cleared. Returns (raised, the cards to tell of, moved, cleared,
    {(department, level): cards})."""
    wanted = desired_warnings(today)
    existing = {
        (w.case_id, w.task_id, w.kind): w
        for w in Warning.objects.filter(cleared_at__isnull=True, kind__in=light_kinds())
    }
    to_create, to_escalate = [], []
    for key, (level, due, department_id, rule) in wanted.items():
        current = existing.get(key)
        if current is None:
            to_create.append(
                Warning(
                    case_id=key[0],
                    task_id=key[1],
                    kind=key[2],
                    level=level,
                    due=due,
                    department_id=department_id,
                    rule_id=rule,
                )
            )
        elif current.level != level or current.due != due:
            current.level, current.due = level, due
            to_escalate.append(current)
    stale = [w.pk for key, w in existing.items() if key not in wanted]
    Warning.objects.bulk_create(to_create, batch_size=1000)
    Warning.objects.bulk_update(to_escalate, ["level", "due"], batch_size=1000)
    for start in range(0, len(stale), 1000):
        Warning.objects.filter(pk__in=stale[start : start + 1000]).update(cleared_at=now)
    reddened = [w for w in to_escalate if w.level == Level.RED]
    tally = Counter((w.department_id, w.level) for w in to_create + reddened)
    told = (to_create + reddened)[:NOTIFY_AT_MOST]
    return len(to_create), told, len(to_escalate), len(stale), tally
