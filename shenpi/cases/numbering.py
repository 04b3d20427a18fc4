"""Numbers for cases, licences and notices: unique and increasing under their key, drawn
outside the caller's transaction. A gap left by a transaction that rolled back after its
draw is allowed, as with a database sequence; a number is never given twice.

A draw is one upsert of the key's counter row, committed at once, so the row is locked for
that statement only — not until the state change that asked for the number commits, which
made concurrent submissions to one division (or decisions of one department) wait on one
another. Outside a transaction that is the default connection's own statement. Inside one,
PostgreSQL draws on a connection of this thread's kept for the purpose; SQLite draws on the
default connection, within the transaction: it has one writer at a time, and that
transaction already holds the database's write lock, so a second connection would only wait
for it.
"""

from __future__ import annotations

import os
import threading
from datetime import date

from django.db import connection

from .models import Counter

_UPSERT = (
    f"INSERT INTO {Counter._meta.db_table} (key, last) VALUES (%s, 1) "
    f"ON CONFLICT (key) DO UPDATE SET last = {Counter._meta.db_table}.last + 1 RETURNING last"
)
_local = threading.local()


def _own_connection():
    """This thread's connection for draws (a forked child makes its own)."""
    import psycopg

    held = getattr(_local, "held", None)
    if held is not None and held[0] == os.getpid() and not held[1].closed:
        return held[1]
    params = connection.get_connection_params()
    params.pop("cursor_factory", None)
    own = psycopg.connect(**params, autocommit=True)
    _local.held = (os.getpid(), own)
    return own


def close() -> None:
    """Close this thread's connection for draws (a test, before its database is dropped)."""
    held = getattr(_local, "held", None)
    _local.held = None
    if held is not None and held[0] == os.getpid():
        held[1].close()


def draw(key: str) -> int:
    """The next number under `key`."""
    if connection.vendor != "postgresql" or not connection.in_atomic_block:
        with connection.cursor() as cursor:
            cursor.execute(_UPSERT, [key])
            return cursor.fetchone()[0]
    import psycopg

    for attempt in range(2):
        try:
            with _own_connection().cursor() as cursor:
                cursor.execute(_UPSERT, [key])
                return cursor.fetchone()[0]
        except psycopg.OperationalError:
            # The server closed the kept connection (restart, idle timeout): once more.
            _local.held = None
            if attempt:
                raise
    raise AssertionError("unreachable")


def case_number(division, day: date) -> str:
    """The division's code, the day, and the day's sequence in the division (CONTRACTS.md:
    a case number starts with its division's code)."""
    return f"{division.code}{day:%Y%m%d}{draw(f'case:{division.code}:{day:%Y%m%d}'):05d}"


def licence_number(department, year: int) -> str:
    """The issuing department's division, the year, the department's code, and the year's
    sequence of its licences."""
    code = department.code.split("-")[-1].upper()
    return f"{department.division_id}{year}{code}{draw(f'licence:{department.code}:{year}'):06d}"


def notice_sequence(department, year: int) -> int:
    """The year's sequence of the department's written notices (〔year〕第N号)."""
    return draw(f"notice:{department.code}:{year}")


def authorisation_number(year: int) -> str:
    """WT, the year, and the year's sequence of authorisations across the platform."""
    return f"WT{year}{draw(f'authorisation:{year}'):07d}"
