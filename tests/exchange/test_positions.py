"""The exchange's order never skips an event that commits late (positions.py)."""

import threading

import pytest
from django.db import connection, transaction

from shenpi.exchange import positions
from shenpi.exchange.models import Event
from shenpi.exchange.publishing import publish


def settled_types():
    return list(
        Event.objects.filter(positions.settled())
        .order_by("txid", "id")
        .values_list("type", flat=True)
    )


@pytest.mark.django_db(transaction=True)
def test_an_event_committed_after_a_later_one_is_not_stepped_over():
    """Real parallel connections (PostgreSQL): the older transaction's event has the lower
    id but commits last; a reader sees neither until it has, then both in order."""
    if connection.vendor != "postgresql":
        pytest.skip("SQLite has one writer at a time: the ids are the commit order")
    written, go_on = threading.Event(), threading.Event()

    def older():
        try:
            with transaction.atomic():
                publish("test.older", "things/1")
                written.set()
                go_on.wait(10)
        finally:
            connection.close()

    thread = threading.Thread(target=older)
    thread.start()
    assert written.wait(10)
    publish("test.newer", "things/2")  # autocommit: committed at once
    assert Event.objects.filter(type="test.newer").exists()
    assert settled_types() == []  # the newer one waits behind the one still in flight
    go_on.set()
    thread.join()
    assert settled_types() == ["test.older", "test.newer"]


def test_positions_compare_as_strings_in_the_events_order():
    ordered = [(0, 9), (0, 10), (7, 2), (12, 1)]
    encoded = [positions.encode(*p) for p in ordered]
    assert sorted(encoded) == encoded
    assert [positions.decode(e) for e in encoded] == ordered


@pytest.mark.parametrize("bad", ["x", "12", "1-", "-1", "1-2-3", "9" * 50 + "-1"])
def test_a_malformed_position_is_a_400(bad):
    from shenpi.core.errors import InvalidInput

    with pytest.raises(InvalidInput):
        positions.decode(bad)
