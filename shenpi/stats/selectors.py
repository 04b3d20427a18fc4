"""The figures of 本部门统计, summed from the rollup (models.Tally) over a period: a read
of the department's rows for the period's days, never of the cases."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from django.core.cache import cache
from django.db.models import Count, Q, Sum, UUIDField, Value

from shenpi.accounts.constants import Role
from shenpi.accounts.models import Department, User
from shenpi.cases.constants import CaseStatus
from shenpi.cases.models import ACTIVE_TASK_STATUSES, Task
from shenpi.cases.selectors import cases_visible_to
from shenpi.catalog.models import Item
from shenpi.core.errors import DomainError
from shenpi.core.flow import parse_flow
from shenpi.supervision.models import Complaint, Rating

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
    ("complaints", "投诉"),
    ("ratings", "好差评"),
    ("rating_average", "评价均分"),
    ("bad_ratings", "差评"),
]


def percentile(days: Counter, q: int) -> int | None:
    """The nearest-rank q-th percentile of a histogram of whole working days."""
    total = sum(days.values())
    if not total:
        return None
    rank, seen = -(-q * total // 100), 0
    for value in sorted(days):
        seen += days[value]
        if seen >= rank:
            return value
    return None


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
        """The working days within which 90 % of the period's decisions were made."""
        return percentile(self.days, 90)

    @property
    def rating_average(self) -> float | None:
        rated = self.counts["ratings"]
        return round(self.counts["rating_points"] / rated, 2) if rated else None

    def value(self, key: str):
        if key in (
            "on_time_promised", "on_time_statutory", "average_days", "p90_days", "rating_average"
        ):  # fmt: skip
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


def _rows(departments, period: Period, by_item: bool):
    # The steps' rows are "where it gets stuck"'s (stuck_steps), not these figures'.
    rows = Tally.objects.filter(
        department__in=departments, day__gte=period.start, day__lte=period.end
    ).exclude(measure=Measure.STEP_DAYS)
    if by_item:
        rows = rows.values_list("department_id", "item_id", "measure", "bucket")
    else:
        rows = rows.annotate(no_item=Value(None, output_field=UUIDField())).values_list(
            "department_id", "no_item", "measure", "bucket"
        )
    return rows.annotate(total=Sum("n")).order_by()


def _voices(departments, period: Period):
    filed = (
        Complaint.objects.filter(period.within("filed_at"), department__in=departments)
        .values_list("department_id", "item_id")
        .annotate(n=Count("pk"))
        .order_by()
    )
    for department_id, item_id, n in filed:
        yield department_id, item_id, "complaints", n
    rated = (
        Rating.objects.filter(period.within("rated_at"), case__department__in=departments)
        .exclude(appeal_upheld=True)  # an upheld appeal takes the rating out of the figures
        .values_list("case__department_id", "case__item_id")
        .annotate(n=Count("pk"), points=Sum("overall"), bad=Count("pk", filter=Q(overall__lte=2)))
        .order_by()
    )
    for department_id, item_id, n, points, bad in rated:
        yield department_id, item_id, "ratings", n
        yield department_id, item_id, "rating_points", points
        yield department_id, item_id, "bad_ratings", bad


def department_figures(
    departments: list[Department], period: Period, *, by_item: bool = True
) -> dict:
    """{"departments": [(department, Figures)], "items": {department id: [(item,
    Figures)]}, "total": Figures} for the period; `by_item` False: no "items" (a read of
    the departments' rows only, for pages that show none)."""
    by_department: dict = {d.pk: Figures() for d in departments}
    per_item: dict = {}
    for department_id, item_id, measure, bucket, n in _rows(departments, period, by_item):
        by_department[department_id].add(measure, bucket, n)
        if by_item:
            per_item.setdefault(department_id, {}).setdefault(item_id, Figures()).add(
                measure, bucket, n
            )
    # The public's voice, read from their own (small) tables: complaints filed and ratings
    # given in the period, under the case's (or the complaint's) department and item.
    for department_id, item_id, measure, n in _voices(departments, period):
        by_department[department_id].counts[measure] += n
        if by_item and item_id is not None:
            per_item.setdefault(department_id, {}).setdefault(item_id, Figures()).counts[
                measure
            ] += n
    items = Item.objects.select_related("current").in_bulk(
        {i for rows in per_item.values() for i in rows}
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
            for department_id, rows in per_item.items()
        },
        "total": total,
    }


def _step_names(item) -> dict[str, str]:
    version = item.current
    if version is None:
        return {}
    try:
        return {step.key: step.name for step in parse_flow(version.flow).steps}
    except DomainError:  # a flow that no longer parses: its steps go by their keys
        return {}


def stuck_steps(department: Department, period: Period) -> list[dict]:
    """Where it gets stuck: for each step of each item done in the period, how many, the
    median and 90th-percentile working days it took, and its share of the working days
    the period's decisions took (their acceptance to decision), the slowest first."""
    steps: dict = {}
    decided: Counter = Counter()
    rows = (
        Tally.objects.filter(
            department=department,
            day__gte=period.start,
            day__lte=period.end,
            measure__in=[Measure.STEP_DAYS, Measure.DECIDED_DAYS],
        )
        .values_list("item_id", "measure", "step", "bucket")
        .annotate(total=Sum("n"))
        .order_by()
    )
    for item_id, measure, step, bucket, n in rows:
        if measure == Measure.DECIDED_DAYS:
            decided[item_id] += bucket * n
        else:
            steps.setdefault((item_id, step), Counter())[bucket] += n
    items = Item.objects.select_related("current").in_bulk({i for i, _ in steps})
    names = {pk: _step_names(item) for pk, item in items.items()}
    found = []
    for (item_id, step), days in steps.items():
        item, spent = items[item_id], sum(d * n for d, n in days.items())
        found.append(
            {
                "item": item,
                "item_label": item.current.name if item.current else item.code,
                "step": step,
                "step_name": names[item_id].get(step, step),
                "done": sum(days.values()),
                "median": percentile(days, 50),
                "p90": percentile(days, 90),
                "share": round(100 * spent / decided[item_id], 1) if decided[item_id] else None,
            }
        )
    return sorted(found, key=lambda r: (-(r["p90"] or 0), -r["done"], r["item"].code, r["step"]))


def blockers(department: Department, today, limit: int = 10) -> list[dict]:
    """Who blocks now: the officials (or, where nobody has claimed it, the departments)
    holding open steps of this department's running cases that are overdue — against
    the step's own due date, the case's promised limit and its statutory limit (REV-05)
    — the most first. Live, from the open steps, not the period; read at most once a
    minute per department (a read of all its open steps: 90 ms at a million cases)."""
    key = f"stats:blockers:{department.pk}:{today}:{limit}"
    found = cache.get(key)
    if found is None:
        found = _blockers(department, today, limit)
        cache.set(key, found, 60)
    return found


def _blockers(department: Department, today, limit: int) -> list[dict]:
    late_step = Q(due_date__lt=today)
    late_promised = Q(case__promised_due__lt=today)
    late_statutory = Q(case__statutory_due__lt=today)
    rows = (
        Task.objects.filter(
            case__department=department,
            case__status=CaseStatus.PROCESSING,
            status__in=ACTIVE_TASK_STATUSES,
            paused=False,
        )
        .filter(late_step | late_promised)
        .values("department_id", "claimed_by_id")
        .annotate(
            step=Count("pk", filter=late_step),
            promised=Count("pk", filter=late_promised),
            statutory=Count("pk", filter=late_statutory),
        )
        .order_by("-statutory", "-promised", "-step")[:limit]
    )
    rows = list(rows)
    people = User.objects.in_bulk({r["claimed_by_id"] for r in rows if r["claimed_by_id"]})
    departments = Department.objects.in_bulk({r["department_id"] for r in rows})
    return [
        {
            "holder": people[r["claimed_by_id"]].display_name
            if r["claimed_by_id"]
            else "（未认领）",
            "department": departments[r["department_id"]],
            "co_department": r["department_id"] != department.pk,
            "step": r["step"],
            "promised": r["promised"],
            "statutory": r["statutory"],
        }
        for r in rows
    ]


# The cases behind each counted figure, read from the cases' own dates (the same events
# the rollup counts): (filter on Case, the date shown beside each).
BEHIND = {
    "received": (lambda p: p.within("received_at"), "received_at"),
    "accepted": (lambda p: p.within("accepted_at"), "accepted_at"),
    "not_accepted": (
        lambda p: Q(status=CaseStatus.NOT_ACCEPTED) & p.within("ended_at"),
        "ended_at",
    ),
    "granted": (lambda p: Q(outcome="granted") & p.within("decided_at"), "decided_at"),
    "refused": (lambda p: Q(outcome="refused") & p.within("decided_at"), "decided_at"),
    "withdrawn": (lambda p: Q(status=CaseStatus.WITHDRAWN) & p.within("ended_at"), "ended_at"),
    "correction": (lambda p: p.within("corrections__issued_at"), "received_at"),
    "suspended": (
        lambda p: Q(suspensions__started_on__gte=p.start, suspensions__started_on__lte=p.end),
        "accepted_at",
    ),
    "extended": (lambda p: p.within("extension__approved_at"), "accepted_at"),
}


def cases_behind(user, department: Department, item: Item | None, measure: str, period: Period):
    """The cases a counted figure counts, of those this person may see (a head's figures
    may cover cases of divisions below that they do not see: those stay out)."""
    where, shown = BEHIND[measure]
    cases = cases_visible_to(user).filter(where(period), department=department)
    if item is not None:
        cases = cases.filter(item=item)
    return cases.distinct().order_by(f"-{shown}", "number"), shown
