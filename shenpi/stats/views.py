"""本部门统计: a department's figures for a period, per item, with the departments of the
same kind under a head's division side by side; the same figures as a spreadsheet."""

from __future__ import annotations

from datetime import date

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from shenpi.core.errors import InvalidInput

from . import export, selectors
from .periods import month, parse_period

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def period_choices(today: date) -> list[tuple[str, str]]:
    """The select's periods: this and the last 23 months, 8 quarters, 3 years."""
    choices, year, m = [], today.year, today.month
    for _ in range(24):
        p = month(year, m)
        choices.append((p.key, p.label))
        year, m = (year, m - 1) if m > 1 else (year - 1, 12)
    q, year = (today.month - 1) // 3 + 1, today.year
    for _ in range(8):
        choices.append((f"{year}Q{q}", f"{year}年第{q}季度"))
        year, q = (year, q - 1) if q > 1 else (year - 1, 4)
    choices += [(str(today.year - k), f"{today.year - k}年") for k in range(3)]
    return choices


def shown(figures) -> list[str]:
    """A row of figures as the page shows them: rates in per cent, nothing as "—"."""
    cells = []
    for (key, _), value in zip(selectors.COLUMNS, figures.row(), strict=True):
        if value is None:
            cells.append("—")
        elif key.startswith("on_time"):
            cells.append(f"{value}%")
        else:
            cells.append(str(value))
    return cells


@login_required
def department_statistics(request):
    departments = selectors.departments_for(request.user)
    if not departments:
        raise Http404
    today, error = timezone.localdate(), None
    wanted = request.GET.get("period", "")
    if request.GET.get("from") or request.GET.get("to"):
        wanted = f"{request.GET.get('from', '')}..{request.GET.get('to', '')}"
    try:
        period = parse_period(wanted, today)
    except InvalidInput as exc:
        error, period = exc.message, parse_period("", today)
    chosen = next(
        (d for d in departments if d.code == request.GET.get("department")),
        request.user.department,
    )
    figures = selectors.department_figures(departments, period)
    items = figures["items"].get(chosen.pk, [])
    if request.GET.get("format") == "xlsx" and error is None:
        body = export.workbook(f"{chosen.name}统计", period.label, figures["departments"], items)
        response = HttpResponse(body, content_type=XLSX)
        response["Content-Disposition"] = (
            f"attachment; filename*=UTF-8''stats-{chosen.code}-{period.key}.xlsx"
        )
        return response
    chart = {
        "items": [item.label for item, _ in items],
        "received": [f.counts["received"] for _, f in items],
        "decided": [f.decided for _, f in items],
    }
    return render(
        request,
        "stats/department.html",
        {
            "error": error,
            "period": period,
            "periods": period_choices(today),
            "departments": [(d, shown(f)) for d, f in figures["departments"]],
            "chosen": chosen,
            "items": [(item, shown(f)) for item, f in items],
            "total": next(shown(f) for d, f in figures["departments"] if d.pk == chosen.pk),
            "columns": selectors.COLUMNS,
            "chart": chart,
            "typed_from": request.GET.get("from", ""),
            "typed_to": request.GET.get("to", ""),
        },
        status=400 if error else 200,
    )
