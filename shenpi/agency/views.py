"""全程代理's pages: the applicant's authorisations (sign online, revoke), the window's
scan of a paper one, the agent's 代为申请 list, and the projects with their one timeline.
Thin: each parses, calls one service or selector (the same as the API's), renders."""

from __future__ import annotations

import uuid
from datetime import date

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from shenpi.accounts.constants import AccountType, Role
from shenpi.accounts.models import User
from shenpi.cases import authorisations as authorisation_rules
from shenpi.cases import services as case_services
from shenpi.cases.constants import AuthorisationScope
from shenpi.cases.models import Authorisation, Case
from shenpi.catalog.constants import VersionStatus
from shenpi.catalog.models import Item
from shenpi.common import personal
from shenpi.common.lookup import by_id, by_id_or_404
from shenpi.core.errors import DomainError

from . import selectors, services
from .models import ProjectTemplate

WAITS_ON = {
    "agent": "待代理员申请",
    "investor": "待投资者补正材料",
    "department": "部门办理中",
    "prerequisite": "等待前置事项",
    "": "",
}


def _errors(request, exc: DomainError) -> dict:
    messages.error(request, exc.message)
    return exc.errors


def agents() -> list[User]:
    """The service centre's agents an applicant may choose."""
    return list(
        User.objects.filter(role_assignments__role=Role.AGENT, is_active=True).order_by("username")
    )


def published_items():
    return (
        Item.objects.filter(current__status=VersionStatus.PUBLISHED, abolished_at__isnull=True)
        .select_related("department", "current")
        .order_by("department__code", "code")
    )


def _parse_until(text: str) -> date | None:
    try:
        return date.fromisoformat((text or "").strip())
    except ValueError:
        return None


def authorisation_input(request, applicant) -> dict:
    """The form's fields as the service takes them: the agent is a centre agent chosen from
    the list, or (an enterprise's 经办人) a person named by their ID number."""
    post = request.POST
    agent = None
    if post.get("agent_kind") == "staff" and applicant.account_type == AccountType.ENTERPRISE:
        number = (post.get("staff_id_number") or "").strip().upper()
        if number:
            agent = User.objects.filter(id_number_digest=personal.digest(number)).first()
    else:
        agent = User.objects.filter(
            public_id__in=[v for v in [post.get("agent")] if _is_uuid(v)]
        ).first()
    items = list(published_items().filter(pk__in=[v for v in post.getlist("items") if v.isdigit()]))
    return {
        "agent": agent,
        "scope": post.get("scope", ""),
        "items": items,
        "project_name": post.get("project_name", ""),
        "until": _parse_until(post.get("until", "")),
    }


def _is_uuid(value) -> bool:
    try:
        uuid.UUID(str(value))
    except ValueError:
        return False
    return True


def _form_context(request, applicant=None) -> dict:
    today = timezone.localdate()
    return {
        "agents": agents(),
        "items": published_items(),
        "scopes": AuthorisationScope.choices,
        "typed": request.POST if request.method == "POST" else {},
        "chosen_items": request.POST.getlist("items") if request.method == "POST" else [],
        # What was typed, kept; else a year from today.
        "until_value": (
            request.POST.get("until", "")
            if request.method == "POST"
            else date(today.year + 1, today.month, min(today.day, 28)).isoformat()
        ),
        "enterprise": bool(applicant and applicant.account_type == AccountType.ENTERPRISE),
    }


@login_required
@require_http_methods(["GET", "POST"])
def my_authorisations(request):
    """The applicant's authorisations: sign a new one online, revoke one in force."""
    user = request.user
    if user.account_type not in (AccountType.PERSON, AccountType.ENTERPRISE):
        raise Http404
    errors = {}
    if request.method == "POST":
        data = authorisation_input(request, user)
        try:
            signed = case_services.authorisation_sign(
                actor=user, confirmed=bool(request.POST.get("confirmed")), **data
            )
        except DomainError as exc:
            errors = _errors(request, exc)
        else:
            messages.success(
                request,
                f"委托书 {signed.number} 已签署，{signed.agent.display_name} 现在可以代您办理。",
            )
            return redirect("agency:my_authorisations")
    given = (
        Authorisation.objects.filter(applicant=user)
        .select_related("agent")
        .prefetch_related("items__current")
        .order_by("-signed_at")
    )
    return render(
        request,
        "agency/my_authorisations.html",
        {
            "given": given,
            "today": timezone.localdate(),
            "errors": errors,
            "item_errors": errors.get("items", []),  # `errors.items` is the dict's method
            **_form_context(request, user),
        },
    )


@login_required
@require_POST
def authorisation_revoke(request, pk):
    authorisation = by_id_or_404(Authorisation, pk, applicant=request.user)
    try:
        case_services.authorisation_revoke(actor=request.user, authorisation=authorisation)
    except DomainError as exc:
        _errors(request, exc)
    else:
        messages.success(request, f"委托书 {authorisation.number} 已撤销。")
    return redirect("agency:my_authorisations")


@login_required
@require_http_methods(["GET", "POST"])
def window_authorisation(request):
    """The window scans a paper authorisation the applicant signed in front of the clerk."""
    user = request.user
    if not user.has_role(Role.CLERK) or not user.window_id:
        raise Http404
    code = (request.POST.get("code") or request.GET.get("code") or "").strip().upper()
    applicant = None
    if code:
        applicant = (
            User.objects.filter(id_number_digest=personal.digest(code)).first()
            or User.objects.filter(credit_code=code).first()
        )
    errors = {}
    if request.method == "POST" and applicant is not None:
        try:
            recorded = case_services.authorisation_record_scan(
                actor=user,
                applicant=applicant,
                upload=request.FILES.get("scan"),
                **authorisation_input(request, applicant),
            )
        except DomainError as exc:
            errors = _errors(request, exc)
        else:
            messages.success(request, f"已录入委托书 {recorded.number}。")
            return redirect("agency:window_authorisation")
    elif request.method == "POST":
        messages.error(request, "未找到该申请人，请先在窗口收件页登记。")
    recent = (
        Authorisation.objects.filter(recorded_by=user)
        .select_related("applicant", "agent")
        .order_by("-signed_at")[:20]
    )
    return render(
        request,
        "agency/window_authorisation.html",
        {
            "code": code,
            "applicant": applicant,
            "recent": recent,
            "errors": errors,
            "item_errors": errors.get("items", []),  # `errors.items` is the dict's method
            **_form_context(request, applicant),
        },
    )


@login_required
def agency_home(request):
    """代为申请: the authorisations this person holds, what each lets them apply for, and
    the cases they applied for under those still in force."""
    today = timezone.localdate()
    held = (
        Authorisation.objects.filter(agent=request.user)
        .select_related("applicant")
        .prefetch_related("items__current")
        .order_by("-signed_at")
    )
    if not request.user.has_role(Role.AGENT) and request.user.account_type not in (
        AccountType.PERSON,
        AccountType.ENTERPRISE,
    ):
        raise Http404
    cases = (
        Case.objects.filter(agent=request.user)
        .filter(authorisation_rules.live_q(today, "authorisation__"))
        .select_related("version", "department")
        .order_by("-created_at")[:50]
    )
    return render(
        request,
        "agency/home.html",
        {"held": held, "cases": cases, "today": today},
    )


@login_required
def projects(request):
    """The agent's and the investor's projects; supervision's with their lights."""
    today = timezone.localdate()
    rows = selectors.projects_watched(request.user, today)
    openable = []
    if request.user.has_role(Role.AGENT):
        openable = list(
            authorisation_rules.held_by(request.user, today)
            .filter(scope=AuthorisationScope.PROJECT, project__isnull=True)
            .select_related("applicant")
        )
    return render(
        request,
        "agency/projects.html",
        {"rows": rows, "openable": openable, "today": today, "waits": WAITS_ON},
    )


@login_required
@require_http_methods(["GET", "POST"])
def project_new(request):
    authorisation = by_id(
        Authorisation.objects.select_related("applicant"),
        request.GET.get("authorisation") or request.POST.get("authorisation"),
        agent=request.user,
    )
    if authorisation is None:
        raise Http404
    templates = ProjectTemplate.objects.filter(is_active=True).prefetch_related("steps__item")
    errors = {}
    if request.method == "POST":
        template = by_id(templates, request.POST.get("template"))
        chosen = list(
            published_items().filter(
                pk__in=[v for v in request.POST.getlist("items") if v.isdigit()]
            )
        )
        try:
            project = services.project_open(
                actor=request.user,
                authorisation=authorisation,
                name=request.POST.get("name", ""),
                code=request.POST.get("code", ""),
                location=request.POST.get("location", ""),
                investment=request.POST.get("investment", ""),
                industry=request.POST.get("industry", ""),
                template=template,
                items=chosen,
            )
        except DomainError as exc:
            errors = _errors(request, exc)
        else:
            messages.success(request, f"已建立代理项目“{project.name}”。")
            return redirect("agency:project", pk=project.pk)
    return render(
        request,
        "agency/project_new.html",
        {
            "authorisation": authorisation,
            "templates": templates,
            "industries": services.INDUSTRIES,
            "items": published_items(),
            "typed": request.POST
            if request.method == "POST"
            else {"name": authorisation.project_name},
            "chosen_items": request.POST.getlist("items") if request.method == "POST" else [],
            "errors": errors,
            "item_errors": errors.get("items", []),  # `errors.items` is the dict's method
        },
    )


@login_required
def project_detail(request, pk):
    project = selectors.project_for(request.user, pk, request)
    today = timezone.localdate()
    plan, items = selectors.project_timeline(project, today)
    rows = [
        {
            "row": row,
            "pi": items[row.node.key],
            "waits": WAITS_ON[row.waits_on],
            "blocked_by": [items[k].item.current.name for k in row.blocked_by],
            "depends": [items[k].item.current.name for k in row.node.depends if k in items],
        }
        for row in plan.rows
    ]
    return render(
        request,
        "agency/project.html",
        {
            "project": project,
            "plan": plan,
            "rows": rows,
            "light": selectors.project_light(project, plan, today),
            "critical": [items[k].item.current.name for k in plan.critical_path],
            "is_agent": request.user.pk == project.agent_id,
            "today": today,
        },
    )


@login_required
@require_POST
def project_apply(request, pk, item_pk):
    project = selectors.project_for(request.user, pk, request)
    project_item = by_id_or_404(project.items.all(), item_pk)
    try:
        case = services.project_apply(actor=request.user, project_item=project_item)
    except DomainError as exc:
        _errors(request, exc)
        return redirect("agency:project", pk=project.pk)
    messages.success(request, f"已为“{project_item.item.current.name}”建立申请草稿，请填写并提交。")
    return redirect("cases:edit", pk=case.pk)
