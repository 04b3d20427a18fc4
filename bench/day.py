"""A working day as the region has one, for the deadline scan's day change: a year of
cleared warnings behind the open ones, and the day's submissions, acceptances, step
completions and supervision orders written before the night's scan, in SQL, as the
platform's services leave them (the change triggers fire: the scan sees them as it would).

The day's volumes come from stated yearly ones (README, "the load"), scaled to the
database's size, so that a ten-thousand-case database is not given a million-case region's
day:

- 7.2 million people, 0.2 applications a person a year → 1.44 million applications a year,
  over 250 working days → 5,760 submissions a working day, as many acceptances;
- 2.7 steps a case (the generator's typical case) → 15,550 step completions a day;
- 300 supervision orders a day (one case in twenty that turns yellow).
"""

from __future__ import annotations

import uuid
from datetime import datetime

POPULATION = 7_200_000
APPLICATIONS_PER_PERSON_YEAR = 0.2
WORKING_DAYS_A_YEAR = 250
STEPS_PER_CASE = 2.7
ORDERS_A_DAY = 300
REGION_CASES = 1_000_000  # the database size the day's volumes are stated for


def day_volumes(cases: int) -> dict:
    """The day's numbers for a database of `cases` cases (the full figures at a million)."""
    submissions = POPULATION * APPLICATIONS_PER_PERSON_YEAR / WORKING_DAYS_A_YEAR
    share = min(1.0, cases / REGION_CASES)
    return {
        "submissions": max(1, round(submissions * share)),
        "acceptances": max(1, round(submissions * share)),
        "step_completions": max(1, round(submissions * STEPS_PER_CASE * share)),
        "orders": max(1, round(ORDERS_A_DAY * share)),
    }


def warnings_history(cursor, seed: int = 3) -> int:
    """A year of cleared cards, as a year of scans leaves them: one done step in four had
    a card (one in five of them red), one closed case in eight a promised-period card.
    Returns the rows written. The open cards are the scan's own."""
    cursor.execute("DELETE FROM supervision_warning WHERE cleared_at IS NOT NULL")
    cursor.execute("SELECT setseed(%s)", [seed / 100])
    cursor.execute(
        """
        INSERT INTO supervision_warning (kind, level, due, rule_id, raised_at, cleared_at,
                                         case_id, department_id, task_id)
        SELECT 'step', CASE WHEN random() < 0.2 THEN 'red' ELSE 'yellow' END, t.due_date, '',
               t.opened_at + interval '2 days', t.completed_at, t.case_id, t.department_id, t.id
        FROM cases_task t
        WHERE t.status = 'done' AND t.completed_at > now() - interval '1 year'
          AND random() < 0.25
        """
    )
    written = cursor.rowcount
    cursor.execute(
        """
        INSERT INTO supervision_warning (kind, level, due, rule_id, raised_at, cleared_at,
                                         case_id, department_id, task_id)
        SELECT 'promised', CASE WHEN random() < 0.2 THEN 'red' ELSE 'yellow' END,
               c.promised_due, '', c.accepted_at + interval '5 days', c.decided_at, c.id,
               c.department_id, NULL
        FROM cases_case c
        WHERE c.status = 'closed' AND c.decided_at > now() - interval '1 year'
          AND c.accepted_at IS NOT NULL AND c.promised_due IS NOT NULL AND random() < 0.125
        """
    )
    return written + cursor.rowcount


def apply_day(cursor, world, clock, today, volumes: dict) -> dict:
    """The day's work on `today`, after the morning's scan and before the night's (the day
    change to the next working day). Returns the rows changed per kind."""
    from django.utils import timezone

    tz = timezone.get_current_timezone()
    noon = datetime(today.year, today.month, today.day, 12, 0, tzinfo=tz)
    items = {str(spec["item"]): spec for spec in world.items}
    done = {}

    # Acceptances first (of cases received before today), then the day's new submissions.
    cursor.execute(
        "SELECT id, item_id, department_id FROM cases_case WHERE status = 'received' "
        "ORDER BY received_at LIMIT %s",
        [volumes["acceptances"]],
    )
    accepted = cursor.fetchall()
    case_rows, task_rows = [], []
    for case_id, item_id, department_id in accepted:
        spec = items[str(item_id)]
        case_rows.append(
            (case_id, clock.add(today, spec["promised"]), clock.add(today, spec["statutory"]))
        )
        for key, name, role, days, owner in spec["stages"][0]:
            task_rows.append(
                (uuid.uuid4(), key, name, 0, role, clock.add(today, days), case_id,
                 owner or department_id)
            )  # fmt: skip
    cursor.execute(
        """
        UPDATE cases_case c SET status = 'processing', accepted_at = %s,
               promised_due = d.promised, statutory_due = d.statutory
        FROM unnest(%s::uuid[], %s::date[], %s::date[]) AS d(id, promised, statutory)
        WHERE c.id = d.id
        """,
        [noon, [r[0] for r in case_rows], [r[1] for r in case_rows], [r[2] for r in case_rows]],
    )
    done["acceptances"] = cursor.rowcount
    done["tasks_opened"] = _open_tasks(cursor, task_rows, noon)

    # Submissions: received cases like those already there, new ids and numbers.
    cursor.execute("DROP TABLE IF EXISTS bench_day_cases")
    cursor.execute(
        """
        CREATE TEMP TABLE bench_day_cases AS
        SELECT c.* FROM cases_case c, generate_series(1, 1 + %s / 50)
        WHERE c.status IN ('received', 'processing') LIMIT %s
        """,
        [volumes["submissions"], volumes["submissions"]],
    )
    tag = uuid.uuid4().hex[:6]
    cursor.execute(
        """
        UPDATE bench_day_cases SET id = gen_random_uuid(), status = 'received',
               number = 'D' || %s || lpad((row_number)::text, 8, '0'),
               received_at = %s, round_received_at = %s, declaration_at = %s, created_at = %s,
               accepted_at = NULL, promised_due = NULL, statutory_due = NULL
        FROM (SELECT ctid AS row_ctid, row_number() OVER () FROM bench_day_cases) n
        WHERE bench_day_cases.ctid = n.row_ctid
        """,
        [tag, noon, noon, noon, noon],
    )
    cursor.execute("INSERT INTO cases_case SELECT * FROM bench_day_cases")
    done["submissions"] = cursor.rowcount
    cursor.execute("DROP TABLE bench_day_cases")

    # Step completions: open steps of cases in process, each done today; where its stage
    # was the case's last open one, the next stage's steps open.
    cursor.execute(
        """
        SELECT t.id, t.case_id, t.stage, c.item_id, c.department_id FROM cases_task t
        JOIN cases_case c ON c.id = t.case_id
        WHERE t.status IN ('open', 'claimed') AND c.status = 'processing'
          AND t.opened_at < %s
        ORDER BY t.due_date, t.id LIMIT %s
        """,
        [noon, volumes["step_completions"]],
    )
    finished = cursor.fetchall()
    cursor.execute(
        "UPDATE cases_task SET status = 'done', completed_at = %s, verdict = 'approve', "
        "opinion = '同意。' WHERE id = ANY(%s)",
        [noon, [r[0] for r in finished]],
    )
    done["step_completions"] = cursor.rowcount
    cursor.execute(
        "SELECT case_id, step_key FROM cases_task WHERE case_id = ANY(%s)",
        [list({r[1] for r in finished})],
    )
    existing = set(cursor.fetchall())
    task_rows = []
    for _id, case_id, stage, item_id, department_id in finished:
        stages = items[str(item_id)]["stages"]
        if stage + 1 < len(stages):
            for key, name, role, days, owner in stages[stage + 1]:
                if (case_id, key) not in existing:
                    existing.add((case_id, key))
                    task_rows.append(
                        (uuid.uuid4(), key, name, stage + 1, role, clock.add(today, days),
                         case_id, owner or department_id)
                    )  # fmt: skip
    done["tasks_opened"] += _open_tasks(cursor, task_rows, noon)

    # Supervision orders on cases in process, an answer due in three working days.
    cursor.execute("SELECT id FROM accounts_user WHERE username = 'nx_jc_sup'")
    supervisor = cursor.fetchone()[0]
    cursor.execute(
        "SELECT id, department_id FROM cases_case WHERE status = 'processing' "
        "ORDER BY promised_due, id LIMIT %s",
        [volumes["orders"]],
    )
    cases = cursor.fetchall()
    due = clock.add(today, 3)
    cursor.executemany(
        "INSERT INTO supervision_supervisionorder (text, answer_due, issued_at, answer, "
        "case_id, department_id, issued_by_id) VALUES (%s, %s, %s, '', %s, %s, %s)",
        [("请加快办理并说明原因。", due, noon, c, d, supervisor) for c, d in cases],
    )
    done["orders"] = len(cases)
    return done


def _open_tasks(cursor, rows, at) -> int:
    if not rows:
        return 0
    cursor.executemany(
        "INSERT INTO cases_task (id, step_key, step_name, stage, role, status, opened_at, "
        "due_date, case_id, department_id, verdict, opinion, response, paused) "
        "VALUES (%s, %s, %s, %s, %s, 'open', %s, %s, %s, %s, '', '', '', false)",
        [(i, k, n, s, r, at, d, c, dep) for i, k, n, s, r, d, c, dep in rows],
    )
    return len(rows)
