"""The working-day clock (CONTRACTS.md "The clock"; LAW.md TL-06, Art. 82).

Pure functions over a `Calendar` passed in as data. Dates only: the hour of an
event never matters, because counting starts on the working day after it.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import date, timedelta

ONE_DAY = timedelta(days=1)


@dataclass(frozen=True)
class Calendar:
    """Weekends off and weekdays on, except `off` (weekday holidays) and `on`
    (announced make-up working days, 调休上班). Years outside `official_years`
    are provisional: counted from the statutory holidays alone."""

    off: frozenset[date] = field(default_factory=frozenset)
    on: frozenset[date] = field(default_factory=frozenset)
    official_years: frozenset[int] = field(default_factory=frozenset)

    def is_working(self, day: date) -> bool:
        if day in self.on:
            return True
        if day in self.off:
            return False
        return day.weekday() < 5

    def is_provisional(self, day: date) -> bool:
        return day.year not in self.official_years

    def any_provisional(self, start: date, end: date) -> bool:
        return any(
            year not in self.official_years
            for year in range(min(start, end).year, max(start, end).year + 1)
        )


def add_working_days(cal: Calendar, start: date, n: int) -> date:
    """The due date of an n-working-day limit that starts with an event on `start`:
    counting begins the working day after; the result is the last day in time."""
    if n < 0:
        raise ValueError("n must not be negative")
    day, counted = start, 0
    while counted < n:
        day += ONE_DAY
        if cal.is_working(day):
            counted += 1
    return day


def working_days_between(cal: Calendar, after: date, upto: date) -> int:
    """Working days d with after < d <= upto (negative when upto is before after)."""
    if upto < after:
        return -working_days_between(cal, upto, after)
    count, day = 0, after
    while day < upto:
        day += ONE_DAY
        if cal.is_working(day):
            count += 1
    return count


def days_left(cal: Calendar, today: date, due: date) -> int:
    """Working days after `today` up to and including `due` (0 on the due date;
    negative once overdue, by the working days past it)."""
    return working_days_between(cal, today, due)


def days_used(cal: Calendar, start: date, today: date) -> int:
    """Working days after the start event up to and including `today`."""
    return max(0, working_days_between(cal, start, today))


def excluded_by_suspension(cal: Calendar, start: date, end: date) -> int:
    """Working days in [start, end): a Monday-to-Wednesday suspension excludes
    Monday and Tuesday; one that starts and ends on the same day excludes none."""
    count, day = 0, start
    while day < end:
        if cal.is_working(day):
            count += 1
        day += ONE_DAY
    return count


def shift(cal: Calendar, due: date, k: int) -> date:
    """Move a due date on by k working days (a suspension's count, an extension)."""
    return add_working_days(cal, due, k)


def is_overdue(today: date, due: date) -> bool:
    """Overdue starts at 00:00 of the calendar day after the due date."""
    return today > due


GREEN, YELLOW, RED = "green", "yellow", "red"


def light(
    cal: Calendar,
    *,
    today: date,
    start: date,
    due: date,
    limit: int,
    yellow_left: int = 1,
    yellow_ratio: float = 0.8,
) -> str:
    """Red when today is after the due date; yellow when `left <= yellow_left` or
    `used >= ceil(yellow_ratio * limit)`; otherwise green (CONTRACTS.md "Lights")."""
    if is_overdue(today, due):
        return RED
    if days_left(cal, today, due) <= yellow_left:
        return YELLOW
    if limit > 0 and days_used(cal, start, today) >= math.ceil(yellow_ratio * limit):
        return YELLOW
    return GREEN
