"""Performance evaluation (绩效评估): the raw indicators of each department in a period,
scored by the pure core (shenpi.core.scoring), explained, and reported as PDF."""

from __future__ import annotations

import calendar as month_calendar
import io
from datetime import date

from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone

from shenpi.accounts.constants import Role
from shenpi.accounts.models import Department
from shenpi.accounts.scope import scope_for
from shenpi.audit.services import audit_record
from shenpi.cases.models import Case
from shenpi.core import clock, scoring
from shenpi.core.errors import NotAllowed
from shenpi.workdays.services import calendar

from .models import EvaluationScheme, Finding, Level, Rating, Warning
from .scan import watched_indicators
from .selectors import day_range


def period_bounds(kind: str, key: str) -> tuple[date, date]:
    """month "2026-11", quarter "2026-Q4", year "2026"."""
    if kind == "month":
        year, month = (int(x) for x in key.split("-"))
        return date(year, month, 1), date(year, month, month_calendar.monthrange(year, month)[1])
    if kind == "quarter":
        year, q = key.split("-Q")
        year, q = int(year), int(q)
        first = date(year, 3 * q - 2, 1)
        last_month = 3 * q
        return first, date(year, last_month, month_calendar.monthrange(year, last_month)[1])
    year = int(key)
    return date(year, 1, 1), date(year, 12, 31)


@transaction.atomic
def scheme_save(*, actor, weights: dict, params: dict) -> EvaluationScheme:
    """A new scheme (the newest applies region-wide), with its audit record: set by the
    region's supervisors alone, since every division is scored by it."""
    if not actor.has_role(Role.SUPERVISOR) or not scope_for(actor).whole_region:
        raise NotAllowed(
            "绩效评估指标体系适用于全区，只能由自治区电子监察机构设置。", code="region_setting"
        )
    scheme = EvaluationScheme.objects.create(
        weights={k: v for k, v in weights.items() if v}, params=params, created_by=actor
    )
    audit_record(
        stream="evaluation:scheme",
        action="evaluation.scheme",
        actor=actor,
        object_type="evaluation_scheme",
        object_id=str(scheme.pk),
        detail={"weights": scheme.weights},
    )
    return scheme


def current_scheme():
    scheme = EvaluationScheme.objects.first()
    if scheme is None:
        return scoring.DEFAULT_WEIGHTS, scoring.DEFAULT_PARAMS
    return scheme.weights, {**scoring.DEFAULT_PARAMS, **scheme.params}


def warning_counts(start: date, end: date, department: Department | None = None) -> dict:
    """{(department id, level): cards raised from the first day to the last (local days)},
    every department's in one grouped read of the period's cards (by the BRIN index on
    the time they were raised, PostgreSQL: the scan writes no per-department index)."""
    cards = Warning.objects.filter(raised_at__range=(day_range(start)[0], day_range(end)[1]))
    if department is not None:
        cards = cards.filter(department=department)
    rows = cards.values_list("department_id", "level").annotate(n=Count("id")).order_by()
    return {(department_id, level): n for department_id, level, n in rows}


def raw_indicators(
    department: Department, start: date, end: date, warnings=None, watched=None
) -> dict:
    """The department's indicators over the period; `warnings`: `warning_counts` of the
    period when the caller has it for every department (read here otherwise); `watched`:
    the watched deadlines' indicators (scan/watched.py), likewise."""
    if warnings is None:
        warnings = warning_counts(start, end, department)
    if watched is None:
        watched = watched_indicators(start, end)
    cal = calendar()
    decided = (
        Case.objects.filter(department=department, decided_at__date__range=(start, end))
        .exclude(promised_due__isnull=True)
        .only(
            "accepted_at",
            "decided_at",
            "promised_due",
            "commitment_at",
            "version__promised_days",
            "version__commitment_allowed",
            "version__commitment_days",
        )
    )
    total = on_time = early = 0
    ratios = []
    for case in decided.select_related("version"):
        total += 1
        day = timezone.localtime(case.decided_at).date()
        on_time += day <= case.promised_due
        early += day < case.promised_due
        if case.accepted_at:
            used = clock.days_used(cal, timezone.localtime(case.accepted_at).date(), day)
            ratios.append(used / max(1, case.promised_limit))  # 告知承诺: its shorter limit
    ratings = Rating.objects.filter(
        case__department=department, rated_at__date__range=(start, end)
    ).exclude(appeal_upheld=True)
    received = Case.objects.filter(department=department, received_at__date__range=(start, end))
    # A rate with no base in the period is not applicable (None), never a perfect 100.
    return {
        "on_time_rate": round(100 * on_time / total, 2) if total else None,
        "time_used": round(sum(ratios) / len(ratios), 3) if ratios else None,
        "early_rate": round(100 * early / total, 2) if total else None,
        "warnings": (
            warnings.get((department.pk, Level.YELLOW), 0),
            warnings.get((department.pk, Level.RED), 0),
        ),
        "findings": Finding.objects.filter(
            department=department, recorded_at__date__range=(start, end)
        ).count(),
        "complaints": department.complaints.filter(
            substantiated=True, replied_at__date__range=(start, end)
        ).count(),
        "satisfaction": round(100 * ratings.filter(overall__gte=3).count() / ratings.count(), 2)
        if ratings.exists()
        else None,
        "online_rate": round(
            100 * received.filter(channel__in=["online", "api"]).count() / received.count(), 2
        )
        if received.exists()
        else None,
        **{code: values.get(department.pk, (None, None)) for code, values in watched.items()},
    }


def had_activity(raw: dict) -> bool:
    """Anything to evaluate in the period: a rate with a base, a card, a finding or a
    founded complaint. A department with none is listed as not evaluated, not ranked."""
    return (
        any(raw[code] is not None for code in ("on_time_rate", "satisfaction", "online_rate"))
        or any(x is not None for x in raw.get("consultation", ()))
        or any(x is not None for x in raw.get("hall", ()))
        or bool(sum(raw["warnings"]) or raw["findings"] or raw["complaints"])
    )


def evaluate_departments(user, kind: str, key: str):
    return evaluate_in(scope_for(user), kind, key)


def evaluate_in(scope, kind: str, key: str):
    """The evaluation of the departments a scope covers (a person's, or a division's for
    the monthly management review)."""
    start, end = period_bounds(kind, key)
    departments = (
        Department.objects.filter(scope.department_q())
        .exclude(kind_id__in=["supervision", "legal_affairs", "government_office"])
        .filter(Q(cases__isnull=False) | Q(items__isnull=False))
        .distinct()
        .order_by("code")
    )
    weights, params = current_scheme()
    warnings = warning_counts(start, end)
    watched = watched_indicators(start, end)
    raw = {d.name: raw_indicators(d, start, end, warnings, watched) for d in departments}
    idle = [name for name, values in raw.items() if not had_activity(values)]
    results = scoring.evaluate(
        {name: values for name, values in raw.items() if name not in idle}, weights, params
    )
    return start, end, results, idle


# The report's columns on a landscape A4 page (points): rank, unit, total and grade, then
# the indicators sharing what is left, so that nine of them fit within the margins.
LEFT, RIGHT, FIXED = 30, 25, [(30, 32), (62, 170), (232, 40), (272, 33)]
HEADER_SIZE, ROW_SIZE = 8, 9


def report_columns(count: int, page_width: float) -> list[tuple[float, float]]:
    """(x, width) of each column: the four fixed ones, then `count` indicator columns."""
    start = FIXED[-1][0] + FIXED[-1][1]
    width = (page_width - RIGHT - start) / max(count, 1)
    return FIXED + [(start + i * width, width) for i in range(count)]


def wrapped(text: str, font: str, size: float, width: float) -> list[str]:
    """The text broken into lines no wider than `width` (Chinese breaks between any two
    characters), so that a header never runs into its neighbour's."""
    from reportlab.pdfbase.pdfmetrics import stringWidth

    lines, line = [], ""
    for char in text:
        if line and stringWidth(line + char, font, size) > width:
            lines.append(line)
            line = ""
        line += char
    return [*lines, line] if line else lines


def report_pdf(title: str, results, idle=()) -> bytes:
    from reportlab.lib.pagesizes import A4, landscape
    from reportlab.pdfgen import canvas

    from shenpi.cases.documents import pdf_font

    font = pdf_font()
    out = io.BytesIO()
    pdf = canvas.Canvas(out, pagesize=landscape(A4))
    width, height = landscape(A4)
    pdf.setTitle(title)
    pdf.setFont(font, 16)
    pdf.drawCentredString(width / 2, height - 50, title)
    if not results:
        pdf.setFont(font, 11)
        pdf.drawString(
            40, height - 90, "本期没有可评估的部门（没有办件、评价、预警、认定或属实投诉）。"
        )
    lines = results[0].lines if results else ()
    headers = ["排名", "部门", "总分", "等级"] + [scoring.INDICATORS[line.code] for line in lines]
    columns = report_columns(len(headers) - 4, width)
    cells = [
        wrapped(h, font, HEADER_SIZE, w - 4) for h, (_x, w) in zip(headers, columns, strict=True)
    ]

    def draw_headers(top):
        pdf.setFont(font, HEADER_SIZE)
        for (x, _w), cell in zip(columns, cells, strict=True):
            for i, text in enumerate(cell):
                pdf.drawString(x, top - i * (HEADER_SIZE + 2), text)
        bottom = top - max(len(c) for c in cells) * (HEADER_SIZE + 2)
        pdf.line(LEFT, bottom + 4, width - RIGHT, bottom + 4)
        pdf.setFont(font, ROW_SIZE)
        return bottom - 8

    y = draw_headers(height - 90)
    for result in results:
        if y < 50:
            pdf.showPage()
            y = draw_headers(height - 50)  # each page carries its own headers
        row = [str(result.rank), result.unit[:16], f"{result.total:.2f}", result.grade] + [
            "不计" if line.score is None else f"{line.score:.0f}" for line in result.lines
        ]
        for (x, _w), text in zip(columns, row, strict=True):
            pdf.drawString(x, y, text)
        y -= 18
    if idle:
        y -= 12
        pdf.setFont(font, 9)
        pdf.drawString(40, max(y, 40), "本期无办理活动、不参与排名：" + "、".join(idle)[:120])
    pdf.showPage()
    pdf.save()
    return out.getvalue()
