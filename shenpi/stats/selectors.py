"""The figures of 本部门统计, summed from the rollup (models.Tally) over a period: a read
of the department's rows for the period's days, never of the cases."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from django.db.models import Sum

from shenpi.accounts.constants import Role
from shenpi.accounts.models import Department
from shenpi.catalog.models import Item

from .models import Measure, Tally
from .periods import Period

# The columns of the tables and the export, in order: (key, heading).
COLUMNS = [
    ("received", "收件"),
    ("accepted", "受理"),
    ("not_accepted", "不予受理"),
    ("granted", "准予许可"),
    ("refused", "不予许可"),
    ("withdrawn", "撤回"),
    ("on_time_promised", "承诺期限内办结率"),
    ("on_time_statutory", "法定期限内办结率"),
    ("average_days", "平均用时（工作日）"),
    ("p90_days", "90%办件用时（工作日）"),
    ("correction", "一次性告知补正"),
    ("suspended", "特别程序"),
    ("extended", "延期"),
]


@dataclass
class Figures:
    counts: Counter = field(default_factory=Counter)
    days: Counter = field(default_factory=Counter)  # working days to decision -> decisions

    def add(self, measure: str, bucket: int, n: int) -> None:
        if measure == Measure.DECIDED_DAYS:
            self.days[bucket] += n
        else:
            self.counts[measure] += n

    def merge(self, other: Figures) -> None:
        self.counts.update(other.counts)
        self.days.update(other.days)

    @property
    def decided(self) -> int:
        return self.counts[Measure.GRANTED] + self.counts[Measure.REFUSED]

    def _on_time(self, late: str) -> float | None:
        timed = sum(self.days.values())
        return None if not timed else round(100 * (timed - self.counts[late]) / timed, 1)

    @property
    def on_time_promised(self) -> float | None:
        return self._on_time(Measure.LATE_PROMISED)

    @property
    def on_time_statutory(self) -> float | None:
        return self._on_time(Measure.LATE_STATUTORY)

    @property
    def average_days(self) -> float | None:
        timed = sum(self.days.values())
        return None if not timed else round(sum(d * n for d, n in self.days.items()) / timed, 1)

    @property
    def p90_days(self) -> int | None:
        """The working days within which 90 % of the period's decisions were made (the
        nearest-rank percentile of whole days)."""
        timed = sum(self.days.values())
        if not timed:
            return None
        rank, seen = -(-9 * timed // 10), 0
        for days in sorted(self.days):
            seen += self.days[days]
            if seen >= rank:
                return days
        return None

    def value(self, key: str):
        if key in ("on_time_promised", "on_time_statutory", "average_days", "p90_days"):
            return getattr(self, key)
        return self.counts[key]

    def row(self) -> list:
        return [self.value(key) for key, _ in COLUMNS]


def departments_for(user) -> list[Department]:
    """Whose figures this person sees: an official their department; a head also the
    departments of the same kind in the divisions under theirs, side by side. Aggregates
    only: the cases behind them stay as scoped as ever."""
    if getattr(user, "is_system_client", False) or not user.has_role(Role.OFFICIAL, Role.HEAD):
        return []
    own = user.department
    if own is None:
        return []
    if not user.has_role(Role.HEAD):
        return [own]
    return list(
        Department.objects.filter(
            kind_id=own.kind_id, division__path__startswith=own.division.path, is_active=True
        )
        .select_related("division")
        .order_by("division__path", "code")
    )


def _rows(departments, period: Period):
    return (
        Tally.objects.filter(department__in=departments, day__gte=period.start, day__lte=period.end)
        .values_list("department_id", "item_id", "measure", "bucket")
        .annotate(total=Sum("n"))
        .order_by()
    )


def department_figures(departments: list[Department], period: Period) -> dict:
    """{"departments": [(department, Figures)], "items": {department id: [(item,
    Figures)]}, "total": Figures} for the period."""
    by_department: dict = {d.pk: Figures() for d in departments}
    by_item: dict = {}
    for department_id, item_id, measure, bucket, n in _rows(departments, period):
        by_department[department_id].add(measure, bucket, n)
        by_item.setdefault(department_id, {}).setdefault(item_id, Figures()).add(measure, bucket, n)
    items = Item.objects.select_related("current").in_bulk(
        {i for rows in by_item.values() for i in rows}
    )
    for item in items.values():
        # An abolished item keeps its code; its figures stay under it.
        item.label = item.current.name if item.current else item.code
    total = Figures()
    for figures in by_department.values():
        total.merge(figures)
    return {
        "departments": [(d, by_department[d.pk]) for d in departments],
        "items": {
            department_id: sorted(
                ((items[i], f) for i, f in rows.items()), key=lambda pair: pair[0].code
            )
            for department_id, rows in by_item.items()
        },
        "total": total,
    }
