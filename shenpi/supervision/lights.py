"""The deadline scan, set-based (PostgreSQL).

The same judgement as `desired_warnings` — the pure clock's light rule (CONTRACTS.md
"Lights", REV-05, RCV-04, TL-04) — in one SQL statement per kind of light instead of
a Python loop over every open case: with a table of working-day ordinals (the n-th
working day since the calendar's start), `working_days_between(a, b)` is
`ord(b) - ord(a)`, so every light is integer arithmetic on joined rows.

- red: today is after the due date (TL-06: overdue from the next calendar day);
- yellow: `ord(due) - ord(today) <= yellow_left`, or
  `max(0, ord(today) - ord(start)) >= yellow_ratio × max(1, ord(due) - ord(start))`
  (for a whole number of days used, `used >= ceil(x)` is `used >= x`);
- thresholds: the most specific active rule, (item, step) → (item) → (step) → default.

`tests/supervision/test_lights.py` checks it against the Python judgement case by case.
"""

from __future__ import annotations

from datetime import date, timedelta

from django.conf import settings
from django.db import connection

from shenpi.workdays.services import build_calendar

_ordinals: dict = {}


def ordinal_rows(today: date) -> list[tuple[date, int]]:
    """(day, n): n counts the working days from the table's first day up to `day`.
    Ten years around today: a case accepted or due outside it is not judged here
    (the Python scan, `desired_warnings`, has no such limit)."""
    from django.core.cache import cache

    from shenpi.workdays.services import VERSION_KEY

    key = (today.year, cache.get(VERSION_KEY, 0))
    if key not in _ordinals:
        _ordinals.clear()
        years = range(today.year - 5, today.year + 6)
        cal = build_calendar(years)
        day, end, n, rows = date(years[0], 1, 1), date(years[-1], 12, 31), 0, []
        while day <= end:
            if cal.is_working(day):
                n += 1
            rows.append((day, n))
            day += timedelta(days=1)
        _ordinals[key] = rows
    return _ordinals[key]


def _light_sql(start: str, due: str, thresholds: str) -> str:
    """The light of a row whose start and due ordinals are s_{start}/d_{due}."""
    return f"""
        CASE WHEN %(today)s::date > {due}.day THEN 'red'
             WHEN {due}.n - tn.n <= {thresholds}.yellow_left
               OR GREATEST(0, tn.n - {start}.n) >= {thresholds}.ratio * GREATEST(1, {due}.n - {start}.n)
             THEN 'yellow' END
    """


def _threshold_join(alias: str, item: str, step: str) -> str:
    return f"JOIN scan_th {alias} ON {alias}.item_id = {item} AND {alias}.step_key = {step}"


def _threshold_rows(rules: dict, resolve) -> list[tuple]:
    """Every item × every step key any of its versions has (and '' for case lights), with
    the thresholds that apply: a small table, so the scan joins instead of looking up."""
    from shenpi.catalog.models import ItemVersion

    keys: dict = {}
    for item_id, flow in ItemVersion.objects.values_list("item_id", "flow"):
        steps = keys.setdefault(item_id, {""})
        for stage in (flow or {}).get("stages", []):
            steps.update(step.get("key", "") for step in stage.get("steps", []))
    return [
        (item_id, step, *resolve(rules, item_id, step))
        for item_id, steps in keys.items()
        for step in steps
    ]


def desired_into_temp(today: date, rules: dict, resolve) -> None:
    """Fill the temporary table scan_want with every light that is yellow or red today."""
    tz = settings.TIME_ZONE
    with connection.cursor() as cursor:
        # Room for the hash joins of a region's open cases (this transaction only): without
        # it a join of hundreds of thousands of rows falls back to nested loops.
        cursor.execute("SET LOCAL work_mem = '64MB'")
        # Dropped at commit; and here, when the scan runs inside a caller's transaction.
        cursor.execute(
            "DROP TABLE IF EXISTS pg_temp.scan_ord, pg_temp.scan_th, pg_temp.scan_want, "
            "pg_temp.scan_new"
        )
        cursor.execute(
            "CREATE TEMP TABLE scan_ord (day date PRIMARY KEY, n int NOT NULL) ON COMMIT DROP"
        )
        rows = ordinal_rows(today)
        cursor.execute(
            "INSERT INTO scan_ord SELECT * FROM unnest(%s::date[], %s::int[])",
            [[r[0] for r in rows], [r[1] for r in rows]],
        )
        cursor.execute(
            "CREATE TEMP TABLE scan_th (item_id uuid, step_key varchar(30), "
            "yellow_left int, ratio float8, PRIMARY KEY (item_id, step_key)) ON COMMIT DROP"
        )
        rows = _threshold_rows(rules, resolve)
        cursor.execute(
            "INSERT INTO scan_th SELECT * FROM unnest(%s::uuid[], %s::varchar[], %s::int[], "
            "%s::float8[])",
            [[r[i] for r in rows] for i in range(4)],
        )
        cursor.execute("ANALYZE scan_th")
        cursor.execute(
            "CREATE TEMP TABLE scan_want (case_id uuid NOT NULL, task_id uuid, kind varchar(20) "
            "NOT NULL, level varchar(6) NOT NULL, due date, department_id uuid NOT NULL, "
            "rule_id varchar(12) NOT NULL) ON COMMIT DROP"
        )
        cursor.execute("ANALYZE scan_ord")
        params = {"today": today}
        local = f"AT TIME ZONE '{tz}'"
        # Case lights: promised (no rule id) and statutory (REV-05), from acceptance.
        for kind, column, rule in (
            ("promised", "promised_due", ""),
            ("statutory", "statutory_due", "REV-05"),
        ):
            cursor.execute(
                f"""
                INSERT INTO scan_want
                SELECT * FROM (
                    SELECT c.id, NULL::uuid, '{kind}', {_light_sql("s", "d", "th")} AS level,
                           c.{column}, c.department_id, '{rule}'
                    FROM cases_case c
                    JOIN scan_ord s ON s.day = (c.accepted_at {local})::date
                    JOIN scan_ord d ON d.day = c.{column}
                    CROSS JOIN (SELECT n FROM scan_ord WHERE day = %(today)s) tn
                    {_threshold_join("th", "c.item_id", "''")}
                    WHERE c.status = 'processing'
                ) x WHERE x.level IS NOT NULL
                """,
                params,
            )
        # Step lights, from the step's opening.
        cursor.execute(
            f"""
            INSERT INTO scan_want
            SELECT * FROM (
                SELECT t.case_id, t.id, 'step', {_light_sql("s", "d", "th")} AS level,
                       t.due_date, t.department_id, ''
                FROM cases_task t
                JOIN cases_case c ON c.id = t.case_id
                JOIN scan_ord s ON s.day = (t.opened_at {local})::date
                JOIN scan_ord d ON d.day = t.due_date
                CROSS JOIN (SELECT n FROM scan_ord WHERE day = %(today)s) tn
                {_threshold_join("th", "c.item_id", "t.step_key")}
                WHERE t.status IN ('open', 'claimed') AND c.status = 'processing'
            ) x WHERE x.level IS NOT NULL
            """,
            params,
        )
        # RCV-04 (Art. 32): the one-time correction notice within 5 working days of receipt;
        # TL-04 (Art. 44): the licence delivered within 10 working days of the decision.
        for kind, status, start, column, rule in (
            ("correction", "received", "round_received_at", "correction_due", "RCV-04"),
            ("licence", "decided", "decided_at", "licence_due", "TL-04"),
        ):
            cursor.execute(
                f"""
                INSERT INTO scan_want
                SELECT * FROM (
                    SELECT c.id, NULL::uuid, '{kind}', {_light_sql("s", "d", "th")} AS level,
                           c.{column}, c.department_id, '{rule}'
                    FROM cases_case c
                    JOIN scan_ord s ON s.day = (c.{start} {local})::date
                    JOIN scan_ord d ON d.day = c.{column}
                    CROSS JOIN (SELECT n FROM scan_ord WHERE day = %(today)s) tn
                    {_threshold_join("th", "c.item_id", "''")}
                    WHERE c.status = '{status}' AND c.{column} IS NOT NULL
                ) x WHERE x.level IS NOT NULL
                """,
                params,
            )
        # Supervision orders: yellow until the answer is due, red after.
        cursor.execute(
            """
            INSERT INTO scan_want
            SELECT DISTINCT ON (o.case_id) o.case_id, NULL::uuid, 'order',
                   CASE WHEN %(today)s::date > o.answer_due THEN 'red' ELSE 'yellow' END,
                   o.answer_due, o.department_id, ''
            FROM supervision_supervisionorder o WHERE o.answered_at IS NULL
            ORDER BY o.case_id, o.issued_at DESC
            """,
            params,
        )
        cursor.execute("ANALYZE scan_want")


# The same light: case, kind and step (none for a case light). Plain equalities, so that
# the planner can hash-join thousands of rows (IS NOT DISTINCT FROM cannot be hashed).
_NO_TASK = "'00000000-0000-0000-0000-000000000000'::uuid"
_MATCH = (
    "x.case_id = w.case_id AND x.kind = w.kind "
    f"AND COALESCE(x.task_id, {_NO_TASK}) = COALESCE(w.task_id, {_NO_TASK})"
)


def apply_desired(now, light_kinds) -> tuple[list[int], list[int], int]:
    """Write the difference between scan_want and the open warnings; returns the ids of
    the warnings raised, of those escalated to red, and how many were cleared."""
    kinds = list(light_kinds)
    with connection.cursor() as cursor:
        # The new lights are chosen before anything is inserted (in one statement the
        # anti-join would read the rows it is inserting, once per row).
        cursor.execute(
            f"""
            CREATE TEMP TABLE scan_new ON COMMIT DROP AS
            SELECT w.* FROM scan_want w
            WHERE NOT EXISTS (SELECT 1 FROM supervision_warning x
                              WHERE x.cleared_at IS NULL AND {_MATCH})
            """
        )
        cursor.execute(
            """
            INSERT INTO supervision_warning
                (case_id, task_id, kind, level, due, department_id, rule_id, raised_at)
            SELECT case_id, task_id, kind, level, due, department_id, rule_id, %s FROM scan_new
            RETURNING id
            """,
            [now],
        )
        raised = [r[0] for r in cursor.fetchall()]
        if raised:
            # The planner's figures for the table must include what was just inserted
            # (a full scan after a quiet day adds many rows in this very transaction).
            cursor.execute("ANALYZE supervision_warning")
        # The rows just raised already carry the wanted level and due: none matches here.
        cursor.execute(
            f"""
            UPDATE supervision_warning x SET level = w.level, due = w.due
            FROM scan_want w
            WHERE x.cleared_at IS NULL AND {_MATCH}
              AND (x.level <> w.level OR x.due IS DISTINCT FROM w.due)
            RETURNING x.id, x.level
            """
        )
        changed = cursor.fetchall()
        cursor.execute(
            f"""
            UPDATE supervision_warning x SET cleared_at = %s
            WHERE x.cleared_at IS NULL AND x.kind = ANY(%s)
              AND NOT EXISTS (SELECT 1 FROM scan_want w WHERE {_MATCH})
            """,
            [now, kinds],
        )
        cleared = cursor.rowcount
    return raised, changed, cleared


def keep_case_lights() -> int:
    """Each case's light from its open warnings, set-based; only changed rows are written."""
    with connection.cursor() as cursor:
        cursor.execute(
            """
            WITH worst AS (
                SELECT case_id, CASE WHEN bool_or(level = 'red') THEN 'red' ELSE 'yellow' END
                       AS light
                FROM supervision_warning WHERE cleared_at IS NULL GROUP BY case_id)
            UPDATE cases_case c SET light = w.light FROM worst w
            WHERE c.id = w.case_id AND c.light <> w.light
            """
        )
        changed = cursor.rowcount
        cursor.execute(
            """
            UPDATE cases_case c SET light = 'green'
            WHERE c.light IN ('yellow', 'red')
              AND NOT EXISTS (SELECT 1 FROM supervision_warning x
                              WHERE x.case_id = c.id AND x.cleared_at IS NULL)
            """
        )
        return changed + cursor.rowcount
