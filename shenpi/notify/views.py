from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from .models import Message


@login_required
def inbox(request):
    messages = Message.objects.filter(user=request.user).select_related("case")[:100]
    return render(request, "notify/inbox.html", {"items": messages})


@login_required
@require_POST
def mark_read(request):
    Message.objects.filter(user=request.user, read_at__isnull=True).update(read_at=timezone.now())
    return redirect("notify:inbox")
