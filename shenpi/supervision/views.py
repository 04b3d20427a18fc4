import uuid
from datetime import date
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from shenpi.accounts.constants import Role
from shenpi.accounts.models import Department, Division
from shenpi.accounts.scope import scope_for
from shenpi.audit import labels
from shenpi.audit.services import audit_denied
from shenpi.cases.models import Case
from shenpi.cases.selectors import case_for_user
from shenpi.common.lookup import by_id, by_id_or_404
from shenpi.core.errors import DomainError, NotFound

from . import selectors, services
from .models import RuleKind, SupervisionOrder


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
    paginator = Paginator(cases, 50)
    # The counts by light already say how many there are: no second count of open cases.
    paginator.count = (
        counts.get(filters["light"], 0)
        if filters["light"] in ("red", "yellow", "green")
        else sum(counts.values())
    )
    page = paginator.get_page(request.GET.get("page"))
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
            "watched": selectors.watched_figures(request.user),
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
    case = case_for_user(request.user, case_pk, request)
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
    except NotFound:
        raise Http404 from None  # another department's order: as if it did not exist
    except DomainError as exc:
        messages.error(request, exc.message)
    return redirect("supervision:orders")


# --- complaints (public filing and lookup; supervision handling) ---------------------------------


def complaint_new(request):
    from shenpi.catalog.models import Item

    from . import feedback

    departments = Department.objects.filter(is_active=True).order_by("code")
    if request.method == "POST":
        department = Department.objects.filter(code=request.POST.get("department", "")).first()
        try:
            if department is None:
                from shenpi.core.errors import InvalidInput

                raise InvalidInput("请选择被投诉的部门。")
            case = None
            if request.user.is_authenticated and request.POST.get("case_number"):
                from shenpi.cases.models import Case

                case = Case.objects.filter(
                    number=request.POST["case_number"].strip(), applicant=request.user
                ).first()
            complaint = feedback.complaint_file(
                actor=request.user,
                department=department,
                subject=request.POST.get("subject", ""),
                body=request.POST.get("body", ""),
                contact=request.POST.get("contact", ""),
                case=case,
                item=Item.objects.filter(code=request.POST.get("item", "")).first(),
                official_name=request.POST.get("official_name", ""),
                attachment=request.FILES.get("attachment"),
                anonymous=bool(request.POST.get("anonymous")),
                request=request,
            )
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            return render(request, "supervision/complaint_filed.html", {"complaint": complaint})
    return render(request, "supervision/complaint_new.html", {"departments": departments})


def complaint_lookup(request):
    from .models import Complaint

    complaint = None
    if request.method == "POST":
        from shenpi.accounts.ratelimit import allowed
        from shenpi.audit.services import client_ip

        if not allowed(f"complaint-lookup:{client_ip(request)}", limit=10, window=600):
            messages.error(request, "查询过于频繁，请 10 分钟后再试。")
        else:
            complaint = Complaint.objects.filter(
                number=request.POST.get("number", "").strip(),
                query_password=request.POST.get("password", "").strip().upper(),
            ).first()
            if complaint is None:
                messages.error(request, "投诉编号或查询密码不正确。")
    return render(request, "supervision/complaint_lookup.html", {"complaint": complaint})


@login_required
def complaints(request):
    """Supervision's complaints, or the ones transferred to a department's official."""
    from .selectors import complaints_for

    return render(
        request, "supervision/complaints.html", {"complaints": complaints_for(request.user)}
    )


@login_required
def my_complaints(request):
    """A named complainant's complaints, their replies and the rating of each reply."""
    from .models import Complaint

    return render(
        request,
        "supervision/my_complaints.html",
        {
            "complaints": Complaint.objects.filter(complainant=request.user)
            .select_related("department")
            .order_by("-filed_at")
        },
    )


@login_required
@require_POST
def complaint_act(request, pk):
    from . import feedback
    from .models import Complaint

    complaint = get_object_or_404(Complaint, pk=pk)
    try:
        action = request.POST.get("action", "")
        if action not in feedback.COMPLAINT_ACTIONS:
            raise Http404
        feedback.complaint_act(
            actor=request.user,
            complaint=complaint,
            action=action,
            handler=request.POST.get("handler", ""),
            reason=request.POST.get("reason", ""),
            reply=request.POST.get("reply", ""),
            substantiated={"yes": True, "no": False}.get(request.POST.get("substantiated", "")),
            satisfaction=request.POST.get("satisfaction", ""),
        )
        messages.success(request, "已处理。")
    except DomainError as exc:
        messages.error(request, exc.message)
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        target = "supervision:complaints"
    return redirect(target)


# --- ratings, findings, observers, audit ---------------------------------------------------------


@login_required
@require_POST
def case_feedback(request, case_pk):
    from . import feedback

    case = case_for_user(request.user, case_pk, request)
    action = request.POST.get("action")
    rating = getattr(case, "rating", None)
    try:
        if action == "rate":
            feedback.case_rate(
                actor=request.user,
                case=case,
                **_scores(request),
                comment=request.POST.get("comment", ""),
            )
            messages.success(request, "感谢您的评价。")
        elif action == "window_rating":
            token = feedback.window_rating_open(actor=request.user, case=case)
            return redirect("supervision:window_rating", token=token)
        elif action == "follow_up" and rating is not None:
            feedback.rating_follow_up(
                actor=request.user,
                rating=rating,
                callback=request.POST.get("callback", ""),
                rectification=request.POST.get("rectification", ""),
            )
            messages.success(request, "整改情况已记录并反馈。")
        elif action == "confirm" and rating is not None:
            feedback.rating_confirm(
                actor=request.user,
                rating=rating,
                satisfied=request.POST.get("satisfied") == "yes",
                note=request.POST.get("note", ""),
            )
            messages.success(request, "感谢您的反馈。")
        elif action == "finding":
            from shenpi.accounts.models import User

            official = User.objects.filter(username=request.POST.get("official", "")).first()
            feedback.finding_record(
                actor=request.user,
                case=case,
                kind=request.POST.get("kind", ""),
                rule=request.POST.get("rule", ""),
                text=request.POST.get("text", ""),
                official=official,
            )
            messages.success(request, "已记录。")
        else:
            raise Http404
    except DomainError as exc:
        messages.error(request, exc.message)
    return redirect("cases:detail", pk=case.pk)


def _scores(request) -> dict:
    def score(name):
        try:
            return int(request.POST.get(name, 0))
        except ValueError:
            return 0

    return {
        name: score(name) for name in ("overall", "efficiency", "guide_accuracy", "convenience")
    }


def window_rating(request, token):
    """The window's evaluation device (评价器): the applicant rates here, on the device the
    clerk handed over; the page shows the case, not the applicant's personal data."""
    from . import feedback

    try:
        case = feedback.window_rating_case(token)
    except DomainError as exc:
        return render(request, "supervision/window_rating.html", {"error": exc.message}, status=404)
    done = False
    if request.method == "POST":
        try:
            feedback.window_rating_record(
                token=token, **_scores(request), comment=request.POST.get("comment", "")
            )
            done = True
        except DomainError as exc:
            messages.error(request, exc.message)
    # A hall's rating device goes back to its waiting page (only there: a relative
    # address of the hall's devices, never another site).
    back = request.GET.get("back", "")
    return render(
        request,
        "supervision/window_rating.html",
        {
            "back": back if back.startswith("/hall/device/") else "",
            "case": case,
            "done": done or hasattr(case, "rating"),
            "fields": RATING_FIELDS,
            "levels": RATING_LEVELS,
        },
    )


RATING_LEVELS = [(5, "非常满意"), (4, "满意"), (3, "基本满意"), (2, "不满意"), (1, "非常不满意")]
RATING_FIELDS = [
    ("overall", "总体评价"),
    ("efficiency", "办事效率"),
    ("guide_accuracy", "办事指南准确"),
    ("convenience", "办事便利"),
]


@login_required
def watched(request):
    """An observer's watched items and cases, personal data masked; every view is audited."""
    from shenpi.audit.services import audit_record
    from shenpi.cases.models import Case

    from .models import Watch

    if not request.user.has_role(Role.OBSERVER):
        raise Http404
    watches = Watch.objects.filter(observer=request.user)
    cases = (
        Case.objects.filter(Q(pk__in=watches.values("case")) | Q(item__in=watches.values("item")))
        .exclude(status="draft")
        .select_related("version", "department")
    )
    case = None
    if request.GET.get("case"):
        case = by_id(cases, request.GET["case"])
        if case is None:
            audit_denied(
                user=request.user,
                object_type="case",
                object_id=request.GET["case"],
                request=request,
            )
            raise Http404
        audit_record(
            stream=f"user:{request.user.public_id}",
            action="observer.view",
            actor=request.user,
            request=request,
            object_type="case",
            object_id=str(case.pk),
        )
    return render(
        request,
        "supervision/watched.html",
        {"cases": cases, "case": case, "events": case.events.filter(public=True) if case else []},
    )


@login_required
def audit_log(request):
    """Supervisors search their divisions' audit log (who, what, when, where from) by
    person, case and action, read in Chinese, and verify the chain."""
    _supervisor(request)
    qs = selectors.audit_records_for(request.user).order_by("-at")
    who, what = request.GET.get("who", "").strip(), request.GET.get("what", "").strip()
    action, number = request.GET.get("action", ""), request.GET.get("case", "").strip()
    denied = request.GET.get("denied") == "1"
    if denied:
        qs = qs.filter(outcome="denied")
    if who:
        qs = qs.filter(
            Q(actor_label__icontains=who)
            | Q(actor__real_name__icontains=who)
            | Q(actor__enterprise_name__icontains=who)
        )
    if action in labels.ACTIONS:
        qs = qs.filter(action=action)
    if number:
        case = Case.objects.filter(number=number).only("pk").first()
        qs = qs.filter(stream=f"case:{case.pk}") if case else qs.none()
    if what:
        qs = qs.filter(
            Q(action__icontains=what) | Q(object_id__icontains=what) | Q(detail__icontains=what)
        )
    result = None
    if request.method == "POST":
        from django.conf import settings

        from shenpi.audit.verify import (
            verify_chain,
            verify_checkpointed_hashes,
            verify_outside_digests,
        )

        checked, broken = verify_chain()
        broken = broken or verify_checkpointed_hashes()
        broken = broken or verify_outside_digests(settings.AUDIT_DIGEST_FILE)[0]
        result = f"审计链断裂：{broken}" if broken else f"审计链完整：已校验 {checked} 条记录。"
    page = Paginator(qs.select_related("actor"), 50).get_page(request.GET.get("page"))
    # The case number rather than its id: one query for the page's cases.
    case_ids = {_uuid(r.object_id) for r in page if r.object_type == "case"} - {None}
    numbers = {
        str(pk): number
        for pk, number in Case.objects.filter(pk__in=case_ids).values_list("pk", "number")
    }
    for r in page:
        r.action_label = labels.action_label(r.action)
        r.object_kind = labels.object_label(r.object_type)
        r.case_number = numbers.get(r.object_id) if r.object_type == "case" else None
    query = {"who": who, "what": what, "action": action, "case": number}
    return render(
        request,
        "supervision/audit.html",
        {
            "page": page,
            **query,
            "denied": denied,
            "result": result,
            "actions": sorted(labels.ACTIONS.items(), key=lambda kv: kv[0]),
            "query": urlencode(
                {**{k: v for k, v in query.items() if v}, **({"denied": "1"} if denied else {})}
            ),  # fmt: skip
        },
    )


def _uuid(text: str):
    try:
        return uuid.UUID(text)
    except ValueError:
        return None


@login_required
def evaluation(request):
    """Scores and ranks the departments of the supervisor's divisions per month, quarter or year."""
    from django.http import HttpResponse

    from shenpi.core import scoring

    from . import evaluation as ev

    _supervisor(request)
    today = date.today()
    kind = request.GET.get("kind", "month")
    key = request.GET.get("key") or {
        "month": f"{today:%Y-%m}",
        "quarter": f"{today.year}-Q{(today.month - 1) // 3 + 1}",
        "year": str(today.year),
    }.get(kind, f"{today:%Y-%m}")
    if request.method == "POST" and request.user.has_role(Role.SUPERVISOR):
        try:
            weights = {code: float(request.POST.get(f"w_{code}", 0)) for code in scoring.INDICATORS}
            params = {
                name: float(request.POST.get(f"p_{name}", value))
                for name, value in scoring.DEFAULT_PARAMS.items()
            }
        except ValueError:
            messages.error(request, "权重和参数须为数字。")
        else:
            if sum(weights.values()) <= 0 or any(w < 0 for w in weights.values()):
                messages.error(request, "权重须为非负数，且合计大于零。")
            else:
                try:
                    ev.scheme_save(actor=request.user, weights=weights, params=params)
                    messages.success(request, "指标体系已保存，以下按新体系评分。")
                except DomainError as exc:
                    messages.error(request, exc.message)
        return redirect(f"{request.path}?kind={kind}&key={key}")
    try:
        start, end, results, idle = ev.evaluate_departments(request.user, kind, key)
    except (ValueError, KeyError):
        raise Http404 from None
    title = f"绩效评估 {start:%Y-%m-%d} 至 {end:%Y-%m-%d}"
    if request.GET.get("format") == "pdf":
        response = HttpResponse(ev.report_pdf(title, results, idle), content_type="application/pdf")
        response["Content-Disposition"] = f'attachment; filename="evaluation-{key}.pdf"'
        return response
    weights, params = ev.current_scheme()
    return render(
        request,
        "supervision/evaluation.html",
        {
            "results": results,
            "idle": idle,
            "title": title,
            "kind": kind,
            "key": key,
            "indicators": scoring.INDICATORS,
            "weights": weights,
            "params": params,
        },
    )


@login_required
def rules(request):
    """Warning rules: try a rule on past days (case by case), then switch it on as a new version."""
    from shenpi.catalog.models import Item

    from .models import WarningRule

    if not request.user.has_role(Role.SUPERVISOR):
        raise Http404
    form = {
        k: request.POST.get(k, request.GET.get(k, "")).strip()
        for k in ("kind", "item", "step_key", "yellow_left", "yellow_ratio", "start", "end")
    }
    form["kind"] = form["kind"] or RuleKind.CASE
    trial = None
    if request.method == "POST":
        try:
            item = Item.objects.filter(code=form["item"]).first() if form["item"] else None
            if form["item"] and item is None:
                raise ValueError("事项编码不存在。")
            yellow_left, yellow_ratio = (
                int(form["yellow_left"] or 1),
                float(form["yellow_ratio"] or 0.8),
            )
            if request.POST.get("action") == "activate":
                services.rule_activate(
                    actor=request.user,
                    item=item,
                    step_key=form["step_key"],
                    yellow_left=yellow_left,
                    yellow_ratio=yellow_ratio,
                    kind=form["kind"],
                )
                messages.success(request, "规则已启用（新版本），下次扫描起生效。")
                return redirect("supervision:rules")
            if form["kind"] != RuleKind.CASE:
                raise ValueError("试算适用于办件规则；咨询答复规则可直接启用。")
            start, end = date.fromisoformat(form["start"]), date.fromisoformat(form["end"])
            if (end - start).days > 92 or end < start:
                raise ValueError("试算期间须在 92 天以内。")
            per_case = services.rule_trial(
                item_id=item.pk if item else None,
                step_key=form["step_key"],
                yellow_left=yellow_left,
                yellow_ratio=yellow_ratio,
                start=start,
                end=end,
            )
            from shenpi.cases.models import Case

            numbers = dict(Case.objects.filter(pk__in=per_case).values_list("pk", "number"))
            trial = sorted(
                ((numbers.get(k), len(v["yellow"]), len(v["red"])) for k, v in per_case.items()),
                key=lambda row: (-row[2], -row[1], row[0] or ""),
            )
        except (ValueError, DomainError) as exc:
            messages.error(request, getattr(exc, "message", str(exc)))
    items = Item.objects.filter(current__isnull=False, abolished_at__isnull=True).select_related(
        "current"
    )
    return render(
        request,
        "supervision/rules.html",
        {
            "rules": WarningRule.objects.select_related("item").order_by("-active", "-created_at")[
                :50
            ],
            "items": items.order_by("code"),
            "steps": _steps_of(items.filter(code=form["item"]).first()),
            "form": form,
            "kinds": RuleKind.choices,
            "trial": trial,
            "totals": (sum(1 for t in trial or [] if t[1]), sum(1 for t in trial or [] if t[2])),
        },
    )


def _steps_of(item) -> list[tuple[str, str]]:
    """(key, name) of the item's steps in its version in force, for the rule form's list."""
    if item is None or item.current is None:
        return []
    from shenpi.core.flow import parse_flow

    return [(step.key, step.name) for step in parse_flow(item.current.flow).steps]


@login_required
def rule_steps(request):
    """The step list for the item chosen in the rule form (htmx swaps it in)."""
    from shenpi.catalog.models import Item

    if not request.user.has_role(Role.SUPERVISOR):
        raise Http404
    item = (
        Item.objects.filter(code=request.GET.get("item", ""), current__isnull=False)
        .select_related("current")
        .first()
    )
    return render(request, "supervision/_rule_steps.html", {"steps": _steps_of(item)})


@login_required
def findings(request):
    """Findings about the official (or, for a head, the department), where they state their side."""
    from . import feedback
    from .models import Finding

    user = request.user
    qs = Finding.objects.filter(official=user)
    if user.has_role(Role.HEAD) and user.department:
        qs = qs | Finding.objects.filter(department=user.department)
    if request.method == "POST":
        finding = by_id_or_404(qs, request.POST.get("finding"))
        try:
            feedback.finding_statement(
                actor=user, finding=finding, statement=request.POST.get("statement", "")
            )
            messages.success(request, "陈述已记录。")
        except DomainError as exc:
            messages.error(request, exc.message)
        return redirect("supervision:findings")
    return render(
        request, "supervision/findings.html", {"findings": qs.select_related("case").distinct()}
    )


@login_required
@require_POST
def rating_appeal(request, case_pk):
    from . import feedback

    case = case_for_user(request.user, case_pk, request)
    rating = getattr(case, "rating", None)
    if rating is None:
        raise Http404
    try:
        feedback.rating_appeal_decide(
            actor=request.user,
            rating=rating,
            appeal=request.POST.get("appeal", ""),
            upheld=bool(request.POST.get("upheld")),
        )
        messages.success(request, "申诉已处理。")
    except DomainError as exc:
        messages.error(request, exc.message)
    return redirect("cases:detail", pk=case.pk)
