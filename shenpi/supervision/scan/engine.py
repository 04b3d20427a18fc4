"""The deadline scan, set-based (PostgreSQL).

The same judgement as `judge.desired_warnings` — the pure clock's light rule (CONTRACTS.md
"Lights", REV-05, RCV-04, TL-04) — over every registered source's lights (sources.py) in
SQL instead of a Python loop over every open case: with working-day ordinals (the n-th working day
since the calendar's start, `pg_temp.scan_n(day)`), `working_days_between(a, b)` is
`ord(b) - ord(a)`, so every light is integer arithmetic on each row (`_judge_sql`).

- red: today is after the due date (TL-06: overdue from the next calendar day);
- yellow: `ord(due) - ord(today) <= yellow_left`, or
  `max(0, ord(today) - ord(start)) >= yellow_ratio × max(1, ord(due) - ord(start))`
  (for a whole number of days used, `used >= ceil(x)` is `used >= x`);
- thresholds: the most specific active rule, (item, step) → (item) → (step) → default.

Incremental (CONTRACTS.md "Lights" unchanged; only which cases are read): a light is a
step function of today — green until its yellow day, yellow until its due date, red from
the day after — so with every case judged, the scan keeps each light's plan (its card's
contents, its due date and its yellow day: supervision_lightplan, migration 0009). The
next scan judges from their rows only the cases changed since (`ScanDirty`, written by
triggers) and those a source judges at every scan — an unanswered order, a pending
extension request — (`scan_cand`, the fresh cases), and plans
them anew; for every other case, time alone moved its lights, and only those whose yellow
day or due date fell between the last scan's day and today changed (scan_want's `moved`
rows, read from the plans): they turn yellow or red, the case's light can only get worse,
and nothing is cleared. A change of the rules or the calendar (the `fingerprint`) or a day
earlier than the last judges all.

One pass over the fresh cases' lights (`desired_into_temp`) gives both what their cards
should be (scan_want, with the moved lights) and each one's row (scan_lit: worst light);
the cards and the rows are then written as differences, and a case whose light turned
is one heap-only update of its narrow row.

`tests/supervision/test_lights.py` checks it against the Python judgement case by case,
and the incremental scan against a full one day by day.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from datetime import date, timedelta
from uuid import UUID

from django.conf import settings
from django.db import connection

from shenpi.cases.models import ACTIVE_TASK_STATUSES, OPEN_STATUSES
from shenpi.workdays.services import build_calendar

from ..models import NO_TASK, CaseLight, Level, ScanState, Warning
from .rules import active_rules, thresholds
from .sources import SOURCES, SqlContext, light_kinds
from .telling import NOTIFY_AT_MOST

_ordinals: dict = {}
_LOGIC = 4  # raised when the judgement below changes, so that the next scan is full

# The same states as the partial indexes the scan reads (case_scan_open, task_scan_open),
# so that the planner can use them.
OPEN_SQL = ", ".join(f"'{status}'" for status in OPEN_STATUSES)
ACTIVE_SQL = ", ".join(f"'{status}'" for status in ACTIVE_TASK_STATUSES)
PLAN_INDEX = "lightplan_by_case"  # the plans' index by case (migration 0009)


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


def _days_sql(rows: list[tuple[date, int]]) -> list[str]:
    """Two functions of this session, each one subscript of a constant array (inlined into
    the statement that calls them): `pg_temp.scan_n(day)`, the day's working-day ordinal,
    and `pg_temp.scan_day(n)`, the first day whose ordinal is n; NULL outside the table.
    Cheaper than joining an ordinal table three times for each of hundreds of thousands of
    lights. The arrays are written out from our own dates and numbers, nothing else."""
    first = {0: rows[0][0]}  # ordinal 0 (before the first working day): the first day
    for day, n in rows:
        first.setdefault(n, day)
    ords = ",".join(str(n) for _day, n in rows)
    days = ",".join(str(first.get(n, "NULL")) for n in range(max(first) + 1))
    return [
        "CREATE OR REPLACE FUNCTION pg_temp.scan_n(day date) RETURNS int LANGUAGE sql "
        f"IMMUTABLE AS $$ SELECT ('{{{ords}}}'::int[])[day - DATE '{rows[0][0]}' + 1] $$",
        "CREATE OR REPLACE FUNCTION pg_temp.scan_day(n int) RETURNS date LANGUAGE sql "
        f"IMMUTABLE AS $$ SELECT ('{{{days}}}'::date[])[n + 1] $$",
    ]


def _judge_sql(rows: str) -> str:
    """The lights of `rows` (case_id, task_id, kind, due, department_id, rule_id, sn, dn —
    the start's and the due date's ordinals — yellow_left, ratio): each row's level today
    (NULL: green) and the first day on which it is yellow (`yellow_on`, for its plan).

    - red: today is after the due date (TL-06: overdue from the next calendar day);
    - yellow: `dn - tn <= yellow_left`, or `max(0, tn - sn) >= ratio × max(1, dn - sn)`;
    - its yellow day: the first day of ordinal `min(dn - yellow_left, sn + ceil(ratio ×
      max(1, dn - sn)))` (the same float product as above, so the two agree at the
      boundary: yellow exactly from that day; -infinity when the ratio is 0: yellow at any
      day; none beyond the ordinals' last day).
    Rows whose start or due date is outside the ordinals' ten years are not judged.
    (`OFFSET 0` keeps `rows` a subquery of its own: each ordinal is computed once per row,
    not once for each place the expressions above name it.)"""
    return f"""
        SELECT case_id, task_id, kind,
               CASE WHEN %(today)s::date > due THEN 'red'
                    WHEN dn - %(tn)s <= yellow_left
                      OR GREATEST(0, %(tn)s - sn) >= ratio * GREATEST(1, dn - sn)
                    THEN 'yellow' END AS level,
               due, department_id, rule_id, yday AS yellow_on, true AS planned
        FROM (
            SELECT r.*, CASE WHEN ratio <= 0 THEN '-infinity'::date
                             ELSE pg_temp.scan_day(GREATEST(0, LEAST(dn - yellow_left,
                                  sn + CEIL(ratio * GREATEST(1, dn - sn))::int))) END AS yday
            FROM ({rows} OFFSET 0) r
            WHERE sn IS NOT NULL AND dn IS NOT NULL) r
    """


def _threshold_join(alias: str, item: str, step: str) -> str:
    return f"JOIN scan_th {alias} ON {alias}.item_id = {item} AND {alias}.step_key = {step}"


def threshold_rows(rules: dict, resolve) -> list[tuple]:
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


def fingerprint(today: date, thresholds: list[tuple]) -> str:
    """What the lights were judged with: the working-day ordinals and the thresholds. When
    it changes (a holiday edited, a rule or a flow changed), every case is judged again."""
    text = repr((_LOGIC, ordinal_rows(today), sorted(map(repr, thresholds))))
    return hashlib.sha256(text.encode()).hexdigest()


def candidates_into_temp(*, full: bool) -> None:
    """scan_cand: the fresh cases, judged again from their rows (see the module's
    docstring), each with whether it has a CaseLight row now (so that what the scan writes
    is found among these rows, not by reading the table again). The changes recorded
    before this statement are taken; those committed after it wait for the next scan.
    Full: every case is judged, the record of changes is emptied."""
    with connection.cursor() as cursor:
        # The scan's temporary tables are analysed for their sizes and the spread of their
        # keys, which a small sample tells as well as a large one (this transaction only;
        # the scan analyses no table of its own).
        cursor.execute("SET LOCAL default_statistics_target = 10")
        cursor.execute("DROP TABLE IF EXISTS pg_temp.scan_cand")
        cursor.execute(
            "CREATE TEMP TABLE scan_cand (case_id uuid NOT NULL, had bool NOT NULL) ON COMMIT DROP"
        )
        if full:
            cursor.execute("DELETE FROM supervision_scandirty")
            return
        # The changed cases, and those whose unplanned lights move with time alone (each
        # source names them: an unanswered order, a pending extension request).
        always = "".join(
            f" UNION {source.judged_always}" for source in SOURCES if source.judged_always
        )
        cursor.execute(
            f"""
            WITH changed AS (DELETE FROM supervision_scandirty RETURNING case_id)
            INSERT INTO scan_cand
            SELECT o.case_id, EXISTS (SELECT 1 FROM supervision_caselight t
                                      WHERE t.case_id = o.case_id)
            FROM (SELECT case_id FROM changed{always}) o
            """
        )
        # Its key made afterwards, from the rows sorted once (not thousands of inserts into
        # a B-tree in the order of random case ids).
        cursor.execute("ALTER TABLE scan_cand ADD PRIMARY KEY (case_id)")
        cursor.execute("ANALYZE scan_cand")


def desired_into_temp(today: date, rules: dict, resolve, light_kinds, *, since=None) -> None:
    """Judge the lights of the cases judged — every open case (full), or the fresh cases in
    scan_cand and the lights that time moved since the last scan's day `since`: fill the
    temporary table scan_want with those that are yellow or red today (`moved`: time moved
    it), scan_lit with each judged open case's row of CaseLight — its worst open light
    (its breach cards, which are not lights, count: scan_have), none when green, so that
    after a full scan the rows are the open cases as the scan counted them — and plan the
    judged lights anew (supervision_lightplan). scan_have: the open cards of the cases
    judged or moved, as they are now (`fresh`: of a case judged)."""
    tz = settings.TIME_ZONE
    incremental = since is not None
    pick = "JOIN scan_cand k ON k.case_id = c.id" if incremental else ""
    kinds = list(light_kinds)
    with connection.cursor() as cursor:
        # Room for the hash joins of a region's open cases (this transaction only): without
        # it a join of hundreds of thousands of rows falls back to nested loops.
        cursor.execute("SET LOCAL work_mem = '64MB'")
        # Its statements' estimated costs pass the threshold of JIT compilation, whose
        # compiling takes longer than it saves on these set-based statements.
        cursor.execute("SET LOCAL jit = off")
        # Dropped at commit; and here, when the scan runs inside a caller's transaction.
        cursor.execute(
            "DROP TABLE IF EXISTS pg_temp.scan_th, pg_temp.scan_case, pg_temp.scan_want, "
            "pg_temp.scan_lit, pg_temp.scan_have"
        )
        cursor.execute(
            "CREATE TEMP TABLE scan_want (case_id uuid NOT NULL, task_id uuid, kind varchar(20) "
            "NOT NULL, level varchar(6) NOT NULL, due date, department_id uuid NOT NULL, "
            "rule_id varchar(12) NOT NULL, moved bool NOT NULL DEFAULT false) ON COMMIT DROP"
        )
        cursor.execute(
            "CREATE TEMP TABLE scan_lit (case_id uuid NOT NULL, light varchar(6), "
            "division_id varchar(6) NOT NULL, department_id uuid NOT NULL, promised_due date) "
            "ON COMMIT DROP"
        )
        if incremental:
            # The lights of the cases not judged whose yellow day or due date (red from the
            # next day: TL-06) fell in (since, today]: each yellow or red today. A plan's
            # yellow day of -infinity (yellow from the start) never falls in it.
            moved = 0
            if since < today:
                cursor.execute(
                    """
                    INSERT INTO scan_want
                    SELECT p.case_id, p.task_id, p.kind,
                           CASE WHEN %(today)s::date > p.due THEN 'red' ELSE 'yellow' END,
                           p.due, p.department_id, p.rule_id, true
                    FROM supervision_lightplan p
                    WHERE ((p.yellow_on > %(since)s AND p.yellow_on <= %(today)s)
                           OR (p.due >= %(since)s AND p.due < %(today)s))
                      AND NOT EXISTS (SELECT 1 FROM scan_cand k WHERE k.case_id = p.case_id)
                    """,
                    {"today": today, "since": since},
                )
                moved = cursor.rowcount
        else:
            # Emptied, and its index made again once the plans are in: a bulk load builds
            # the index faster than inserting every plan into it in key order.
            cursor.execute("TRUNCATE supervision_lightplan")
            cursor.execute(f"DROP INDEX {PLAN_INDEX}")
        # The open cards of the cases judged or moved, read once: their breaches (red, not
        # lights) count in a judged case's light below, and `apply_desired` finds the cards
        # to raise, raise further and clear (a judged case's only) between this table and
        # scan_want.
        if incremental:
            # The judged cases' open cards (a few: looked up by one_card, which leads with
            # the case; an idle scan reads none), and only when time moved lights, every
            # card tested against both sets hashed (a join with the sets' union is planned
            # for a few hundred cases and then looks up every case one by one).
            cases = "x.case_id IN (SELECT case_id FROM scan_cand)"
            if moved:
                cases = f"({cases} OR x.case_id IN (SELECT case_id FROM scan_want))"
            cursor.execute(
                f"""
                CREATE TEMP TABLE scan_have ON COMMIT DROP AS
                SELECT x.id, x.case_id, x.task_id, x.kind, x.level, x.due,
                       x.case_id IN (SELECT case_id FROM scan_cand) AS fresh
                FROM supervision_warning x
                WHERE x.cleared_at IS NULL AND {cases}
                """
            )
        else:
            cursor.execute(
                "CREATE TEMP TABLE scan_have ON COMMIT DROP AS SELECT x.id, x.case_id, "
                "x.task_id, x.kind, x.level, x.due, true AS fresh FROM supervision_warning x "
                "WHERE x.cleared_at IS NULL"
            )
        cursor.execute("ANALYZE scan_have")
        ordinals = ordinal_rows(today)
        for statement in _days_sql(ordinals):
            cursor.execute(statement)
        cursor.execute(
            "CREATE TEMP TABLE scan_th (item_id uuid, step_key varchar(30), "
            "yellow_left int, ratio float8, PRIMARY KEY (item_id, step_key)) ON COMMIT DROP"
        )
        rows = threshold_rows(rules, resolve)
        cursor.execute(
            "INSERT INTO scan_th SELECT * FROM unnest(%s::uuid[], %s::varchar[], %s::int[], "
            "%s::float8[])",
            [[r[i] for r in rows] for i in range(4)],
        )
        cursor.execute("ANALYZE scan_th")
        # The judged cases' few columns the lights need, read once (index-only, from
        # case_scan_open): every source below and the case lights afterwards join this.
        # No key: each join with it is a hash join of the whole (with an index, the
        # planner, guessing a few hundred rows for the lights grouped by case, looks up
        # each case one by one).
        columns = (
            "c.item_id, c.department_id, c.division_id, c.status, c.accepted_at, "
            "c.promised_due, c.statutory_due, c.round_received_at, c.correction_due, "
            "c.decided_at, c.licence_due"
        )
        if incremental:
            # Every fresh case (sorted by its key, merged along the index by case id), a
            # closed one with no state (its row of CaseLight goes), with whether it has a
            # row now.
            cursor.execute("SET LOCAL enable_hashjoin = off")
            chosen = (
                f"SELECT k.case_id AS id, {columns}, k.had FROM scan_cand k LEFT JOIN "
                f"cases_case c ON c.id = k.case_id AND c.status IN ({OPEN_SQL})"
            )
        else:
            chosen = (
                f"SELECT c.id, {columns}, NULL::bool AS had FROM cases_case c "
                f"WHERE c.status IN ({OPEN_SQL})"
            )
        cursor.execute(f"CREATE TEMP TABLE scan_case ON COMMIT DROP AS {chosen}")
        cursor.execute("SET LOCAL enable_hashjoin = on")
        cursor.execute("ANALYZE scan_case")
        params = {"today": today, "tn": dict(ordinals)[today]}
        local = f"AT TIME ZONE '{tz}'"

        # Every registered source's lights (sources.py), as one set.
        context = SqlContext(
            local=local,
            pick=pick,
            judge=_judge_sql,
            thresholds=_threshold_join,
            active=ACTIVE_SQL,
        )
        lights = " UNION ALL ".join(source.sql(context) for source in SOURCES)
        # The judged cases' breach cards open now: red, for good (no plan), not judged here.
        breaches = """
            SELECT case_id, task_id, kind, level, due, NULL::uuid, '', NULL::date, false
            FROM scan_have WHERE fresh AND NOT kind = ANY(%(kinds)s)
        """
        # A judged case's plans are replaced by the judgement's, and only where they differ:
        # a case judged again unchanged (one with an open order is judged at every scan)
        # writes nothing. Both sides of the comparison read the plans as they were before
        # this statement (one snapshot for all its parts): the judged cases' plans, read
        # once along their index (`old`: a comparison against the table itself is planned
        # as a hash of every plan of the region), and those to go deleted by their row
        # addresses (a join on them would read every plan again).
        same_plan = """
            p.case_id = s.case_id AND p.task_id IS NOT DISTINCT FROM s.task_id
            AND p.kind = s.kind AND p.due = s.due AND p.yellow_on IS NOT DISTINCT FROM s.yellow_on
            AND p.department_id = s.department_id AND p.rule_id = s.rule_id
        """
        replaced = (
            f"""
            old AS MATERIALIZED (
                SELECT p.ctid AS row, p.* FROM supervision_lightplan p
                WHERE p.case_id = ANY(ARRAY(SELECT case_id FROM scan_cand))),
            gone AS (
                DELETE FROM supervision_lightplan
                WHERE ctid = ANY(ARRAY(
                    SELECT p.row FROM old p
                    WHERE NOT EXISTS (SELECT 1 FROM src s WHERE s.planned AND {same_plan})))),
            """
            if incremental
            else ""
        )
        unchanged = f"AND NOT EXISTS (SELECT 1 FROM old p WHERE {same_plan})" if incremental else ""
        # Every light of the judged cases is computed once (kept in memory by the query, not
        # written to a table): those lit today go to scan_want, each open case's worst light
        # to scan_lit, and the lights to their plans (in key order when a few are added).
        cursor.execute(
            f"""
            WITH src AS ({lights} UNION ALL {breaches}),
            want AS (
                INSERT INTO scan_want
                SELECT case_id, task_id, kind, level, due, department_id, rule_id FROM src
                WHERE level IS NOT NULL AND kind = ANY(%(kinds)s)),
            {replaced}
            plans AS (
                INSERT INTO supervision_lightplan
                    (case_id, task_id, due, yellow_on, department_id, kind, rule_id)
                SELECT case_id, task_id, due, yellow_on, department_id, kind, rule_id FROM src s
                WHERE planned {unchanged} {"ORDER BY case_id" if incremental else ""})
            INSERT INTO scan_lit
            SELECT c.id, s.light, c.division_id, c.department_id, c.promised_due
            FROM scan_case c
            LEFT JOIN (SELECT case_id,
                              CASE WHEN bool_or(level = 'red') THEN 'red'
                                   WHEN bool_or(level IS NOT NULL) THEN 'yellow' END AS light
                       FROM src GROUP BY case_id) s ON s.case_id = c.id
            WHERE c.status IS NOT NULL
            """,
            {**params, "kinds": kinds},
        )
        if not incremental:
            cursor.execute(f"CREATE INDEX {PLAN_INDEX} ON supervision_lightplan (case_id)")
        cursor.execute("ANALYZE scan_want")
        cursor.execute("ANALYZE scan_lit")


# The same light: case, kind and step (none for a case light). Plain equalities, so that
# the planner can hash-join thousands of rows (IS NOT DISTINCT FROM cannot be hashed).
_NO_TASK = f"'{NO_TASK}'::uuid"  # one_card's stand-in for "no step"
_MATCH = (
    "x.case_id = w.case_id AND x.kind = w.kind "
    f"AND COALESCE(x.task_id, {_NO_TASK}) = COALESCE(w.task_id, {_NO_TASK})"
)


def apply_desired(now, light_kinds, *, notify_at_most: int):
    """Write the difference between scan_want and the open warnings (of the cases judged or
    moved; only a judged case's cards are cleared: time alone clears none);
    returns how many warnings were raised and the first `notify_at_most` of their ids, the
    ids, levels and departments of those changed (raised further), how many were cleared,
    and how many were raised by department and level ({(department id, level): n}).

    The judged cases' open cards were read once (scan_have, by `desired_into_temp`): the
    new, changed and cleared cards are found between two temporary tables, and the table
    of warnings is only written."""
    kinds = list(light_kinds)
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            WITH raised AS (
                INSERT INTO supervision_warning
                    (case_id, task_id, kind, level, due, department_id, rule_id, raised_at)
                SELECT w.case_id, w.task_id, w.kind, w.level, w.due, w.department_id,
                       w.rule_id, %s
                FROM scan_want w
                WHERE NOT EXISTS (SELECT 1 FROM scan_have x WHERE {_MATCH})
                ORDER BY w.case_id
                RETURNING id, department_id, level)
            SELECT (SELECT count(*) FROM raised),
                   (SELECT (array_agg(id ORDER BY id))[1:%s] FROM raised),
                   (SELECT json_agg(json_build_array(department_id, level, n))
                    FROM (SELECT department_id, level, count(*) AS n FROM raised
                          GROUP BY 1, 2) d)
            """,
            [now, notify_at_most],
        )
        raised, first, by_department = cursor.fetchone()
        cursor.execute(
            f"""
            UPDATE supervision_warning t SET level = w.level, due = w.due
            FROM scan_have x JOIN scan_want w ON {_MATCH}
            WHERE t.id = x.id AND t.cleared_at IS NULL
              AND (x.level <> w.level OR x.due IS DISTINCT FROM w.due)
            RETURNING t.id, t.level, t.department_id
            """
        )
        changed = cursor.fetchall()
        cursor.execute(
            f"""
            UPDATE supervision_warning t SET cleared_at = %s
            FROM scan_have x
            -- The open cards no longer wanted, as a set difference: hashed on the judged
            -- cases' open cards (thousands) with what is wanted streamed past them (a
            -- NOT EXISTS would hash the hundred thousand wanted instead).
            JOIN (SELECT case_id, kind, COALESCE(task_id, {_NO_TASK}) AS task FROM scan_have
                  WHERE fresh AND kind = ANY(%s)
                  EXCEPT
                  SELECT case_id, kind, COALESCE(task_id, {_NO_TASK}) FROM scan_want) g
              ON g.case_id = x.case_id AND g.kind = x.kind
             AND g.task = COALESCE(x.task_id, {_NO_TASK})
            WHERE t.id = x.id AND t.cleared_at IS NULL
            """,
            [now, kinds],
        )
        cleared = cursor.rowcount
    tally = {(UUID(d), level): n for d, level, n in by_department or []}
    return raised, first or [], changed, cleared, tally


def keep_case_lights(*, incremental=False, red=()) -> int:
    """CaseLight = scan_lit for the judged cases: each open case's row, with its worst open
    light (none for a closed case, whose breach card stays on the record), with `red`: the
    cases whose breach card was raised since scan_lit was filled. Rows no longer wanted are
    deleted, changed ones updated, new ones inserted in key order, equal ones left alone;
    then a moved case's light turns to its moved lights' worst where that is worse. Returns
    how many rows were written. Incremental: only the judged cases' rows, found from what
    scan_cand and scan_case say they had; full: the whole table. (Not one INSERT … ON
    CONFLICT: its speculative insertion costs half as much again per row, and a full scan
    inserts hundreds of thousands.)"""
    columns = list(CaseLight.KEPT)
    mine = ", ".join(f"t.{c}" for c in columns)
    theirs = ", ".join(f"n.{c}" for c in columns)
    if incremental:
        # A judged case no longer open is in scan_case with no state.
        gone = (
            "DELETE FROM supervision_caselight t USING scan_case c "
            "WHERE c.status IS NULL AND c.had AND t.case_id = c.id"
        )
        new = "FROM scan_lit n JOIN scan_cand k ON k.case_id = n.case_id WHERE NOT k.had"
    else:
        gone = (
            "DELETE FROM supervision_caselight t WHERE NOT EXISTS "
            "(SELECT 1 FROM scan_lit n WHERE n.case_id = t.case_id)"
        )
        new = (
            "FROM scan_lit n WHERE NOT EXISTS "
            "(SELECT 1 FROM supervision_caselight t WHERE t.case_id = n.case_id)"
        )
    with connection.cursor() as cursor:
        if red:
            cursor.execute(
                "UPDATE scan_lit SET light = 'red' WHERE case_id = ANY(%s::uuid[])", [list(red)]
            )
        cursor.execute(gone)
        written = cursor.rowcount
        # (scan_lit holds only judged cases: its rows are the pairs, whatever was judged.)
        cursor.execute(
            f"UPDATE supervision_caselight t SET ({', '.join(columns)}) = ROW({theirs}) "
            f"FROM scan_lit n WHERE n.case_id = t.case_id "
            f"AND ROW({mine}) IS DISTINCT FROM ROW({theirs})"
        )
        written += cursor.rowcount
        cursor.execute(
            f"INSERT INTO supervision_caselight (case_id, {', '.join(columns)}) "
            f"SELECT n.case_id, {theirs} {new} ORDER BY n.case_id"
        )
        written += cursor.rowcount
        if incremental:
            # A moved case (open, not judged: it has its row) only gets worse: green to
            # yellow or red, yellow to red.
            cursor.execute(
                """
                UPDATE supervision_caselight t SET light = m.light
                FROM (SELECT case_id,
                             CASE WHEN bool_or(level = 'red') THEN 'red' ELSE 'yellow' END
                             AS light
                      FROM scan_want WHERE moved GROUP BY case_id) m
                WHERE t.case_id = m.case_id
                  AND (t.light IS NULL OR (t.light = 'yellow' AND m.light = 'red'))
                """
            )
            written += cursor.rowcount
        return written


def open_light_counts() -> dict:
    """{(division, department, light): open cases}, from the scan's narrow rows alone: after
    a scan, each open case has one (a case opened since the last scan is judged by this
    one, a closed one has lost its row), with its division and department as the triggers
    last saw them (their change has the case judged)."""
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT division_id, department_id, COALESCE(light, 'green'), count(*)
            FROM supervision_caselight GROUP BY 1, 2, 3
            """
        )
        return {(d, p, light): n for d, p, light, n in cursor.fetchall()}


def scan_set_based(today, now):
    """(PostgreSQL) the same judgement in SQL over every open case at once, or over the
    cases changed since the last scan and the lights that time moved."""
    ScanState.objects.get_or_create(pk=1)
    state = ScanState.objects.select_for_update().get(pk=1)  # one scan at a time
    rules = active_rules()
    signature = fingerprint(today, threshold_rows(rules, thresholds))
    full = state.day is None or state.fingerprint != signature or today < state.day
    candidates_into_temp(full=full)
    kinds = light_kinds()
    desired_into_temp(today, rules, thresholds, kinds, since=None if full else state.day)
    raised, raised_ids, changed, cleared, tally = apply_desired(
        now, kinds, notify_at_most=NOTIFY_AT_MOST
    )
    if full or state.day != today:
        # Written only when it moves: a scan that finds nothing writes nothing.
        state.day, state.fingerprint, state.updated_at = today, signature, now
        if full:
            state.full_at = now
        state.save()
    # Who is told (at most NOTIFY_AT_MOST cards read back): each new card and each card
    # turned red; the heads' counts (`tally`) are of all of them.
    reddened = [(pk, department) for pk, level, department in changed if level == Level.RED]
    tally = Counter(tally)
    tally.update((department, Level.RED) for _pk, department in reddened)
    notify_ids = (raised_ids + [pk for pk, _department in reddened])[:NOTIFY_AT_MOST]
    to_notify = list(Warning.objects.filter(pk__in=notify_ids).order_by("pk"))
    return (raised, to_notify, len(changed), cleared, tally), not full
