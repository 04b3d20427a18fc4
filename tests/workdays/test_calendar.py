"""The calendar built from the holidays library and the administrator's table
matches LAW.md §2 day for day (CONTRACTS.md: official and provisional years)."""

from datetime import date

import pytest

from shenpi.workdays.models import CalendarDay, CalendarYear
from shenpi.workdays.services import build_calendar, next_year_alert
from tests.core.test_clock import LAW

pytestmark = pytest.mark.django_db


def weekdays_off(cal, year):
    return {d for d in cal.off if d.year == year and d.weekday() < 5}


@pytest.mark.parametrize("year", [2025, 2026])
def test_announced_years_match_the_state_council_notices(year):
    cal = build_calendar([year])
    assert weekdays_off(cal, year) == weekdays_off(LAW, year)
    assert {d for d in cal.on if d.year == year} == {d for d in LAW.on if d.year == year}
    assert not cal.is_provisional(date(year, 6, 1))


def test_an_unannounced_year_is_provisional_with_the_13_statutory_days():
    cal = build_calendar([2027])
    assert cal.is_provisional(date(2027, 6, 1))
    statutory = {d for d in cal.off if d.year == 2027}
    assert len(statutory) == 13
    assert weekdays_off(cal, 2027) == weekdays_off(LAW, 2027)
    assert date(2027, 2, 9) not in cal.off  # the library's "observed" guess is ignored


def test_the_administrators_table_announces_a_year():
    CalendarDay.objects.create(date=date(2027, 2, 9), kind="holiday", note="春节调休")
    CalendarDay.objects.create(date=date(2027, 2, 20), kind="workday", note="春节调休上班")
    cal = build_calendar([2027])
    assert not cal.is_provisional(date(2027, 6, 1))
    assert not cal.is_working(date(2027, 2, 9))
    assert cal.is_working(date(2027, 2, 20))


def test_a_year_can_be_declared_official_or_provisional():
    CalendarYear.objects.create(year=2027, official=True, notice="国办发明电〔2026〕X号")
    assert not build_calendar([2027]).is_provisional(date(2027, 1, 4))
    CalendarYear.objects.filter(year=2027).update(official=False)
    assert build_calendar([2026, 2027]).is_provisional(date(2027, 1, 4))


def test_the_administrator_is_alerted_from_1_november():
    assert next_year_alert(date(2026, 10, 31)) is None
    assert "2027" in next_year_alert(date(2026, 11, 1))
    CalendarYear.objects.create(year=2027, official=True)
    from shenpi.workdays.services import calendar_changed

    calendar_changed()
    assert next_year_alert(date(2026, 11, 1)) is None
