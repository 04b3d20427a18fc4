"""One-time codes sent out of band (unlocking an account, binding a second factor): kept
hashed in the database, so any worker checks what another sent; ten minutes and five
tries each, and at most five a person an hour per purpose. A wrong try is counted in its
own statement, outside the caller's transaction, so a refusal cannot roll the count back."""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from django.db.models import F
from django.utils import timezone

from shenpi.core.errors import TooMany

from . import ratelimit
from .models import OneTimeCode

CODE_SECONDS = 600
CODE_TRIES = 5
CODES_PER_HOUR = 5


def _digest(code: str) -> str:
    return hashlib.sha256(code.encode()).hexdigest()


def code_issue(user, purpose: str) -> str:
    """A fresh code for `user` and `purpose`, replacing any earlier one."""
    if not ratelimit.allowed(f"code:{purpose}:{user.pk}", limit=CODES_PER_HOUR, window=3600):
        raise TooMany("验证码发送过于频繁，请一小时后再试。", code="too_many_codes")
    code = f"{secrets.randbelow(10**6):06d}"
    OneTimeCode.objects.update_or_create(
        user=user,
        purpose=purpose,
        defaults={
            "code_hash": _digest(code),
            "expires_at": timezone.now() + timedelta(seconds=CODE_SECONDS),
            "tries": 0,
        },
    )
    return code


def code_matches(user, purpose: str, code: str) -> bool:
    """Whether `code` is the live one; a wrong try counts, and the fifth ends the code."""
    row = OneTimeCode.objects.filter(
        user=user, purpose=purpose, expires_at__gt=timezone.now()
    ).first()
    if row is None:
        return False
    if secrets.compare_digest(row.code_hash, _digest((code or "").strip())):
        return True
    if row.tries + 1 >= CODE_TRIES:
        OneTimeCode.objects.filter(pk=row.pk).delete()
    else:
        OneTimeCode.objects.filter(pk=row.pk).update(tries=F("tries") + 1)
    return False


def code_use(user, purpose: str) -> None:
    OneTimeCode.objects.filter(user=user, purpose=purpose).delete()
