"""Building the working-day calendar as data for the pure clock.

Per year: if the `holidays` library knows the year's make-up working days
(`weekend_workdays`) or the administrator has declared the year official, the
year is official and counted with every announced day off and make-up day;
otherwise it is provisional and only the 13 statutory holiday days of the
放假办法 are off (the library's "observed" guesses are ignored). The
administrator's table overrides either way.
"""

from __future__ import annotations

from datetime import date

import holidays
from django.core.cache import cache
from django.utils import timezone

from shenpi.core.clock import Calendar

from .models import CalendarDay, CalendarYear, DayKind

VERSION_KEY = "workdays:version"
_memo: dict = {}


def _library_year(year: int) -> tuple[set[date], set[date], bool]:
    lib = holidays.China(years=year)
    workdays = {d for d in getattr(lib, "weekend_workdays", set()) if d.year == year}
    if workdays:
        return {d for d in lib if d.year == year}, workdays, True
    # Provisional: New Year, Spring Festival eve and days 1-3, Qingming, 1-2 May,
    # Dragon Boat, Mid-Autumn, 1-3 Oct — the names without the library's guesses.
    statutory = {
        d
        for d, name in lib.items()
        if d.year == year and "observed" not in name and not name.startswith("Day off")
    }
    return statutory, set(), False


def build_calendar(years) -> Calendar:
    years = sorted(set(years))
    off: set[date] = set()
    on: set[date] = set()
    official: set[int] = set()
    for year in years:
        lib_off, lib_on, lib_official = _library_year(year)
        off |= lib_off
        on |= lib_on
        if lib_official:
            official.add(year)
    declared = dict(CalendarYear.objects.filter(year__in=years).values_list("year", "official"))
    for day in CalendarDay.objects.filter(date__year__in=years):
        if day.kind == DayKind.HOLIDAY:
            off.add(day.date)
            on.discard(day.date)
        else:
            on.add(day.date)
            off.discard(day.date)
            if day.date.weekday() >= 5:
                official.add(day.date.year)  # a make-up day entered: the year is announced
    for year, is_official in declared.items():
        (official.add if is_official else official.discard)(year)
    return Calendar(off=frozenset(off), on=frozenset(on), official_years=frozenset(official))


def calendar(today: date | None = None) -> Calendar:
    """The calendar around today (two years back, three ahead), cached until the table changes."""
    today = today or timezone.localdate()
    version = cache.get(VERSION_KEY, 0)
    key = (today.year, version)
    if key not in _memo:
        _memo.clear()
        _memo[key] = build_calendar(range(today.year - 2, today.year + 4))
    return _memo[key]


def calendar_changed() -> None:
    try:
        cache.incr(VERSION_KEY)
    except ValueError:
        cache.set(VERSION_KEY, 1, None)
    _memo.clear()


def next_year_alert(today: date | None = None) -> str | None:
    """From 1 November, tell the administrator when next year's schedule is not in yet."""
    today = today or timezone.localdate()
    if today < date(today.year, 11, 1):
        return None
    if calendar(today).is_provisional(date(today.year + 1, 6, 1)):
        return (
            f"{today.year + 1} 年的放假调休安排尚未录入：该年的到期日按法定节假日临时计算并标注“暂定”。"
            "国务院办公厅公布后，请在“工作日历”中录入调休上班日或确认该年为正式年度，系统将重算暂定的到期日。"
        )
    return None
