"""The case page and its buttons (cases.actions), the documents it links to, and the
applicant's numbers read on record."""

from datetime import date

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.views.decorators.http import require_POST

from shenpi.accounts.models import User
from shenpi.common.lookup import by_id
from shenpi.core.errors import DomainError

from .. import actions, selectors, services
from ..models import CaseMaterial, Licence, Notice, Task
from .shared import TASK_DRAFTS, errors_to_messages


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
        errors_to_messages(request, exc)
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
        errors_to_messages(request, exc)
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
        errors_to_messages(request, exc)
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
        errors_to_messages(request, exc)
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
        errors_to_messages(request, exc)
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


@login_required
@require_POST
def licence_action(request, pk):
    from ..licences import licence_cancel, licence_revoke

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
        errors_to_messages(request, exc)
    return redirect("cases:detail", pk=licence.case_id)
