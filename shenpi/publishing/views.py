from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from shenpi.accounts.constants import Role
from shenpi.core.errors import DomainError

from . import services
from .forms import PublicationForm
from .models import Publication, PublicationKind, PublicationStatus


def public_list(request):
    kind = request.GET.get("kind", "")
    qs = Publication.objects.filter(status=PublicationStatus.PUBLISHED).select_related("department")
    if kind in PublicationKind.values:
        qs = qs.filter(kind=kind)
    page = Paginator(qs.order_by("-published_at"), 20).get_page(request.GET.get("page"))
    return render(
        request,
        "publishing/public_list.html",
        {"page": page, "kind": kind, "kinds": PublicationKind.choices},
    )


def public_detail(request, pk):
    p = get_object_or_404(
        Publication.objects.select_related("department"), pk=pk, status=PublicationStatus.PUBLISHED
    )
    return render(request, "publishing/public_detail.html", {"p": p})


def _staff(request):
    user = request.user
    if not user.has_role(Role.OFFICIAL, Role.HEAD, Role.LEGAL) or user.department is None:
        raise Http404
    return user.department


@login_required
def manage(request):
    department = _staff(request)
    items = (
        Publication.objects.filter(department=department)
        .select_related("author")
        .order_by("-created_at")
    )
    return render(request, "publishing/manage.html", {"items": items, "department": department})


@login_required
@require_http_methods(["GET", "POST"])
def edit(request, pk=None):
    department = _staff(request)
    p = get_object_or_404(Publication, pk=pk, department=department) if pk else None
    form = PublicationForm(request.POST or None, instance=p)
    if request.method == "POST" and form.is_valid():
        data = {k: form.cleaned_data[k] for k in ("kind", "title", "body", "document_number")}
        try:
            if p is None:
                p = services.publication_draft(actor=request.user, **data)
            else:
                p = services.publication_update(actor=request.user, publication=p, **data)
            if request.POST.get("submit"):
                services.publication_submit(actor=request.user, publication=p)
                messages.success(request, "已提交部门负责人审核。")
            else:
                messages.success(request, "草稿已保存。")
            return redirect("publishing:manage")
        except DomainError as exc:
            form.add_error(None, exc.message)
    return render(request, "publishing/edit.html", {"form": form, "p": p})


@login_required
@require_POST
def review(request, pk):
    department = _staff(request)
    p = get_object_or_404(Publication, pk=pk, department=department)
    try:
        if request.POST.get("action") == "withdraw":
            services.publication_withdraw(
                actor=request.user, publication=p, reason=request.POST.get("reason", "")
            )
            messages.success(request, "已撤回。")
        else:
            approve = request.POST.get("action") == "approve"
            services.publication_review(
                actor=request.user,
                publication=p,
                approve=approve,
                comment=request.POST.get("comment", ""),
            )
            messages.success(request, "已发布。" if approve else "已退回。")
    except DomainError as exc:
        messages.error(request, exc.message)
    return redirect("publishing:manage")
