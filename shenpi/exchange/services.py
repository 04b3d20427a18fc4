"""Delivering events to subscribers (at least once, in order per object, signed),
replaying dead letters, rotating keys, and forgetting events past the feed's horizon.

A subscriber is served by one worker at a time (its row is locked, others skip it), so
its events leave in the exchange's order; an object whose event failed waits (its later
events are held back) while the others' go on. A failed POST is tried again after 1, 2,
4 … seconds, at most an hour apart, for RETRY_FOR from the event; then it is a dead
letter, which an administrator sees and may replay."""

from __future__ import annotations

import time
from datetime import timedelta

import requests
from django.conf import settings
from django.db import transaction
from django.utils import timezone

from shenpi.audit.services import audit_record

from . import envelope, positions, signing
from .models import Delivery, DeliveryStatus, Event, Horizon, Subscriber, new_secret
from .scope import scope_of

RETRY_FOR = timedelta(hours=24)
KEEP_FOR = timedelta(days=30)  # the change feed's horizon
FAN_OUT_BATCH = 1000
GIVE_UP_AFTER = 3  # failures in a row: the receiver is down, try it again next run
KEY_OVERLAP = timedelta(days=7)


def backoff(attempts: int) -> timedelta:
    return timedelta(seconds=min(3600, 2 ** max(0, attempts - 1)))


def signing_keys(subscriber: Subscriber, now=None) -> list[str]:
    now = now or timezone.now()
    keys = [subscriber.secret]
    if subscriber.previous_secret and subscriber.previous_until and subscriber.previous_until > now:
        keys.append(subscriber.previous_secret)
    return keys


def fan_out(subscriber_id, *, limit: int = FAN_OUT_BATCH) -> int:
    """The subscriber's deliveries for the settled events after its cursor; returns how
    many events were read (the caller goes on while a whole batch was)."""
    with transaction.atomic():
        subscriber = (
            Subscriber.objects.select_for_update(skip_locked=True)
            .select_related("client")
            .filter(pk=subscriber_id, is_active=True)
            .first()
        )
        if subscriber is None:
            return 0
        events = list(
            Event.objects.filter(positions.after((subscriber.cursor_txid, subscriber.cursor_id)))
            .filter(positions.settled())
            .order_by("txid", "id")
            .only("id", "txid", "type", "subject", "division", "department")[:limit]
        )
        if not events:
            return 0
        scope = scope_of(subscriber.client, subscriber)
        Delivery.objects.bulk_create(
            [
                Delivery(
                    subscriber=subscriber,
                    event_id=e.id,
                    txid=e.txid,
                    event_seq=e.id,
                    subject=e.subject,
                )
                for e in events
                if scope.admits(e)
            ],
            ignore_conflicts=True,
        )
        Subscriber.objects.filter(pk=subscriber.pk).update(
            cursor_txid=events[-1].txid, cursor_id=events[-1].id
        )
        return len(events)


def _post(session, subscriber, event, keys) -> tuple[bool, int | None, str]:
    body = envelope.as_json(event)
    headers = {"content-type": envelope.CONTENT_TYPE, **signing.sign(keys, str(event.id), body)}
    try:
        answer = session.post(
            subscriber.url, data=body, headers=headers, timeout=settings.EXCHANGE_TIMEOUT
        )
    except requests.RequestException as exc:
        return False, None, f"{type(exc).__name__}: {exc}"[:300]
    if 200 <= answer.status_code < 300:
        return True, answer.status_code, ""
    return False, answer.status_code, f"HTTP {answer.status_code}"


def deliver_to(subscriber_id, *, session=None, limit: int = 200) -> int:
    """One pass over the subscriber's due deliveries, in order; returns how many went."""
    session = session or requests.Session()
    sent = 0
    with transaction.atomic():
        subscriber = (
            Subscriber.objects.select_for_update(skip_locked=True)
            .filter(pk=subscriber_id, is_active=True)
            .exclude(url="")
            .first()
        )
        if subscriber is None:
            return 0
        now = timezone.now()
        keys = signing_keys(subscriber, now)
        pending = Delivery.objects.filter(subscriber=subscriber, status=DeliveryStatus.PENDING)
        # An object whose failed event is not yet due is left out whole (its later events
        # wait behind it), so a long queue of one object never hides the others' events.
        waiting = pending.filter(next_attempt_at__gt=now).values("subject")
        rows = list(
            pending.exclude(subject__in=waiting)
            .select_related("event")
            .order_by("txid", "event_seq")[:limit]
        )
        held: set[str] = set()  # objects whose earlier event has not gone yet
        failures = 0
        changed = []
        for row in rows:
            if row.subject in held:
                continue
            if row.next_attempt_at and row.next_attempt_at > now:
                held.add(row.subject)
                continue
            ok, code, error = _post(session, subscriber, row.event, keys)
            row.attempts += 1
            row.last_status, row.last_error = code, error
            changed.append(row)
            if ok:
                row.status, row.delivered_at, row.next_attempt_at = (
                    DeliveryStatus.DELIVERED,
                    timezone.now(),
                    None,
                )
                sent += 1
                failures = 0
                continue
            held.add(row.subject)
            failures += 1
            if timezone.now() - row.event.time >= RETRY_FOR:
                row.status = DeliveryStatus.DEAD
            else:
                row.next_attempt_at = timezone.now() + backoff(row.attempts)
            if failures >= GIVE_UP_AFTER:
                break
        Delivery.objects.bulk_update(
            changed,
            ["status", "attempts", "next_attempt_at", "delivered_at", "last_status", "last_error"],
        )
    return sent


def exchange_deliver(*, seconds: float = 20.0) -> int:
    """Fan out and deliver to every subscriber with an address, for at most about
    `seconds` (the next run goes on)."""
    ends = time.monotonic() + seconds
    sent = 0
    session = requests.Session()
    ids = list(
        Subscriber.objects.filter(is_active=True).exclude(url="").values_list("pk", flat=True)
    )
    for pk in ids:
        while fan_out(pk) == FAN_OUT_BATCH and time.monotonic() < ends:
            pass
    for pk in ids:
        while time.monotonic() < ends:
            went = deliver_to(pk, session=session)
            sent += went
            if not went:
                break
    return sent


@transaction.atomic
def deliveries_replay(*, actor, deliveries) -> int:
    """Dead letters sent again from the start (their event id is unchanged, so a receiver
    that had it after all drops the repeat)."""
    now = timezone.now()
    rows = list(
        Delivery.objects.select_for_update().filter(
            pk__in=[d.pk for d in deliveries], status=DeliveryStatus.DEAD
        )
    )
    for row in rows:
        audit_record(
            stream=f"exchange:subscriber:{row.subscriber_id}",
            action="exchange.replay",
            actor=actor,
            object_type="delivery",
            object_id=str(row.pk),
            detail={"event": row.event_id},
        )
    Delivery.objects.filter(pk__in=[r.pk for r in rows]).update(
        status=DeliveryStatus.PENDING, attempts=0, next_attempt_at=None, replayed_at=now
    )
    return len(rows)


@transaction.atomic
def subscriber_rotate_key(*, actor, subscriber: Subscriber) -> str:
    """A new key; the old one goes on signing beside it for KEY_OVERLAP."""
    subscriber = Subscriber.objects.select_for_update().get(pk=subscriber.pk)
    key = new_secret()
    subscriber.previous_secret = subscriber.secret
    subscriber.previous_until = timezone.now() + KEY_OVERLAP
    subscriber.secret = key
    subscriber.save(update_fields=["secret", "previous_secret", "previous_until"])
    audit_record(
        stream=f"exchange:subscriber:{subscriber.pk}",
        action="exchange.rotate_key",
        actor=actor,
        object_type="subscriber",
        object_id=str(subscriber.pk),
        detail={"previous_until": subscriber.previous_until.isoformat()},
    )
    return key


def events_forget(now=None, *, batch: int = 5000) -> int:
    """Events older than the feed's horizon go, with their deliveries."""
    cutoff = (now or timezone.now()) - KEEP_FOR
    gone = 0
    while True:
        rows = list(
            Event.objects.filter(time__lt=cutoff)
            .order_by("txid", "id")
            .values_list("pk", "txid")[:batch]
        )
        if not rows:
            return gone
        ids = [pk for pk, _txid in rows]
        last = max((txid, pk) for pk, txid in rows)
        with transaction.atomic():
            horizon, _created = Horizon.objects.select_for_update().get_or_create(pk=1)
            if last > (horizon.txid, horizon.event_id):
                Horizon.objects.filter(pk=1).update(txid=last[0], event_id=last[1])
            Delivery.objects.filter(event_id__in=ids).delete()
            gone += Event.objects.filter(pk__in=ids).delete()[0]


def push_refused(*, client, request, reason: str) -> None:
    """A refused incoming push, recorded on the client's stream in a transaction of its
    own (the request itself fails)."""
    from shenpi.audit.models import Outcome

    with transaction.atomic():
        audit_record(
            stream=f"exchange:client:{client.pk}",
            action="exchange.push_refused",
            request=request,
            actor_label=f"client:{client.name}",
            object_type="system_client",
            object_id=str(client.pk),
            outcome=Outcome.DENIED,
            detail={"reason": reason[:200], "path": request.path[:200]},
        )
