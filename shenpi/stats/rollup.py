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


def step_days(task, suspensions) -> int:
    """A step's working days from its opening to its completion, less the days of the
    case's special procedures within it (Art. 45: that time is not counted)."""
    opened = timezone.localtime(task.opened_at).date()
    done = timezone.localtime(task.completed_at).date()
    paused = sum(
        s.excluded_days
        for s in suspensions
        if s.ended_on is not None and s.started_on >= opened and s.ended_on <= done
    )
    return min(max(clock.days_used(calendar(), opened, done) - paused, 0), MAX_BUCKET)


def count_steps(case, tasks) -> None:
    """The rows of steps of the flow just done (`tasks`, completed), under the case's
    department and item: "where it gets stuck" reads them."""
    if not tasks:
        return
    suspensions = list(case.suspensions.all())
    Tally.objects.bulk_create(
        [
            Tally(
                day=timezone.localtime(task.completed_at).date(),
                division_id=case.division_id,
                department_id=case.department_id,
                item_id=case.item_id,
                measure=Measure.STEP_DAYS,
                step=task.step_key,
                bucket=step_days(task, suspensions),
            )
            for task in tasks
        ]
    )


KEY = "day, division_id, department_id, item_id, measure, step, bucket"


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


def recount(events, tasks) -> Counter:
    """The rollup as a full recount from the timeline and the steps (`events`: CaseEvent
    rows; `tasks`: Task rows): {(day, division, department, item, measure, step, bucket):
    n}. The rollup must always equal it (tests), and the migration fills it from it once."""
    counted: Counter = Counter()
    done = tasks.filter(status="done", completed_at__isnull=False).select_related("case")
    for task in done.prefetch_related("case__suspensions").iterator(2000):
        case = task.case
        day = timezone.localtime(task.completed_at).date()
        key = (day, case.division_id, case.department_id, case.item_id, "step_days")
        counted[(*key, task.step_key, step_days(task, case.suspensions.all()))] += 1
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
                (day, case.division_id, case.department_id, case.item_id, str(measure), "", bucket)
            ] += 1
    return counted


def summed(tallies) -> Counter:
    """The rollup's rows (`tallies`) summed per key, deltas and compacted rows alike."""
    counted: Counter = Counter()
    for row in tallies.values(
        "day", "division_id", "department_id", "item_id", "measure", "step", "bucket"
    ).annotate(total=models.Sum("n")):
        counted[
            (
                row["day"],
                row["division_id"],
                row["department_id"],
                row["item_id"],
                row["measure"],
                row["step"],
                row["bucket"],
            )
        ] += row["total"]
    return +counted


# The rollup from the timeline and the steps in SQL (PostgreSQL): what `recount` counts,
# written as compacted rows in a few passes over the tables. A working day's ordinal
# (stats_wd: the working days up to and including each day) turns "working days after
# A up to and including B" into a subtraction.
REFILL_EVENTS = """
INSERT INTO stats_tally (day, division_id, department_id, item_id, measure, step, bucket, n,
                         compacted)
SELECT (e.at AT TIME ZONE %(tz)s)::date, c.division_id, c.department_id, c.item_id, m.measure,
       '', 0, count(*), true
FROM cases_caseevent e
JOIN cases_case c ON c.id = e.case_id
JOIN (VALUES {pairs}) m(kind, measure) ON m.kind = e.kind
GROUP BY 1, 2, 3, 4, 5
"""
REFILL_DECISIONS = """
WITH d AS (
    SELECT (e.at AT TIME ZONE %(tz)s)::date AS day, c.division_id, c.department_id, c.item_id,
           c.outcome, (c.accepted_at AT TIME ZONE %(tz)s)::date AS accepted, c.suspended_days,
           c.promised_due, c.statutory_due
    FROM cases_caseevent e JOIN cases_case c ON c.id = e.case_id
    WHERE e.kind = 'decided'),
rows AS (
    SELECT day, division_id, department_id, item_id,
           CASE WHEN outcome = 'granted' THEN 'granted' ELSE 'refused' END AS measure, 0 AS bucket
    FROM d
    UNION ALL
    SELECT d.day, division_id, department_id, item_id, 'decided_days',
           LEAST(GREATEST(GREATEST(b.n - a.n, 0) - d.suspended_days, 0), %(max)s)
    FROM d JOIN stats_wd a ON a.day = d.accepted JOIN stats_wd b ON b.day = d.day
    UNION ALL
    SELECT day, division_id, department_id, item_id, 'late_promised', 0 FROM d
    WHERE accepted IS NOT NULL AND promised_due IS NOT NULL AND day > promised_due
    UNION ALL
    SELECT day, division_id, department_id, item_id, 'late_statutory', 0 FROM d
    WHERE accepted IS NOT NULL AND statutory_due IS NOT NULL AND day > statutory_due)
INSERT INTO stats_tally (day, division_id, department_id, item_id, measure, step, bucket, n,
                         compacted)
SELECT day, division_id, department_id, item_id, measure, '', bucket, count(*), true
FROM rows GROUP BY 1, 2, 3, 4, 5, 7
"""
REFILL_STEPS = """
WITH s AS (
    SELECT t.case_id, t.step_key, (t.opened_at AT TIME ZONE %(tz)s)::date AS opened,
           (t.completed_at AT TIME ZONE %(tz)s)::date AS done
    FROM cases_task t WHERE t.status = 'done' AND t.completed_at IS NOT NULL)
INSERT INTO stats_tally (day, division_id, department_id, item_id, measure, step, bucket, n,
                         compacted)
SELECT s.done, c.division_id, c.department_id, c.item_id, 'step_days', s.step_key,
       LEAST(GREATEST(GREATEST(b.n - a.n, 0) - COALESCE(p.days, 0), 0), %(max)s), count(*), true
FROM s
JOIN cases_case c ON c.id = s.case_id
JOIN stats_wd a ON a.day = s.opened
JOIN stats_wd b ON b.day = s.done
LEFT JOIN LATERAL (
    SELECT sum(x.excluded_days) AS days FROM cases_suspension x
    WHERE x.case_id = s.case_id AND x.ended_on IS NOT NULL
      AND x.started_on >= s.opened AND x.ended_on <= s.done) p ON true
GROUP BY 1, 2, 3, 4, 5, 6, 7
"""


def refill(cursor) -> None:
    """Write the whole rollup from the timeline and the steps (PostgreSQL), for a table
    that holds none yet: the migration on a database with history, the benchmark's
    generated cases."""
    from django.conf import settings

    cursor.execute(
        "SELECT (least((SELECT min(at) FROM cases_caseevent), "
        "(SELECT min(opened_at) FROM cases_task), (SELECT min(accepted_at) FROM cases_case)) "
        "AT TIME ZONE %s)::date",
        [settings.TIME_ZONE],
    )
    first = cursor.fetchone()[0]
    if first is None:
        return
    last = max(timezone.localdate(), first)
    cal, ordinal, rows = calendar(), 0, []
    day = first
    while day <= last:
        ordinal += cal.is_working(day)
        rows.append((day, ordinal))
        day = date.fromordinal(day.toordinal() + 1)
    cursor.execute("DROP TABLE IF EXISTS pg_temp.stats_wd")
    cursor.execute("CREATE TEMP TABLE stats_wd (day date PRIMARY KEY, n int NOT NULL)")
    with cursor.copy("COPY stats_wd (day, n) FROM STDIN") as copy:
        for row in rows:
            copy.write_row(row)
    pairs = ", ".join(f"('{kind}', '{measure.value}')" for kind, measure in EVENT_MEASURES.items())
    params = {"tz": settings.TIME_ZONE, "max": MAX_BUCKET}
    for statement in (REFILL_EVENTS.format(pairs=pairs), REFILL_DECISIONS, REFILL_STEPS):
        cursor.execute(statement, params)
    cursor.execute("DROP TABLE stats_wd")
