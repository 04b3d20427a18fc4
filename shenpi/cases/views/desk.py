"""The staff's desks: the intake desk, and the window that takes walk-in applications."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from shenpi.accounts.constants import Role
from shenpi.accounts.models import Division, User
from shenpi.catalog.bundles import published_bundles
from shenpi.catalog.models import Item
from shenpi.common import personal
from shenpi.common.lookup import by_id_or_404
from shenpi.core.errors import DomainError

from .. import selectors, services
from ..constants import WINDOW_PREFILL
from .shared import errors_to_messages


@login_required
def intake(request):
    """The intake desk: the department's received and running cases, and its open steps,
    each with its light (selectors.intake_desk)."""
    user = request.user
    if not user.has_role(Role.OFFICIAL, Role.HEAD, Role.CLERK):
        raise Http404
    desk = selectors.intake_desk(
        user, case_page=request.GET.get("cases"), task_page=request.GET.get("tasks")
    )
    return render(request, "cases/intake.html", desk)


@login_required
@require_http_methods(["GET", "POST"])
def window(request):
    """A walk-in application: find or register the applicant by ID number, then choose the item."""
    user = request.user
    if not user.has_role(Role.CLERK) or not user.window_id:
        raise Http404
    department = user.window.department
    items = Item.objects.filter(
        department__kind=department.kind, current__isnull=False, abolished_at__isnull=True
    ).select_related("current", "department")
    items = [
        i
        for i in items
        if i.department_id == department.pk
        or (i.current.two_level and i.current.lower_kind_id == department.kind_id)
    ]
    applicant = None
    code = (request.POST.get("code") or request.GET.get("code") or "").strip().upper()
    if code:
        applicant = (
            User.objects.filter(id_number_digest=personal.digest(code)).first()
            or User.objects.filter(credit_code=code).first()
        )
    # Called from the hall's queue: the ticket's applicant (booked, or who gave an ID number
    # at the kiosk) and the booked item, until the clerk looks up someone else.
    prefill = request.session.get(WINDOW_PREFILL) or {}
    if applicant is None and not code and prefill.get("applicant"):
        applicant = User.objects.filter(pk=prefill["applicant"]).first()
    if request.method == "POST" and request.POST.get("action") == "register":
        from shenpi.accounts.services import applicant_register_at_window

        try:
            applicant, created = applicant_register_at_window(
                actor=user,
                id_number=request.POST.get("code", ""),
                name=request.POST.get("name", ""),
                mobile=request.POST.get("mobile", ""),
                request=request,
            )
            if created:
                messages.success(request, f"已登记申请人 {applicant.display_name}。")
        except DomainError as exc:
            errors_to_messages(request, exc)
            applicant = None
    if request.method == "POST" and request.POST.get("action") == "start" and applicant is not None:
        item = by_id_or_404(Item, request.POST.get("item"), current__isnull=False)
        chosen = None
        if item.current.two_level:
            # A county's or city's own window takes its own division's cases; the upper
            # organ's window picks the city or county with the applicant (Art. 35).
            where = request.POST.get("division") or department.division_id
            chosen = Division.objects.filter(code=where).first()
        draft = services.open_draft(
            actor=user, item=item, applicant=applicant, channel="window",
            chosen_division=chosen if item.current.two_level else None,
        )  # fmt: skip
        if draft is not None:
            messages.info(request, "该申请人已有未提交的同一事项申请，继续填写。")
            return redirect("cases:edit", pk=draft.pk)
        try:
            case = services.case_create_draft(
                actor=user, item=item, applicant=applicant, chosen_division=chosen, channel="window"
            )
        except DomainError as exc:
            errors_to_messages(request, exc)
        else:
            return redirect("cases:edit", pk=case.pk)
    # Where a two-level walk-in is handled: the upper organ's clerk picks a city or county
    # with the applicant; a city's or county's own window takes its own division's.
    divisions = {}
    for i in items:
        if i.current.two_level:
            for d in selectors.two_level_divisions(i.current):
                if i.department_id == department.pk or d.pk == department.division_id:
                    divisions[d.pk] = d
    return render(
        request,
        "cases/window.html",
        {
            "items": items,
            "applicant": applicant,
            "code": code,
            "department": department,
            "divisions": sorted(divisions.values(), key=lambda d: d.path),
            "prefill": prefill,
            # The bundles that include one of this window's department's items.
            "bundles": published_bundles()
            .filter(bundle_items__item__department=department)
            .distinct(),
        },
    )
