"""The change feed: a system that was down catches up by pulling the same events it
would have been sent, from the last position it read."""

from __future__ import annotations

from dataclasses import dataclass

from shenpi.core.errors import DomainError

from . import positions
from .models import Event, Horizon, Subscriber
from .scope import scope_of

PAGE = 100
PAGE_MAX = 500


class CursorExpired(DomainError):
    status = 410
    code = "cursor_expired"
    title = "游标已过期"


@dataclass(frozen=True)
class Page:
    events: list[Event]
    next: str  # the position to ask from next (the last one returned, or the one given)
    more: bool


def changes_since(client, after: str, limit: int = PAGE) -> Page:
    """The settled events after `after` that the client may see, in the exchange's order.
    A position older than the feed's horizon is refused (410): events after it are gone,
    and the client must know it missed them."""
    position = positions.decode(after)
    limit = max(1, min(limit, PAGE_MAX))
    subscriber = Subscriber.objects.filter(client=client).first()
    scope = scope_of(client, subscriber)
    horizon = Horizon.objects.filter(pk=1).first()
    if position != positions.START and horizon and position < (horizon.txid, horizon.event_id):
        raise CursorExpired("该游标早于事件保留期（30天），期间的事件已不再保留；请从头读取。")
    rows = list(
        Event.objects.filter(positions.after(position))
        .filter(positions.settled())
        .filter(scope.q())
        .order_by("txid", "id")[: limit + 1]
    )
    more = len(rows) > limit
    rows = rows[:limit]
    last = (rows[-1].txid, rows[-1].id) if rows else position
    return Page(rows, positions.encode(*last), more)
