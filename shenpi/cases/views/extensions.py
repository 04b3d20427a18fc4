"""延期审批: the approver's queue of extension requests (TL-01/TL-02, Art. 42), each
granted or refused from the list; a refusal's typed reason survives a refused attempt."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from shenpi.accounts.constants import Role
from shenpi.core import clock
from shenpi.core.errors import DomainError
from shenpi.workdays.services import calendar

from .. import selectors, services


def _approver_required(user):
    if not user.has_role(Role.HEAD, Role.LEADER):
        raise Http404


def _page(request, *, typed=None, error_for=None, status=200):
    user = request.user
    cal, today = calendar(), timezone.localdate()
    typed, rows = typed or {}, []
    for item in selectors.extension_queue(user):
        due = item.case.statutory_due
        left = clock.days_left(cal, today, due)
        rows.append(
            {
                "request": item,
                "due": due,
                "left": left,
                "overdue": -left,
                "light": "red" if left < 0 else "yellow",
                "typed": typed.get(str(item.pk), ""),
                "invalid": error_for == str(item.pk),
            }
        )
    return render(
        request,
        "cases/extensions.html",
        {
            "rows": rows,
            "decided": selectors.extensions_decided(user),
        },
        status=status,
    )


@login_required
def extension_queue(request):
    _approver_required(request.user)
    return _page(request)


@login_required
@require_POST
def extension_decide(request, pk):
    _approver_required(request.user)
    item = selectors.extension_for_approver(request.user, pk)
    approve = request.POST.get("decision") == "approve"
    answer = request.POST.get("answer", "")
    try:
        services.extension_decide(actor=request.user, request=item, approve=approve, answer=answer)
    except DomainError as exc:
        messages.error(request, exc.message)
        # Shown again as typed, beside the request it was for.
        return _page(request, typed={str(item.pk): answer}, error_for=str(item.pk), status=400)
    messages.success(
        request,
        f"已批准延期（{item.case.number}），告知书已生成。"
        if approve
        else f"已不予批准（{item.case.number}），已告知提出申请的工作人员。",
    )
    return redirect("cases:extensions")
