"""The applicant's pages: starting an application, the form and its materials, their
cases."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from shenpi.accounts.models import Department, Division
from shenpi.catalog.models import Item
from shenpi.common.lookup import by_id
from shenpi.core.errors import DomainError

from .. import access, progress, selectors, services
from ..constants import CaseStatus, LicenceStatus
from ..models import (
    Authorisation,
    BundleApplication,
    Case,
    CaseMaterial,
    Licence,
    LicenceConsent,
)
from .shared import applicant_required, errors_to_messages

MY_CASES_PAGE = 20


@login_required
@require_http_methods(["GET", "POST"])
def apply_start(request, code):
    """Start an application: the applicant for themself, or an agent (代为申请) under the
    authorisation named in `?authorisation=` — the applicant is the one who signed it."""
    authorisation = None
    if request.GET.get("authorisation"):
        authorisation = by_id(
            Authorisation.objects.select_related("applicant"),
            request.GET.get("authorisation"),
            agent=request.user,
        )
        if authorisation is None:
            raise Http404
    else:
        applicant_required(request)
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
                actor=request.user,
                item=item,
                chosen_division=chosen,
                kind=kind if authorisation is None else "new",
                licence=licence if authorisation is None else None,
                applicant=authorisation.applicant if authorisation else None,
                authorisation=authorisation,
            )
        except DomainError as exc:
            errors_to_messages(request, exc)
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
            "authorisation": authorisation,
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
        "commitment_text": services.commitment_text(case.version, case.applicant_name)
        if case.version.commitment_allowed
        else "",
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
    problem = None
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
            # Every problem at once, each beside its field and listed at the top; what was
            # typed (and the declaration) stays as entered.
            problem = exc
            case.form_data = {**case.form_data, **data}
    context = _edit_context(case)
    if problem is not None:
        context |= {
            "problem": problem.message,
            "errors": problem.errors,
            "error_list": _error_list(case, problem),
            "declared": bool(request.POST.get("declaration")),
        }
    return render(request, "cases/edit.html", context, status=400 if problem else 200)


def _error_list(case, problem) -> list[dict]:
    """The summary's entries: each error with the label of what it is about and the anchor
    of its place on the page."""
    labels = {f["key"]: f["label"] for f in case.version.form_fields or []}
    places = {"declaration": ("申请人承诺", "declaration"), "materials": ("申请材料", "materials")}
    entries = []
    for key, messages_ in (problem.errors or {}).items():
        label, anchor = (
            (labels[key], f"field_{key}") if key in labels else places.get(key, ("", "case-form"))
        )
        listed = messages_ if isinstance(messages_, list) else [messages_]
        entries += [{"label": label, "anchor": anchor, "message": str(m)} for m in listed]
    if not entries:
        entries.append({"label": "", "anchor": "case-form", "message": problem.message})
    return entries


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
        errors_to_messages(request, exc)
    else:
        if wants_json:
            remove = reverse("cases:material_remove", args=[material.pk])
            return JsonResponse(
                {"ok": True, "id": str(material.pk), "name": material.name, "remove": remove}
            )
        messages.success(request, f"已上传：{material.name}")
    return redirect("cases:edit" if case.status == CaseStatus.DRAFT else "cases:detail", pk=case.pk)


@login_required
@require_POST
def material_reuse(request, pk):
    case = selectors.case_for_user(request.user, pk, request)
    material = by_id(CaseMaterial.objects.select_related("case"), request.POST.get("material"))
    if material is None:
        messages.error(request, "请先选择要使用的以前上传的材料。")
        return redirect("cases:edit", pk=case.pk)
    try:
        services.case_reuse_material(
            actor=request.user,
            case=case,
            requirement_id=request.POST.get("requirement"),
            material=material,
        )
        messages.success(request, f"已从材料库添加：{material.name}")
    except DomainError as exc:
        errors_to_messages(request, exc)
    return redirect("cases:edit", pk=case.pk)


@login_required
@require_POST
def material_remove(request, pk):
    material = get_object_or_404(CaseMaterial, pk=pk)
    selectors.case_for_user(request.user, material.case_id)
    try:
        services.case_remove_material(actor=request.user, material=material)
    except DomainError as exc:
        errors_to_messages(request, exc)
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
        errors_to_messages(request, exc)
    return redirect("cases:edit", pk=case.pk)


@login_required
def my_cases(request):
    """The applicant's cases, newest first, twenty a page (an enterprise may have thousands
    of applications)."""
    tab, where = progress.tab_filter(request.GET.get("tab", "all"))
    cases = (
        Case.objects.filter(where, applicant=request.user)
        .select_related("version", "department")
        .order_by("-created_at", "-id")
    )
    page = Paginator(cases, MY_CASES_PAGE).get_page(request.GET.get("page"))
    for case in page:
        case.steps = progress.step_bar(case)
    return render(
        request,
        "cases/my_cases.html",
        {
            "page": page,
            "tab": tab,
            "tabs": [(key, label) for key, label, _where in progress.TABS],
            "licences": Licence.objects.filter(holder=request.user),
            # 电子证照共享: whom the holder lets read them, and who did.
            "consents": LicenceConsent.objects.filter(holder=request.user, revoked_at__isnull=True)
            .select_related("department")
            .order_by("-granted_at"),
            "shared_reads": services.shared_reads(request.user),
            "departments": Department.objects.filter(is_active=True).order_by(
                "division__path", "code"
            ),
            "today": timezone.localdate(),
            "bundle_applications": BundleApplication.objects.filter(applicant=request.user)
            .select_related("bundle")
            .order_by("-submitted_at")[:20],
        },
    )


@login_required
@require_POST
def case_commit(request, pk):
    """告知承诺: sign the commitment on the draft, or take it back."""
    case = selectors.case_for_user(request.user, pk, request)
    try:
        services.case_commit(
            actor=request.user,
            case=case,
            confirmed=bool(request.POST.get("confirmed")),
            withdraw=bool(request.POST.get("withdraw")),
        )
    except DomainError as exc:
        errors_to_messages(request, exc)
    else:
        messages.success(
            request,
            "已撤回告知承诺。" if request.POST.get("withdraw") else "已签署告知承诺书。",
        )
    return redirect("cases:edit", pk=case.pk)
