"""一件事一次办 for the public: apply once (one form, each material once), follow the
bundle's cases as one."""

import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods

from shenpi.accounts.constants import Role
from shenpi.accounts.models import User
from shenpi.catalog.bundles import (
    bundle_items,
    combined_form,
    merged_materials,
    published_bundles,
)
from shenpi.catalog.constants import VersionStatus
from shenpi.catalog.models import Bundle
from shenpi.common import personal
from shenpi.common.lookup import by_id_or_404
from shenpi.core.errors import DomainError

from .. import services
from ..constants import BundleDelivery, Channel
from ..models import BundleApplication
from .shared import applicant_required


def bundle_list(request):
    return render(request, "cases/bundle_list.html", {"bundles": published_bundles()})


def bundle_page(request, code, *, errors=None, typed=None, status=200, applicant=None):
    bundle = get_object_or_404(Bundle, code=code, status=VersionStatus.PUBLISHED)
    items = bundle_items(bundle)
    return render(
        request,
        "cases/bundle.html",
        {
            "bundle": bundle,
            "items": items,
            "fields": combined_form(items),
            "materials": merged_materials(items),
            "deliveries": BundleDelivery.choices,
            "errors": errors or {},
            "material_errors": (errors or {}).get("materials", []),
            "typed": typed or {},
            "walk_in": applicant if applicant and applicant.pk != request.user.pk else None,
            "walk_in_code": request.POST.get("applicant_code") or request.GET.get("code", ""),
            # Kept across a refused attempt: nothing was made under it.
            "submission_key": (typed or {}).get("submission_key") or uuid.uuid4().hex,
        },
        status=status,
    )


def walk_in(request):
    """At the window (RCV-08: one intake): the applicant the clerk found by ID number."""
    user = request.user
    code = (request.POST.get("applicant_code") or request.GET.get("code") or "").strip().upper()
    if not (user.is_authenticated and user.has_role(Role.CLERK) and user.window_id and code):
        return None
    return (
        User.objects.filter(id_number_digest=personal.digest(code)).first()
        or User.objects.filter(credit_code=code).first()
    )


@require_http_methods(["GET", "POST"])
def bundle_apply(request, code):
    """The bundle's guide; signed in, its one application (or, at the window, the clerk's
    intake of it for the applicant found by ID number)."""
    applicant = walk_in(request)
    if request.method == "GET":
        return bundle_page(request, code, applicant=applicant)
    if not request.user.is_authenticated:
        return redirect(f"/accounts/login/?next=/bundles/{code}/")
    if applicant is None:
        applicant_required(request)
        applicant = request.user
    bundle = get_object_or_404(Bundle, code=code, status=VersionStatus.PUBLISHED)
    items = bundle_items(bundle)
    typed = {f["key"]: request.POST.get(f"field_{f['key']}", "") for f in combined_form(items)}
    uploads = {
        m.key: request.FILES[f"material_{n}"]
        for n, m in enumerate(merged_materials(items))
        if f"material_{n}" in request.FILES
    }
    try:
        application = services.bundle_apply(
            actor=request.user,
            bundle=bundle,
            applicant=applicant,
            channel=Channel.WINDOW if applicant.pk != request.user.pk else Channel.ONLINE,
            form_data=typed,
            uploads=uploads,
            declaration=bool(request.POST.get("declaration")),
            delivery=request.POST.get("delivery", ""),
            submission_key=request.POST.get("submission_key", ""),
        )
    except DomainError as exc:
        messages.error(request, exc.message)
        typed = {
            **typed,
            "delivery": request.POST.get("delivery", ""),
            "submission_key": request.POST.get("submission_key", "")[:64],
        }
        return bundle_page(
            request, code, errors=exc.errors, typed=typed, status=400, applicant=applicant
        )
    messages.success(
        request,
        f"已提交“{bundle.name}”，{application.cases.count()} 个事项由各部门同时办理。",
    )
    if applicant.pk != request.user.pk:
        return redirect("cases:window")  # the walk-in follows it in their own account
    return redirect("cases:bundle_progress", pk=application.pk)


@login_required
def bundle_progress(request, pk):
    """One application, one progress view: the bundle's cases side by side."""
    application = by_id_or_404(BundleApplication.objects.select_related("bundle"), pk)
    if application.applicant_id != request.user.pk:
        raise Http404
    return render(
        request,
        "cases/bundle_progress.html",
        {"application": application, **services.bundle_progress(application)},
    )
