"""Signatures on the exchange's HTTP messages, both ways (the Standard Webhooks scheme,
documented for receivers in the README):

    webhook-id         the event's id (a receiver keeps it to drop a repeat)
    webhook-timestamp  seconds since 1970-01-01 UTC when it was sent
    webhook-signature  "v1,<base64 of HMAC-SHA256(key, id + "." + timestamp + "." + body)>",
                       one per valid key, separated by spaces

During a key rotation two keys are valid and a message carries both signatures, so the
receiver may switch keys at any moment. A receiver refuses a timestamp more than
TOLERANCE seconds away from its clock (a replayed capture)."""

from __future__ import annotations

import base64
import hashlib
import hmac
import time

TOLERANCE = 300  # seconds


class BadSignature(Exception):
    pass


def signature(key: str, message_id: str, timestamp: int, body: bytes) -> str:
    signed = f"{message_id}.{timestamp}.".encode() + body
    digest = hmac.new(key.encode(), signed, hashlib.sha256).digest()
    return "v1," + base64.b64encode(digest).decode()


def sign(keys: list[str], message_id: str, body: bytes, *, now: float | None = None) -> dict:
    """The three headers for `body`, signed with each of `keys`."""
    timestamp = int(time.time() if now is None else now)
    return {
        "webhook-id": message_id,
        "webhook-timestamp": str(timestamp),
        "webhook-signature": " ".join(signature(k, message_id, timestamp, body) for k in keys),
    }


def verify(keys: list[str], headers, body: bytes, *, now: float | None = None) -> str:
    """The message's id when one of its signatures is by one of `keys` and its timestamp is
    fresh; otherwise BadSignature saying why."""
    message_id = headers.get("webhook-id") or ""
    stamp = headers.get("webhook-timestamp") or ""
    given = (headers.get("webhook-signature") or "").split()
    if not message_id or not stamp.isdigit() or not given:
        raise BadSignature("缺少签名头（webhook-id、webhook-timestamp、webhook-signature）。")
    timestamp = int(stamp)
    if abs((time.time() if now is None else now) - timestamp) > TOLERANCE:
        raise BadSignature("签名时间戳已过期或超前。")
    expected = {signature(k, message_id, timestamp, body) for k in keys if k}
    if not any(hmac.compare_digest(g, e) for g in given for e in expected):
        raise BadSignature("签名不正确。")
    return message_id
