"""The demo world's history: 36 months of the rollup before this month, for every
published item, so that 本部门统计 has past periods and 决策辅助 has a season to
forecast from.

These are rollup rows only (compacted, one per working day, department, item and
measure), not cases: the drill-down to the cases behind a past figure finds none, and
the README says so. Their shape: each item's own base load, a yearly season (the
Spring Festival's dip, the spring and year-end rises), a growth of a few per cent a
year, working days only; acceptances, decisions and their days in proportion."""

from __future__ import annotations

import random
from datetime import date, timedelta

from django.db import transaction

from shenpi.catalog.models import Item
from shenpi.core.flow import parse_flow
from shenpi.workdays.services import calendar

from .models import Measure, Tally
from .periods import shift_month

SEASON = [0.75, 0.7, 1.1, 1.1, 1.05, 1.0, 0.95, 0.9, 1.05, 0.9, 1.05, 1.25]  # Jan … Dec
MONTHS = 36


@transaction.atomic
def seed_history(today: date, months: int = MONTHS) -> int:
    rng = random.Random(2026)
    cal = calendar()
    end = date(today.year, today.month, 1)
    start = shift_month(end, -months)
    items = list(
        Item.objects.filter(current__isnull=False, abolished_at__isnull=True).select_related(
            "department", "current"
        )
    )
    rows = []
    for item in items:
        base = rng.uniform(0.6, 4.0)  # applications per working day
        growth = rng.uniform(-0.02, 0.12)  # a year
        limit = max(item.current.promised_days or 1, 1)
        department = item.department
        steps = [(step.key, max(step.days, 1)) for step in parse_flow(item.current.flow).steps]
        day = start
        while day < end:
            if cal.is_working(day):
                years = (day - start).days / 365
                mean = base * SEASON[day.month - 1] * (1 + growth) ** years
                received = _poisson(rng, mean)
                key = {
                    "day": day,
                    "division_id": department.division_id,
                    "department_id": department.pk,
                    "item_id": item.pk,
                    "compacted": True,
                }
                accepted = sum(rng.random() < 0.93 for _ in range(received))
                decided = sum(rng.random() < 0.97 for _ in range(accepted))
                refused = sum(rng.random() < 0.04 for _ in range(decided))
                counts = {
                    Measure.RECEIVED: received,
                    Measure.ACCEPTED: accepted,
                    Measure.NOT_ACCEPTED: received - accepted,
                    Measure.GRANTED: decided - refused,
                    Measure.REFUSED: refused,
                    Measure.CORRECTION: sum(rng.random() < 0.12 for _ in range(received)),
                }
                rows += [Tally(measure=m, n=n, **key) for m, n in counts.items() if n]
                # Each decision's steps, and its days the sum of theirs.
                days: dict = {}
                taken_by_step: dict = {}
                late = 0
                for _ in range(decided):
                    total = 0
                    for step, allowed in steps:
                        taken = max(0, round(rng.gauss(allowed * 0.5, allowed * 0.3)))
                        taken_by_step[(step, taken)] = taken_by_step.get((step, taken), 0) + 1
                        total += taken
                    days[total] = days.get(total, 0) + 1
                    late += total > limit
                rows += [
                    Tally(measure=Measure.DECIDED_DAYS, bucket=b, n=n, **key)
                    for b, n in days.items()
                ]
                rows += [
                    Tally(measure=Measure.STEP_DAYS, step=step, bucket=b, n=n, **key)
                    for (step, b), n in taken_by_step.items()
                ]
                if late:
                    rows.append(Tally(measure=Measure.LATE_PROMISED, n=late, **key))
            day += timedelta(days=1)
    Tally.objects.bulk_create(rows, batch_size=5000)
    return len(rows)


def _poisson(rng: random.Random, mean: float) -> int:
    # Knuth's method: means here are a few a day.
    limit, k, p = pow(2.718281828459045, -mean), 0, 1.0
    while True:
        p *= rng.random()
        if p <= limit:
            return k
        k += 1
