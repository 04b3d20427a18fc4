"""What the audit records know of the request being served without being handed it: its
client address (set by audit/middleware.py)."""

from __future__ import annotations

from contextvars import ContextVar

current_address: ContextVar[str | None] = ContextVar("current_address", default=None)
