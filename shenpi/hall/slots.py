"""The hall's clock: which half-days are open (working days of the platform's calendar,
make-up days included, holidays not), when a half-day's booking and check-in windows are,
and the free slots of a group."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.utils import timezone

from shenpi.core.clock import Calendar

from .constants import BOOKING_DAYS, CHECK_IN_EARLY, Half


@dataclass(frozen=True)
class Slot:
    day: date
    half: str
    starts: datetime
    ends: datetime
    capacity: int
    booked: int

    @property
    def free(self) -> int:
        return max(0, self.capacity - self.booked)

    @property
    def half_display(self) -> str:
        return Half(self.half).label


def at(day: date, moment) -> datetime:
    return timezone.make_aware(datetime.combine(day, moment))


def bounds(hall, day: date, half: str) -> tuple[datetime, datetime]:
    opens, closes = hall.hours(half)
    return at(day, opens), at(day, closes)


def open_half(hall, cal: Calendar, now: datetime) -> str | None:
    """The half-day the hall is open in at `now`, or None (a day off, before, between or
    after the opening hours)."""
    local = timezone.localtime(now)
    if not cal.is_working(local.date()):
        return None
    for half in Half.values:
        starts, ends = bounds(hall, local.date(), half)
        if starts <= now < ends:
            return half
    return None


def check_in_window(hall, day: date, half: str) -> tuple[datetime, datetime]:
    """A booking checks in from half an hour before its half-day opens until it closes."""
    starts, ends = bounds(hall, day, half)
    return starts - CHECK_IN_EARLY, ends


def bookable_days(cal: Calendar, today: date, n: int = BOOKING_DAYS) -> list[date]:
    """The next `n` working days after today (Art. 42's working days: the platform's
    calendar, so a holiday has no slot and a make-up Saturday has)."""
    days, day = [], today
    while len(days) < n:
        day += timedelta(days=1)
        if cal.is_working(day):
            days.append(day)
    return days


def slots(hall, cal: Calendar, windows: int, booked: dict, today: date, now: datetime):
    """The slots of the bookable days: each half-day's capacity (windows × the hall's
    bookings per window) and how many hold it (booked: {(day, half): n})."""
    out = []
    for day in bookable_days(cal, today):
        for half in Half.values:
            starts, ends = bounds(hall, day, half)
            if ends <= now:
                continue
            out.append(
                Slot(
                    day,
                    half,
                    starts,
                    ends,
                    windows * hall.bookings_per_window,
                    booked.get((day, half), 0),
                )
            )
    return out
