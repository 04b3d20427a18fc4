"""Writing the audit log. Callers are already inside their transaction: the
audit record commits or rolls back with the change it describes."""

from __future__ import annotations

import os
from collections.abc import Callable

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from .context import current_address
from .hashing import (
    checkpoint_hash,
    checkpoint_signature,
    checkpoint_time,
    current_alg,
    record_hash,
)
from .models import AuditCheckpoint, AuditCheckpointEntry, AuditRecord, AuditStream, Outcome


def client_ip(request) -> str | None:
    """The client's address; with N trusted proxies, the Nth address from the right."""
    from django.conf import settings

    if request is None:
        return None
    proxies = settings.SHENPI_TRUSTED_PROXIES
    if proxies:
        forwarded = [
            p.strip() for p in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if p.strip()
        ]
        if len(forwarded) >= proxies:
            return forwarded[-proxies]
    return request.META.get("REMOTE_ADDR") or None


# Stream prefix ("case") -> the division code of the object named by the rest of the
# stream's name; each app registers its own (AppConfig.ready).
_DIVISION_OF: dict[str, Callable[[str], str | None]] = {}


def register_stream_division(prefix: str, resolve: Callable[[str], str | None]) -> None:
    _DIVISION_OF[prefix] = resolve


def stream_division(name: str) -> str:
    """The division a stream belongs to (blank: region-wide)."""
    prefix, _sep, key = name.partition(":")
    resolve = _DIVISION_OF.get(prefix)
    try:
        return (resolve(key) or "") if resolve else ""
    except (ValueError, TypeError, ValidationError):
        return ""


def _lock_stream(name: str, division: str | None = None) -> AuditStream:
    stream = AuditStream.objects.select_for_update().filter(name=name).first()
    if stream is None:
        try:
            with transaction.atomic():
                AuditStream.objects.create(
                    name=name, division=stream_division(name) if division is None else division
                )
        except IntegrityError:
            pass  # created by a concurrent writer; lock theirs
        stream = AuditStream.objects.select_for_update().get(name=name)
    return stream


@transaction.atomic(savepoint=False)
def audit_record(
    *,
    stream: str,
    action: str,
    actor=None,
    request=None,
    ip: str | None = None,
    object_type: str = "",
    object_id: str = "",
    outcome: str = Outcome.SUCCESS,
    detail: dict | None = None,
    actor_label: str = "",
    division: str | None = None,
) -> AuditRecord:
    """Append one record to `stream`, chained to the stream's head."""
    return audit_records(
        division=division,
        stream=stream,
        entries=[(action, detail)],
        actor=actor,
        request=request,
        ip=ip,
        object_type=object_type,
        object_id=object_id,
        outcome=outcome,
        actor_label=actor_label,
    )[-1]


@transaction.atomic(savepoint=False)  # part of the caller's transaction, all or nothing
def audit_records(
    *,
    stream: str,
    entries: list[tuple[str, dict | None]],
    actor=None,
    request=None,
    ip: str | None = None,
    object_type: str = "",
    object_id: str = "",
    outcome: str = Outcome.SUCCESS,
    actor_label: str = "",
    new_stream: bool = False,
    division: str | None = None,
) -> list[AuditRecord]:
    """Append several records (action, detail) by one actor about one object to `stream`,
    chained in order, with one lock of the stream. `new_stream`: the caller has just made
    the object the stream is named after, so nobody else can be writing to it; the stream
    is created with its head already at the last record (one insert instead of a lock).
    `division`: the stream's division when the caller knows it (else it is resolved from
    the stream's name when the stream is created)."""
    person = actor if actor is not None and not getattr(actor, "is_system_client", False) else None
    client = actor.client if getattr(actor, "is_system_client", False) else None
    if person is not None and not person.pk:
        person = None
    label = actor_label or (
        f"{person.username}" if person else (f"client:{client.name}" if client else "anonymous")
    )
    head = AuditStream(name=stream) if new_stream else _lock_stream(stream, division)
    seq, prev, alg, at = head.head_seq, head.head_hash, current_alg(), timezone.now()
    if ip is not None:
        address = ip
    elif request is not None:
        address = client_ip(request)
    else:  # a service acting in a request it was not handed (audit/middleware.py)
        address = current_address.get()
    records = []
    for action, detail in entries:
        seq += 1
        record = AuditRecord(
            stream=stream,
            seq=seq,
            at=at,
            actor=person,
            actor_label=label[:120],
            client=client,
            ip=address,
            action=action,
            object_type=object_type,
            object_id=str(object_id)[:64],
            outcome=outcome,
            detail=detail or {},
            alg=alg,
        )
        record.hash = prev = record_hash(record, prev)
        records.append(record)
    if new_stream:
        AuditStream.objects.create(
            name=stream,
            head_seq=seq,
            head_hash=prev,
            division=stream_division(stream) if division is None else division,
        )
    else:
        AuditStream.objects.filter(pk=stream).update(head_seq=seq, head_hash=prev)
    AuditRecord.objects.bulk_create(records)
    return records


@transaction.atomic
def audit_checkpoint() -> AuditCheckpoint | None:
    """Chain the heads of every stream that moved since the last checkpoint."""
    previous = AuditCheckpoint.objects.select_for_update().order_by("-id").first()
    moved = list(
        AuditStream.objects.select_for_update()
        .filter(head_seq__gt=F("checkpointed_seq"))
        .values_list("name", "head_seq", "head_hash")
    )
    if not moved:
        return None
    alg = current_alg()
    at = timezone.now()
    prev_hash = previous.hash if previous else ""
    digest_value = checkpoint_hash(alg, prev_hash, checkpoint_time(at), moved)
    checkpoint = AuditCheckpoint.objects.create(
        at=at,
        prev_hash=prev_hash,
        alg=alg,
        stream_count=len(moved),
        hash=digest_value,
        signature=checkpoint_signature(digest_value),
    )
    line = f"{checkpoint.pk}\t{checkpoint_time(at)}\t{checkpoint.hash}\t{checkpoint.signature}\n"
    transaction.on_commit(lambda: _append_digest(line))
    AuditCheckpointEntry.objects.bulk_create(
        AuditCheckpointEntry(checkpoint=checkpoint, stream=s, seq=q, hash=h) for s, q, h in moved
    )
    # The moved streams are locked above, so their heads are still what was chained.
    names = [name for name, _seq, _hash in moved]
    for start in range(0, len(names), 500):
        AuditStream.objects.filter(name__in=names[start : start + 500]).update(
            checkpointed_seq=F("head_seq")
        )
    return checkpoint


def _append_digest(line: str) -> None:
    """Each committed checkpoint's digest, appended outside the database."""
    from pathlib import Path

    from django.conf import settings

    path = Path(settings.AUDIT_DIGEST_FILE)
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("a", encoding="utf-8") as out:
        out.write(line)
        out.flush()
        os.fsync(out.fileno())


DENIED_PER_USER = 20  # denied attempts recorded per person per 10 minutes


def audit_denied(*, user, object_type: str, object_id: str, request=None) -> None:
    """A refused attempt on an object outside the person's scope (answered 404), recorded
    on the person's stream with outcome `denied`. At most DENIED_PER_USER a person in ten
    minutes, so a crawler cannot flood the log; the last one that fits says so."""
    from shenpi.accounts.ratelimit import hit

    if not getattr(user, "is_authenticated", False) or getattr(user, "is_system_client", False):
        return
    seen = hit(f"audit-denied:{user.pk}", window=600) - 1
    if seen >= DENIED_PER_USER:
        return
    audit_record(
        stream=f"user:{user.public_id}",
        action=f"{object_type}.denied",
        actor=user,
        request=request,
        object_type=object_type,
        object_id=str(object_id)[:64],
        outcome=Outcome.DENIED,
        detail={"limit_reached": True} if seen + 1 == DENIED_PER_USER else None,
    )
