"""Password guessing against one user name from many addresses: after FREE_FAILURES
failures on the name, wherever they came from, each further attempt waits twice as long
as the one before (1 s, 2 s, 4 s … at most 15 minutes) since the last failure. Nothing
locks on the name alone — axes locks the name together with the address (settings) — so
nobody can lock someone else's account by failing its password on purpose."""

from __future__ import annotations

import math
import time

from . import ratelimit

FREE_FAILURES = 10  # twice what locks one address (AXES_FAILURE_LIMIT), so that lock comes first
MAX_DELAY = 15 * 60


def _key(username: str) -> str:
    return f"login-name:{(username or '').strip().lower()[:100]}"


def delay_remaining(username: str) -> int:
    """Seconds until the next attempt on this name is heard (0: now). The failures are
    counted where every worker sees them (accounts.ratelimit)."""
    count, last = ratelimit.strikes(_key(username), forget_after=2 * MAX_DELAY)
    if count < FREE_FAILURES:
        return 0
    wait = min(2 ** (count - FREE_FAILURES), MAX_DELAY)
    return max(0, math.ceil(last + wait - time.time()))


def failed(username: str) -> None:
    ratelimit.strike(_key(username), forget_after=2 * MAX_DELAY)


def cleared(username: str) -> None:
    ratelimit.forget(_key(username))


def delayed_message(seconds: int) -> str:
    return f"该账户近期多次登录失败，为防止猜测密码，请 {seconds} 秒后再试；如是您本人，可通过“解锁账户”用手机验证码解除。"
