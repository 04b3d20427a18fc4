"""The audit hash: SHA-256 by default, SM3 (国密, through gmssl) when AUDIT_HASH=sm3."""

import hashlib
import json
from datetime import UTC

from django.conf import settings


def digest(alg: str, data: str) -> str:
    raw = data.encode("utf-8")
    if alg == "sha256":
        return hashlib.sha256(raw).hexdigest()
    if alg == "sm3":
        from gmssl import func, sm3

        return sm3.sm3_hash(func.bytes_to_list(raw))
    raise ValueError(f"unknown audit hash {alg!r}")


def current_alg() -> str:
    return settings.AUDIT_HASH


def record_payload(record, prev_hash: str) -> str:
    """The canonical text of a record: every field that matters, in a fixed order, and the
    hash of the record before it in its stream ("" for the first). That hash is not kept on
    the record a second time: it is the previous record's `hash`, so the chain links
    through the text hashed, and a record changed, taken out or put in breaks the next
    record's hash."""
    at = record.at.astimezone(UTC).isoformat(timespec="microseconds")
    fields = [
        record.stream,
        str(record.seq),
        at,
        str(record.actor_id or ""),
        record.actor_label,
        str(record.client_id or ""),
        record.ip or "",
        record.action,
        record.object_type,
        record.object_id,
        record.outcome,
        json.dumps(record.detail or {}, sort_keys=True, ensure_ascii=False, separators=(",", ":")),
        record.alg,
        prev_hash,
    ]
    return json.dumps(fields, ensure_ascii=False, separators=(",", ":"))


def record_hash(record, prev_hash: str) -> str:
    return digest(record.alg, record_payload(record, prev_hash))


def checkpoint_time(at) -> str:
    """A checkpoint's moment as its hash and the digest file write it (UTC, microseconds)."""
    return at.astimezone(UTC).isoformat(timespec="microseconds")


def checkpoint_hash(alg: str, prev_hash: str, at_iso: str, entries) -> str:
    lines = [prev_hash, at_iso] + [f"{s}:{q}:{h}" for s, q, h in sorted(entries)]
    return digest(alg, "\n".join(lines))


def checkpoint_signature(checkpoint_hash_value: str) -> str:
    """The checkpoint's signature with the key held outside the database: whoever rewrites
    the log in the database cannot sign the checkpoints again."""
    import hmac

    key = settings.AUDIT_SIGNING_KEY.encode("utf-8")
    return hmac.new(key, checkpoint_hash_value.encode("ascii"), hashlib.sha256).hexdigest()
