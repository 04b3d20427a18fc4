"""The one hierarchy of domain errors.

Services and the core raise these; the API renders them as RFC 7807 problem
JSON (shenpi.api.errors) and the UI as a message on the page. Each carries a
stable machine code, a Chinese message for people and the HTTP status that
CONTRACTS.md names for it.
"""

from __future__ import annotations


class DomainError(Exception):
    status = 400
    code = "invalid"
    title = "请求无效"

    def __init__(
        self,
        message: str,
        *,
        code: str | None = None,
        errors: dict | None = None,
        extra: dict | None = None,
    ):
        super().__init__(message)
        self.message = message
        if code:
            self.code = code
        self.errors = errors or {}
        self.extra = extra or {}  # more members of the problem (e.g. current_version)


class Unauthenticated(DomainError):
    """Credentials missing or wrong (401)."""

    status = 401
    code = "not_authenticated"
    title = "身份验证失败"


class InvalidInput(DomainError):
    status = 400
    code = "invalid"
    title = "输入有误"


class NotAllowed(DomainError):
    """An action not allowed on an object the caller can see (403)."""

    status = 403
    code = "forbidden"
    title = "无权执行此操作"


class NotFound(DomainError):
    """Absent, or outside the caller's scope: existence is not revealed (404)."""

    status = 404
    code = "not_found"
    title = "未找到"


class Conflict(DomainError):
    """Out of turn, repeated, or lost to a concurrent action (409)."""

    status = 409
    code = "conflict"
    title = "操作冲突"


class TooLarge(DomainError):
    status = 413
    code = "too_large"
    title = "内容过大"


class TooMany(DomainError):
    """Too many attempts from one client in a while (429)."""

    status = 429
    code = "too_many_requests"
    title = "请求过于频繁"
