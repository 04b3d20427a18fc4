"""Writing the audit log. Callers are already inside their transaction: the
audit record commits or rolls back with the change it describes."""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from .hashing import checkpoint_hash, current_alg, record_hash
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


def _lock_stream(name: str) -> AuditStream:
    stream = AuditStream.objects.select_for_update().filter(name=name).first()
    if stream is None:
        try:
            with transaction.atomic():
                AuditStream.objects.create(name=name)
        except IntegrityError:
            pass  # created by a concurrent writer; lock theirs
        stream = AuditStream.objects.select_for_update().get(name=name)
    return stream


@transaction.atomic
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
) -> AuditRecord:
    """Append one record to `stream`, chained to the stream's head."""
    person = actor if actor is not None and not getattr(actor, "is_system_client", False) else None
    client = actor.client if getattr(actor, "is_system_client", False) else None
    if person is not None and not person.pk:
        person = None
    label = actor_label or (
        f"{person.username}" if person else (f"client:{client.name}" if client else "anonymous")
    )
    head = _lock_stream(stream)
    record = AuditRecord(
        stream=stream,
        seq=head.head_seq + 1,
        at=timezone.now(),
        actor=person,
        actor_label=label[:120],
        client=client,
        ip=ip if ip is not None else client_ip(request),
        action=action,
        object_type=object_type,
        object_id=str(object_id)[:64],
        outcome=outcome,
        detail=detail or {},
        alg=current_alg(),
        prev_hash=head.head_hash,
    )
    record.hash = record_hash(record)
    record.save(force_insert=True)
    AuditStream.objects.filter(pk=stream).update(head_seq=record.seq, head_hash=record.hash)
    return record


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
    checkpoint = AuditCheckpoint.objects.create(
        at=at,
        prev_hash=prev_hash,
        alg=alg,
        stream_count=len(moved),
        hash=checkpoint_hash(alg, prev_hash, _iso(at), moved),
    )
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


def _iso(at) -> str:
    from datetime import UTC

    return at.astimezone(UTC).isoformat(timespec="microseconds")
