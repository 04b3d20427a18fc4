"""The period a statistics page or call covers: a month (2026-11), a quarter (2026Q4), a
year (2026) or any range of days; refused in Chinese when malformed."""

from __future__ import annotations

import calendar as months
import re
from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import Q

from shenpi.core import clock
from shenpi.core.errors import InvalidInput
from shenpi.workdays.services import calendar

LONGEST = 3 * 366  # days a range may span


@dataclass(frozen=True)
class Period:
    start: date
    end: date
    key: str  # as given back in links: "2026-11", "2026Q4", "2026", "2026-01-05..2026-02-01"
    label: str  # "2026年11月"

    def within(self, field: str) -> Q:
        """A moment `field` whose local day falls in the period."""
        return Q(**{f"{field}__date__gte": self.start, f"{field}__date__lte": self.end})

    def working_days(self) -> int:
        return clock.working_days_between(calendar(), self.start - timedelta(days=1), self.end)


def month(year: int, m: int) -> Period:
    last = months.monthrange(year, m)[1]
    return Period(date(year, m, 1), date(year, m, last), f"{year}-{m:02d}", f"{year}年{m}月")


def month_of(first: date) -> Period:
    return month(first.year, first.month)


def shift_month(first: date, count: int) -> date:
    """The first day of the month `count` months after (or before) `first`'s."""
    total = first.year * 12 + first.month - 1 + count
    return date(total // 12, total % 12 + 1, 1)


def months_before(first: date, count: int) -> list[date]:
    """The `count` months before `first`'s, oldest first (their first days)."""
    return [shift_month(first, k) for k in range(-count, 0)]


def months_from(first: date, count: int) -> list[date]:
    """`first`'s month and the `count` - 1 after it."""
    return [shift_month(first, k) for k in range(count)]


def parse_period(value: str | None, today: date) -> Period:
    """`value` as the page's select and the API's parameter give it; empty: this month."""
    value = (value or "").strip()
    if not value:
        return month(today.year, today.month)
    if m := re.fullmatch(r"(\d{4})-(\d{2})", value):
        year, mm = int(m[1]), int(m[2])
        if 1 <= mm <= 12 and 2000 <= year <= 2100:
            return month(year, mm)
    elif m := re.fullmatch(r"(\d{4})Q([1-4])", value):
        year, q = int(m[1]), int(m[2])
        if 2000 <= year <= 2100:
            first, last = month(year, 3 * q - 2), month(year, 3 * q)
            return Period(first.start, last.end, value, f"{year}年第{q}季度")
    elif m := re.fullmatch(r"(\d{4})", value):
        year = int(m[1])
        if 2000 <= year <= 2100:
            return Period(date(year, 1, 1), date(year, 12, 31), value, f"{year}年")
    elif m := re.fullmatch(r"(\d{4}-\d{2}-\d{2})\.\.(\d{4}-\d{2}-\d{2})", value):
        try:
            start, end = date.fromisoformat(m[1]), date.fromisoformat(m[2])
        except ValueError:
            start = end = None
        if start and end and start <= end and (end - start) <= timedelta(days=LONGEST):
            return Period(start, end, value, f"{start:%Y年%m月%d日}至{end:%Y年%m月%d日}")
        if start and end:
            raise InvalidInput(
                "起止日期有误：开始日期须不晚于结束日期，且跨度不超过三年。",
                errors={"period": ["起止日期有误。"]},
            )
    raise InvalidInput(
        "统计期间的格式有误：月份如 2026-11，季度如 2026Q4，年度如 2026，"
        "日期范围如 2026-01-01..2026-03-31。",
        errors={"period": ["格式有误。"]},
    )
