"""Rate limits shared by every worker, counted atomically, keyed on the client address
from the trusted proxies (issue 29, 14)."""

import threading

import pytest
import time_machine
from django.db import connection
from django.test import RequestFactory, override_settings

from shenpi.accounts import ratelimit
from shenpi.audit.services import client_ip


@pytest.mark.django_db
def test_a_window_counts_then_starts_again():
    with time_machine.travel("2026-12-07 09:00 +0800", tick=False) as clock:
        assert [ratelimit.allowed("t:a", limit=3, window=600) for _ in range(4)] == [
            True,
            True,
            True,
            False,
        ]
        assert ratelimit.allowed("t:b", limit=3, window=600)  # another key, its own count
        clock.shift(601)
        assert ratelimit.allowed("t:a", limit=3, window=600)
        assert ratelimit.sweep() == 1  # t:b's window ended; t:a's is new


@pytest.mark.django_db(transaction=True)
def test_workers_counting_at_once_lose_no_count():
    """Eight connections (as eight workers would hold) each count 25 attempts at once: the
    count is exactly 200, and exactly 10 were allowed under a limit of 10."""
    if connection.vendor != "postgresql":
        pytest.skip("SQLite serialises writers as a whole; the race is tested on PostgreSQL")
    barrier, allowed = threading.Barrier(8), []

    def worker():
        try:
            barrier.wait()
            allowed.extend(ratelimit.allowed("t:race", limit=10, window=600) for _ in range(25))
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sum(allowed) == 10 and len(allowed) == 200
    assert ratelimit.hit("t:race", window=600) == 201


def test_the_address_is_the_trusted_proxys_view_of_the_client():
    spoofed = RequestFactory().get(
        "/", REMOTE_ADDR="10.0.0.5", HTTP_X_FORWARDED_FOR="1.2.3.4, 203.0.113.7"
    )
    assert client_ip(spoofed) == "10.0.0.5"  # no trusted proxy: the header is anyone's
    with override_settings(SHENPI_TRUSTED_PROXIES=1):
        assert client_ip(spoofed) == "203.0.113.7"  # what our one proxy saw, not the claim
