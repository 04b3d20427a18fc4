from datetime import date

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.views.decorators.http import require_http_methods, require_POST

from shenpi.accounts.constants import AccountType, Role
from shenpi.accounts.models import Division, User
from shenpi.audit.services import client_ip
from shenpi.catalog.models import Item
from shenpi.common import personal
from shenpi.common.lookup import by_id, by_id_or_404
from shenpi.core.errors import DomainError

from . import access, actions, selectors, services
from .constants import CaseStatus, LicenceStatus
from .models import Case, CaseMaterial, Licence, Notice, Task


def _errors_to_messages(request, exc: DomainError):
    messages.error(request, exc.message)
    for errors in exc.errors.values():
        for error in errors if isinstance(errors, list) else [errors]:
            if error != exc.message:
                messages.error(request, str(error))


def _applicant_required(request):
    if request.user.account_type not in (AccountType.PERSON, AccountType.ENTERPRISE):
        raise Http404


TASK_DRAFTS = "task_drafts"


# --- applying ------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def apply_start(request, code):
    _applicant_required(request)
    item = get_object_or_404(
        Item.objects.select_related("current", "department"), code=code, current__isnull=False
    )
    version = item.current
    divisions = selectors.two_level_divisions(version) if version.two_level else []
    kind = request.GET.get("kind") if request.GET.get("kind") in ("change", "renewal") else "new"
    licence = (
        by_id(Licence, request.GET.get("licence"), holder=request.user)
        if (kind != "new" and request.GET.get("licence"))
        else None
    )
    if request.method == "POST":
        chosen = Division.objects.filter(code=request.POST.get("division", "")).first()
        try:
            case = services.case_create_draft(
                actor=request.user, item=item, chosen_division=chosen, kind=kind, licence=licence
            )
        except DomainError as exc:
            _errors_to_messages(request, exc)
        else:
            return redirect("cases:edit", pk=case.pk)
    return render(
        request,
        "cases/apply_start.html",
        {
            "item": item,
            "version": version,
            "divisions": divisions,
            "kind": kind,
            "licence": licence,
        },
    )


def _edit_context(case):
    materials = {}
    for material in case.materials.select_related("requirement"):
        materials.setdefault(material.requirement_id, []).append(material)
    rows = [(r, materials.get(r.pk, [])) for r in case.version.materials.all()]
    licences = Licence.objects.filter(holder=case.applicant, status=LicenceStatus.VALID)
    # Documents this applicant uploaded for earlier cases, newest first, one per content.
    library, seen = [], set()
    for m in (
        CaseMaterial.objects.filter(case__applicant=case.applicant)
        .exclude(case=case)
        .select_related("requirement")
        .order_by("-uploaded_at")[:50]
    ):
        if m.sha256 not in seen:
            seen.add(m.sha256)
            library.append(m)
    return {
        "case": case,
        "rows": rows,
        "fields": case.version.form_fields,
        "licences": licences,
        "library": library[:20],
    }


@login_required
@require_http_methods(["GET", "POST"])
def case_edit(request, pk):
    case = selectors.case_for_user(request.user, pk, request)
    if case.status != CaseStatus.DRAFT:
        return redirect("cases:detail", pk=case.pk)
    try:
        access.ensure_applicant_side(request.user, case)
    except DomainError:
        raise Http404 from None
    if request.method == "POST":
        data = {
            f["key"]: request.POST.get(f"field_{f['key']}", "") for f in case.version.form_fields
        }
        try:
            if request.POST.get("action") in ("submit", "instant"):
                if request.POST.get("action") == "instant":
                    services.case_save_form(actor=request.user, case=case, data=data)
                    case = services.case_window_instant(actor=request.user, case=case)
                    messages.success(
                        request,
                        f"已当场办结，办件编号 {case.number}。请打印证照和决定书交给申请人。",
                    )
                else:
                    case = services.case_submit(
                        actor=request.user,
                        case=case,
                        declaration=bool(request.POST.get("declaration")),
                        form_data=data,
                    )
                    messages.success(
                        request,
                        f"申请已提交。办件编号 {case.number}，查询密码 {case.query_password}。",
                    )
                return redirect("cases:detail", pk=case.pk)
            services.case_save_form(actor=request.user, case=case, data=data)
            messages.success(request, "草稿已保存，可以随时回来继续填写。")
            return redirect("cases:edit", pk=case.pk)
        except DomainError as exc:
            _errors_to_messages(request, exc)
            case.form_data = {**case.form_data, **data}
    return render(request, "cases/edit.html", _edit_context(case))


@login_required
@require_POST
def material_upload(request, pk):
    """One file for one requirement; answers JSON for the upload bar, or redirects."""
    case = selectors.case_for_user(request.user, pk, request)
    wants_json = request.headers.get("Accept", "").startswith("application/json")
    upload = request.FILES.get("file")
    try:
        if upload is None:
            from shenpi.core.errors import InvalidInput

            raise InvalidInput("请选择要上传的文件。")
        material = services.case_add_material(
            actor=request.user,
            case=case,
            requirement_id=request.POST.get("requirement"),
            upload=upload,
            scanned=bool(request.POST.get("scanned")),
        )
    except DomainError as exc:
        if wants_json:
            return JsonResponse({"ok": False, "detail": exc.message}, status=exc.status)
        _errors_to_messages(request, exc)
    else:
        if wants_json:
            return JsonResponse({"ok": True, "id": str(material.pk), "name": material.name})
        messages.success(request, f"已上传：{material.name}")
    return redirect("cases:edit" if case.status == CaseStatus.DRAFT else "cases:detail", pk=case.pk)


@login_required
@require_POST
def material_reuse(request, pk):
    case = selectors.case_for_user(request.user, pk, request)
    material = by_id(CaseMaterial.objects.select_related("case"), request.POST.get("material"))
    try:
        if material is None:
            raise Http404
        services.case_reuse_material(
            actor=request.user,
            case=case,
            requirement_id=request.POST.get("requirement"),
            material=material,
        )
        messages.success(request, f"已从材料库添加：{material.name}")
    except DomainError as exc:
        _errors_to_messages(request, exc)
    return redirect("cases:edit", pk=case.pk)


@login_required
@require_POST
def material_remove(request, pk):
    material = get_object_or_404(CaseMaterial, pk=pk)
    selectors.case_for_user(request.user, material.case_id)
    try:
        services.case_remove_material(actor=request.user, material=material)
    except DomainError as exc:
        _errors_to_messages(request, exc)
    return redirect("cases:edit", pk=material.case_id)


@login_required
@require_POST
def material_from_licence(request, pk):
    case = selectors.case_for_user(request.user, pk, request)
    licence = by_id(Licence, request.POST.get("licence"))
    try:
        if licence is None:
            raise Http404
        services.case_reuse_licence(
            actor=request.user,
            case=case,
            requirement_id=request.POST.get("requirement"),
            licence=licence,
        )
        messages.success(request, f"已从证照库添加：{licence.name}")
    except DomainError as exc:
        _errors_to_messages(request, exc)
    return redirect("cases:edit", pk=case.pk)


@login_required
def my_cases(request):
    cases = (
        Case.objects.filter(applicant=request.user)
        .select_related("version", "department")
        .order_by("-created_at")
    )
    return render(
        request,
        "cases/my_cases.html",
        {"cases": cases, "licences": Licence.objects.filter(holder=request.user)},
    )


@login_required
def case_detail(request, pk):
    case = selectors.case_for_user(request.user, pk, request)
    # What an official typed into a step's form that the service refused (task_action).
    drafts = request.session.pop(TASK_DRAFTS, {})
    return render(request, "cases/detail.html", selectors.case_page(request.user, case, drafts))


@login_required
@require_POST
def case_action(request, pk):
    """Every intake and decision button on the case page (cases.actions.CASE)."""
    case = selectors.case_for_user(request.user, pk, request)
    name = request.POST.get("action", "")
    if name not in actions.CASE:
        raise Http404
    try:
        data = _form_input(request.POST)
        if name == "originals" and not data.get("due"):
            data["due"] = timezone.localdate()
        actions.run(actions.CASE, name, user=request.user, target=case, data=data)
        messages.success(request, actions.done_message(actions.CASE, name))
    except DomainError as exc:
        _errors_to_messages(request, exc)
    except ValueError:
        messages.error(request, "日期格式有误。")
    return redirect("cases:detail", pk=case.pk)


def _form_input(post) -> dict:
    """A case page's form as the action table takes its input (cases.actions): lists for
    repeated fields, dates as dates (ValueError when malformed), the correction notice's
    defects as the API sends them, whole numbers of days."""
    data = {key: post.get(key, "") for key in post}
    data["lenient"] = post.getlist("lenient")
    data["defects"] = [
        {"requirement": rid, "note": post.get(f"note_{rid}", "")} for rid in post.getlist("defect")
    ]
    for key in ("lenient_due", "due", "on"):
        data[key] = date.fromisoformat(data[key]) if data.get(key) else None
    days = post.get("expected_days") or "0"
    data["expected_days"] = int(days) if days.isdigit() else 0
    return data


@login_required
@require_POST
def task_action(request, pk, task_pk):
    """The buttons of one step of the flow (cases.actions.TASK)."""
    case = selectors.case_for_user(request.user, pk, request)
    task = get_object_or_404(Task, pk=task_pk, case=case)
    name = request.POST.get("action", "")
    if name not in actions.TASK:
        raise Http404
    data = _form_input(request.POST)
    if name == "pass":
        data["to"] = by_id(User, request.POST.get("to"))
        if data["to"] is None:
            raise Http404
    try:
        actions.run(actions.TASK, name, user=request.user, target=task, data=data)
        to = data["to"].display_name if name == "pass" else ""
        messages.success(
            request, actions.done_message(actions.TASK, name, step=task.step_name, to=to)
        )
    except DomainError as exc:
        if name == "complete":
            # Kept for the page it redirects to: a refusal never loses the opinion.
            request.session[TASK_DRAFTS] = {
                str(task.pk): {k: request.POST.get(k, "") for k in ("opinion", "verdict")}
            }
        _errors_to_messages(request, exc)
    return redirect("cases:detail", pk=case.pk)


@login_required
@require_POST
def case_review_action(request, pk):
    """Pauses, extension, urging and hearings on the case page (cases.actions.REVIEW)."""
    case = selectors.case_for_user(request.user, pk, request)
    name = request.POST.get("action", "")
    if name not in actions.REVIEW:
        raise Http404
    try:
        data = _form_input(request.POST)
        if name == "hearing_schedule":
            data["presiding_officer"] = by_id(User, request.POST.get("presiding_officer"))
            if data["presiding_officer"] is None:
                raise Http404
        actions.run(actions.REVIEW, name, user=request.user, target=case, data=data)
        messages.success(request, actions.done_message(actions.REVIEW, name))
    except DomainError as exc:
        _errors_to_messages(request, exc)
    except ValueError:
        messages.error(request, "日期格式有误。")
    return redirect("cases:detail", pk=case.pk)


@login_required
@require_POST
def original_seen(request, pk):
    material = get_object_or_404(CaseMaterial, pk=pk)
    selectors.case_for_user(request.user, material.case_id)
    try:
        services.material_mark_original_seen(actor=request.user, material=material)
    except DomainError as exc:
        _errors_to_messages(request, exc)
    return redirect("cases:detail", pk=material.case_id)


@login_required
@require_POST
def case_personal(request, pk):
    """The applicant's numbers in clear for a reader whose work needs them (audited); the
    answer is not cached, and the page says the reading was recorded."""
    case = selectors.case_for_user(request.user, pk, request)
    try:
        numbers = services.case_personal_read(actor=request.user, case=case)
    except DomainError as exc:
        _errors_to_messages(request, exc)
        return redirect("cases:detail", pk=case.pk)
    response = render(request, "cases/personal.html", {"case": case, **numbers})
    patch_cache_control(response, no_store=True, private=True)
    return response


@login_required
def notice_download(request, pk):
    notice = get_object_or_404(Notice, pk=pk)
    selectors.case_for_user(request.user, notice.case_id)
    return FileResponse(
        notice.file.open("rb"),
        content_type="application/pdf",
        filename=f"{notice.get_kind_display()}-{notice.case.number}.pdf",
    )


@login_required
def material_download(request, pk):
    material = get_object_or_404(CaseMaterial, pk=pk)
    selectors.case_for_user(request.user, material.case_id)
    # An applicant's upload is served as an attachment, never rendered in the site's origin.
    return FileResponse(
        material.file.open("rb"),
        content_type=material.content_type,
        filename=material.name,
        as_attachment=True,
    )


def licence_download(request, pk):
    licence = get_object_or_404(Licence, pk=pk)
    if not request.user.is_authenticated:
        raise Http404
    selectors.case_for_user(request.user, licence.case_id)
    return FileResponse(
        licence.file.open("rb"), content_type="application/pdf", filename=f"{licence.number}.pdf"
    )


# --- staff: inbox and window -----------------------------------------------------------------


@login_required
def intake(request):
    """The intake desk: the department's received and running cases, and its open steps,
    each with its light (selectors.intake_desk)."""
    user = request.user
    if not user.has_role(Role.OFFICIAL, Role.HEAD, Role.CLERK):
        raise Http404
    return render(request, "cases/intake.html", selectors.intake_desk(user))


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
            _errors_to_messages(request, exc)
            applicant = None
    if request.method == "POST" and request.POST.get("action") == "start" and applicant is not None:
        item = by_id_or_404(Item, request.POST.get("item"), current__isnull=False)
        chosen = None
        if item.current.two_level:
            # A county's or city's own window takes its own division's cases; the upper
            # organ's window picks the city or county with the applicant (Art. 35).
            where = request.POST.get("division") or department.division_id
            chosen = Division.objects.filter(code=where).first()
        try:
            case = services.case_create_draft(
                actor=user, item=item, applicant=applicant, chosen_division=chosen, channel="window"
            )
        except DomainError as exc:
            _errors_to_messages(request, exc)
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
        },
    )


# --- public: tracking and verification ------------------------------------------------------


def track(request):
    """Anyone with the case number and its query password (rate-limited per address)."""
    case = None
    error = None
    number = request.POST.get("number", "").strip()
    if request.method == "POST":
        try:
            case = selectors.case_tracked(
                client_ip(request), number, request.POST.get("password", "")
            )
        except DomainError as exc:
            error = exc.message
    return render(
        request,
        "cases/track.html",
        {
            "case": case,
            "error": error,
            "number": number,
            "events": case.events.filter(public=True) if case else [],
            "due_rows": selectors.due_rows(case) if case else [],
        },
    )


def verify_notice(request, pk):
    notice = get_object_or_404(Notice.objects.select_related("case", "department"), pk=pk)
    return render(request, "cases/verify.html", {"notice": notice})


def verify_licence(request, code):
    """Anyone with the licence's QR link (PUB-07, Art. 40): what licence_public_view tells."""
    from .constants import LicenceStatus
    from .licences import licence_public_view, licence_verify_allowed

    try:
        licence_verify_allowed(client_ip(request))
    except DomainError as exc:
        return render(request, "cases/verify.html", {"error": exc.message}, status=429)
    licence = (
        Licence.objects.select_related("department", "holder", "case__version")
        .filter(verification_code=code.upper()[:32])
        .first()
    )
    view = licence and licence_public_view(licence)
    return render(
        request,
        "cases/verify.html",
        {
            "licence": view,
            "status": view and LicenceStatus(view["status"]),
            "code": code,
        },
        status=200 if licence else 404,
    )


def register(request):
    """The public register of grants (Art. 40), personal data masked."""
    from django.core.paginator import Paginator

    from .licences import masked_holder, public_register

    q = request.GET.get("q", "").strip()[:50]
    qs = public_register()
    if q:
        # A natural person's name is masked in public, so it is not searchable either: a
        # hit would confirm it. An enterprise's name is public and searchable.
        qs = (
            qs.filter(name__icontains=q)
            | qs.filter(number__icontains=q)
            | qs.filter(holder_name__icontains=q, holder__account_type=AccountType.ENTERPRISE)
        )
    page = Paginator(qs, 30).get_page(request.GET.get("page"))
    rows = [(lic, masked_holder(lic)) for lic in page]
    return render(request, "cases/register.html", {"page": page, "rows": rows, "q": q})


@login_required
@require_POST
def licence_action(request, pk):
    from .licences import licence_cancel, licence_revoke

    licence = get_object_or_404(Licence, pk=pk)
    selectors.case_for_user(request.user, licence.case_id)
    try:
        if request.POST.get("action") == "revoke":
            licence_revoke(
                actor=request.user,
                licence=licence,
                reasons=request.POST.get("reasons", ""),
                fraud=bool(request.POST.get("fraud")),
            )
            messages.success(request, "证照已撤销。")
        else:
            licence_cancel(
                actor=request.user, licence=licence, reasons=request.POST.get("reasons", "")
            )
            messages.success(request, "证照已注销。")
    except DomainError as exc:
        _errors_to_messages(request, exc)
    return redirect("cases:detail", pk=licence.case_id)
