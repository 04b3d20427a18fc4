from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from shenpi.core.errors import NotFound

from . import selectors, services


@login_required
def inbox(request):
    unread_only = request.GET.get("show") == "unread"
    items = selectors.messages_for(request.user, unread_only=unread_only)[: selectors.INBOX_SIZE]
    return render(request, "notify/inbox.html", {"items": items, "unread_only": unread_only})


@login_required
@require_POST
def open_message(request, pk):
    """A message opened is read; it leads on to its case where it has one."""
    try:
        message = services.message_read(user=request.user, pk=pk)
    except NotFound:
        raise Http404 from None
    if message.case_id:
        return redirect("cases:detail", pk=message.case_id)
    return redirect("notify:inbox")


@login_required
@require_POST
def mark_read(request):
    services.messages_read_all(user=request.user)
    return redirect("notify:inbox")
