"""The working-day clock (TL-06, Art. 82) on the 2025 and 2026 calendars of LAW.md
§2 and on a provisional 2027, plus properties that hold for any calendar."""

from datetime import date, datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from shenpi.core.clock import (
    Calendar,
    add_working_days,
    days_left,
    days_used,
    excluded_by_suspension,
    light,
    shift,
    working_days_between,
)

D = date

# LAW.md §2.1 and §2.2: the weekdays off and the weekend days on, as published.
OFF_2025 = "01-01 01-28 01-29 01-30 01-31 02-03 02-04 04-04 05-01 05-02 05-05 06-02 10-01 10-02 10-03 10-06 10-07 10-08"
ON_2025 = "01-26 02-08 04-27 09-28 10-11"
OFF_2026 = "01-01 01-02 02-16 02-17 02-18 02-19 02-20 02-23 04-06 05-01 05-04 05-05 06-19 09-25 10-01 10-02 10-05 10-06 10-07"
ON_2026 = "01-04 02-14 02-28 05-09 09-20 10-10"
# Provisional 2027: the 13 statutory days only (1 Jan; eve + 3 days of Spring Festival; Qingming;
# 1-2 May; Dragon Boat; Mid-Autumn; 1-3 Oct), of which these fall on weekdays.
OFF_2027 = "01-01 02-05 02-08 04-05 06-09 09-15 10-01"


def days(year, spec):
    return {date.fromisoformat(f"{year}-{md}") for md in spec.split()}


LAW = Calendar(
    off=frozenset(days(2025, OFF_2025) | days(2026, OFF_2026) | days(2027, OFF_2027)),
    on=frozenset(days(2025, ON_2025) | days(2026, ON_2026)),
    official_years=frozenset({2025, 2026}),
)


@pytest.mark.parametrize(("year", "count"), [(2025, 248), (2026, 248)])
def test_working_days_per_year_match_law_md(year, count):
    assert working_days_between(LAW, D(year - 1, 12, 31), D(year, 12, 31)) == count


@pytest.mark.parametrize(
    ("start", "n", "due"),
    [
        # RCV-04: the 5th working day after a receipt on the Friday before the Spring Festival 2026.
        # Sat 14 Feb is a make-up working day (1); 15-23 Feb off; then 24, 25, 26, 27 Feb.
        (D(2026, 2, 13), 5, D(2026, 2, 27)),
        # Received on the make-up Saturday itself: counting starts the next working day.
        (D(2026, 2, 14), 1, D(2026, 2, 24)),
        # Across the make-up Saturday 28 Feb: 24, 25, 26, 27, 28 → the 5th is Saturday 28 Feb.
        (D(2026, 2, 23), 5, D(2026, 2, 28)),
        # TL-01, 20 working days from acceptance on Thursday 24 Sep 2026, across Mid-Autumn (25 Sep)
        # and National Day (1-7 Oct) with the make-up Saturday 10 Oct inside the count.
        (D(2026, 9, 24), 20, D(2026, 10, 29)),
        # 2025 Spring Festival: received Friday 24 Jan, make-up Sunday 26 Jan counts, 8 Feb counts.
        (D(2025, 1, 24), 5, D(2025, 2, 7)),
        (D(2025, 2, 5), 3, D(2025, 2, 8)),
        # 2025 National Day + Mid-Autumn: 30 Sep, then 9, 10, Sat 11 Oct.
        (D(2025, 9, 29), 4, D(2025, 10, 11)),
    ],
)
def test_due_dates_on_the_published_calendars(start, n, due):
    assert add_working_days(LAW, start, n) == due
    assert LAW.is_working(due)


def test_provisional_2027_counts_only_statutory_holidays():
    # Received Thursday 4 Feb 2027: Fri 5 Feb (eve) off, weekend, Mon 8 Feb off, then 9, 10, 11, 12, 15.
    # The library's "observed" guesses (9 and 10 Feb) are NOT off in a provisional year.
    assert add_working_days(LAW, D(2027, 2, 4), 5) == D(2027, 2, 15)
    assert LAW.is_provisional(D(2027, 2, 15))
    assert LAW.any_provisional(D(2026, 12, 20), D(2027, 1, 10))
    assert not LAW.any_provisional(D(2026, 1, 5), D(2026, 12, 31))


def test_days_left_and_used():
    start, due = D(2026, 2, 13), D(2026, 2, 27)
    assert days_left(LAW, due, due) == 0
    assert days_left(LAW, D(2026, 2, 26), due) == 1
    assert days_left(LAW, D(2026, 2, 16), due) == 4  # inside the holiday: 24-27 Feb remain
    # Monday 2 March: the make-up Saturday 28 Feb and the Monday itself are past the due date.
    assert days_left(LAW, D(2026, 3, 2), due) == -2
    assert days_used(LAW, start, D(2026, 2, 14)) == 1
    assert days_used(LAW, start, D(2026, 2, 23)) == 1  # the holiday used nothing
    assert days_used(LAW, start, start) == 0


def test_suspension_excludes_start_up_to_but_not_including_the_end():
    assert excluded_by_suspension(LAW, D(2026, 3, 2), D(2026, 3, 4)) == 2  # Monday to Wednesday
    assert excluded_by_suspension(LAW, D(2026, 3, 2), D(2026, 3, 2)) == 0  # same day
    # Across the Spring Festival: only 13 Feb (Fri) and 14 Feb (make-up Sat) are working days.
    assert excluded_by_suspension(LAW, D(2026, 2, 13), D(2026, 2, 24)) == 2


@pytest.mark.parametrize(
    ("today", "expected"),
    [
        (D(2026, 3, 2), "green"),  # used 2: the make-up Saturday 28 Feb and Monday
        (D(2026, 3, 19), "green"),  # used 15, left 5
        (D(2026, 3, 20), "yellow"),  # used 16 of 20: ceil(0.8 × 20) = 16
        (D(2026, 3, 25), "yellow"),  # 1 left
        (D(2026, 3, 26), "yellow"),  # the due date itself: 0 left, still in time
        (D(2026, 3, 27), "red"),  # overdue from 00:00 of the next calendar day
    ],
)
def test_lights(today, expected):
    start = D(2026, 2, 27)  # Friday; the next day is the make-up Saturday 28 Feb, which counts
    due = add_working_days(LAW, start, 20)
    assert due == D(2026, 3, 26)
    assert light(LAW, today=today, start=start, due=due, limit=20) == expected


# --- properties, for any calendar -------------------------------------------------

calendars = st.builds(
    Calendar,
    off=st.frozensets(st.dates(D(2025, 1, 1), D(2027, 12, 31)), max_size=60),
    on=st.frozensets(
        st.dates(D(2025, 1, 1), D(2027, 12, 31)).filter(lambda d: d.weekday() >= 5), max_size=15
    ),
)
starts = st.dates(D(2025, 1, 1), D(2026, 12, 31))


@settings(max_examples=200)
@given(calendars, starts, st.integers(0, 60))
def test_adding_n_then_counting_back_gives_n(cal, start, n):
    assert working_days_between(cal, start, add_working_days(cal, start, n)) == n


@settings(max_examples=200)
@given(calendars, starts, st.integers(1, 60))
def test_every_due_date_is_a_working_day(cal, start, n):
    assert cal.is_working(add_working_days(cal, start, n))


@settings(max_examples=200)
@given(calendars, starts, st.integers(1, 40), st.integers(0, 20))
def test_a_suspension_of_k_working_days_moves_the_due_date_by_exactly_k(cal, start, n, k):
    due = add_working_days(cal, start, n)
    moved = shift(cal, due, k)
    assert working_days_between(cal, due, moved) == k
    assert moved == add_working_days(cal, start, n + k)


@settings(max_examples=100)
@given(
    calendars,
    st.datetimes(min_value=datetime(2025, 1, 1), max_value=datetime(2026, 12, 31)),
    st.integers(1, 30),
)
def test_the_hour_of_the_start_event_never_matters(cal, moment, n):
    midnight = moment.replace(hour=0, minute=0, second=0, microsecond=0)
    late = moment.replace(hour=23, minute=59, second=59)
    assert add_working_days(cal, midnight.date(), n) == add_working_days(cal, late.date(), n)


@settings(max_examples=100)
@given(calendars, starts, st.integers(1, 40))
def test_days_left_falls_to_zero_on_the_due_date(cal, start, n):
    due = add_working_days(cal, start, n)
    assert days_left(cal, start, due) == n
    assert days_left(cal, due, due) == 0
    assert days_left(cal, due + timedelta(days=1), due) <= 0
