"""Writing the rollup (models.Tally) and keeping it small.

`count_event` is called by the case's timeline (cases.records.event) in the transition's
transaction, so a figure changes exactly when the case does, and a rolled-back
transition counts nothing. `compact` folds the deltas of past days into one row per
key; reads sum either kind of row alike."""

from __future__ import annotations

from collections import Counter
from datetime import date

from django.db import connection, models, transaction
from django.utils import timezone

from shenpi.core import clock
from shenpi.workdays.services import calendar

from .models import Measure, Tally

# The timeline's kinds that a figure counts, and the measure each adds to.
EVENT_MEASURES = {
    "received": Measure.RECEIVED,
    "accepted": Measure.ACCEPTED,
    "deemed_accepted": Measure.ACCEPTED,
    "not_accepted": Measure.NOT_ACCEPTED,
    "withdrawn": Measure.WITHDRAWN,
    "deemed_withdrawn": Measure.WITHDRAWN,
    "correction": Measure.CORRECTION,
    "suspended": Measure.SUSPENDED,
    "extended": Measure.EXTENDED,
}
# Working days are bucketed as they are; anything beyond this is counted here (the
# longest limit, 45 + 15 working days, fits well within).
MAX_BUCKET = 250


def decision_measures(case, day: date) -> list[tuple[str, int]]:
    """A decision's rows: the outcome, its working days from acceptance to decision less
    the days the clock stood still (Art. 45), and whether it passed each limit."""
    rows = [(Measure.GRANTED if case.outcome == "granted" else Measure.REFUSED, 0)]
    if case.accepted_at is None:
        return rows
    accepted = timezone.localtime(case.accepted_at).date()
    used = clock.days_used(calendar(), accepted, day) - (case.suspended_days or 0)
    rows.append((Measure.DECIDED_DAYS, min(max(used, 0), MAX_BUCKET)))
    if case.promised_due and day > case.promised_due:
        rows.append((Measure.LATE_PROMISED, 0))
    if case.statutory_due and day > case.statutory_due:
        rows.append((Measure.LATE_STATUTORY, 0))
    return rows


def count_event(case, kind: str, at) -> None:
    """The rows a timeline entry of `kind` on `case` adds (none for most kinds)."""
    day = timezone.localtime(at).date()
    if kind == "decided":
        rows = decision_measures(case, day)
    elif kind in EVENT_MEASURES:
        rows = [(EVENT_MEASURES[kind], 0)]
    else:
        return
    Tally.objects.bulk_create(
        [
            Tally(
                day=day,
                division_id=case.division_id,
                department_id=case.department_id,
                item_id=case.item_id,
                measure=measure,
                bucket=bucket,
            )
            for measure, bucket in rows
        ]
    )


KEY = "day, division_id, department_id, item_id, measure, bucket"


@transaction.atomic
def compact(before: date | None = None) -> dict:
    """Fold the deltas of days before `before` (today) into one row per key: the deltas
    are deleted and their sums inserted in one statement, so a reader sees either."""
    before = before or timezone.localdate()
    table = Tally._meta.db_table
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                f"""
                WITH gone AS (
                    DELETE FROM {table} WHERE NOT compacted AND day < %s
                    RETURNING {KEY}, n)
                INSERT INTO {table} ({KEY}, n, compacted)
                SELECT {KEY}, sum(n), true FROM gone GROUP BY {KEY}
                """,
                [before],
            )
        else:
            cursor.execute(
                f"""
                INSERT INTO {table} ({KEY}, n, compacted)
                SELECT {KEY}, sum(n), true FROM {table}
                WHERE NOT compacted AND day < %s GROUP BY {KEY}
                """,
                [before],
            )
            cursor.execute(f"DELETE FROM {table} WHERE NOT compacted AND day < %s", [before])
        rows = cursor.rowcount
    return {"rows": rows}


def recount(events) -> Counter:
    """The rollup as a full recount from the timeline (`events`: CaseEvent rows with their
    case): {(day, division, department, item, measure, bucket): n}. The rollup must
    always equal it (tests), and the migration fills the rollup from it once."""
    counted: Counter = Counter()
    kinds = [*EVENT_MEASURES, "decided"]
    for event in events.filter(kind__in=kinds).select_related("case").iterator(2000):
        case, day = event.case, timezone.localtime(event.at).date()
        rows = (
            decision_measures(case, day)
            if event.kind == "decided"
            else [(EVENT_MEASURES[event.kind], 0)]
        )
        for measure, bucket in rows:
            counted[
                (day, case.division_id, case.department_id, case.item_id, str(measure), bucket)
            ] += 1
    return counted


def summed(tallies) -> Counter:
    """The rollup's rows (`tallies`) summed per key, deltas and compacted rows alike."""
    counted: Counter = Counter()
    for row in tallies.values(
        "day", "division_id", "department_id", "item_id", "measure", "bucket"
    ).annotate(total=models.Sum("n")):
        counted[
            (
                row["day"],
                row["division_id"],
                row["department_id"],
                row["item_id"],
                row["measure"],
                row["bucket"],
            )
        ] += row["total"]
    return +counted
