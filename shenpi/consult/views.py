"""Consultation pages: 我要问, the anonymous look-up, 我的咨询, the officials' 在线答疑 inbox
and one question's page. Thin: the services decide, the selectors read (the API calls
the same ones)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone

from shenpi.accounts.constants import Role
from shenpi.accounts.models import Department, User
from shenpi.audit.services import client_ip
from shenpi.catalog.models import Item
from shenpi.common.lookup import by_id
from shenpi.common.paging import slice_page
from shenpi.common.richtext import plain_text
from shenpi.core.errors import DomainError, NotFound
from shenpi.publishing.models import Publication, PublicationStatus

from . import lights, selectors, services
from .access import is_staff_of, may_watch
from .constants import BODY_MAX, CENTRE_KIND, GENERAL, TITLE_MAX, EntryKind, Rating
from .models import Faq


def _person(request):
    user = request.user
    return user if user.is_authenticated else None


def ask(request):
    item = Item.objects.filter(code=request.GET.get("item") or request.POST.get("item") or "")
    item = item.select_related("current", "department").first()
    policy = by_id(
        Publication,
        request.GET.get("policy") or request.POST.get("policy") or "",
        status=PublicationStatus.PUBLISHED,
    )
    departments = Department.objects.filter(is_active=True).order_by("code")
    typed = {key: request.POST.get(key, "") for key in ("title", "body", "mobile", "department")}
    if request.method == "POST":
        try:
            question = services.question_ask(
                actor=_person(request),
                title=typed["title"],
                body=typed["body"],
                item=item,
                policy=policy,
                department=departments.filter(code=typed["department"]).first()
                if not (item or policy)
                else None,
                general=not (item or policy) and typed["department"] == GENERAL,
                mobile=typed["mobile"],
                attachment=request.FILES.get("attachment"),
                request=request,
            )
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            if question.asker_id:
                messages.success(request, f"咨询已提交，编号 {question.number}，请留意答复。")
                return redirect("consult:question", pk=question.pk)
            return render(request, "consult/asked.html", {"question": question})
    return render(
        request,
        "consult/ask.html",
        {
            "item": item,
            "policy": policy,
            "departments": departments,
            "typed": typed,
            "title_max": TITLE_MAX,
            "body_max": BODY_MAX,
        },
    )


def _act(request, question, password=""):
    """A posted action on the question; the typed text comes back on a refusal."""
    data = request.POST
    try:
        services.question_act(
            actor=_person(request),
            question=question,
            action=data.get("action", ""),
            text=data.get("text", ""),
            department=Department.objects.filter(code=data.get("department", "")).first(),
            official=User.objects.filter(username=data.get("official", "")).first(),
            rating=data.get("rating", ""),
            note=data.get("note", ""),
            password=password,
            attachment=request.FILES.get("attachment"),
            title=data.get("title", ""),
        )
    except DomainError as exc:
        messages.error(request, exc.message)
        return False
    messages.success(request, DONE.get(data.get("action", ""), "已提交。"))
    return True


PER_PAGE = 50
# What each action tells the one who took it.
DONE = {
    "route": "已分派，答复部门有完整的答复期限。",
    "transfer": "已转办。",
    "claim": "已认领。",
    "assign": "已指派。",
    "answer": "已答复，已通知提问人。",
    "details": "已请提问人补充说明，答复期限不变。",
    "follow_up": "已追问。",
    "rate": "感谢您的评价。",
    "head_review": "已记录复核意见。",
    "propose_faq": "已推荐为常见问题，待部门负责人审核。",
}


def _context(request, question, **extra):
    person = _person(request)
    staff = is_staff_of(person, question.department)
    watching = not staff and may_watch(person, question.department)
    entries = selectors.thread(question)
    context = {
        "question": question,
        "entries": entries,
        "staff": staff,
        "watching": watching,
        "asker_view": not staff and not watching,
        "light": lights.light_today(question),
        "ratings": Rating.choices,
        "today": timezone.localdate(),
        "typed_text": request.POST.get("text", "") if request.method == "POST" else "",
    }
    if staff:
        context["departments"] = Department.objects.filter(is_active=True).exclude(
            pk=question.department_id
        )
        context["colleagues"] = User.objects.filter(
            office__department=question.department, is_active=True
        ).order_by("username")
        context["is_head"] = person.has_role(Role.HEAD)
        context["may_route"] = question.department.kind_id == CENTRE_KIND and not question.routed
        # The FAQ's answer starts from the last answer as it reads (edited before proposing).
        answers = [e for e in entries if e.kind == EntryKind.ANSWER]
        context["faq_answer"] = context["typed_text"] or (
            plain_text(answers[-1].text) if answers else ""
        )
    context.update(extra)
    return context


def question(request, pk):
    try:
        found = selectors.question_for(_person(request), pk)
    except NotFound:
        raise Http404 from None
    if request.method == "POST" and _act(request, found):
        try:  # transferred or routed away, it is no longer theirs: back to their inbox
            selectors.question_for(_person(request), found.pk)
        except NotFound:
            return redirect("consult:inbox")
        return redirect("consult:question", pk=found.pk)
    found.refresh_from_db()
    return render(request, "consult/question.html", _context(request, found))


def lookup(request):
    """Anonymous askers: the question by its number and query password, with the follow-up
    and the rating (the password travels with each form)."""
    found = None
    number = request.POST.get("number", "").strip()
    password = request.POST.get("password", "").strip()
    if request.method == "POST":
        try:
            found = selectors.question_looked_up(client_ip(request), number, password)
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            if request.POST.get("action"):
                _act(request, found, password=password)
                found.refresh_from_db()
    context = {"number": number, "found": found, "password": password if found else ""}
    if found is not None:
        context.update(_context(request, found, asker_view=True, staff=False))
    return render(request, "consult/lookup.html", context)


@login_required
def mine(request):
    page = slice_page(selectors.asked_by(request.user), request.GET.get("page"), PER_PAGE)
    return render(request, "consult/mine.html", {"page": page})


@login_required
def inbox(request):
    user = request.user
    if user.department is None or not is_staff_of(user, user.department):
        raise Http404
    today = timezone.localdate()
    page = slice_page(selectors.inbox(user.department), request.GET.get("page"), PER_PAGE)
    for q in page:
        q.light_now = lights.light_today(q, today)
    return render(
        request,
        "consult/inbox.html",
        {
            "page": page,
            "today": today,
            "department": user.department,
            "is_head": user.has_role(Role.HEAD),
            "proposed": selectors.proposed_faqs(user.department),
        },
    )


@login_required
def faq_review(request, pk):
    if request.method != "POST":
        raise Http404
    faq = by_id(Faq, pk)
    if faq is None:
        raise Http404
    try:
        services.faq_review(actor=request.user, faq=faq, publish=request.POST.get("publish") == "1")
    except NotFound:
        raise Http404 from None
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, "已公开。" if request.POST.get("publish") == "1" else "已退回。")
    return redirect("consult:inbox")


def suggest(request):
    """While a question is typed (htmx): published answers that may already answer it."""
    item = Item.objects.filter(code=request.GET.get("item", "")).first()
    text = f"{request.GET.get('title', '')} {request.GET.get('body', '')}"
    return render(
        request,
        "consult/_suggestions.html",
        {"faqs": selectors.similar_faqs(text, item=item)},
    )
