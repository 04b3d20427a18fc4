"""决策辅助 for a division's leader: the division's departments side by side, the months'
trend against a year earlier, the items whose load grows fastest, the forecast
(stats.forecast, stored by its job) and staffing hints. All from the rollup."""

from __future__ import annotations

from collections import defaultdict
from datetime import date

from django.core.cache import cache
from django.db.models import Count, Sum
from django.db.models.functions import TruncMonth

from shenpi.accounts.constants import Role
from shenpi.accounts.models import Department, User
from shenpi.accounts.scope import visible_departments
from shenpi.catalog.models import Item

from .models import Forecast, ForecastRun, Measure, Tally
from .periods import month_of, months_before, shift_month


def leader_departments(user) -> list[Department]:
    """A leader sees every department of their division and the divisions below (their
    scope, accounts.scope)."""
    if getattr(user, "is_system_client", False) or not user.has_role(Role.LEADER):
        return []
    return list(visible_departments(user).filter(is_active=True).order_by("division__path", "code"))


def _monthly(departments, measures, since: date, before: date) -> dict:
    """{(first of month, measure): n} over the departments."""
    rows = (
        Tally.objects.filter(
            department__in=departments, measure__in=measures, day__gte=since, day__lt=before
        )
        .annotate(m=TruncMonth("day"))
        .values_list("m", "measure")
        .annotate(total=Sum("n"))
        .order_by()
    )
    found: dict = defaultdict(int)
    for first, measure, total in rows:
        first = first.date() if hasattr(first, "date") else first
        found[(first, measure)] += total
    return found


def trend(departments, today: date, months: int = 12) -> list[dict]:
    """The last `months` complete months: applications and decisions, each beside the
    same month a year earlier."""
    this_month = date(today.year, today.month, 1)
    shown = months_before(this_month, months)
    earlier = months_before(this_month, months + 12)[0]
    measures = [Measure.RECEIVED, Measure.GRANTED, Measure.REFUSED]
    found = _monthly(departments, measures, earlier, this_month)

    def decided(m):
        return found[(m, Measure.GRANTED)] + found[(m, Measure.REFUSED)]

    out = []
    for m in shown:
        before = shift_month(m, -12)
        out.append(
            {
                "month": m,
                "label": f"{m.year}年{m.month}月",
                "received": found[(m, Measure.RECEIVED)],
                "received_before": found[(before, Measure.RECEIVED)],
                "decided": decided(m),
                "decided_before": decided(before),
            }
        )
    return out


def growing_items(departments, today: date, *, months: int = 3, least: int = 10) -> list[dict]:
    """The items whose applications in the last `months` complete months grew most
    against the same months a year earlier (at least `least` a year earlier, so that a
    handful does not read as a surge)."""
    this_month = date(today.year, today.month, 1)
    recent = months_before(this_month, months)
    start, before_start = recent[0], shift_month(recent[0], -12)
    before_end = shift_month(this_month, -12)
    totals: dict = defaultdict(lambda: [0, 0])
    for since, until, slot in ((start, this_month, 0), (before_start, before_end, 1)):
        for item_id, total in (
            Tally.objects.filter(
                department__in=departments,
                measure=Measure.RECEIVED,
                day__gte=since,
                day__lt=until,
            )
            .values_list("item_id")
            .annotate(total=Sum("n"))
            .order_by()
        ):
            totals[item_id][slot] += total
    items = Item.objects.select_related("current", "department").in_bulk(list(totals))
    rows = [
        {
            "item": items[i],
            "label": items[i].current.name if items[i].current else items[i].code,
            "now": now,
            "before": before,
            "growth": round(100 * (now - before) / before, 1),
        }
        for i, (now, before) in totals.items()
        if before >= least
    ]
    return sorted(rows, key=lambda r: -r["growth"])[:10]


def forecasts(departments) -> dict:
    """The stored forecast for these departments: per department and item, next month's
    and next quarter's expected applications with their intervals, the totals, and the
    held-out accuracy over these series."""
    run = ForecastRun.objects.order_by("-made_on", "-pk").first()
    if run is None:
        return {"run": None, "rows": [], "accuracy": None}
    rows: dict = {}
    error = actual = within = series = 0
    for f in (
        Forecast.objects.filter(run=run, department__in=departments)
        .select_related("item__current", "department")
        .order_by("department__code", "item__code")
    ):
        row = rows.setdefault(
            (f.department_id, f.item_id),
            {
                "department": f.department,
                "item": f.item,
                "label": f.item.current.name if f.item.current else f.item.code,
            },
        )
        row[f.horizon] = f
        if f.horizon == "month":
            error += f.held_out_error
            actual += f.held_out_actual
            within += f.held_out_within
            series += 1
    accuracy = None
    if series and actual:
        accuracy = {
            "wape": round(100 * error / actual, 1),
            "coverage": round(100 * within / (6 * series), 1),
            "series": series,
        }
    return {"run": run, "rows": list(rows.values()), "accuracy": accuracy}


def staffing(departments, today: date, forecast_rows: list[dict]) -> list[dict]:
    """Per department: its officials; the decisions per working day over the last three
    complete months and per official; and whether next month would need more decisions
    a working day than its best of those months — next month's forecast applications
    times the share of applications that came to a decision then. Needing over 10 %
    more than it has shown it can do, its backlog would grow and cases pass their
    promised limits."""
    this_month = date(today.year, today.month, 1)
    recent = months_before(this_month, 3)
    # One read of the three months' rows: per department and month, what was received
    # and decided, how many decisions were timed and how many of those were late.
    wanted = [
        Measure.RECEIVED, Measure.GRANTED, Measure.REFUSED, Measure.DECIDED_DAYS,
        Measure.LATE_PROMISED,
    ]  # fmt: skip
    found: dict = defaultdict(lambda: defaultdict(int))
    for department_id, first, measure, total in (
        Tally.objects.filter(
            department__in=departments,
            measure__in=wanted,
            day__gte=recent[0],
            day__lt=this_month,
        )
        .annotate(m=TruncMonth("day"))
        .values_list("department_id", "m", "measure")
        .annotate(total=Sum("n"))
        .order_by()
    ):
        first = first.date() if hasattr(first, "date") else first
        found[department_id][(first, measure)] += total
        found[department_id][measure] += total
    days_of = {m: month_of(m).working_days() for m in [*recent, this_month]}
    days, next_days = sum(days_of[m] for m in recent), days_of[this_month]
    officials = dict(
        User.objects.filter(
            office__department__in=departments,
            role_assignments__role__in=[Role.OFFICIAL, Role.HEAD],
            is_active=True,
        )
        .values_list("office__department")
        .annotate(n=Count("pk", distinct=True))
        .order_by()
    )
    expected: dict = defaultdict(float)
    for row in forecast_rows:
        if "month" in row:
            expected[row["department"].pk] += row["month"].expected
    out = []
    for d in departments:
        f, staff = found[d.pk], officials.get(d.pk, 0)
        decided = f[Measure.GRANTED] + f[Measure.REFUSED]
        coming = expected.get(d.pk)
        if not decided and not coming:
            continue
        best = max(
            (
                (f[(m, Measure.GRANTED)] + f[(m, Measure.REFUSED)]) / days_of[m]
                for m in recent
                if days_of[m]
            ),
            default=0.0,
        )
        per_day = decided / days if days else 0.0
        share = decided / f[Measure.RECEIVED] if f[Measure.RECEIVED] else 1.0
        needed = coming * share / next_days if coming is not None and next_days else None
        timed = f[Measure.DECIDED_DAYS]
        out.append(
            {
                "department": d,
                "officials": staff,
                "decided_per_day": round(per_day, 2),
                "best_per_day": round(best, 2),
                "per_official": round(per_day / staff, 2) if staff else None,
                "on_time": round(100 * (timed - f[Measure.LATE_PROMISED]) / timed, 1)
                if timed
                else None,
                "needed_per_day": None if needed is None else round(needed, 2),
                "at_risk": needed is not None and needed > best * 1.1,
            }
        )
    return sorted(out, key=lambda r: (not r["at_risk"], r["department"].code))


def settled(departments, today: date, ahead: dict) -> dict:
    """The parts of 决策辅助 read from complete months only — the trend, the growing
    items, the staffing hints — kept for the day: a transition writes its rollup rows
    under today's date, so a past month's sums cannot change before tomorrow (a new
    forecast run has its own key)."""
    run = ahead["run"]
    key = f"stats:decision:{hash(tuple(sorted(str(d.pk) for d in departments)))}:{today}:{run.pk if run else 0}"
    found = cache.get(key)
    if found is None:
        found = {
            "months": trend(departments, today),
            "growing": growing_items(departments, today),
            "staffing": staffing(departments, today, ahead["rows"]),
        }
        cache.set(key, found, 3600)
    return found
