"""Idempotency-Key on state-changing POSTs (CONTRACTS.md): a repeat within 24 hours
returns the first answer; the same key with a different body is a 409; a repeat
while the first is still running is a 409 too."""

from __future__ import annotations

import functools
import hashlib
import json
from datetime import timedelta

from django.db import IntegrityError, transaction
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
        principal = _principal(request)
        body_hash = hashlib.sha256(request.body).hexdigest()
        cutoff = timezone.now() - WINDOW
        IdempotencyRecord.objects.filter(
            principal=principal, key=key, created_at__lt=cutoff
        ).delete()
        try:
            with transaction.atomic():
                record = IdempotencyRecord.objects.create(
                    principal=principal,
                    key=key,
                    method=request.method,
                    path=request.path,
                    body_hash=body_hash,
                )
        except IntegrityError:
            first = IdempotencyRecord.objects.get(principal=principal, key=key)
            if first.body_hash != body_hash or first.path != request.path:
                raise Conflict(
                    "同一个 Idempotency-Key 已用于不同的请求。", code="idempotency_key_reused"
                ) from None
            if first.status_code == 0:
                raise Conflict(
                    "相同的请求正在处理中，请稍后再查询结果。", code="request_in_progress"
                ) from None
            response = Response(json.loads(first.response_body or "null"), status=first.status_code)
            response["Idempotent-Replayed"] = "true"
            return response
        try:
            response = view_method(self, request, *args, **kwargs)
        except Exception:
            IdempotencyRecord.objects.filter(pk=record.pk).delete()
            raise
        if 200 <= response.status_code < 300:
            IdempotencyRecord.objects.filter(pk=record.pk).update(
                status_code=response.status_code,
                response_body=json.dumps(response.data, ensure_ascii=False, default=str),
            )
        else:
            IdempotencyRecord.objects.filter(pk=record.pk).delete()
        return response

    return wrapper
