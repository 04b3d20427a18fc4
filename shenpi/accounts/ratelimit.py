"""Rate limits shared by every worker. Counting in a worker's own memory let four workers
allow four times the limit; Django's database and file caches increment by get-then-set,
which two workers can interleave. So an attempt is counted where the count is atomic: by
Redis INCR where a Redis cache is configured, else by one upsert of a RateCounter row
(INSERT … ON CONFLICT … RETURNING, in PostgreSQL and SQLite alike)."""

from __future__ import annotations

from datetime import timedelta

from django.core.cache import cache
from django.db import connection
from django.utils import timezone

from .models import RateCounter


def _redis_cache() -> bool:
    return "redis" in type(cache).__module__.lower()


def hit(key: str, *, window: int) -> int:
    """Count one attempt under `key` in the current window of `window` seconds; the count
    including this one."""
    if _redis_cache():
        cache.add(f"rate:{key}", 0, window)
        return cache.incr(f"rate:{key}")
    table = RateCounter._meta.db_table
    now = timezone.now()
    end = now + timedelta(seconds=window)
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (key, count, window_end) VALUES (%s, 1, %s) "
            f"ON CONFLICT (key) DO UPDATE SET "
            f"count = CASE WHEN {table}.window_end <= %s THEN 1 ELSE {table}.count + 1 END, "
            f"window_end = CASE WHEN {table}.window_end <= %s THEN %s ELSE {table}.window_end END "
            "RETURNING count",
            [key[:120], end, now, now, end],
        )
        return cursor.fetchone()[0]


def strike(key: str, *, forget_after: int) -> None:
    """Count one failure under `key`, remembered until `forget_after` seconds after the
    latest one (the counter's window slides with each failure)."""
    table = RateCounter._meta.db_table
    now = timezone.now()
    end = now + timedelta(seconds=forget_after)
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (key, count, window_end) VALUES (%s, 1, %s) "
            f"ON CONFLICT (key) DO UPDATE SET "
            f"count = CASE WHEN {table}.window_end <= %s THEN 1 ELSE {table}.count + 1 END, "
            "window_end = %s",
            [key[:120], end, now, end],
        )


def strikes(key: str, *, forget_after: int) -> tuple[int, float]:
    """(failures remembered under `key`, the time of the latest as a timestamp)."""
    row = RateCounter.objects.filter(key=key[:120], window_end__gt=timezone.now()).first()
    if row is None:
        return 0, 0.0
    return row.count, (row.window_end - timedelta(seconds=forget_after)).timestamp()


def forget(key: str) -> None:
    RateCounter.objects.filter(key=key[:120]).delete()


def allowed(key: str, *, limit: int, window: int) -> bool:
    """Count this attempt; whether it is within `limit` for the window."""
    return hit(key, window=window) <= limit


def sweep() -> int:
    """Forget the counters whose window has ended (the hourly job)."""
    return RateCounter.objects.filter(window_end__lt=timezone.now()).delete()[0]
