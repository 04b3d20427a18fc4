"""Where an event stands in the exchange's one order, and which events may be read yet.

Ids are handed out when rows are inserted, but transactions commit in another order: a
reader that took "every id above the last one I read" would step past an event whose
transaction commits a moment later, and never see it. So on PostgreSQL each event keeps
the id of the transaction that wrote it (`txid`), and a reader takes only the events of
transactions older than the oldest one still running (`pg_snapshot_xmin`): that set no
longer grows, and read in the order of (txid, id) it is read once and whole. SQLite has
one writer at a time, so there `txid` is 0 and the order is the ids'.

A position is written "<txid>-<id>", each zero-padded to 20 digits, so that positions
compare as strings in the order of the events (the CloudEvents `sequence` extension)."""

from __future__ import annotations

from django.db import connection
from django.db.models import BigIntegerField, Func, Q
from django.db.models.expressions import RawSQL

from shenpi.core.errors import InvalidInput

WIDTH = 20
START = (0, 0)


class CurrentTransaction(Func):
    """The writing transaction's id, as a column default (one writer at a time: 0)."""

    output_field = BigIntegerField()

    def as_sql(self, compiler, connection, **extra):
        return "0", []

    def as_postgresql(self, compiler, connection, **extra):
        return "(pg_current_xact_id()::text::bigint)", []


def encode(txid: int, event_id: int) -> str:
    return f"{txid:0{WIDTH}d}-{event_id:0{WIDTH}d}"


def decode(text: str) -> tuple[int, int]:
    """A position given by a client; a malformed one is a 400 naming the field."""
    if not text:
        return START
    txid, sep, event_id = text.partition("-")
    if not (sep and txid.isdigit() and event_id.isdigit() and len(text) <= 2 * WIDTH + 1):
        raise InvalidInput("游标格式不正确。", errors={"after": ["无效的游标。"]})
    return int(txid), int(event_id)


def after(position: tuple[int, int]) -> Q:
    """The events after `position` in the exchange's order."""
    txid, event_id = position
    return Q(txid__gt=txid) | Q(txid=txid, id__gt=event_id)


# The oldest running transaction's id, less one; or that id itself when it is the reader's
# own (no other transaction is older, and the reader's events commit or roll back with the
# cursor it moves past them).
_SETTLED_UP_TO = """
    pg_snapshot_xmin(pg_current_snapshot())::text::bigint
    - CASE WHEN pg_current_xact_id_if_assigned() = pg_snapshot_xmin(pg_current_snapshot())
      THEN 0 ELSE 1 END
"""


def settled() -> Q:
    """The events no event can commit before: those of transactions older than every one
    still running (and the reader's own, when no running one is older)."""
    if connection.vendor != "postgresql":
        return Q()
    return Q(txid__lte=RawSQL(_SETTLED_UP_TO, []))
