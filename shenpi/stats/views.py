"""本部门统计: a department's figures for a period, per item, with the departments of the
same kind under a head's division side by side; the same figures as a spreadsheet."""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from shenpi.accounts.constants import Role
from shenpi.accounts.models import Division
from shenpi.catalog import services as catalog_services
from shenpi.catalog.models import Item
from shenpi.common.lookup import by_id_or_404
from shenpi.common.paging import slice_page
from shenpi.core.errors import DomainError, InvalidInput

from . import currency, decision, export, review, selectors
from .forecast import MIN_MONTHS
from .periods import month_of, months_before, parse_period

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def period_choices(today: date) -> list[tuple[str, str]]:
    """The select's periods: this and the last 23 months, 8 quarters, 3 years."""
    this_month = date(today.year, today.month, 1)
    latest = [this_month, *reversed(months_before(this_month, 23))]
    choices = [(month_of(m).key, month_of(m).label) for m in latest]
    q, year = (today.month - 1) // 3 + 1, today.year
    for _ in range(8):
        choices.append((f"{year}Q{q}", f"{year}年第{q}季度"))
        year, q = (year, q - 1) if q > 1 else (year - 1, 4)
    choices += [(str(today.year - k), f"{today.year - k}年") for k in range(3)]
    return choices


def shown(figures) -> list[dict]:
    """A row of figures as the page shows them: rates in per cent, nothing as "—"; a
    count other than 0 links to the cases behind it (`measure`)."""
    cells = []
    for (key, _), value in zip(selectors.COLUMNS, figures.row(), strict=True):
        if value is None:
            cells.append({"text": "—"})
        elif key.startswith("on_time"):
            cells.append({"text": f"{value}%"})
        elif isinstance(value, float):
            cells.append({"text": f"{value:g}"})
        else:
            linked = key in selectors.BEHIND and value
            cells.append({"text": str(value), "measure": key if linked else ""})
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
    stuck = selectors.stuck_steps(chosen, period) if error is None else []
    blocking = selectors.blockers(chosen, today)
    if request.GET.get("format") == "xlsx" and error is None:
        body = export.workbook(
            f"{chosen.name}统计", period.label, figures["departments"], items, stuck, blocking
        )
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
            "stuck": stuck,
            "blockers": blocking,
            "typed_from": request.GET.get("from", ""),
            "typed_to": request.GET.get("to", ""),
        },
        status=400 if error else 200,
    )


def _without_page(params) -> str:
    kept = params.copy()
    kept.pop("page", None)
    return kept.urlencode()


@login_required
def cases_behind(request):
    """The cases behind one figure of 本部门统计, of those the person may see."""
    departments = {d.code: d for d in selectors.departments_for(request.user)}
    department = departments.get(request.GET.get("department", ""))
    measure = request.GET.get("measure", "")
    if department is None or measure not in selectors.BEHIND:
        raise Http404
    item = None
    if code := request.GET.get("item"):
        item = Item.objects.filter(code=code).select_related("current").first()
        if item is None:
            raise Http404
    try:
        period = parse_period(request.GET.get("period"), timezone.localdate())
    except InvalidInput as exc:
        raise Http404 from exc
    cases, shown_at = selectors.cases_behind(request.user, department, item, measure, period)
    page = slice_page(cases.select_related("version"), request.GET.get("page"), 50)
    return render(
        request,
        "stats/cases_behind.html",
        {
            "department": department,
            "item": item,
            "measure": dict(selectors.COLUMNS)[measure],
            "period": period,
            "page": page,
            "rows": [(c, getattr(c, shown_at.split("__")[0], None)) for c in page.rows],
            "query": _without_page(request.GET),
        },
    )


@login_required
def decision_support(request):
    """决策辅助: the division's departments, trends, growing items, the forecast and
    staffing hints, for the division's leader."""
    departments = decision.leader_departments(request.user)
    if not departments:
        raise Http404
    today, error = timezone.localdate(), None
    try:
        period = parse_period(request.GET.get("period", ""), today)
    except InvalidInput as exc:
        error, period = exc.message, parse_period("", today)
    figures = selectors.department_figures(departments, period, by_item=False)
    ahead = decision.forecasts(departments)
    tables = {"forecast": ahead, **decision.settled(departments, today, ahead)}
    months = tables["months"]
    if request.GET.get("format") == "xlsx" and error is None:
        body = export.decision_workbook(
            f"{request.user.division.name}决策辅助", period.label, figures["departments"], tables
        )
        response = HttpResponse(body, content_type=XLSX)
        response["Content-Disposition"] = (
            f"attachment; filename*=UTF-8''decision-{request.user.division_id}-{period.key}.xlsx"
        )
        return response
    chart = {
        "months": [m["label"] for m in months],
        "received": [m["received"] for m in months],
        "received_before": [m["received_before"] for m in months],
    }
    if ahead["rows"]:
        total = {
            h: [
                round(sum(r[h].expected for r in ahead["rows"] if h in r)),
                round(sum(r[h].low for r in ahead["rows"] if h in r)),
                round(sum(r[h].high for r in ahead["rows"] if h in r)),
            ]
            for h in ("month", "quarter")
        }
        chart["forecast"] = total["month"]
    else:
        total = None
    return render(
        request,
        "stats/decision.html",
        {
            "error": error,
            "period": period,
            "periods": period_choices(today),
            "departments": [(d, shown(f)) for d, f in figures["departments"] if f.counts],
            "columns": selectors.COLUMNS,
            **tables,
            "forecast_total": total,
            "chart": chart,
            "min_months": MIN_MONTHS,
        },
        status=400 if error else 200,
    )


@login_required
def information_currency(request):
    """信息时效: guides due for review, FAQ and forms a new version may have outdated."""
    departments, detailed = currency.currency_departments(request.user)
    if not departments:
        raise Http404
    today = timezone.localdate()
    context = {"detailed": detailed, "months": settings.SHENPI_GUIDE_REVIEW_MONTHS}
    if detailed:
        context |= {
            "department": departments[0],
            "items": currency.stale_items(departments, today),
            "faqs": currency.faqs_to_review(departments),
            "forms": currency.forms_to_review(departments),
        }
    else:
        context["counts"] = currency.counts(departments, today)
    return render(request, "stats/currency.html", context)


@login_required
@require_POST
def guide_confirm(request, code):
    item = Item.objects.filter(code=code).first()
    if item is None:
        raise Http404
    try:
        catalog_services.item_confirm_guide(actor=request.user, item=item)
        messages.success(request, f"已确认“{item}”的办事指南仍然准确。")
    except DomainError as exc:
        messages.error(request, exc.message)
    return redirect("stats:currency")


def _past_months(today: date, count: int = 24) -> list[tuple[str, str]]:
    this_month = date(today.year, today.month, 1)
    return [
        (month_of(m).key, month_of(m).label) for m in reversed(months_before(this_month, count))
    ]


def _reviewer_required(user):
    if not user.has_role(Role.SUPERVISOR, Role.LEADER):
        raise Http404


@login_required
def management_reviews(request):
    """质量管理评审: the monthly reports of the divisions this person oversees; a
    supervisor generates one (again) for any past month."""
    _reviewer_required(request.user)
    today = timezone.localdate()
    divisions = [
        d for d in Division.objects.order_by("path") if review.may_regenerate(request.user, d)
    ]
    return render(
        request,
        "stats/reviews.html",
        {
            "reviews": review.reviews_visible_to(request.user)[:100],
            "divisions": divisions,
            "months": _past_months(today),
        },
    )


@login_required
@require_POST
def management_review_generate(request):
    _reviewer_required(request.user)
    division = Division.objects.filter(code=request.POST.get("division", "")).first()
    try:
        first = date.fromisoformat(request.POST.get("month", "") + "-01")
    except ValueError:
        first = None
    if division is None or first is None:
        messages.error(request, "请选择区划和月份。")
        return redirect("stats:reviews")
    try:
        made = review.review_generate(division=division, first=first, actor=request.user)
        messages.success(request, f"已生成{division.name}{first.year}年{first.month}月的评审报告。")
        return redirect("stats:review_file", pk=made.pk)
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect("stats:reviews")


@login_required
def management_review_file(request, pk):
    found = by_id_or_404(review.reviews_visible_to(request.user), pk)
    return FileResponse(
        found.file.open("rb"),
        content_type="application/pdf",
        filename=f"质量管理评审-{found.division.name}-{found.month:%Y-%m}.pdf",
        as_attachment=True,
    )
