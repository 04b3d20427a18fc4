"""The set-based scan (PostgreSQL) judges every light exactly as the pure clock does.

`desired_warnings` walks cases in Python through `shenpi.core.clock.light`; the scan
on PostgreSQL computes the same lights in SQL from working-day ordinals
(`shenpi/supervision/scan/engine.py`). Day by day across the 2026 Spring Festival (with
its make-up Saturdays) and with rules per item and per step, the two agree light for
light (TL-06 counting, REV-05 statutory, RCV-04 correction, step limits)."""

from datetime import date, timedelta

import pytest
from django.db import connection

from shenpi.supervision.models import WarningRule
from shenpi.supervision.scan import desired_warnings, light_kinds

from .test_scan import accepted_on, submitted_on

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="the set-based scan is PostgreSQL's"
    ),
]


def set_based(today):
    """The open cards a full set-based scan leaves for `today` (every case judged: no record
    of a last scan)."""
    from shenpi.supervision.models import ScanState, Warning
    from shenpi.supervision.scan import scan_deadlines

    ScanState.objects.all().delete()
    scan_deadlines(today)
    return {
        (w.case_id, w.task_id, w.kind): (w.level, w.due, w.department_id)
        for w in Warning.objects.filter(cleared_at__isnull=True, kind__in=light_kinds())
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


def test_the_incremental_scan_keeps_what_judging_every_case_would_day_by_day(demo, food):
    """The scan judges again only the cases changed since the last (recorded by the
    triggers) or with an order open, and turns the other lights that time turned by their
    plans. Day by day across the Spring Festival (and over two stretches with no scan, the
    festival's and a week's end), with steps finished, a pause, an order, an acceptance and
    a withdrawal in between, what it leaves — open cards, each case's light, the monitoring
    counts — is what judging every case from scratch gives, and it judged everything only
    once."""
    from collections import Counter

    import time_machine

    from shenpi.cases import services
    from shenpi.cases import services as cases
    from shenpi.cases.models import Case, Task
    from shenpi.supervision.models import CaseLight, LightCount, ScanState, Warning
    from shenpi.supervision.scan import scan_deadlines
    from shenpi.supervision.selectors import OPEN
    from shenpi.supervision.services import order_answer, order_issue

    early, late, paused = (
        accepted_on(demo, food, moment)
        for moment in ("2026-02-06 10:00 +0800", "2026-02-12 16:00 +0800", "2026-02-13 10:00 +0800")
    )
    pending = submitted_on(demo, food, "2026-02-12 11:00 +0800")  # RCV-04 until accepted
    WarningRule.objects.create(item=food, step_key="first_review", yellow_left=2, yellow_ratio=0.5)
    # Review steps yellow from their first day (a ratio of 0: their plans' yellow day is
    # -infinity), red after their due date.
    WarningRule.objects.create(item=food, step_key="review", yellow_left=0, yellow_ratio=0)
    official, head = demo("yc_scjg_off1"), demo("yc_scjg_head")

    def act(day):
        if day == date(2026, 2, 24):
            services.task_complete(
                actor=official,
                task=Task.objects.get(case=early, step_key="first_review"),
                opinion="初审通过",
            )
        if day == date(2026, 2, 26):
            # The last day for its notice (RCV-04), yellow since yesterday: accepted in time.
            cases.case_accept(actor=official, case=Case.objects.get(pk=pending.pk))
        if day == date(2026, 2, 25):
            services.case_suspend(actor=official, case=paused, reason="testing", expected_days=3)
        if day == date(2026, 3, 2):
            services.case_resume(actor=official, case=Case.objects.get(pk=paused.pk))

        if day == date(2026, 3, 3):
            order_issue(
                actor=demo("yc_jc_sup"), case=late, text="请说明", answer_due=date(2026, 3, 5)
            )
        if day == date(2026, 3, 9):
            order_answer(actor=head, order=late.orders.get(), answer="已加快")
        if day == date(2026, 3, 12):  # a case with cards closes: its row and cards go
            cases.case_withdraw(actor=demo("zhangsan"), case=Case.objects.get(pk=early.pk))

    def kept():
        return {
            (w.case_id, w.task_id, w.kind): (w.level, w.due, w.department_id)
            for w in Warning.objects.filter(
                cleared_at__isnull=True, rule_id__in=["", "REV-05", "RCV-04", "TL-04"]
            )
        }

    first_full = None
    seen = 0
    day = date(2026, 2, 5)
    while day <= date(2026, 4, 10):
        if date(2026, 2, 14) <= day <= date(2026, 2, 23) or date(2026, 3, 14) <= day <= date(
            2026, 3, 17
        ):
            # No scan these days: the next one turns what time turned since the last.
            day += timedelta(days=1)
            continue
        with time_machine.travel(f"{day.isoformat()} 12:00 +0800", tick=False):
            act(day)
            scan_deadlines()
            if first_full is None:
                first_full = ScanState.objects.get().full_at
            expected = python(day)
            assert kept() == expected, day
            worst = {}
            for (case_id, _t, _k), (level, *_rest) in expected.items():
                if worst.get(case_id) != "red":
                    worst[case_id] = level
            lit = CaseLight.objects.filter(light__isnull=False)
            assert dict(lit.values_list("case_id", "light")) == worst, day
            lights = {
                pk: worst.get(pk, "green") for pk in Case.objects.values_list("pk", flat=True)
            }
            counted = Counter(
                (c.division_id, c.department_id, lights[c.pk])
                for c in Case.objects.filter(status__in=OPEN)
            )
            assert {
                (c.division_id, c.department_id, c.light): c.n for c in LightCount.objects.all()
            } == counted, day
            seen += len(expected)
        day += timedelta(days=1)
    assert seen > 100
    assert ScanState.objects.get().full_at == first_full  # every later scan was incremental
    assert not CaseLight.objects.filter(case=early).exists()
    assert not Warning.objects.filter(case=early, cleared_at__isnull=True).exists()


def test_a_case_whose_light_time_turned_is_rewritten_in_place(demo, food):
    """The scan keeps a case's light in one narrow row with no index on it, and finds the
    lights that time turned from their plans: the day a step's light turns yellow, the
    case's row is one heap-only update (no new index entry; with an index on the light,
    rewriting a million-case day change's rows took three times as long), and on a day when
    nothing turns nothing is written."""
    import time_machine

    from shenpi.supervision.models import CaseLight
    from shenpi.supervision.scan import scan_deadlines

    def writes():
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT n_tup_upd, n_tup_hot_upd FROM pg_stat_xact_user_tables "
                "WHERE relname = 'supervision_caselight'"
            )
            return cursor.fetchone() or (0, 0)

    # Accepted Friday 13 Feb 2026; its first step (3 working days: 14, 24, 25 Feb) has
    # one day left on Tuesday the 24th, after the Spring Festival: yellow from then, red
    # from the 26th, the day after it is due (TL-06).
    case = accepted_on(demo, food, "2026-02-13 10:00 +0800")
    with time_machine.travel("2026-02-23 10:00 +0800", tick=False):
        assert scan_deadlines()["raised"] == 0
    assert CaseLight.objects.get(case=case).light is None
    updated, hot = writes()
    with time_machine.travel("2026-02-24 10:00 +0800", tick=False):
        report = scan_deadlines()
    assert (report["raised"], report["lights"]) == (1, 1)
    assert CaseLight.objects.get(case=case).light == "yellow"
    now_updated, now_hot = writes()
    assert now_updated == updated + 1
    assert now_hot - hot == 1  # heap-only
    with time_machine.travel("2026-02-25 10:00 +0800", tick=False):
        report = scan_deadlines()  # still yellow: nothing turns, nothing is written
    assert (report["raised"], report["escalated"], report["lights"]) == (0, 0, 0)
    with time_machine.travel("2026-02-26 10:00 +0800", tick=False):
        report = scan_deadlines()
    assert (report["escalated"], report["lights"]) == (1, 1)
    assert CaseLight.objects.get(case=case).light == "red"


def test_time_turns_nothing_of_a_deleted_case(demo, food):
    """A case deleted (its cards and light row go with it) is judged at the next scan as a
    closed one (a trigger records it; a case with steps is recorded by their deletion as
    well, so here one received and not yet accepted, with no step): its plans go, and
    time passing its correction deadline (RCV-04) raises no card for it."""
    import time_machine

    from shenpi.cases.models import Case, Task
    from shenpi.supervision.models import CaseLight, Warning
    from shenpi.supervision.scan import scan_deadlines

    def plans():
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT count(*) FROM supervision_lightplan WHERE case_id = %s", [case.pk]
            )
            return cursor.fetchone()[0]

    case = submitted_on(demo, food, "2026-03-02 11:00 +0800")
    with time_machine.travel("2026-03-02 11:00 +0800", tick=False):
        scan_deadlines()
    assert plans() == 1 and not Task.objects.filter(case=case).exists()
    Case.objects.filter(pk=case.pk).delete()
    with time_machine.travel("2026-03-20 11:00 +0800", tick=False):  # long past its deadline
        report = scan_deadlines()
    assert report["raised"] == 0
    assert not Warning.objects.filter(case_id=case.pk).exists()
    assert not CaseLight.objects.filter(case_id=case.pk).exists()
    assert plans() == 0


def test_a_case_judged_again_unchanged_writes_no_plan(demo, food):
    """A case with an open supervision order is judged at every scan (its answer's due
    date is watched); judged again with nothing changed, its plans stay as they are: an
    idle scan writes no row (it deleted and wrote them again each time)."""
    import time_machine

    from shenpi.supervision.scan import scan_deadlines
    from shenpi.supervision.services import order_issue

    def plan_writes():
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT n_tup_ins + n_tup_del FROM pg_stat_xact_user_tables "
                "WHERE relname = 'supervision_lightplan'"
            )
            row = cursor.fetchone()
            return row[0] if row else 0

    case = accepted_on(demo, food, "2026-02-13 10:00 +0800")
    with time_machine.travel("2026-02-13 11:00 +0800", tick=False):
        order_issue(
            actor=demo("nx_jc_sup"), case=case, text="请说明进度。", answer_due=date(2026, 2, 27)
        )
        scan_deadlines()
        before = plan_writes()
        report = scan_deadlines()  # the order's case judged again: nothing changed
    assert (report["raised"], report["escalated"], report["cleared"], report["lights"]) == (
        0,
        0,
        0,
        0,
    )
    assert plan_writes() == before
