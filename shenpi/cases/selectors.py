"""Reading cases, always through the one scoping rule (CONTRACTS.md "Who sees a case")."""

from __future__ import annotations

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from shenpi.accounts.constants import AccountType, DivisionLevel, Role
from shenpi.accounts.models import Division, User
from shenpi.accounts.scope import scope_for
from shenpi.audit.services import audit_denied
from shenpi.common import personal
from shenpi.common.lookup import by_id_or_404
from shenpi.common.paging import slice_page
from shenpi.core import clock, transitions
from shenpi.core.errors import DomainError
from shenpi.core.flow import parse_flow, verdict_required
from shenpi.workdays.services import calendar

from . import access, authorisations
from .constants import (
    CORRECTION_DAYS,
    CaseStatus,
    DeliveryMethod,
    ExtensionRequestStatus,
    LicenceStatus,
    NotAcceptedReason,
    Outcome,
    SuspensionReason,
)
from .licences import is_issuer_head
from .models import ACTIVE_TASK_STATUSES, INTAKE_STATUSES, Case, ExtensionRequest, Task
from .progress import step_bar


def cases_visible_to(user) -> QuerySet[Case]:
    """Its applicant (and whoever submitted for them; an agent while authorised); staff
    of the competent department, of the item's department or of any step's department;
    that department's window clerks; supervisors and leaders over the division subtree.
    Everyone else: nothing."""
    qs = Case.objects.select_related("item", "version", "department__division")
    if not getattr(user, "is_authenticated", False):
        return qs.none()
    scope = scope_for(user)
    if scope.everything:
        return qs
    client = getattr(user, "is_system_client", False)
    departments = list(scope.department_ids)
    staff = Q(pk__in=[])
    if departments:
        staff |= Q(department_id__in=departments)
        staff |= Q(item__department_id__in=departments)
        staff |= Exists(Task.objects.filter(case=OuterRef("pk"), department_id__in=departments))
    if (client and user.client.division_id) or (
        not client and user.has_role(Role.SUPERVISOR, Role.LEADER)
    ):
        for path in scope.subtree_paths:
            staff |= Q(division__path__startswith=path)
    visible = staff & ~Q(status=CaseStatus.DRAFT)  # a draft is its applicant's alone
    if not client:
        visible |= Q(applicant=user)
        visible |= Q(submitted_by=user, agent__isnull=True)
        # An agent: while the authorisation they applied under is in force (the few ids
        # they hold, read first, so that the cases' query gains no join).
        held = list(authorisations.held_by(user, timezone.localdate()).values_list("pk", flat=True))
        if held:
            visible |= Q(agent=user, authorisation_id__in=held)
    return qs.filter(visible)


def two_level_divisions(version) -> QuerySet[Division]:
    """Art. 35, 43 (CONTRACTS.md "Two-level items"): the applicant of a two-level item
    chooses a city or county below the item's organ that has a department of the
    item's lower kind; the organ's own division is never a choice (its department
    would review "below" itself)."""
    upper = version.item.department.division
    return (
        Division.objects.filter(
            path__startswith=upper.path,
            level__in=[DivisionLevel.CITY, DivisionLevel.COUNTY],
            departments__kind_id=version.lower_kind_id,
            departments__is_active=True,
        )
        .exclude(pk=upper.pk)
        .distinct()
        .order_by("path")
    )


def case_for_user(user, case_id, request=None) -> Case:
    """The case if the user sees it; otherwise 404, and the attempt is audited as denied
    (rate-limited per person: audit_denied)."""
    case = cases_visible_to(user).filter(pk=case_id).first()
    if case is None:
        audit_denied(user=user, object_type="case", object_id=case_id, request=request)
        raise Http404
    return case


def intake_inbox(user) -> QuerySet[Case]:
    """Received cases awaiting pre-review in the user's departments, by deadline."""
    scope = scope_for(user)
    return (
        Case.objects.filter(
            department_id__in=list(scope.department_ids), status__in=INTAKE_STATUSES
        )
        .select_related("version", "department")
        .order_by("correction_due", "received_at")
    )


DESK_PAGE = 50  # rows of each of the desk's lists a page: the most urgent first


def intake_desk(user, *, case_page=None, task_page=None) -> dict:
    """The intake desk's rows: (case, due date, light) for the cases awaiting pre-review
    (the five days of RCV-04) or running (the promised limit), and (step, light) for the
    department's open steps this person may take, each by its deadline (CONTRACTS.md "The
    clock"); fifty of each a page, the most urgent first (a busy department has tens of
    thousands, and each row is judged against the calendar), pages not counted
    (common/paging.py)."""
    cal = calendar()
    today = timezone.localdate()
    cases = slice_page(intake_inbox(user), case_page, DESK_PAGE)
    rows = []
    for case in cases:
        received = case.status == CaseStatus.RECEIVED
        due = case.correction_due if received else case.promised_due
        light = ""
        if due and case.status in (CaseStatus.RECEIVED, CaseStatus.PROCESSING):
            start = timezone.localtime(case.round_received_at if received else case.accepted_at)
            limit = CORRECTION_DAYS if received else case.promised_limit
            light = clock.light(cal, today=today, start=start.date(), due=due, limit=limit)
        rows.append((case, due, light))
    roles = ["head", "official"] if user.has_role(Role.HEAD) else ["official"]
    steps = Task.objects.none()
    if user.department is not None:
        steps = (
            Task.objects.filter(
                department=user.department,
                status__in=ACTIVE_TASK_STATUSES,
                role__in=roles,
                case__status=CaseStatus.PROCESSING,
            )
            .select_related("case__version", "claimed_by")
            .order_by("due_date", "id")
        )
    step_page = slice_page(steps, task_page, DESK_PAGE)
    tasks, flows = [], {}
    for task in step_page:
        opened = timezone.localtime(task.opened_at).date()
        limit = max(1, clock.working_days_between(cal, opened, task.due_date))
        light = clock.light(cal, today=today, start=opened, due=task.due_date, limit=limit)
        version = task.case.version
        if version.pk not in flows:
            flows[version.pk] = parse_flow(version.flow)
        # Art. 34 ¶3: the official sees before starting that a second one must check it.
        task.awaits_second = (
            flows[version.pk].step(task.step_key).verification and task.verified_by_id is None
        )
        tasks.append((task, light))
    return {"rows": rows, "tasks": tasks, "case_page": cases, "task_page": step_page}


# --- the review inbox ---------------------------------------------------------------------------

INBOX_KEYS = (
    "id",
    "case_id",
    "step_key",
    "step_name",
    "role",
    "status",
    "due_date",
    "case_number",
    "item_name",
    "claimed_by_username",
)


def _inbox_sql(condition: str, order: str) -> str:
    """A department's open steps (task_open_inbox: department, due date, id) of cases in
    process, with each step's case number, item name and holder. The states and the pause
    are written in, as in the partial index's condition, so that every planner sees it
    applies."""
    from shenpi.catalog.models import ItemVersion

    from .models import ACTIVE_TASK_STATUSES

    active = ", ".join(f"'{status}'" for status in ACTIVE_TASK_STATUSES)
    return f"""
        SELECT t.id, t.case_id, t.step_key, t.step_name, t.role, t.status, t.due_date,
               c.number, v.name, u.username
        FROM {Task._meta.db_table} t
        JOIN {Case._meta.db_table} c ON c.id = t.case_id
        JOIN {ItemVersion._meta.db_table} v ON v.id = c.version_id
        LEFT JOIN {Task._meta.get_field("claimed_by").related_model._meta.db_table} u
            ON u.id = t.claimed_by_id
        WHERE t.department_id = %s AND t.status IN ({active}) AND NOT t.paused
          AND c.status = '{CaseStatus.PROCESSING}'{condition}
        ORDER BY t.due_date {order}, t.id {order}
        LIMIT %s
    """


_INBOX: dict = {}  # (vendor, direction) → (sql, converters), written once per process


def open_steps_page(
    department_id, *, after: tuple | None = None, before: tuple | None = None, size: int = 50
) -> tuple[list[dict], bool]:
    """One page of a department's review inbox (its open steps of cases in process), by due
    date then id: the first `size`, those after the key `after` (due date, step id), or the
    last `size` before `before`; and whether more lie beyond the page in that direction.

    The ORM's `Task.objects.filter(...).values(...)` with the same joins, written out once
    per process: an official opens this page all day, and compiling that query each time
    was a large share of the request."""
    from django.db import connection

    from shenpi.catalog.models import ItemVersion
    from shenpi.common.queries import column_converters, convert_row

    if department_id is None:
        return [], False
    backward = before is not None
    key = before if backward else after
    plan = _INBOX.get((connection.vendor, backward, key is None))
    if plan is None:
        condition = (
            "" if key is None else f" AND (t.due_date, t.id) {'<' if backward else '>'} (%s, %s)"
        )
        fields = [
            (Task._meta.get_field(name), "t")
            for name in ("id", "case", "step_key", "step_name", "role", "status", "due_date")
        ]
        fields += [
            (Case._meta.get_field("number"), "c"),
            (ItemVersion._meta.get_field("name"), "v"),
            (Task._meta.get_field("claimed_by").related_model._meta.get_field("username"), "u"),
        ]
        plan = _INBOX[(connection.vendor, backward, key is None)] = (
            _inbox_sql(condition, "DESC" if backward else "ASC"),
            column_converters(connection, fields),
        )
    sql, converters = plan
    id_field = Task._meta.pk
    params = [Task._meta.get_field("department").get_db_prep_value(department_id, connection)]
    if key is not None:
        params += [
            Task._meta.get_field("due_date").get_db_prep_value(key[0], connection),
            id_field.get_db_prep_value(key[1], connection),
        ]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # Prepared once per connection (psycopg prepares a statement it has been asked
            # to): the planning of the page's query is done once. The server-side binding
            # cursor shares the connection, and so its transaction, with Django's (its
            # statements are not in Django's query log).
            import psycopg

            with connection.wrap_database_errors, psycopg.Cursor(cursor.connection) as raw:
                raw.execute(sql, [*params, size + 1], prepare=True)
                found = raw.fetchall()
        else:
            cursor.execute(sql, [*params, size + 1])
            found = cursor.fetchall()
    rows = [
        dict(zip(INBOX_KEYS, convert_row(connection, converters, row), strict=True))
        for row in found
    ]
    more = len(rows) > size
    rows = rows[:size]
    if backward:
        rows.reverse()
    return rows, more


TRACK_LIMIT = 10  # lookups per client address per 10 minutes


def case_tracked(address: str | None, number: str, password: str) -> Case:
    """Anyone holding a case number and its query password (the page and the API): a
    guessed password costs one of TRACK_LIMIT lookups an address has in ten minutes."""
    from shenpi.accounts.ratelimit import allowed
    from shenpi.core.errors import NotFound, TooMany

    if not allowed(f"track:{address or 'unknown'}", limit=TRACK_LIMIT, window=600):
        raise TooMany("查询过于频繁，请 10 分钟后再试。")
    case = (
        Case.objects.filter(
            number=(number or "").strip(), query_password=(password or "").strip().upper()
        )
        .exclude(status=CaseStatus.DRAFT)
        .select_related("version", "department")
        .first()
    )
    if case is None:
        raise NotFound("办件编号或查询密码不正确。")
    return case


def due_rows(case) -> list[tuple]:
    """Why each date of the case is what it is: (what, when, the rule and its article)."""
    rows = []
    if case.received_at:
        rows.append(("收件", case.received_at, "提交申请之日"))
    if case.correction_due and case.status in (CaseStatus.RECEIVED,):
        rows.append(
            ("预审期限", case.correction_due, "收件后五个工作日内一次告知补正（第三十二条）")
        )
    if case.accepted_at:
        rows.append(
            (
                "受理" + ("（视为受理）" if case.deemed_accepted else ""),
                case.accepted_at,
                "期限自受理次日起按工作日计算，法定节假日不计（第八十二条）",
            )
        )
        rows.append(
            (
                "承诺期限",
                case.promised_due,
                f"承诺 {case.promised_limit} 个工作日"
                + ("（告知承诺）" if case.commitment_at else ""),
            )
        )
        rows.append(
            (
                "法定期限",
                case.statutory_due,
                f"法定 {case.version.statutory_days} 个工作日（第四十二条）"
                + (f"，含暂停 {case.suspended_days} 个工作日" if case.suspended_days else "")
                + (f"，延长 {case.extension_days} 个工作日" if case.extension_days else ""),
            )
        )
    for pause in case.suspensions.all().order_by("started_on"):
        label = (
            str(SuspensionReason(pause.reason).label)
            if pause.reason in SuspensionReason.values
            else pause.reason
        )
        rows.append(
            (
                f"特别程序：{label}",
                pause.started_on,
                f"至 {pause.ended_on:%Y-%m-%d}，{pause.excluded_days} 个工作日不计入期限（第四十五条）"
                if pause.ended_on
                else f"进行中，预计 {pause.expected_days} 个工作日，不计入期限（第四十五条）",
            )
        )
    extension = getattr(case, "extension", None)
    if extension is not None:
        rows.append(
            (
                "延长期限",
                extension.approved_at,
                f"经批准延长 {extension.days} 个工作日：{extension.reasons}（第四十二条）",
            )
        )
    if case.licence_due:
        rows.append(
            ("证照送达期限", case.licence_due, "决定后十个工作日内颁发、送达（第四十四条）")
        )
    return rows


# --- the case page ----------------------------------------------------------------------


RATING_LEVELS = [(5, "非常满意"), (4, "满意"), (3, "基本满意"), (2, "不满意"), (1, "非常不满意")]
RATING_FIELDS = [
    ("overall", "总体评价"),
    ("efficiency", "办事效率"),
    ("guide_accuracy", "办事指南准确"),
    ("convenience", "办事便利"),
]


def _extension_flags(user, case: Case, staff: bool, today) -> dict:
    """TL-01/TL-02 (Art. 42) on the case page: the request waiting for its approver, and
    whether this person may ask (the step's staff), grant it, or extend directly (the
    approver), by the rules the services apply (access, the transition table)."""
    pending = (
        case.extension_requests.filter(status=ExtensionRequestStatus.PENDING)
        .select_related("asked_by")
        .first()
    )
    open_to = (
        staff
        and not case.source_client_id
        and transitions.allowed("extend", case.status)
        and not case.extension_days
        and case.version.extension_days > 0
        and not (case.statutory_due and today > case.statutory_due)
    )
    needs_leader, department_id, division_id = access.extension_approver(case)
    approver = staff and access.may_approve_extension(
        user, needs_leader=needs_leader, department_id=department_id, division_id=division_id
    )
    step_staff = False
    if open_to and pending is None and not approver:
        try:
            access.ensure_step_department_staff(user, case)
            step_staff = True
        except DomainError:
            pass
    return {
        "extension_pending": pending,
        "can_ask_extension": step_staff,
        "can_extend": open_to and approver and pending is None,
        "can_decide_extension": approver and pending is not None,
        "extension_open": open_to,
    }


def case_page(user, case: Case, drafts: dict | None = None) -> dict:
    """Everything the case page shows, and what this person may do on it: the flags ask
    the same rules the services apply (cases.access, shenpi.core.transitions), so a
    button is shown exactly when its action would be allowed. `drafts`: what an official
    typed into a step's form that the service refused, by step."""
    staff = user.account_type == AccountType.STAFF
    # A lower-level platform's own case is read-only here (records.lock): no action of
    # ours is offered on it, as none would be allowed.
    status = None if case.source_client_id else case.status
    intake_staff = staff and (
        access.is_official_of(user, case.department) or access.is_clerk_for(user, case.department)
    )
    decider = False
    if staff:
        try:
            access.ensure_decider(user, case)
            decider = True
        except DomainError:
            pass
    tasks = list(
        case.tasks.select_related("department", "claimed_by", "verified_by").order_by("opened_at")
    )
    my_department = user.department.pk if staff and user.department else None
    flow = parse_flow(case.version.flow)
    cal = calendar()
    today = timezone.localdate()
    for t in tasks:
        opened = timezone.localtime(t.opened_at).date()
        end = timezone.localtime(t.completed_at).date() if t.completed_at else today
        t.used_days = clock.days_used(cal, opened, end)
        t.limit_days = clock.working_days_between(cal, opened, t.due_date)
        t.mine = access.staff_of(user, t.department, t.role) if staff else False
        t.lead_may_respond = (
            t.verdict == "disagree" and not t.response and my_department == case.item.department_id
        )
        t.needs_verdict = verdict_required(flow, t.step_key)
        # Art. 34 ¶3: said before the official starts, not when they press 完成.
        t.needs_second = flow.step(t.step_key).verification
        t.draft = (drafts or {}).get(str(t.pk), {})
    left = None
    if case.status == CaseStatus.PROCESSING and case.promised_due:
        left = clock.days_left(cal, today, case.promised_due)
    may_read_personal = access.may_read_personal(user, case)
    holders = sorted({t.department.name for t in tasks if t.status in ACTIVE_TASK_STATUSES})
    extension = _extension_flags(user, case, staff, today)
    licence = getattr(case, "issued_licence", None) if case.outcome == Outcome.GRANTED else None
    unrated = status in (CaseStatus.CLOSED, CaseStatus.NOT_ACCEPTED) and not hasattr(case, "rating")
    return {
        "case": case,
        "source_system": case.source_client.name if case.source_client_id else "",
        "events": case.events.filter(public=True) if not staff else case.events.all(),
        "notices": case.notices.all(),
        "materials": case.materials.select_related("requirement"),
        "correction": case.corrections.order_by("-round").first(),
        "due_rows": due_rows(case),
        "staff": staff,
        "can_intake": intake_staff and transitions.allowed("accept", status),
        "can_decide": decider and transitions.allowed("decide", status),
        "can_deliver": intake_staff and transitions.allowed("deliver", status),
        "left": left,
        "is_applicant_side": access.is_applicant_side(user, case),
        "reasons": NotAcceptedReason.choices,
        "methods": DeliveryMethod.choices,
        "licence": licence,
        "may_end_licence": licence is not None
        and licence.status != LicenceStatus.CANCELLED
        and not case.source_client_id
        and is_issuer_head(user, licence),
        "requirements": case.version.materials.all(),
        "tasks": tasks,
        "holders": holders,
        "steps": None if case.status == CaseStatus.DRAFT else step_bar(case, holders),
        "suspension_reasons": SuspensionReason.choices,
        # Shown masked to those who may read them, and opened only for them; the clear
        # numbers only on request, audited (case_personal).
        "may_read_personal": may_read_personal,
        "masked_code": personal.mask_code(case.applicant_code) if may_read_personal else "",
        "masked_mobile": personal.mask_mobile(case.applicant_mobile) if may_read_personal else "",
        "can_pause": staff
        and (transitions.allowed("suspend", status) or transitions.allowed("resume", status))
        and (
            any(t.mine and t.status in ACTIVE_TASK_STATUSES for t in tasks)
            or access.is_official_of(user, case.department)
        ),
        **extension,
        "can_urge": transitions.allowed("urge", status),
        "hearing": getattr(case, "hearing", None),
        # CONTRACTS.md: only the applicant rates; the window's clerk opens the window's
        # evaluation device for them.
        "rateable": unrated and case.applicant_id == user.pk,
        "window_rating": unrated and access.is_clerk_for(user, case.department),
        "rating_levels": RATING_LEVELS,
        "rating_fields": RATING_FIELDS,
        "can_intake_dept": staff and access.is_official_of(user, case.department),
        "hearing_staff": User.objects.filter(office__department=user.department, is_active=True)
        if staff and user.department
        else [],
        "withdrawable": transitions.allowed("withdraw", status),
    }


def extension_queue(user) -> QuerySet[ExtensionRequest]:
    """The requests this person decides (access.extensions_approvable_by), still pending
    on a case whose limit may still be extended, the soonest statutory limit first."""
    return (
        ExtensionRequest.objects.filter(access.extensions_approvable_by(user))
        .filter(
            status=ExtensionRequestStatus.PENDING,
            case__status__in=transitions.TABLE["extend"].sources,
        )
        .select_related("case__version", "case__department", "asked_by", "department")
        .order_by("case__statutory_due", "asked_at")
    )


def extensions_decided(user, limit: int = 20) -> list[ExtensionRequest]:
    """The last requests this person's queue held that were decided (by anyone)."""
    return list(
        ExtensionRequest.objects.filter(access.extensions_approvable_by(user))
        .exclude(status=ExtensionRequestStatus.PENDING)
        .select_related("case__version", "asked_by", "decided_by")
        .order_by("-decided_at")[:limit]
    )


def extension_for_approver(user, pk) -> ExtensionRequest:
    """One request of this person's queue, pending or not; 404 otherwise (malformed ids
    included)."""
    return by_id_or_404(
        ExtensionRequest.objects.filter(access.extensions_approvable_by(user)).select_related(
            "case"
        ),
        pk,
    )
