from django.db.models import Count, Exists, F, OuterRef, Q, Sum, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from shenpi.accounts.models import Division
from shenpi.cases.constants import CaseStatus
from shenpi.cases.models import OPEN_STATUSES, Task

from .models import Level

OPEN = OPEN_STATUSES


def _watched_divisions(user) -> list[str] | None:
    """The division codes a supervisor watches (None: every division); computed once per
    request's user, as the scope is (the list, its counts and the screen all ask)."""
    from shenpi.accounts.scope import scope_for

    if not hasattr(user, "_shenpi_watched"):
        scope = scope_for(user)
        codes = None
        if not scope.everything:
            q = Q(pk__in=[])
            for path in scope.subtree_paths:
                q |= Q(path__startswith=path)
            codes = list(Division.objects.filter(q).values_list("code", flat=True))
        user._shenpi_watched = codes
    return user._shenpi_watched


def _in_divisions(qs, codes, field="division_id"):
    return qs if codes is None else qs.filter(**{f"{field}__in": codes})


def monitored_cases(user, *, division="", department="", item="", official="", light=""):
    """Open cases in the supervisor's divisions, each with its worst open light (kept by
    the deadline scan in CaseLight, so neither the list nor the counts look warnings up),
    the most urgent first (by promised date), and the counts by light."""
    from shenpi.cases.models import Case

    qs = _in_divisions(Case.objects.filter(status__in=OPEN), _watched_divisions(user))
    if division:
        root = Division.objects.filter(code=division).first()
        qs = (
            qs.filter(
                division_id__in=Division.objects.filter(path__startswith=root.path).values("code")
            )
            if root
            else qs.none()
        )
    if department:
        qs = qs.filter(department__code=department)
    if item:
        qs = qs.filter(item__code=item)
    if official:
        qs = qs.filter(
            Exists(Task.objects.filter(case=OuterRef("pk"), claimed_by__username=official))
        )
    if item or official:
        shown = Coalesce("lit__light", Value("green"))
        counts = dict(
            qs.order_by().annotate(shown=shown).values_list("shown").annotate(n=Count("*"))
        )
    else:
        # By division and department: the counts the last deadline scan kept (LightCount).
        counts = _kept_counts(user, division, department)
    if light in ("red", "yellow"):
        # From the scan's narrow CaseLight rows (read whole: no index on the light, so that
        # the scan's daily changes of it are heap-only updates), in due order.
        qs = qs.filter(lit__light=light).order_by("lit__promised_due", "id")
    elif light == "green":
        # No row, or a row with no light (a case the scan keeps only for its next day).
        qs = qs.filter(lit__light__isnull=True).order_by("promised_due", "id")
    else:
        qs = qs.order_by("promised_due", "id")
    listed = (
        qs.select_related("department", "version")
        .annotate(light=Coalesce("lit__light", Value("green")))
        .only(
            *("id", "number", "status", "promised_due", "statutory_due"),
            *("department__name", "department__short_name", "version__name"),
        )
    )
    return listed, counts


def _kept_counts(user, division="", department="") -> dict:
    from .models import LightCount

    kept = _in_divisions(LightCount.objects.all(), _watched_divisions(user))
    if division:
        root = Division.objects.filter(code=division).first()
        kept = kept.filter(division__path__startswith=root.path) if root else kept.none()
    if department:
        kept = kept.filter(department__code=department)
    return {light: n for light, n in kept.order_by().values_list("light").annotate(n=Sum("n")) if n}


def screen_figures(user) -> dict:
    """The hall's big screen: today's flow, open cases by light, the last 30 days'
    on-time rate, and the departments with the most red cards."""
    from datetime import timedelta

    from django.utils import timezone

    from shenpi.cases.models import Case

    today = timezone.localdate()
    codes = _watched_divisions(user)
    visible = _in_divisions(Case.objects.exclude(status=CaseStatus.DRAFT), codes)
    _open, counts = monitored_cases(user)
    day = day_range(today)
    month = (day_range(today - timedelta(days=29))[0], day[1])
    closed = visible.filter(closed_at__range=month).aggregate(
        total=Count("pk"),
        on_time=Count(
            "pk", filter=Q(promised_due__isnull=True) | Q(decided_at__date__lte=F("promised_due"))
        ),
    )
    from .models import LightCount

    # The departments with the most cases on a red light (as the last scan counted them).
    worst = (
        _in_divisions(LightCount.objects.filter(light=Level.RED), codes)
        .values("department__short_name")
        .annotate(n=Sum("n"))
        .order_by("-n")[:5]
    )
    # A draft has none of these times, so the day's figures need not say "not a draft":
    # each is then counted from its time's index, which carries the division.
    dated = _in_divisions(Case.objects.all(), codes)
    return {
        "received_today": dated.filter(received_at__range=day).count(),
        "accepted_today": dated.filter(accepted_at__range=day).count(),
        "decided_today": dated.filter(decided_at__range=day).count(),
        "open_by_light": {k: counts.get(k, 0) for k in ("green", "yellow", "red")},
        "on_time_rate": round(100 * closed["on_time"] / closed["total"], 1)
        if closed["total"]
        else None,
        "most_red": [{"department": w["department__short_name"], "red": w["n"]} for w in worst],
    }


def day_range(day):
    """[00:00, 24:00) of a local day, as a range an index on the timestamp can use."""
    from datetime import datetime, time, timedelta

    from django.utils import timezone

    start = timezone.make_aware(datetime.combine(day, time.min))
    return (start, start + timedelta(days=1) - timedelta(microseconds=1))


def complaints_for(user):
    """Complaints a user works on: a supervisor's (or leader's) about departments in their
    division subtrees; anyone else's, those transferred to them. The newest first, each
    with its open step's light and whether the user may find it founded."""
    from shenpi.accounts.constants import Role
    from shenpi.workdays.services import calendar

    from .feedback import complaint_light, oversees
    from .models import Complaint

    qs = Complaint.objects.select_related("department__division", "handler", "found_by")
    if not getattr(user, "is_system_client", False) and user.has_role(Role.SUPERVISOR, Role.LEADER):
        codes = _watched_divisions(user)
        qs = _in_divisions(qs, codes, "department__division_id")
    else:
        qs = qs.filter(handler=user)
    rows = list(qs.order_by("-filed_at")[:200])
    today, cal = timezone.localdate(), calendar()
    handlers = _handlers({c.department_id for c in rows if c.status == "filed"})
    for complaint in rows:
        complaint.lit = complaint_light(complaint, today, cal)
        complaint.may_find = oversees(user, complaint.department)
        complaint.handlers = handlers.get(complaint.department_id, [])
    return rows


def _handlers(department_ids) -> dict:
    """Whom a complaint may be transferred to, per department: its officials and heads
    (feedback.complaint_decide checks the same), for a pick list instead of typed names."""
    from shenpi.accounts.constants import Role
    from shenpi.accounts.models import User

    people = (
        User.objects.filter(
            office__department_id__in=department_ids,
            is_active=True,
            role_assignments__role__in=[Role.OFFICIAL, Role.HEAD],
        )
        .select_related("office")
        .distinct()
        .order_by("username")
    )
    out: dict = {}
    for person in people:
        out.setdefault(person.office.department_id, []).append(person)
    return out


def audit_records_for(user):
    """The audit records a supervisor or leader reads: the streams of their division
    subtree (cases, complaints, people, items …); region-wide streams (settings,
    administration, unknown user names) only when their subtree is the whole region."""
    from shenpi.accounts.scope import scope_for
    from shenpi.audit.models import AuditRecord, AuditStream

    scope = scope_for(user)
    if scope.everything:
        return AuditRecord.objects.all()
    codes = _watched_divisions(user) or []
    whole_region = Division.objects.filter(code__in=codes, parent__isnull=True).exists()
    streams = AuditStream.objects.filter(
        Q(division__in=codes) | (Q(division="") if whole_region else Q(pk__in=[]))
    )
    return AuditRecord.objects.filter(stream__in=streams.values("name"))


WATCHED_FIGURES_SECONDS = 60


def watched_figures(user, *, lit_at_most: int = 20) -> list[dict]:
    """The other deadlines the scan lights (a question's answer: scan/watched.py) in the
    supervisor's divisions: per department the running ones by light, and the red and
    yellow ones, the most urgent first. Kept a minute in the shared cache for the same
    divisions: counting tens of thousands of questions on every view of the monitor cost
    it more than its cases (whose counts are the last scan's)."""
    import hashlib

    from django.core.cache import cache

    codes = _watched_divisions(user)
    today = timezone.localdate()
    key = "monitor:watched:" + hashlib.sha256(repr((today, codes)).encode()).hexdigest()[:24]
    figures = cache.get(key)
    if figures is None:
        figures = _watched_figures(codes, lit_at_most)
        cache.set(key, figures, WATCHED_FIGURES_SECONDS)
    return figures


def _watched_figures(codes, lit_at_most: int) -> list[dict]:
    from shenpi.accounts.models import Department

    from .scan import WATCHED

    figures = []
    for watched in WATCHED:
        counts = watched.counts(codes)
        names = Department.objects.in_bulk({department for department, _light in counts})
        per_department: dict = {}
        for (department, light), n in counts.items():
            row = per_department.setdefault(department, {"green": 0, "yellow": 0, "red": 0})
            row[light] += n
        rows = sorted(
            (
                (names[d].name if d in names else "", row["green"], row["yellow"], row["red"])
                for d, row in per_department.items()
            ),
            key=lambda r: (-r[3], -r[2], r[0]),
        )
        figures.append(
            {
                "name": watched.name,
                "label": watched.label,
                "rows": rows,
                "totals": {
                    light: sum(r[i] for r in rows)
                    for i, light in ((1, "green"), (2, "yellow"), (3, "red"))
                },
                "lit": watched.lit(codes, "red", lit_at_most)
                + watched.lit(codes, "yellow", lit_at_most),
            }
        )
    return figures
