"""The benchmark's data generator: realistic cases, fast (PostgreSQL COPY).

Cases spread over the demo world's published items, their departments and
divisions, in every state, with the rows the platform itself writes for them.
A typical case — the one `TYPICAL` describes and the storage figure is per —
is an item with four flow steps and three to seven required materials:

- the case row with its application form (5–8 fields as JSON);
- one material record per required material (the file's contents are not in
  the database and are not counted);
- one task per flow step reached (done, or open / claimed at the current step);
- a timeline event per milestone (submitted, accepted, each step, decided,
  delivered/closed);
- the written notices issued (acceptance, decision or non-acceptance, correction);
- an audit record per state change and per material, hash-chained per case
  stream exactly as `shenpi.audit` chains them (`verify_audit` accepts them),
  and the stream's head row.

Distribution (about a third open, as the issue asks): 55 % closed, 5 % not
accepted, 3 % withdrawn, 1 % terminated, 2 % decided awaiting delivery, 27 %
processing, 1 % suspended, 3 % received (pre-review), 2 % awaiting correction,
1 % drafts. A case in process is somewhere along its flow today, each stage
before taking up to its limit (one in twenty a few days more); decided cases
await delivery within TL-04's ten days (a few longer): most are green, some
yellow and a few red, as in a working region.
"""

from __future__ import annotations

import functools
import json
import random
import time
import uuid
from bisect import bisect_right
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from types import SimpleNamespace

from shenpi.audit.hashing import record_hash
from shenpi.cases.published import UNPUBLISHED
from shenpi.exchange.services import KEEP_FOR
from shenpi.stats.rollup import refill

TYPICAL = (
    "1 case row (form 5–8 fields), ~4.7 material records, ~2.7 tasks, ~5.5 events, "
    "~1.5 notices, ~11 audit records + 1 audit stream head"
)

STATES = [
    ("closed", 55),
    ("not_accepted", 5),
    ("withdrawn", 3),
    ("terminated", 1),
    ("decided", 2),
    ("processing", 27),
    ("suspended", 1),
    ("received", 3),
    ("correction_requested", 2),
    ("draft", 1),
]
OPEN_STATES = {"decided", "processing", "suspended", "received", "correction_requested"}


def _pick_table():
    table = []
    for state, weight in STATES:
        table += [state] * weight
    return table


@dataclass
class World:
    items: list  # dicts: item, version, department, division, flow steps, requirements, form
    officials: dict  # department id -> [user ids]
    applicants: list  # (user id, name, code)
    workdays: list  # sorted working days
    today: date


def working_days(years) -> list[date]:
    from shenpi.workdays.services import build_calendar

    cal = build_calendar(years)
    day, end = date(min(years), 1, 1), date(max(years), 12, 31)
    out = []
    while day <= end:
        if cal.is_working(day):
            out.append(day)
        day += timedelta(days=1)
    return out


class Clock:
    """add_working_days over a precomputed list (the same calendar as the platform's)."""

    def __init__(self, workdays):
        self.days = workdays

    def add(self, start: date, n: int) -> date:
        # The first working day after `start`, then n-1 more (0 → start itself).
        if n == 0:
            return start
        return self.days[bisect_right(self.days, start) + n - 1]

    def back(self, end: date, n: int) -> date:
        """The working day n working days before `end` (n ≥ 0)."""
        i = bisect_right(self.days, end) - 1
        return self.days[max(0, i - n)]


def load_world(today: date, applicants: int) -> World:
    from django.contrib.auth.hashers import make_password

    from shenpi.accounts.constants import AccountType, Role
    from shenpi.accounts.models import Department, RoleAssignment, User
    from shenpi.catalog.models import Item
    from shenpi.core.flow import parse_flow

    departments = {d.code: d for d in Department.objects.all()}
    by_kind: dict = {}
    for d in departments.values():
        by_kind.setdefault(d.kind_id, []).append(d)
    items = []
    for item in Item.objects.filter(abolished_at__isnull=True).select_related("department"):
        version = item.current
        if version is None:
            continue
        flow = parse_flow(version.flow)
        local_kinds = {
            s.owner.kind for stage in flow.stages for s in stage.steps if s.owner.is_local
        }
        handlers = [item.department]
        if local_kinds:
            handlers = by_kind.get(next(iter(local_kinds)), [item.department])
        stages = [
            [
                (
                    s.key,
                    s.name,
                    s.role,
                    s.days,
                    None if s.owner.is_local else departments[s.owner.department].pk,
                )
                for s in stage.steps
            ]
            for stage in flow.stages
        ]
        items.append(
            {
                "item": item.pk,
                "code": item.code,
                "version": version.pk,
                "promised": version.promised_days,
                "statutory": version.statutory_days,
                "handlers": [(d.pk, d.division_id, d.code) for d in handlers],
                "stages": stages,
                "requirements": list(
                    version.materials.filter(required=True).values_list("pk", "name")
                ),
                "fields": [(f["key"], f.get("type", "text")) for f in version.form_fields],
            }
        )
    officials: dict = {}
    for department_id, user_id in RoleAssignment.objects.filter(
        role__in=[Role.OFFICIAL, Role.HEAD], user__office__isnull=False
    ).values_list("user__office__department_id", "user_id"):
        officials.setdefault(department_id, []).append(user_id)
    # Applicants: people with valid resident IDs (made once, reused by later growth steps).
    existing = _bench_applicants()
    if len(existing) < applicants:
        unusable = make_password(None)
        new = []
        for n in range(len(existing), applicants):
            # Distinct for n < 15 million: the birth date cycles, the sequence counts the cycles.
            code = resident_id(640104, date(1960, 1, 1) + timedelta(days=n % 15000), n // 15000)
            new.append(
                User(
                    username=f"bench-{n}",
                    password=unusable,
                    real_name=f"申请人{n}",
                    id_number=code,
                    # Reachable as people are: an SMS and an e-mail with every message.
                    mobile=f"139{n:08d}",
                    email=f"bench{n}@example.cn",
                    account_type=AccountType.PERSON,
                )
            )
        User.objects.bulk_create(new, batch_size=2000)
        existing = _bench_applicants()
    workdays = working_days(range(today.year - 3, today.year + 3))
    return World(items, officials, existing, workdays, today)


def _bench_applicants() -> list:
    """(id, name, ID number's token) of the bench's applicants: the cases copy the sealed
    number as it is, as the app does (cases.services.applying._applicant_code)."""
    from shenpi.accounts.models import User

    return [
        (pk, name, number.token)
        for pk, name, number in User.objects.filter(username__startswith="bench-").values_list(
            "pk", "real_name", "id_number"
        )
    ]


@functools.cache
def sealed_mobile(n: int) -> str:
    """A mobile number's token, sealed once per number (sealing each case's afresh would
    cost the generator 0.1 ms a case for the same bytes on disk)."""
    from shenpi.common import personal

    return personal.seal(f"1389500{n:04d}")


def resident_id(area: int, born: date, seq: int) -> str:
    """A resident ID with its GB 11643 check digit (LAW.md §4.1)."""
    body = f"{area:06d}{born:%Y%m%d}{seq % 1000:03d}"
    weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
    total = sum(int(c) * w for c, w in zip(body, weights, strict=True))
    return body + "10X98765432"[total % 11]


class Writer:
    """Rows per table in COPY text format, flushed in chunks."""

    COLUMNS = {
        "cases_case": [
            "id",
            "number",
            "query_password",
            "kind",
            "applicant_name",
            "applicant_code",
            "applicant_mobile",
            "channel",
            "status",
            "outcome",
            "form_data",
            "declaration_at",
            "received_at",
            "round_received_at",
            "correction_round",
            "correction_due",
            "supplement_due",
            "accepted_at",
            "deemed_accepted",
            "statutory_due",
            "promised_due",
            "due_provisional",
            "suspended_days",
            "extension_days",
            "lenient_due",
            "lenient_commitment",
            "originals_due",
            "decided_at",
            "licence_due",
            "closed_at",
            "ended_at",
            "not_accepted_reason",
            "reason_text",
            "competent_organ",
            "delivery_method",
            "tracking_number",
            "created_at",
            "applicant_id",
            "chosen_division_id",
            "department_id",
            "division_id",
            "item_id",
            "submitted_by_id",
            "version_id",
            "licence_id",
        ],
        "cases_casematerial": [
            "id",
            "file",
            "name",
            "content_type",
            "size",
            "sha256",
            "uploaded_at",
            "round",
            "scanned",
            "original_seen_at",
            "case_id",
            "original_seen_by_id",
            "requirement_id",
            "uploaded_by_id",
            "from_licence_id",
        ],
        "cases_task": [
            "id",
            "step_key",
            "step_name",
            "stage",
            "role",
            "status",
            "opened_at",
            "due_date",
            "completed_at",
            "verdict",
            "opinion",
            "case_id",
            "claimed_by_id",
            "department_id",
            "responded_by_id",
            "response",
            "verified_by_id",
            "paused",
        ],
        "cases_caseevent": [
            "at",
            "kind",
            "text",
            "public",
            "breach",
            "actor_id",
            "case_id",
            "department_id",
        ],
        "cases_notice": [
            "id",
            "kind",
            "number",
            "issued_at",
            "file",
            "sha256",
            "case_id",
            "department_id",
        ],
        "audit_auditrecord": [
            "stream",
            "seq",
            "at",
            "actor_label",
            "ip",
            "action",
            "object_type",
            "object_id",
            "outcome",
            "detail",
            "alg",
            "hash",
            "actor_id",
            "client_id",
        ],
        "audit_auditstream": ["name", "head_seq", "head_hash", "checkpointed_seq", "division"],
    }

    def __init__(self, connection):
        self.connection = connection
        self.rows = {table: [] for table in self.COLUMNS}
        self.counts = dict.fromkeys(self.COLUMNS, 0)

    def row(self, table, values):
        self.rows[table].append(values)

    def flush(self):
        with self.connection.cursor() as cursor:
            for table, rows in self.rows.items():
                if not rows:
                    continue
                columns = ", ".join(f'"{c}"' for c in self.COLUMNS[table])
                with cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                    for values in rows:
                        copy.write_row(values)
                self.counts[table] += len(rows)
                self.rows[table] = []


class IndexesOff:
    """Drop the tables' secondary indexes while loading and build them again after
    (a bulk build is much cheaper than a million random insertions)."""

    def __init__(self, connection):
        self.connection = connection
        self.definitions = []

    def __enter__(self):
        with self.connection.cursor() as cursor:
            cursor.execute(
                """
                SELECT i.indexname, i.indexdef FROM pg_indexes i
                WHERE i.schemaname = 'public' AND i.tablename = ANY(%s)
                  AND NOT EXISTS (SELECT 1 FROM pg_constraint c
                                  WHERE c.conname = i.indexname)
                """,
                [list(Writer.COLUMNS)],
            )
            self.definitions = cursor.fetchall()
            for name, _definition in self.definitions:
                cursor.execute(f'DROP INDEX "{name}"')
        return self

    def __exit__(self, *exc):
        with self.connection.cursor() as cursor:
            cursor.execute("SET maintenance_work_mem = '512MB'")
            for _name, definition in self.definitions:
                cursor.execute(definition)
        return False


def _iso(moment: datetime) -> str:
    return moment.isoformat()


def generate(count: int, *, seed: int = 7, today: date | None = None, log=print) -> dict:
    """Add `count` cases to the database Django is connected to (PostgreSQL)."""
    from django.db import connection
    from django.utils import timezone

    from shenpi.cases.models import Counter

    today = today or timezone.localdate()
    started = time.perf_counter()
    world = load_world(today, applicants=max(500, min(50_000, count // 20)))
    clock = Clock(world.workdays)
    states = _pick_table()
    tz = timezone.get_current_timezone()
    counters = {}
    for key, last in Counter.objects.filter(key__startswith="case:").values_list("key", "last"):
        _kind, division_id, day = key.split(":")
        counters[(division_id, datetime.strptime(day, "%Y%m%d").date())] = last
    # Days the platform could have received cases on: three years of working days up to
    # today (the forecast of 决策辅助 reads 36 months of history).
    recent = [d for d in world.workdays if today - timedelta(days=1095) <= d <= today]
    idx_today = bisect_right(recent, today) - 1

    def at(day: date, minute: int) -> datetime:
        return datetime(day.year, day.month, day.day, 9, 0, tzinfo=tz) + timedelta(minutes=minute)

    parts = 2 if count >= 4000 else 1
    shares = [count // parts + (1 if k < count % parts else 0) for k in range(parts)]

    def work(part):
        # In a forked child: its own connection, generator and share of the case numbers.
        connection.close()
        connection.ensure_connection()
        writer = Writer(connection.connection)
        with connection.cursor() as cursor:
            # The scan's change triggers (supervision 0003) are for cases that change after
            # the scan read them; a bulk load is judged whole by the next (full) scan.
            cursor.execute("SET session_replication_role = replica")
        rng = random.Random(seed * 1000 + part + count + int(time.time()))
        high = _generate(
            world, clock, writer, rng, shares[part], today, recent, idx_today,
            counters, at, states, started, log, part, parts,
        )  # fmt: skip
        connection.close()
        return high, writer.counts

    connection.ensure_connection()
    totals: dict = {}
    with IndexesOff(connection):
        connection.close()
        results = _fork_map(work, parts)
        connection.ensure_connection()
        for high, counts in results:
            for key, last in high.items():
                counters[key] = max(counters.get(key, 0), last)
            for table, n in counts.items():
                totals[table] = totals.get(table, 0) + n
        log("  building indexes …")
    # Case numbers continue from what was generated.
    with connection.cursor() as cursor:
        for (division_id, day), last in counters.items():
            cursor.execute(
                "INSERT INTO cases_counter (key, last) VALUES (%s, %s) "
                "ON CONFLICT (key) DO UPDATE SET last = GREATEST(cases_counter.last, EXCLUDED.last)",
                [f"case:{division_id}:{day:%Y%m%d}", last],
            )
        # The statistics' rollup of every case so far, from their timelines and steps, as
        # the migration fills it on a database with history.
        log("  the statistics' rollup …")
        cursor.execute("TRUNCATE stats_tally")  # made whole again, compact
        refill(cursor)
        log("  the exchange's month of events …")
        month_of_events(cursor)
        cursor.execute("ANALYZE")
    return {
        "cases": count,
        "seconds": round(time.perf_counter() - started, 1),
        "rows": totals,
    }


def month_of_events(cursor) -> int:
    """The exchange's events of the cases' audited changes within its horizon (KEEP_FOR,
    30 days: older ones are deleted by the hourly job), one per published record as
    cases/published.py writes it, with the case's data as it stands now. Returns the rows
    written."""
    cursor.execute("DELETE FROM exchange_event")
    cursor.execute(
        """
        INSERT INTO exchange_event (type, subject, division, department, time, data)
        SELECT r.action, 'cases/' || c.id, c.division_id, c.department_id, r.at,
               jsonb_build_object(
                   'case', c.id::text, 'number', c.number, 'status', c.status,
                   'outcome', NULLIF(c.outcome, ''), 'item', i.code, 'item_version', v.number,
                   'department', d.code, 'division', c.division_id, 'channel', c.channel,
                   'received_at', c.received_at, 'accepted_at', c.accepted_at,
                   'statutory_due', c.statutory_due, 'promised_due', c.promised_due,
                   'action', r.action)
        FROM audit_auditrecord r
        JOIN cases_case c ON c.id = r.object_id::uuid
        JOIN catalog_item i ON i.id = c.item_id
        JOIN catalog_itemversion v ON v.id = c.version_id
        JOIN accounts_department d ON d.id = c.department_id
        WHERE r.at > now() - %s AND r.object_type = 'case' AND NOT r.action = ANY(%s)
        ORDER BY r.at
        """,
        [KEEP_FOR, sorted(UNPUBLISHED)],
    )
    return cursor.rowcount


def _generate(
    world, clock, writer, rng, count, today, recent, idx_today, counters, at, states, started, log,
    part=0, parts=1,
):  # fmt: skip
    made, mine, high = 0, {}, {}
    while made < count:
        batch = min(20_000, count - made)
        for _ in range(batch):
            spec = world.items[rng.randrange(len(world.items))]
            department_id, division_id, department_code = spec["handlers"][
                rng.randrange(len(spec["handlers"]))
            ]
            state = states[rng.randrange(len(states))]
            applicant_id, applicant_name, applicant_code = world.applicants[
                rng.randrange(len(world.applicants))
            ]
            staff = world.officials.get(department_id) or [None]
            case_id = uuid.uuid4()
            stream = f"case:{case_id}"
            audit = []  # (at, actor, action, detail)
            promised, statutory = spec["promised"], spec["statutory"]
            # When it was received: terminal cases anywhere in three years; open ones recently.
            if state in ("closed", "not_accepted", "withdrawn", "terminated"):
                received_day = recent[rng.randrange(0, max(1, idx_today - statutory - 5))]
            elif state in ("processing", "suspended"):
                # Its stages each take up to their limit (one in twenty a few days more);
                # today it is somewhere along them, in the stage still open.
                plan = [
                    rng.randrange(1, max(step[3] for step in stage) + 1)
                    + (rng.randrange(1, 4) if rng.random() < 0.05 else 0)
                    for stage in spec["stages"]
                ]
                received_day = recent[idx_today - rng.randrange(0, sum(plan))]
            elif state == "decided":
                received_day = recent[idx_today - rng.randrange(promised, promised + 10)]
            else:  # received, correction_requested, draft
                received_day = recent[idx_today - rng.randrange(0, 5)]
            received = at(received_day, rng.randrange(0, 480))
            number = None
            if state != "draft":
                key = (division_id, received_day)
                n = mine.get(key, 0)
                mine[key] = n + 1
                high[key] = seq = counters.get(key, 0) + n * parts + part + 1
                number = f"{division_id}{received_day:%Y%m%d}{seq:05d}"
            form = {
                key: (
                    str(rng.randrange(1, 500))
                    if kind == "number"
                    else f"{key}-{rng.randrange(10**6)}"
                )
                for key, kind in spec["fields"]
            }
            case = dict.fromkeys(Writer.COLUMNS["cases_case"])
            case.update(
                id=case_id,
                number=number,
                query_password="".join(rng.choices("ABCDEFGHJKLMNPQRSTUVWXYZ23456789", k=8)),
                kind="new",
                applicant_name=applicant_name,
                applicant_code=applicant_code,
                applicant_mobile=sealed_mobile(rng.randrange(10000)),
                channel=rng.choice(("online", "online", "online", "window", "api")),
                status=state,
                outcome="",
                form_data=json.dumps(form, ensure_ascii=False),
                declaration_at=None if state == "draft" else received,
                received_at=None if state == "draft" else received,
                round_received_at=None if state == "draft" else received,
                correction_round=0,
                deemed_accepted=False,
                due_provisional=False,
                suspended_days=0,
                extension_days=0,
                lenient_commitment="",
                not_accepted_reason="",
                reason_text="",
                competent_organ="",
                delivery_method="",
                tracking_number="",
                created_at=received - timedelta(minutes=20),
                applicant_id=applicant_id,
                chosen_division_id=None,
                department_id=department_id,
                division_id=division_id,
                item_id=spec["item"],
                submitted_by_id=applicant_id,
                version_id=spec["version"],
            )
            events = []  # (at, kind, text, actor)
            notices = []  # (kind, at)
            tasks = []
            audit.append((case["created_at"], applicant_id, "case.draft", {}))
            for pk, name in spec["requirements"]:
                uploaded = case["created_at"] + timedelta(minutes=1)
                digest = f"{rng.getrandbits(256):064x}"
                writer.row(
                    "cases_casematerial",
                    (
                        uuid.uuid4(),
                        f"materials/{received_day:%Y/%m}/{digest[:16]}.pdf",
                        f"{name[:100]}.pdf",
                        "application/pdf",
                        20480 + rng.randrange(200_000),
                        bytes.fromhex(digest),
                        _iso(uploaded),
                        0,
                        False,
                        None,
                        case_id,
                        None,
                        pk,
                        applicant_id,
                        None,
                    ),
                )
                # The app's action and detail (cases.services.applying).
                audit.append(
                    (uploaded, applicant_id, "case.material.add",
                     {"material": name, "sha256": digest})
                )  # fmt: skip
            if state != "draft":
                # The kind and words the app writes on receipt (cases.services.applying).
                events.append((received, "received", "已收件（网上申请），等待预审", None))
                audit.append((received, applicant_id, "case.submit", {"channel": case["channel"]}))
                case["correction_due"] = clock.add(received_day, 5)
            if state == "correction_requested":
                case["correction_round"] = 1
                case["supplement_due"] = clock.add(received_day, 5 + rng.randrange(0, 5))
                notices.append(("correction", received + timedelta(hours=2)))
                events.append(
                    (received + timedelta(hours=2), "correction", "一次性告知补正材料", staff[0])
                )
                audit.append((received + timedelta(hours=2), staff[0], "case.correction", {}))
            if state == "not_accepted":
                ended = received + timedelta(days=1)
                case.update(
                    not_accepted_reason="not_competent",
                    reason_text="不属于本机关职权范围",
                    ended_at=ended,
                )
                case["competent_organ"] = "有权机关"
                notices.append(("non_acceptance", ended))
                events.append((ended, "not_accepted", "不予受理", staff[0]))
                audit.append((ended, staff[0], "case.not_accept", {}))
            accepted_states = (
                "closed",
                "withdrawn",
                "terminated",
                "decided",
                "processing",
                "suspended",
            )
            if state in accepted_states:
                accepted_day = clock.add(received_day, rng.randrange(0, 2))
                accepted = at(accepted_day, rng.randrange(0, 480))
                case.update(
                    accepted_at=accepted,
                    statutory_due=clock.add(accepted_day, statutory),
                    promised_due=clock.add(accepted_day, promised),
                )
                notices.append(("acceptance", accepted))
                events.append((accepted, "accepted", "已受理", staff[0]))
                audit.append((accepted, staff[0], "case.accept", {}))
                # Walk the flow: every stage done for decided cases, up to today for open ones.
                opened_day, opened = accepted_day, accepted
                stages = spec["stages"]
                for s_index, stage in enumerate(stages):
                    stage_due = clock.add(opened_day, max(step[3] for step in stage))
                    if state in ("processing", "suspended"):
                        # Done as planned (above); the next began when it ended.
                        stage_end = clock.add(opened_day, plan[s_index])
                        finishing = stage_end <= today and s_index < len(stages) - 1
                    else:
                        stage_end = None
                        finishing = state in ("closed", "decided") or (
                            stage_due < today and s_index < len(stages) - 1 and rng.random() < 0.8
                        )
                    if state in ("withdrawn", "terminated") and s_index > 0:
                        break
                    for key, name, role, days, owner in stage:
                        task_department = owner or department_id
                        task_staff = world.officials.get(task_department) or [None]
                        done_at = None
                        status = "open"
                        claimed = None
                        if finishing:
                            done_day = min(
                                clock.add(opened_day, rng.randrange(0, days + 1)),
                                stage_end or today,
                            )
                            done_at = at(done_day, rng.randrange(0, 480))
                            status, claimed = "done", task_staff[rng.randrange(len(task_staff))]
                        elif state in ("withdrawn", "terminated"):
                            status = "cancelled"
                        elif rng.random() < 0.5:
                            status, claimed = "claimed", task_staff[rng.randrange(len(task_staff))]
                        tasks.append(
                            (
                                uuid.uuid4(), key, name, s_index, role, status, _iso(opened),
                                clock.add(opened_day, days), done_at and _iso(done_at),
                                "agree" if owner and owner != department_id else "",
                                "同意。" if done_at else "", case_id, claimed, task_department,
                                None, "", None,
                                state == "suspended" and status in ("open", "claimed"),
                            )
                        )  # fmt: skip
                        if done_at:
                            events.append((done_at, "step_done", f"{name}已完成", claimed))
                            audit.append((done_at, claimed, "task.complete", {"step": key}))
                    if not finishing:
                        break
                    opened_day = stage_end or max(
                        (clock.add(opened_day, rng.randrange(0, step[3] + 1)) for step in stage),
                        default=opened_day,
                    )
                    opened_day = min(opened_day, today)
                    opened = at(opened_day, rng.randrange(0, 480))
                if state in ("closed", "decided"):
                    decided_day = min(opened_day, today)
                    if state == "decided":
                        # Awaiting delivery: decided within TL-04's ten working days, a few
                        # longer ago (after its steps, as every decision is).
                        decided_day = max(decided_day, clock.back(today, rng.randrange(0, 11)))
                    decided = at(decided_day, 400)
                    outcome = "granted" if rng.random() < 0.93 else "refused"
                    case.update(outcome=outcome, decided_at=decided)
                    notices.append(("grant" if outcome == "granted" else "refusal", decided))
                    events.append((decided, "decided", "已作出决定", staff[-1]))
                    audit.append((decided, staff[-1], "case.decide", {"outcome": outcome}))
                    if state == "decided":
                        case["licence_due"] = clock.add(decided_day, 10)
                    else:
                        closed = decided + timedelta(days=rng.randrange(1, 8))
                        case.update(closed_at=closed, delivery_method="online")
                        events.append((closed, "delivered", "决定已送达，办结", staff[0]))
                        audit.append((closed, staff[0], "case.deliver", {}))
                if state in ("withdrawn", "terminated"):
                    ended = accepted + timedelta(days=rng.randrange(1, 5))
                    case["ended_at"] = ended
                    events.append(
                        (ended, state, "申请人撤回" if state == "withdrawn" else "终止办理", None)
                    )
                    audit.append((ended, applicant_id, f"case.{state}", {}))
            writer.row("cases_case", [case[c] for c in Writer.COLUMNS["cases_case"]])
            for row in tasks:
                writer.row("cases_task", row)
            for moment, kind, text, actor in events:
                writer.row(
                    "cases_caseevent",
                    (_iso(moment), kind, text, True, "", actor, case_id, department_id),
                )
            for n, (kind, moment) in enumerate(notices):
                writer.row(
                    "cases_notice",
                    (
                        uuid.uuid4(), kind, f"{department_code}-{number or case_id}-{n}", _iso(moment),
                        f"notices/{moment:%Y/%m}/{case_id}-{n}.pdf", f"{rng.getrandbits(256):064x}",
                        case_id, department_id,
                    ),
                )  # fmt: skip
            prev = ""
            for seq, (moment, actor, action, detail) in enumerate(audit, start=1):
                detail = {"number": number, **detail}
                label = f"official-{actor}" if actor else "system"
                detail_text = json.dumps(
                    detail, sort_keys=True, ensure_ascii=False, separators=(",", ":")
                )
                stamp = moment.astimezone(UTC).isoformat(timespec="microseconds")
                # The platform's own record hash: verify_audit accepts the generated chains.
                digest = record_hash(
                    SimpleNamespace(
                        stream=stream, seq=seq, at=moment, actor_id=actor, actor_label=label,
                        client_id=None, ip=None, action=action, object_type="case",
                        object_id=str(case_id), outcome="success", detail=detail,
                        alg="sha256",
                    ),
                    prev,
                )  # fmt: skip
                writer.row(
                    "audit_auditrecord",
                    (stream, seq, stamp, label, None, action, "case", str(case_id), "success",
                     detail_text, "sha256", bytes.fromhex(digest), actor, None),
                )  # fmt: skip
                prev = digest
            writer.row("audit_auditstream", (stream, len(audit), prev, len(audit), division_id))
        writer.flush()
        made += batch
        log(f"  [{part}] {made:>9,} / {count:,} cases  ({time.perf_counter() - started:.0f} s)")
    return high


_WORK: list = []


def _run_part(part):
    return _WORK[0](part)


def _fork_map(fn, parts):
    """Run fn(0..parts-1) in forked children (they inherit the loaded world)."""
    import multiprocessing

    if parts == 1:
        return [fn(0)]
    _WORK[:] = [fn]
    with multiprocessing.get_context("fork").Pool(parts) as pool:
        return pool.map(_run_part, range(parts))
