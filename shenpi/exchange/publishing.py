"""Writing events: part of the caller's transaction (the transactional outbox), so an
event exists exactly when the change it tells of committed. Delivery starts after the
commit and never holds the transaction up."""

from __future__ import annotations

import time
from dataclasses import dataclass, field

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from .models import Event

NAMESPACE = "cn.shenpi."  # the CloudEvents type is the namespace and the event's name


@dataclass(frozen=True)
class Outgoing:
    type: str  # "case.accept", "supervision.order", …
    subject: str  # "cases/<id>": the object whose events are delivered in order
    division: str = ""  # who may see it: a subscriber of the division or above …
    department: object = None  # … or of the department
    data: dict = field(default_factory=dict)


def publish(type: str, subject: str, *, division="", department=None, data=None) -> None:
    publish_many([Outgoing(type, subject, division or "", department, data or {})])


def publish_many(events: list[Outgoing]) -> None:
    """One insert for all of them, in the caller's transaction."""
    if not events:
        return
    now = timezone.now()
    Event.objects.bulk_create(
        Event(
            type=e.type,
            subject=e.subject[:80],
            division=e.division or "",
            department=getattr(e.department, "pk", e.department),
            time=now,
            data=e.data,
        )
        for e in events
    )
    _wake_after_commit()


def _wake_after_commit() -> None:
    pending = transaction.get_connection().run_on_commit
    if not any(entry[1] is _wake_deliverer for entry in pending):
        transaction.on_commit(_wake_deliverer)


_WAKE_EVERY = 1.0  # seconds
_woken_until = 0.0


def _wake_deliverer() -> None:
    """With a broker, one wake a second per process (as the notices' outbox): a burst of
    changes costs one message a second. Without one (the embedded default), delivery is
    left to the scheduler's periodic run: a POST to another system never runs inside a
    person's request."""
    from .tasks import exchange_deliver_task

    global _woken_until
    if settings.CELERY_TASK_ALWAYS_EAGER:
        return
    now = time.monotonic()
    if now < _woken_until:
        return
    _woken_until = now + _WAKE_EVERY
    exchange_deliver_task.apply_async(countdown=_WAKE_EVERY)
