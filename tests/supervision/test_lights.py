"""The set-based scan (PostgreSQL) judges every light exactly as the pure clock does.

`desired_warnings` walks cases in Python through `shenpi.core.clock.light`; the scan
on PostgreSQL computes the same lights in SQL from working-day ordinals
(`shenpi/supervision/lights.py`). Day by day across the 2026 Spring Festival (with
its make-up Saturdays) and with rules per item and per step, the two agree light for
light (TL-06 counting, REV-05 statutory, RCV-04 correction, step limits)."""

from datetime import date, timedelta

import pytest
from django.db import connection

from shenpi.supervision.models import WarningRule
from shenpi.supervision.services import _rules, _thresholds, desired_warnings

from .test_scan import accepted_on

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="the set-based scan is PostgreSQL's"
    ),
]


def set_based(today):
    from shenpi.supervision.lights import desired_into_temp

    desired_into_temp(today, _rules(), _thresholds)
    with connection.cursor() as cursor:
        cursor.execute("SELECT case_id, task_id, kind, level, due, department_id FROM scan_want")
        return {
            (case_id, task_id, kind): (level, due, department_id)
            for case_id, task_id, kind, level, due, department_id in cursor.fetchall()
        }


def python(today):
    return {
        key: (level, due, department_id)
        for key, (level, due, department_id, _rule) in desired_warnings(today).items()
    }


def test_the_sql_lights_equal_the_clock_day_by_day_across_the_spring_festival(demo, food):
    cases = [
        accepted_on(demo, food, moment)
        for moment in (
            "2026-02-06 10:00 +0800",
            "2026-02-12 16:00 +0800",
            "2026-02-13 10:00 +0800",  # the last working day before the holiday
            "2026-02-24 09:00 +0800",  # the first after it
            "2026-02-28 10:00 +0800",  # a make-up Saturday
        )
    ]
    # A stricter rule for this item's first step, a looser one for the item as a whole.
    WarningRule.objects.create(item=food, step_key="first_review", yellow_left=2, yellow_ratio=0.5)
    WarningRule.objects.create(item=food, step_key="", yellow_left=0, yellow_ratio=0.95)
    seen = {"yellow": 0, "red": 0}
    day = date(2026, 2, 5)
    while day <= date(2026, 4, 10):
        expected = python(day)
        assert set_based(day) == expected, day
        for level, *_ in expected.values():
            seen[level] += 1
        day += timedelta(days=1)
    # The window saw both colours on cases and on steps: the comparison was not vacuous.
    assert seen["yellow"] > 20 and seen["red"] > 20
    assert {kind for (_c, _t, kind) in python(date(2026, 3, 20))} >= {"promised", "step"}
    assert len(cases) == 5
