"""Reading cases, always through the one scoping rule (CONTRACTS.md "Who sees a case")."""

from __future__ import annotations

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404

from shenpi.accounts.constants import DivisionLevel, Role
from shenpi.accounts.models import Division
from shenpi.accounts.scope import scope_for
from shenpi.audit.services import audit_denied

from .constants import CaseStatus
from .models import Case, Task


def cases_visible_to(user) -> QuerySet[Case]:
    """Its applicant (and whoever submitted for them); staff of the competent department,
    of the item's department or of any step's department; that department's window
    clerks; supervisors and leaders over the division subtree. Everyone else: nothing."""
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
        visible |= Q(submitted_by=user)
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
            department_id__in=list(scope.department_ids),
            status__in=[
                CaseStatus.RECEIVED,
                CaseStatus.CORRECTION_REQUESTED,
                CaseStatus.PROCESSING,
                CaseStatus.DECIDED,
            ],
        )
        .select_related("version", "department")
        .order_by("correction_due", "received_at")
    )


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
    process, with each step's case number, item name and holder. The states are written
    in, as in the partial index's condition, so that every planner sees it applies."""
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
        WHERE t.department_id = %s AND t.status IN ({active})
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
    was a sixth of the request (measured at a million cases)."""
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
            # to): the planner's 0.6 ms of each page is spent once. The server-side binding
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
