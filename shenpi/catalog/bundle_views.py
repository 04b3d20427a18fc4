"""一件事套餐's management: administrators draft and submit, the legal office publishes
or returns (catalog.bundles)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from shenpi.accounts.constants import Role
from shenpi.accounts.models import Division
from shenpi.common.lookup import by_id_or_404
from shenpi.core.errors import DomainError

from . import bundles
from .constants import VersionStatus
from .models import Bundle, Item


def _staff(request) -> None:
    if not request.user.has_role(Role.ADMIN, Role.LEGAL):
        raise Http404


@login_required
@require_http_methods(["GET", "POST"])
def bundle_manage(request):
    _staff(request)
    errors, typed = {}, {}
    if request.method == "POST":
        typed = request.POST
        try:
            bundle = bundles.bundle_draft(
                actor=request.user,
                code=request.POST.get("code", "").strip(),
                name=request.POST.get("name", "").strip(),
                event=request.POST.get("event", "").strip(),
                division=Division.objects.filter(code=request.POST.get("division")).first()
                or Division.objects.get(code="640000"),
                items=list(
                    Item.objects.filter(
                        pk__in=[v for v in request.POST.getlist("items") if v.isdigit()]
                    ).select_related("current")
                ),
            )
        except DomainError as exc:
            messages.error(request, exc.message)
            errors = exc.errors
        else:
            messages.success(request, f"已保存套餐“{bundle.name}”（草稿）。")
            return redirect("catalog:bundles")
    return render(
        request,
        "catalog/bundles.html",
        {
            "bundles": Bundle.objects.prefetch_related("bundle_items__item__current"),
            "items": Item.objects.filter(current__status=VersionStatus.PUBLISHED).select_related(
                "current", "department"
            ),
            "divisions": Division.objects.filter(level__in=["region", "city"]).order_by("path"),
            "is_admin": request.user.has_role(Role.ADMIN),
            "is_legal": request.user.has_role(Role.LEGAL),
            "typed": typed,
            "chosen": typed.getlist("items") if typed else [],
            "item_errors": errors.get("items", []),
        },
    )


@login_required
@require_POST
def bundle_act(request, pk):
    _staff(request)
    bundle = by_id_or_404(Bundle, pk)
    action = request.POST.get("action")
    try:
        if action == "submit":
            bundles.bundle_submit(actor=request.user, bundle=bundle)
            messages.success(request, "已提交法制审核。")
        elif action in ("approve", "return"):
            bundles.bundle_review(
                actor=request.user,
                bundle=bundle,
                approve=action == "approve",
                comment=request.POST.get("comment", ""),
            )
            messages.success(request, "已发布。" if action == "approve" else "已退回。")
        else:
            raise Http404
    except DomainError as exc:
        messages.error(request, exc.message)
    return redirect("catalog:bundles")
