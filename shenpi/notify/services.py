from __future__ import annotations

import time
from datetime import timedelta

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.module_loading import import_string

from shenpi.common.fields import held
from shenpi.core.errors import NotFound

from .models import Channel, Message, Outbox


def notify(user, *, title: str, body: str, case=None) -> None:
    """In-site message, plus SMS and e-mail through the outbox; part of the caller's transaction."""
    notify_many([(user, title, body, case)])


def notify_number(mobile, *, title: str, body: str) -> None:
    """An SMS to a number that has no account (an anonymous asker's); part of the caller's
    transaction, delivered through the outbox."""
    Outbox.objects.create(
        channel=Channel.SMS, to=mobile, body=f"【宁夏网上审批】{title}：{body}"[:300]
    )
    _wake_after_commit()


def _wake_after_commit() -> None:
    """One wake-up of the deliverer per transaction, however many notices it wrote."""
    pending = transaction.get_connection().run_on_commit
    if not any(entry[1] is _wake_deliverer for entry in pending):
        transaction.on_commit(_wake_deliverer)


def notify_many(notices) -> None:
    """`notify` for many (user, title, body, case) at once: one insert of the messages and
    one of the outbox, whatever their number."""
    messages, outgoing = [], []
    for user, title, body, case in notices:
        if user is None:
            continue
        messages.append(Message(user=user, case=case, title=title, body=body))
        mobile = held(user, "mobile")  # copied sealed, not opened
        if mobile:
            outgoing.append(
                Outbox(
                    channel=Channel.SMS,
                    to=mobile,
                    body=f"【宁夏网上审批】{title}：{body}"[:300],
                )
            )
        if user.email:
            outgoing.append(
                Outbox(
                    channel=Channel.EMAIL,
                    to=user.email,
                    subject=f"宁夏网上审批平台：{title}",
                    body=body,
                )
            )
    if not messages:
        return
    Message.objects.bulk_create(messages)
    Outbox.objects.bulk_create(outgoing)
    _wake_after_commit()


_WAKE_EVERY = 1.0  # seconds
_woken_until = 0.0


def _wake_deliverer():
    """Ask the worker to deliver the outbox. With a broker, one wake per process and second:
    it is sent to run a second later, so it finds every row this process commits until
    then, and a burst of submissions costs one message a second instead of one each."""
    from .tasks import outbox_deliver_task

    global _woken_until
    if settings.CELERY_TASK_ALWAYS_EAGER:
        outbox_deliver_task.delay()
        return
    now = time.monotonic()
    if now < _woken_until:
        return  # the wake already sent runs after this commit
    _woken_until = now + _WAKE_EVERY
    outbox_deliver_task.apply_async(countdown=_WAKE_EVERY)


def outbox_deliver(limit: int = 200) -> int:
    """Send what is due; a failure is retried later with a growing pause."""
    now = timezone.now()
    sms = import_string(settings.SHENPI_SMS_BACKEND)()
    sent = 0
    due = (
        Outbox.objects.filter(delivered_at__isnull=True)
        .filter(Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now))
        .order_by("id")[:limit]
    )
    for row in due:
        try:
            if row.channel == Channel.SMS:
                sms.send(row.to, row.body)
            elif row.channel == Channel.EMAIL:
                send_mail(row.subject, row.body, settings.DEFAULT_FROM_EMAIL, [row.to])
            Outbox.objects.filter(pk=row.pk).update(
                delivered_at=timezone.now(), attempts=row.attempts + 1
            )
            sent += 1
        except Exception as exc:  # noqa: BLE001 - any gateway failure: retry later
            Outbox.objects.filter(pk=row.pk).update(
                attempts=row.attempts + 1,
                last_error=str(exc)[:300],
                next_attempt_at=now + timedelta(minutes=min(60, 2**row.attempts)),
            )
    return sent


def message_read(*, user, pk) -> Message:
    """Open one of the person's messages: it is read from now on. Someone else's, or none,
    is not found."""
    message = Message.objects.select_related("case").filter(user=user, pk=pk).first()
    if message is None:
        raise NotFound("未找到该消息。")
    if message.read_at is None:
        message.read_at = timezone.now()
        Message.objects.filter(pk=message.pk, read_at__isnull=True).update(read_at=message.read_at)
    return message


def messages_read_all(*, user) -> int:
    return Message.objects.filter(user=user, read_at__isnull=True).update(read_at=timezone.now())
