"""What a scan keeps besides the cards: each case's worst light (CaseLight), the open
cases counted by division, department and light (LightCount), and the breach cards
(deemed acceptance, deemed renewal) that stay on the record. Each writes only changes."""

from __future__ import annotations

from shenpi.cases.models import Case

from ..models import Level, Warning, WarningKind


def count_lights() -> int:
    """LightCount = open cases by division, department and light; writes only changes."""
    from django.db import connection
    from django.db.models import Count, Value
    from django.db.models.functions import Coalesce

    from ..models import LightCount
    from ..selectors import OPEN

    if connection.vendor == "postgresql":
        from .engine import open_light_counts

        now = open_light_counts()
    else:
        now = {
            (row["division_id"], row["department_id"], row["shown"]): row["n"]
            for row in Case.objects.filter(status__in=OPEN)
            .order_by()
            .annotate(shown=Coalesce("lit__light", Value("green")))
            .values("division_id", "department_id", "shown")
            .annotate(n=Count("*"))
        }
    kept = {(c.division_id, c.department_id, c.light): c for c in LightCount.objects.all()}
    gone = [c.pk for key, c in kept.items() if key not in now]
    changed = [c for key, c in kept.items() if key in now and c.n != now[key]]
    for c in changed:
        c.n = now[(c.division_id, c.department_id, c.light)]
    new = [
        LightCount(division_id=d, department_id=p, light=light, n=n)
        for (d, p, light), n in now.items()
        if (d, p, light) not in kept
    ]
    LightCount.objects.filter(pk__in=gone).delete()
    LightCount.objects.bulk_update(changed, ["n"])
    LightCount.objects.bulk_create(new)
    return len(gone) + len(changed) + len(new)


def keep_case_lights(*, incremental=False, red=()) -> int:
    """CaseLight = each case's worst open warning's colour (no row: green; the portable
    scan, which judges every case each time, keeps no plans); writes only changes.
    `red`: the cases whose breach card the scan has just raised."""
    from django.db import connection

    if connection.vendor == "postgresql":
        from . import engine

        return engine.keep_case_lights(incremental=incremental, red=red)
    from ..models import CaseLight
    from ..selectors import OPEN

    fields = CaseLight.KEPT
    want: dict = {}  # case id → the values of `fields`, worst light first found red
    for case_id, level, *where in Warning.objects.filter(
        cleared_at__isnull=True, case__status__in=OPEN
    ).values_list("case_id", "level", "case__division_id", "case__department_id",
                  "case__promised_due"):  # fmt: skip
        if case_id not in want or level == Level.RED:
            want[case_id] = (level, *where)
    kept = {lit.case_id: lit for lit in CaseLight.objects.all()}
    gone = [pk for pk in kept if pk not in want]
    new, changed = [], []
    for pk, values in want.items():
        row = kept.get(pk) or CaseLight(case_id=pk)
        if tuple(getattr(row, f) for f in fields) != values:
            for field, value in zip(fields, values, strict=True):
                setattr(row, field, value)
            (changed if pk in kept else new).append(row)
    CaseLight.objects.filter(pk__in=gone).delete()
    CaseLight.objects.bulk_update(changed, fields)
    CaseLight.objects.bulk_create(new)
    return len(gone) + len(changed) + len(new)


BREACH_KINDS = {"RCV-04": WarningKind.DEEMED_ACCEPTANCE, "RNW-02": WarningKind.DEEMED_RENEWAL}


def breach_warnings(*, incremental=False) -> list[Warning]:
    """A breach that happened (deemed acceptance, deemed renewal) is a red card that stays
    on the record; each is raised once. Incremental: a breach event has its case judged
    (trigger), so only the judged cases' events are read."""
    from django.db.models.expressions import RawSQL

    from shenpi.cases.models import CaseEvent

    events = CaseEvent.objects.exclude(breach="").filter(breach__in=BREACH_KINDS)
    if incremental:
        events = events.filter(case_id__in=RawSQL("SELECT case_id FROM scan_cand", []))
    # The breaches are a handful (their own index); the cards already raised are looked up
    # for their cases only, not among every card of the judged cases.
    events = list(events.select_related("case").only("case_id", "breach", "case__department_id"))
    if not events:
        return []
    seen = set(
        Warning.objects.filter(
            kind__in=BREACH_KINDS.values(), case_id__in={event.case_id for event in events}
        ).values_list("case_id", "kind")
    )
    new = []
    for event in events:
        kind = BREACH_KINDS[event.breach]
        if (event.case_id, kind) not in seen:
            seen.add((event.case_id, kind))
            new.append(
                Warning(
                    case_id=event.case_id,
                    kind=kind,
                    level=Level.RED,
                    department_id=event.case.department_id,
                    rule_id=event.breach,
                )
            )
    Warning.objects.bulk_create(new)
    return new
