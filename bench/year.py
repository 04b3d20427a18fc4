"""A year of the updates a case's life brings, replayed on the generated cases, so that the
storage figure counts tables and indexes as a live database has them — loosened by
updates and tidied by vacuum — and not as freshly bulk-loaded and indexed.

Each simulated working day takes its share of the cases (a 250th) and writes what the
platform writes over a case's life, as updates of the same columns (an indexed column
changed where the app changes one, so that index entries are added as they are live):

- the case row: accepted, decided, delivered, closed — its status changed four times;
- each step: claimed, completed — its status changed twice;
- the audit stream's head: once for every audit record of the case;
- each open case's light row: rewritten three times (yellow, red, as it is);
- the outbox: each message of the case's delivered;
- the cards: each cleared.

Every tenth day a plain VACUUM ANALYZE of the tables passes, as autovacuum would (its
thresholds are crossed many times a year on a live region); no VACUUM FULL.
"""

from __future__ import annotations

import time

DAYS = 250
VACUUM_EVERY = 10
TABLES = [
    "cases_case",
    "cases_task",
    "audit_auditstream",
    "supervision_caselight",
    "notify_outbox",
    "supervision_warning",
    "supervision_scandirty",
]


def simulate_year(cursor, *, days: int = DAYS, each_day=None, log=print) -> dict:
    """Replay the year; returns the rows updated per table and the seconds taken.
    `each_day()` runs after each simulated day (the nightly deadline scan, which takes the
    day's records of changes: left for a year, they would be a year's rows at once)."""
    started = time.perf_counter()
    cursor.execute("DROP TABLE IF EXISTS bench_year")
    cursor.execute(
        "CREATE TEMP TABLE bench_year AS SELECT c.id, c.status, l.light, "
        "(abs(hashtext(c.id::text)) %% %s) AS day "
        "FROM cases_case c LEFT JOIN supervision_caselight l ON l.case_id = c.id",
        [days],
    )
    cursor.execute("CREATE INDEX ON bench_year (day)")
    cursor.execute("ANALYZE bench_year")
    updated = dict.fromkeys(TABLES, 0)
    for day in range(days):
        # The case row: four changes of its status, ending as it is.
        for status in ("processing", "decided", "received"):
            cursor.execute(
                "UPDATE cases_case c SET status = %s FROM bench_year y "
                "WHERE y.day = %s AND c.id = y.id",
                [status, day],
            )
            updated["cases_case"] += cursor.rowcount
        cursor.execute(
            "UPDATE cases_case c SET status = y.status FROM bench_year y "
            "WHERE y.day = %s AND c.id = y.id",
            [day],
        )
        updated["cases_case"] += cursor.rowcount
        # Each step: claimed, then back to what it is.
        cursor.execute(
            "CREATE TEMP TABLE bench_year_tasks AS SELECT t.id, t.status FROM cases_task t "
            "JOIN bench_year y ON y.id = t.case_id WHERE y.day = %s",
            [day],
        )
        cursor.execute(
            "UPDATE cases_task t SET status = 'claimed' FROM bench_year_tasks k WHERE t.id = k.id"
        )
        updated["cases_task"] += cursor.rowcount
        cursor.execute(
            "UPDATE cases_task t SET status = k.status FROM bench_year_tasks k WHERE t.id = k.id"
        )
        updated["cases_task"] += cursor.rowcount
        cursor.execute("DROP TABLE bench_year_tasks")
        # The audit stream's head: once per record of the stream.
        cursor.execute(
            """
            UPDATE audit_auditstream s SET head_hash = md5(s.head_hash || n.k)
            FROM bench_year y, generate_series(1, 11) n(k)
            WHERE y.day = %s AND s.name = 'case:' || y.id::text
            """,
            [day],
        )
        cursor.execute(
            "SELECT count(*) FROM audit_auditstream s JOIN bench_year y "
            "ON s.name = 'case:' || y.id::text WHERE y.day = %s",
            [day],
        )
        heads = cursor.fetchone()[0]
        for _record in range(10):  # an UPDATE ... FROM changes a row once: the other ten
            cursor.execute(
                "UPDATE audit_auditstream s SET head_hash = md5(s.head_hash) FROM bench_year y "
                "WHERE y.day = %s AND s.name = 'case:' || y.id::text",
                [day],
            )
        updated["audit_auditstream"] += heads * 11
        # The light rows of the day's open cases: yellow, then red, then as they are.
        for light in ("'yellow'", "'red'", "y.light"):
            cursor.execute(
                f"UPDATE supervision_caselight l SET light = {light} FROM bench_year y "
                "WHERE y.day = %s AND l.case_id = y.id",
                [day],
            )
            updated["supervision_caselight"] += cursor.rowcount
        # Delivered messages and cleared cards (those of the day's cases).
        cursor.execute(
            "UPDATE notify_outbox SET delivered_at = now() WHERE id IN (SELECT id FROM "
            "notify_outbox WHERE id %% %s = %s)",
            [days, day],
        )
        updated["notify_outbox"] += cursor.rowcount
        cursor.execute(
            "UPDATE supervision_warning w SET cleared_at = coalesce(w.cleared_at, now()) "
            "FROM bench_year y WHERE y.day = %s AND w.case_id = y.id",
            [day],
        )
        updated["supervision_warning"] += cursor.rowcount
        if each_day is not None:
            each_day()
        if day % VACUUM_EVERY == VACUUM_EVERY - 1:
            for table in TABLES:
                cursor.execute(f"VACUUM ANALYZE {table}")
        if day % 50 == 49:
            log(f"  year: day {day + 1} of {days}")
    cursor.execute("DROP TABLE bench_year")
    return {"updated": updated, "seconds": round(time.perf_counter() - started, 1)}
