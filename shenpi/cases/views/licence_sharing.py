"""电子证照共享 on the pages: the holder's consents (on 我的办件, beside 我的证照) and the
officials' look-up of a holder's licences, through the services the API calls."""

from datetime import date

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from shenpi.accounts.constants import AccountType
from shenpi.accounts.models import Department
from shenpi.common.lookup import by_id_or_404
from shenpi.core.errors import DomainError, InvalidInput

from .. import services
from ..models import LicenceConsent
from .shared import errors_to_messages


def _day(text: str):
    try:
        return date.fromisoformat(text or "")
    except ValueError:
        return None


@login_required
@require_POST
def consent_grant(request):
    department = Department.objects.filter(code=request.POST.get("department", "")).first()
    until = _day(request.POST.get("until"))
    try:
        if department is None:
            raise InvalidInput("请选择要授权的部门。", errors={"department": ["必选。"]})
        if until is None:
            raise InvalidInput("请填写授权期限（年-月-日）。", errors={"until": ["日期无效。"]})
        services.consent_grant(
            actor=request.user,
            department=department,
            purpose=request.POST.get("purpose", ""),
            until=until,
        )
    except DomainError as exc:
        errors_to_messages(request, exc)
    else:
        messages.success(request, f"已授权{department.name}调用您的电子证照至 {until:%Y-%m-%d}。")
    return redirect("cases:mine")


@login_required
@require_POST
def consent_revoke(request, pk):
    consent = by_id_or_404(LicenceConsent.objects.filter(holder=request.user), pk)
    try:
        services.consent_revoke(actor=request.user, consent=consent)
    except DomainError as exc:
        errors_to_messages(request, exc)
    else:
        messages.success(request, "已撤回授权。")
    return redirect("cases:mine")


@login_required
def licence_library(request):
    """An official looks up a holder's licences: by the holder's consent, or by the law
    the department acts under; the holder's code travels in the form's body, not the URL."""
    if request.user.account_type != AccountType.STAFF:
        raise Http404
    shared, typed = None, {}
    if request.method == "POST":
        typed = {k: request.POST.get(k, "") for k in ("holder_code", "holder_name", "basis")}
        try:
            shared = services.licences_shared(actor=request.user, **typed)
        except DomainError as exc:
            errors_to_messages(request, exc)
    return render(request, "cases/licence_library.html", {"shared": shared, "typed": typed})
