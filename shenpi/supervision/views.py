from datetime import date

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from shenpi.accounts.constants import Role
from shenpi.accounts.models import Department, Division
from shenpi.accounts.scope import scope_for
from shenpi.cases.selectors import case_for_user
from shenpi.core.errors import DomainError

from . import selectors, services
from .models import SupervisionOrder


def _supervisor(request):
    if not request.user.has_role(Role.SUPERVISOR, Role.LEADER):
        raise Http404


@login_required
def monitor(request):
    _supervisor(request)
    filters = {
        k: request.GET.get(k, "").strip()
        for k in ("division", "department", "item", "official", "light")
    }
    cases, counts = selectors.monitored_cases(request.user, **filters)
    page = Paginator(cases, 50).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    scope_paths = list(scope_for(request.user).subtree_paths)
    divisions = (
        Division.objects.filter(path__startswith=scope_paths[0])
        if scope_paths
        else Division.objects.none()
    )
    departments = Department.objects.filter(division__in=divisions).order_by("code")
    return render(
        request,
        "supervision/monitor.html",
        {
            "page": page,
            "counts": counts,
            "filters": filters,
            "query": query.urlencode(),
            "divisions": divisions,
            "departments": departments,
        },
    )


@login_required
def screen(request):
    _supervisor(request)
    return render(request, "supervision/screen.html")


@login_required
def screen_data(request):
    _supervisor(request)
    return JsonResponse(selectors.screen_figures(request.user))


@login_required
@require_POST
def order_issue(request, case_pk):
    case = case_for_user(request.user, case_pk)
    try:
        due = date.fromisoformat(request.POST.get("answer_due", ""))
        services.order_issue(
            actor=request.user, case=case, text=request.POST.get("text", ""), answer_due=due
        )
        messages.success(request, "已发出督办。")
    except ValueError:
        messages.error(request, "请填写答复期限。")
    except DomainError as exc:
        messages.error(request, exc.message)
    return redirect("cases:detail", pk=case.pk)


@login_required
def orders(request):
    """The department head's orders to answer; a supervisor's orders issued."""
    user = request.user
    if user.has_role(Role.SUPERVISOR):
        qs = SupervisionOrder.objects.filter(issued_by=user)
    elif user.has_role(Role.HEAD) and user.department:
        qs = SupervisionOrder.objects.filter(department=user.department)
    else:
        raise Http404
    return render(
        request, "supervision/orders.html", {"orders": qs.select_related("case", "department")}
    )


@login_required
@require_POST
def order_answer(request, pk):
    order = get_object_or_404(SupervisionOrder, pk=pk)
    try:
        services.order_answer(
            actor=request.user, order=order, answer=request.POST.get("answer", "")
        )
        messages.success(request, "已答复督办。")
    except DomainError as exc:
        messages.error(request, exc.message)
    return redirect("supervision:orders")
