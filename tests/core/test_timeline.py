"""The project timeline (issue 24): expected dates by the working-day calendar, the
critical path through the prerequisites, and what each item waits on."""

from datetime import date

from shenpi.core import timeline as t
from shenpi.core.clock import Calendar, add_working_days

# 2026-10-01..07 National Day (a Thursday to a Wednesday), 09-27 and 10-10 worked.
CAL = Calendar(
    off=frozenset(date(2026, 10, d) for d in range(1, 8)),
    on=frozenset({date(2026, 9, 27), date(2026, 10, 10)}),
    official_years=frozenset({2026}),
)
TODAY = date(2026, 9, 28)  # a Monday


def node(key, days, depends=(), state=t.NOT_STARTED, **more):
    return t.Node(key=key, name=key, department="d", state=state, promised_days=days,
                  depends=tuple(depends), **more)  # fmt: skip


def test_the_critical_path_is_the_chain_that_ends_last_and_skips_the_holiday():
    plan = t.plan(CAL, [
        node("approval", 3),
        node("planning", 2, ["approval"]),
        node("environment", 5, ["approval"]),
        node("permit", 1, ["planning", "environment"]),
    ], TODAY)  # fmt: skip
    rows = {row.node.key: row for row in plan.rows}
    # 3 working days after Monday 28 Sept: 29, 30 Sept, then 8 Oct (1-7 off).
    assert rows["approval"].finish == date(2026, 10, 8)
    # Environment: 9, 10 (make-up Saturday), 12, 13, 14 Oct.
    assert rows["environment"].finish == date(2026, 10, 14)
    assert rows["planning"].finish == date(2026, 10, 10)
    assert rows["permit"].start == date(2026, 10, 14) and plan.completion == date(2026, 10, 15)
    assert plan.critical_path == ["approval", "environment", "permit"]
    assert not rows["planning"].critical
    assert rows["approval"].waits_on == "agent"
    assert rows["permit"].waits_on == "prerequisite"
    assert rows["permit"].blocked_by == ("planning", "environment")


def test_items_under_way_and_done_keep_their_own_dates():
    plan = t.plan(CAL, [
        node("approval", 3, state=t.GRANTED, started=date(2026, 9, 1), done=date(2026, 9, 10)),
        node("planning", 10, ["approval"], state=t.RUNNING, started=date(2026, 9, 11),
             due=date(2026, 9, 25)),
        node("permit", 1, ["planning"]),
    ], TODAY)  # fmt: skip
    rows = {row.node.key: row for row in plan.rows}
    # Planning is overdue: expected today at the earliest, flagged, the department's turn.
    assert rows["planning"].finish == TODAY and rows["planning"].overdue
    assert rows["planning"].waits_on == "department"
    assert rows["permit"].finish == date(2026, 9, 29)
    assert plan.critical_path == ["planning", "permit"]


def test_a_refused_prerequisite_leaves_the_project_without_a_date():
    plan = t.plan(CAL, [
        node("approval", 3, state=t.FAILED, started=date(2026, 9, 1)),
        node("permit", 1, ["approval"]),
    ], TODAY)  # fmt: skip
    assert plan.completion is None and plan.critical_path == []
    assert plan.rows[1].finish is None and plan.rows[1].blocked_by == ("approval",)


def test_a_circle_of_prerequisites_is_reported_not_looped():
    plan = t.plan(CAL, [node("a", 1, ["b"]), node("b", 1, ["a"])], TODAY)
    assert plan.cycle and plan.completion is None


def test_an_item_not_yet_applied_for_counts_its_pre_review_too():
    """Applied for today, its expected date is its pre-review's end plus its promised
    limit: the same date as before it was applied for."""
    before = t.plan(CAL, [node("a", 3, intake_days=5)], TODAY)
    # Five working days from Monday 28 Sept: 29, 30 Sept, 8, 9 Oct and Saturday 10 Oct.
    pre_review_due = add_working_days(CAL, TODAY, 5)
    assert pre_review_due == date(2026, 10, 10)
    applied = t.plan(CAL, [node("a", 3, state=t.RUNNING, started=TODAY,
                                due=add_working_days(CAL, pre_review_due, 3))], TODAY)  # fmt: skip
    assert before.completion == applied.completion == date(2026, 10, 14)
