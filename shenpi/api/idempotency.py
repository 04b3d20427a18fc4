"""Idempotency-Key on state-changing POSTs (CONTRACTS.md): a repeat within 24 hours
returns the first answer; the same key with a different request is a 409.

The request is matched on what it says, parsed — its fields and the SHA-256 of each
file — not on its raw bytes, which differ with every multipart boundary a client
library draws, and which Django would refuse to hold in memory past 5 MB. The key's
record is written in the same transaction as the work: a repeat that arrives while the
first is running waits for it and then replays its answer, and a worker killed in the
middle leaves neither the work nor the key behind, so the client's retry does it anew.
"""

from __future__ import annotations

import functools
import hashlib
import json
from datetime import timedelta

from django.db import connection, transaction
from django.http import QueryDict
from django.utils import timezone
from rest_framework.response import Response

from shenpi.common.files import content_sha256
from shenpi.core.errors import Conflict, InvalidInput

from .models import IdempotencyRecord

HEADER = "HTTP_IDEMPOTENCY_KEY"
WINDOW = timedelta(hours=24)


def _principal(request) -> str:
    user = request.user
    if getattr(user, "is_system_client", False):
        return f"client:{user.client.pk}"
    return f"user:{user.pk}"


def fingerprint(request) -> str:
    """The parsed request's digest: its path, its fields, each file's name and content."""
    data = request.data
    if isinstance(data, QueryDict):
        fields = sorted((key, sorted(values)) for key, values in data.lists())
    else:
        fields = data
    files = []
    for name, upload in sorted(request.FILES.items()):
        files.append((name, upload.name, upload.size, content_sha256(upload)))
    canonical = json.dumps(
        {"path": request.path, "fields": fields, "files": files},
        sort_keys=True,
        ensure_ascii=False,
        default=str,
    )
    return hashlib.sha256(canonical.encode()).hexdigest()


def _replay(first: IdempotencyRecord, digest: str, path: str) -> Response:
    if first.body_hash != digest or first.path != path:
        raise Conflict("同一个 Idempotency-Key 已用于不同的请求。", code="idempotency_key_reused")
    response = Response(json.loads(first.response_body or "null"), status=first.status_code)
    response["Idempotent-Replayed"] = "true"
    return response


_TABLE = IdempotencyRecord._meta.db_table
_CLAIM = (
    f"INSERT INTO {_TABLE} (principal, key, method, path, body_hash, status_code, "
    "response_body, created_at) VALUES (%s, %s, %s, %s, %s, 0, '', %s) "
    "ON CONFLICT (principal, key) DO UPDATE SET method = excluded.method, "
    "path = excluded.path, body_hash = excluded.body_hash, status_code = 0, "
    f"response_body = '', created_at = excluded.created_at WHERE {_TABLE}.created_at < %s "
    "RETURNING id"
)


def _claim(principal: str, key: str, request, digest: str) -> int | None:
    """The key's record written, or None when the key has an answer of the last 24 hours.
    A record older than that is the key's no longer: it is taken over in place, in the same
    statement (no delete before it). A concurrent first request holds the key's index entry
    until it commits or rolls back: this statement waits for it, then writes nothing (it
    committed: its answer is replayed) or the record (it rolled back). One statement, no
    savepoint to recover from a duplicate key."""
    now = timezone.now()
    with connection.cursor() as cursor:
        cursor.execute(
            _CLAIM, [principal, key, request.method, request.path, digest, now, now - WINDOW]
        )
        row = cursor.fetchone()
    return row[0] if row else None


def idempotent(view_method):
    @functools.wraps(view_method)
    def wrapper(self, request, *args, **kwargs):
        key = request.META.get(HEADER, "").strip()
        if not key or not request.user.is_authenticated:
            # An anonymous caller has no principal to keep its keys apart from another's:
            # a key would replay one visitor's answer (a query password) to the next.
            return view_method(self, request, *args, **kwargs)
        if len(key) > 200:
            raise InvalidInput(
                "Idempotency-Key 不能超过 200 个字符。", code="idempotency_key_too_long"
            )
        principal, digest = _principal(request), fingerprint(request)
        with transaction.atomic():
            record_id = _claim(principal, key, request, digest)
            if record_id is None:
                first = IdempotencyRecord.objects.get(principal=principal, key=key)
                return _replay(first, digest, request.path)
            response = view_method(self, request, *args, **kwargs)
            if 200 <= response.status_code < 300:
                IdempotencyRecord.objects.filter(pk=record_id).update(
                    status_code=response.status_code,
                    response_body=json.dumps(response.data, ensure_ascii=False, default=str),
                )
            else:
                IdempotencyRecord.objects.filter(pk=record_id).delete()
            return response

    return wrapper
