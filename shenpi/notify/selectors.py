"""A person's in-site messages (站内消息), newest first."""

from __future__ import annotations

from django.db.models import QuerySet

from .models import Message

INBOX_SIZE = 100


def messages_for(user, *, unread_only: bool = False) -> QuerySet[Message]:
    rows = Message.objects.filter(user=user).select_related("case")
    if unread_only:
        rows = rows.filter(read_at__isnull=True)
    return rows
