from django.db.models import Case as When_
from django.db.models import CharField, Count, Exists, F, OuterRef, Q, Value, When

from shenpi.accounts.models import Division
from shenpi.cases.constants import CaseStatus
from shenpi.cases.models import Task
from shenpi.cases.selectors import cases_visible_to

from .models import Level, Warning

OPEN = [
    CaseStatus.RECEIVED,
    CaseStatus.CORRECTION_REQUESTED,
    CaseStatus.PROCESSING,
    CaseStatus.SUSPENDED,
    CaseStatus.DECIDED,
]


def monitored_cases(user, *, division="", department="", item="", official="", light=""):
    """Open cases in the supervisor's divisions, each with its worst open light."""
    red = Warning.objects.filter(case=OuterRef("pk"), cleared_at__isnull=True, level=Level.RED)
    yellow = Warning.objects.filter(
        case=OuterRef("pk"), cleared_at__isnull=True, level=Level.YELLOW
    )
    qs = (
        cases_visible_to(user)
        .filter(status__in=OPEN)
        .annotate(
            light=When_(
                When(Exists(red), then=Value("red")),
                When(Exists(yellow), then=Value("yellow")),
                default=Value("green"),
                output_field=CharField(),
            )
        )
    )
    if division:
        root = Division.objects.filter(code=division).first()
        qs = qs.filter(division__path__startswith=root.path) if root else qs.none()
    if department:
        qs = qs.filter(department__code=department)
    if item:
        qs = qs.filter(item__code=item)
    if official:
        qs = qs.filter(
            Exists(Task.objects.filter(case=OuterRef("pk"), claimed_by__username=official))
        )
    counts = dict(qs.values_list("light").annotate(n=Count("pk")).values_list("light", "n"))
    if light in ("red", "yellow", "green"):
        qs = qs.filter(light=light)
    return qs.select_related("department", "version").order_by("-light", "promised_due"), counts


def screen_figures(user) -> dict:
    from django.utils import timezone

    today = timezone.localdate()
    visible = cases_visible_to(user)
    open_cases, counts = monitored_cases(user)
    decided = visible.filter(decided_at__date=today).count()
    closed = visible.filter(closed_at__isnull=False)
    on_time = closed.filter(
        Q(promised_due__isnull=True) | Q(decided_at__date__lte=F("promised_due"))
    )
    worst = (
        Warning.objects.filter(cleared_at__isnull=True, level=Level.RED, case__in=visible)
        .values("department__short_name")
        .annotate(n=Count("pk"))
        .order_by("-n")[:5]
    )
    return {
        "received_today": visible.filter(received_at__date=today).count(),
        "accepted_today": visible.filter(accepted_at__date=today).count(),
        "decided_today": decided,
        "open_by_light": {k: counts.get(k, 0) for k in ("green", "yellow", "red")},
        "on_time_rate": round(100 * on_time.count() / closed.count(), 1)
        if closed.count()
        else None,
        "most_red": [{"department": w["department__short_name"], "red": w["n"]} for w in worst],
    }
