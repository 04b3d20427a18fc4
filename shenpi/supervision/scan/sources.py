"""Where the deadline scan's lights come from. Each source names the kinds of light it
gives and judges them two ways that must agree: one by one through the pure clock (the
portable scan, and trying a rule on past days) and as a set in SQL (the PostgreSQL scan,
engine.py). A new kind of deadline — a question's answer, a post-check, a project's
milestone, an extension request — registers a source here; the scan's core, its cards,
plans, lights and counts, take it as they take these.

A source's table must mark its case for judging when it changes (a trigger writing
supervision_scandirty, as migration 0009 does for cases, steps and orders), or the
incremental scan will not see the change until the next full scan.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from django.db.models import Q
from django.utils import timezone

from shenpi.cases.constants import CaseStatus, ExtensionRequestStatus, TaskStatus
from shenpi.cases.models import ACTIVE_TASK_STATUSES, Case, ExtensionRequest, Task

from ..models import Level, SupervisionOrder, WarningKind


@dataclass(frozen=True)
class SqlContext:
    """What a source's SQL may use (engine.desired_into_temp): `local` turns a timestamp
    into the region's local time; `pick` joins the fresh cases (alias c.id) when the scan
    is incremental; `judge` wraps rows of (case_id, task_id, kind, due, department_id,
    rule_id, sn, dn, yellow_left, ratio) into levels and plans; `thresholds(alias, item,
    step)` joins the rule that applies; `active` lists the open steps' statuses."""

    local: str
    pick: str
    judge: Callable[[str], str]
    thresholds: Callable[[str, str, str], str]
    active: str


@dataclass(frozen=True)
class LightSource:
    name: str
    kinds: tuple[str, ...]
    # portable(today, judge, out, history=...): judge(key, start=, due=, item_id=,
    # department_id=, step_key=, rule=) for each light, or set out[key] for a light whose
    # level is not the clock's; `history`: as the day was (rule trials), cases and steps only.
    portable: Callable
    # sql(ctx) -> one SELECT of (case_id, task_id, kind, level, due, department_id,
    # rule_id, yellow_on, planned): planned lights get a plan and move with time.
    sql: Callable[[SqlContext], str]
    # A SELECT of the case ids whose unplanned lights can change with time alone (an
    # order waiting for its answer): the incremental scan judges them at every scan.
    judged_always: str = ""


SOURCES: list[LightSource] = []


def register(source: LightSource) -> LightSource:
    if any(s.name == source.name for s in SOURCES):
        raise ValueError(f"light source {source.name!r} is registered already")
    SOURCES.append(source)
    return source


def light_kinds() -> tuple[str, ...]:
    """Every kind of light the registered sources give (the cards the scan may clear)."""
    return tuple(kind for source in SOURCES for kind in source.kinds)


def _local(moment) -> date:
    return timezone.localtime(moment).date()


# --- the case's own deadlines -----------------------------------------------------------


def _case_portable(today, judge, out, *, history):
    """Promised (no rule id) and statutory (REV-05) from acceptance while processing;
    RCV-04 (Art. 32) the one-time correction notice within 5 working days of receipt;
    TL-04 (Art. 44) the licence delivered within 10 working days of the decision."""
    if history:
        # As the day was: accepted by then, not yet decided or ended.
        cases = (
            Case.objects.filter(accepted_at__date__lte=today)
            .filter(Q(decided_at__isnull=True) | Q(decided_at__date__gt=today))
            .filter(Q(ended_at__isnull=True) | Q(ended_at__date__gt=today))
        )
    else:
        cases = Case.objects.filter(status=CaseStatus.PROCESSING)
    for case in cases.only(
        "pk", "item_id", "department_id", "accepted_at", "promised_due", "statutory_due"
    ).iterator(2000):
        start = _local(case.accepted_at)
        where = {"item_id": case.item_id, "department_id": case.department_id}
        judge((case.pk, None, WarningKind.PROMISED), start=start, due=case.promised_due, **where)
        judge(
            (case.pk, None, WarningKind.STATUTORY),
            start=start,
            due=case.statutory_due,
            rule="REV-05",
            **where,
        )
    if history:
        return
    for case in (
        Case.objects.filter(status=CaseStatus.RECEIVED)
        .only("pk", "item_id", "department_id", "round_received_at", "correction_due")
        .iterator(2000)
    ):
        judge(
            (case.pk, None, WarningKind.CORRECTION),
            start=_local(case.round_received_at),
            due=case.correction_due,
            item_id=case.item_id,
            department_id=case.department_id,
            rule="RCV-04",
        )
    for case in (
        Case.objects.filter(status=CaseStatus.DECIDED, licence_due__isnull=False)
        .only("pk", "item_id", "department_id", "decided_at", "licence_due")
        .iterator(2000)
    ):
        judge(
            (case.pk, None, WarningKind.LICENCE),
            start=_local(case.decided_at),
            due=case.licence_due,
            item_id=case.item_id,
            department_id=case.department_id,
            rule="TL-04",
        )


def _case_sql(ctx: SqlContext) -> str:
    # From one read of each case (its start's ordinal computed once; four filtered reads
    # would read each case four times).
    return ctx.judge(f"""
            SELECT c.id AS case_id, NULL::uuid AS task_id, v.kind, v.due, c.department_id,
                   v.rule AS rule_id, c.sn, pg_temp.scan_n(v.due) AS dn, th.yellow_left, th.ratio
            FROM (
                SELECT id, item_id, department_id, status, promised_due, statutory_due,
                       correction_due, licence_due,
                       pg_temp.scan_n((CASE status WHEN 'processing' THEN accepted_at
                                                   WHEN 'received' THEN round_received_at
                                                   ELSE decided_at END {ctx.local})::date) AS sn
                FROM scan_case WHERE status IN ('processing', 'received', 'decided')
                OFFSET 0) c
            CROSS JOIN LATERAL (VALUES
                ('promised', c.promised_due, '', 'processing'),
                ('statutory', c.statutory_due, 'REV-05', 'processing'),
                ('correction', c.correction_due, 'RCV-04', 'received'),
                ('licence', c.licence_due, 'TL-04', 'decided')) v(kind, due, rule, status)
            {ctx.thresholds("th", "c.item_id", "''")}
            WHERE v.status = c.status
        """)


CASE_DEADLINES = register(
    LightSource(
        "case deadlines",
        (WarningKind.PROMISED, WarningKind.STATUTORY, WarningKind.CORRECTION, WarningKind.LICENCE),
        _case_portable,
        _case_sql,
    )
)


# --- the steps of the flow --------------------------------------------------------------


def _steps_portable(today, judge, out, *, history):
    if history:
        tasks = (
            Task.objects.filter(opened_at__date__lte=today)
            .exclude(status=TaskStatus.CANCELLED)
            .filter(Q(completed_at__isnull=True) | Q(completed_at__date__gt=today))
        )
    else:
        tasks = Task.objects.filter(
            status__in=ACTIVE_TASK_STATUSES, case__status=CaseStatus.PROCESSING
        )
    for task in (
        tasks.select_related("case")
        .only(
            "pk", "case_id", "case__item_id", "department_id", "opened_at", "due_date", "step_key"
        )
        .iterator(2000)
    ):
        judge(
            (task.case_id, task.pk, WarningKind.STEP),
            start=_local(task.opened_at),
            due=task.due_date,
            item_id=task.case.item_id,
            department_id=task.department_id,
            step_key=task.step_key,
        )


def _steps_sql(ctx: SqlContext) -> str:
    # From the step's opening (index-only, from task_scan_open).
    return ctx.judge(f"""
            SELECT t.case_id, t.id AS task_id, 'step' AS kind, t.due_date AS due,
                   t.department_id, '' AS rule_id, pg_temp.scan_n((t.opened_at {ctx.local})::date)
                   AS sn, pg_temp.scan_n(t.due_date) AS dn, th.yellow_left, th.ratio
            FROM cases_task t
            JOIN scan_case c ON c.id = t.case_id
            {ctx.thresholds("th", "c.item_id", "t.step_key")}
            WHERE t.status IN ({ctx.active}) AND c.status = 'processing'
        """)


STEPS = register(LightSource("steps", (WarningKind.STEP,), _steps_portable, _steps_sql))


# --- supervision orders -----------------------------------------------------------------


def _orders_portable(today, judge, out, *, history):
    """An order whose answer is overdue turns from a yellow card to a red one."""
    if history:
        return
    for order in SupervisionOrder.objects.filter(answered_at__isnull=True).only(
        "pk", "case_id", "department_id", "answer_due"
    ):
        level = Level.RED if today > order.answer_due else Level.YELLOW
        out[(order.case_id, None, WarningKind.ORDER)] = (
            level,
            order.answer_due,
            order.department_id,
            "",
        )


def _orders_sql(ctx: SqlContext) -> str:
    # Yellow until the answer is due, red after (their cases are judged at every scan
    # while unanswered, so they need no plan).
    return f"""
            SELECT * FROM (
                SELECT DISTINCT ON (o.case_id) o.case_id, NULL::uuid, 'order',
                       CASE WHEN %(today)s::date > o.answer_due THEN 'red' ELSE 'yellow' END,
                       o.answer_due, o.department_id, '', NULL::date, false
                FROM supervision_supervisionorder o {ctx.pick.replace("c.id", "o.case_id")}
                WHERE o.answered_at IS NULL
                ORDER BY o.case_id, o.issued_at DESC) o
        """


ORDERS = register(
    LightSource(
        "orders",
        (WarningKind.ORDER,),
        _orders_portable,
        _orders_sql,
        "SELECT case_id FROM supervision_supervisionorder WHERE answered_at IS NULL",
    )
)


# --- extension requests -----------------------------------------------------------------


def _extensions_portable(today, judge, out, *, history):
    """TL-01/TL-02 (Art. 42): a request waits for its approver as a yellow card; left
    undecided past the statutory limit — when it can no longer be granted — it is red.
    A suspended case's limit is not running, so its request lights nothing."""
    if history:
        return
    for request in (
        ExtensionRequest.objects.filter(
            status=ExtensionRequestStatus.PENDING, case__status=CaseStatus.PROCESSING
        )
        .select_related("case")
        .only("case_id", "department_id", "needs_leader", "case__statutory_due")
    ):
        due = request.case.statutory_due
        level = Level.RED if today > due else Level.YELLOW
        out[(request.case_id, None, WarningKind.EXTENSION)] = (
            level,
            due,
            request.department_id,
            "TL-02" if request.needs_leader else "TL-01",
        )


def _extensions_sql(ctx: SqlContext) -> str:
    # Like the orders: judged at every scan while pending, so no plan; of the judged cases.
    return """
            SELECT r.case_id, NULL::uuid, 'extension',
                   CASE WHEN %(today)s::date > c.statutory_due THEN 'red' ELSE 'yellow' END,
                   c.statutory_due, r.department_id,
                   CASE WHEN r.needs_leader THEN 'TL-02' ELSE 'TL-01' END, NULL::date, false
            FROM cases_extensionrequest r
            JOIN scan_case c ON c.id = r.case_id
            WHERE r.status = 'pending' AND c.status = 'processing'
        """


EXTENSIONS = register(
    LightSource(
        "extension requests",
        (WarningKind.EXTENSION,),
        _extensions_portable,
        _extensions_sql,
        # Red the day after the statutory limit with nothing changed: judged every scan.
        "SELECT case_id FROM cases_extensionrequest WHERE status = 'pending'",
    )
)
