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

from django.db import IntegrityError, transaction
from django.http import QueryDict
from django.utils import timezone
from rest_framework.response import Response

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
        digest = hashlib.sha256()
        for chunk in upload.chunks():
            digest.update(chunk)
        upload.seek(0)
        files.append((name, upload.name, upload.size, digest.hexdigest()))
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


def idempotent(view_method):
    @functools.wraps(view_method)
    def wrapper(self, request, *args, **kwargs):
        key = request.META.get(HEADER, "").strip()
        if not key:
            return view_method(self, request, *args, **kwargs)
        if len(key) > 200:
            raise InvalidInput(
                "Idempotency-Key 不能超过 200 个字符。", code="idempotency_key_too_long"
            )
        principal, digest = _principal(request), fingerprint(request)
        IdempotencyRecord.objects.filter(
            principal=principal, key=key, created_at__lt=timezone.now() - WINDOW
        ).delete()
        with transaction.atomic():
            try:
                with transaction.atomic():
                    # A concurrent first request holds this key's index entry until it
                    # commits or rolls back: the insert waits for it.
                    record = IdempotencyRecord.objects.create(
                        principal=principal,
                        key=key,
                        method=request.method,
                        path=request.path,
                        body_hash=digest,
                    )
            except IntegrityError:
                first = IdempotencyRecord.objects.get(principal=principal, key=key)
                return _replay(first, digest, request.path)
            response = view_method(self, request, *args, **kwargs)
            if 200 <= response.status_code < 300:
                IdempotencyRecord.objects.filter(pk=record.pk).update(
                    status_code=response.status_code,
                    response_body=json.dumps(response.data, ensure_ascii=False, default=str),
                )
            else:
                IdempotencyRecord.objects.filter(pk=record.pk).delete()
            return response

    return wrapper
