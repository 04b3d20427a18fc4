"""告知承诺's post-checks: the department's list to check and record, supervision's to
watch (open and overdue first), and the applicant's credit record."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from shenpi.accounts.constants import AccountType
from shenpi.common import personal
from shenpi.common.lookup import by_id_or_404
from shenpi.core.errors import DomainError

from .. import access, services
from ..constants import PostCheckStatus
from ..models import Bar
from .shared import errors_to_messages

PAGE = 100


@login_required
def post_checks(request):
    visible = services.post_checks_visible_to(request.user)
    if request.user.account_type in (AccountType.PERSON, AccountType.ENTERPRISE):
        raise Http404
    today = timezone.localdate()
    rows = [
        (check, services.post_check_light(check, today))
        for check in visible.order_by("status", "due")[:PAGE]
    ]
    overdue = visible.filter(status=PostCheckStatus.OPEN, due__lt=today).count()
    return render(
        request,
        "cases/post_checks.html",
        {
            "rows": rows,
            "overdue": overdue,
            "open": visible.filter(status=PostCheckStatus.OPEN).count(),
            "may_record": {
                check.pk
                for check, _l in rows
                if access.is_official_of(request.user, check.department)
            },
        },
    )


@login_required
@require_POST
def post_check_record(request, pk):
    check = by_id_or_404(services.post_checks_visible_to(request.user), pk)
    try:
        services.post_check_record(
            actor=request.user,
            check=check,
            passed=request.POST.get("result") == "passed",
            findings=request.POST.get("findings", ""),
        )
    except DomainError as exc:
        errors_to_messages(request, exc)
    else:
        messages.success(request, "已记录核查结果。")
    return redirect("cases:post_checks")


@login_required
def credit_record(request):
    """The applicant's credit record: commitments found false, bars in force."""
    user = request.user
    if user.account_type not in (AccountType.PERSON, AccountType.ENTERPRISE):
        raise Http404
    digest = (
        personal.digest(user.credit_code or "")
        if user.account_type == AccountType.ENTERPRISE
        else (user.id_number_digest or "")
    )
    return render(
        request,
        "cases/credit.html",
        {
            "false_commitments": services.credit_record(user),
            "bars": Bar.objects.filter(applicant_code_digest=digest).select_related("item__current")
            if digest
            else [],
        },
    )
