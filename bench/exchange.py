"""The information exchange's phases (issue 25): events delivered per second by one worker
to a local receiver beside the raw rate of the same POSTs; the outbox's lag while the
submission phase runs; a lower-level platform's pushes beside the floor doing the same
writes (tests/bench/test_fair_rows.py)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time

RECEIVER_PORT = 8103
PUSH_ITEM, PUSH_DEPARTMENT, PUSH_DIVISION = "640104-SCJG-001", "xq-scjg", "640104"
# 李四, a demo person (the push names its applicant by ID number).
PUSH_APPLICANT = ("李四", "640102198512150023")


def push_body(source_id: str, version: int) -> bytes:
    """A push of a case received (version 1), then accepted with its due dates (2)."""
    name, code = PUSH_APPLICANT
    data = {
        "version": version,
        "item": PUSH_ITEM,
        "item_version": 1,
        "department": PUSH_DEPARTMENT,
        "applicant_name": name,
        "applicant_code": code,
        "status": "received",
        "received_at": "2026-12-07T09:12:00+08:00",
    }
    if version > 1:
        data.update(
            status="processing",
            accepted_at="2026-12-07T10:02:00+08:00",
            statutory_due="2027-01-05",
            promised_due="2026-12-21",
        )
    return json.dumps(data, ensure_ascii=False).encode()


def signed_headers(secret: str, body: bytes) -> dict:
    from shenpi.exchange import signing

    return signing.sign([secret], os.urandom(8).hex(), body)


class Receiver:
    """A local receiver in a process of its own that answers 204 to every POST."""

    def __enter__(self):
        code = (
            "import sys\n"
            "from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer\n"
            "class H(BaseHTTPRequestHandler):\n"
            "    protocol_version = 'HTTP/1.1'\n"
            "    def do_POST(self):\n"
            "        self.rfile.read(int(self.headers.get('content-length') or 0))\n"
            "        self.send_response(204); self.send_header('content-length', '0')\n"
            "        self.end_headers()\n"
            "    def log_message(self, *a): pass\n"
            f"ThreadingHTTPServer(('127.0.0.1', {RECEIVER_PORT}), H).serve_forever()\n"
        )
        self.process = subprocess.Popen([sys.executable, "-c", code])
        from .run import wait_port

        wait_port(RECEIVER_PORT)
        return f"http://127.0.0.1:{RECEIVER_PORT}/events"

    def __exit__(self, *exc):
        self.process.terminate()
        self.process.wait(10)


def subscribe(name: str, url: str, *, from_start: bool, last: int | None = None):
    """A region-wide subscriber; from the exchange's current end unless `from_start`, or
    from just before the `last` newest events."""
    from shenpi.accounts.models import Division, SystemClient
    from shenpi.accounts.services import system_client_issue_key
    from shenpi.exchange.models import Event, Subscriber

    client = SystemClient(
        name=f"{name}-{int(time.time())}", division=Division.objects.get(code="640000")
    )
    system_client_issue_key(client)
    client.save()
    cursor = (0, 0)
    newest_first = Event.objects.order_by("-txid", "-id").values_list("txid", "id")
    if last is not None:
        before = list(newest_first[last : last + 1])  # the newest event not to send
        cursor = before[0] if before else cursor
    elif not from_start:
        cursor = newest_first.first() or cursor
    return Subscriber.objects.create(
        client=client, url=url, cursor_txid=cursor[0], cursor_id=cursor[1]
    )


class Deliverer:
    """A worker delivering as a woken Celery worker does: a run of the deliverer every
    second, in a process of its own, while a phase runs."""

    def __init__(self, env: dict):
        self.env = env

    def __enter__(self):
        code = (
            "import time, django\n"
            "django.setup()\n"
            "from shenpi.exchange.services import exchange_deliver\n"
            "while True:\n"
            "    started = time.monotonic()\n"
            "    exchange_deliver(seconds=0.9)\n"
            "    time.sleep(max(0.0, 1.0 - (time.monotonic() - started)))\n"
        )
        from .run import ROOT

        self.process = subprocess.Popen([sys.executable, "-c", code], cwd=ROOT, env=self.env)
        return self

    def __exit__(self, *exc):
        self.process.terminate()
        self.process.wait(10)


def outbox_lag(subscriber) -> dict:
    """From each event's commit to its delivery, for the subscriber's deliveries."""
    from django.db.models import F

    from shenpi.exchange.models import Delivery

    from .load import percentile

    rows = Delivery.objects.filter(subscriber=subscriber)
    lags = [
        (delivered - at).total_seconds() * 1000
        for delivered, at in rows.exclude(delivered_at=None).values_list(
            "delivered_at", F("event__time")
        )
    ]
    return {
        "events": len(lags),
        "undelivered": rows.filter(delivered_at=None).count(),
        "p50_ms": round(percentile(lags, 50), 1) if lags else None,
        "p99_ms": round(percentile(lags, 99), 1) if lags else None,
        "max_ms": round(max(lags), 1) if lags else None,
    }


DELIVERY_EVENTS = 20_000


def run_delivery(url: str, events: int = DELIVERY_EVENTS) -> dict:
    """The `events` newest events (those of the run's phases and the generated month's
    last ones; the month holds about one event a case, too many to send in a phase)
    delivered by one worker (the deliverer the Celery task runs, here in this process),
    then the same POSTs — the same bodies and signatures, made beforehand — sent by a bare
    loop on one connection: the raw limit."""
    import requests

    from shenpi.exchange import envelope, signing
    from shenpi.exchange.models import Delivery, DeliveryStatus, Event
    from shenpi.exchange.services import exchange_deliver, signing_keys

    subscriber = subscribe("bench-rate", url, from_start=True, last=events)
    total = min(events, Event.objects.count())
    started = time.perf_counter()
    while True:
        exchange_deliver(seconds=60)
        pending = Delivery.objects.filter(subscriber=subscriber, status=DeliveryStatus.PENDING)
        done = Delivery.objects.filter(subscriber=subscriber).count()
        if not pending.exists() and done >= total:
            break
    app_s = time.perf_counter() - started
    delivered = Delivery.objects.filter(
        subscriber=subscriber, status=DeliveryStatus.DELIVERED
    ).count()
    keys = signing_keys(subscriber)
    prepared = []
    for event in reversed(list(Event.objects.order_by("-txid", "-id")[:total])):
        body = envelope.as_json(event)
        prepared.append(
            (
                body,
                {"content-type": envelope.CONTENT_TYPE, **signing.sign(keys, str(event.id), body)},
            )
        )
    session = requests.Session()
    started = time.perf_counter()
    for body, headers in prepared:
        session.post(url, data=body, headers=headers, timeout=5).raise_for_status()
    raw_s = time.perf_counter() - started
    app, raw = delivered / app_s, len(prepared) / raw_s
    return {
        "events": delivered,
        "app_per_s": round(app, 1),
        "raw_per_s": round(raw, 1),
        "ratio_raw": round(app / raw, 3),
    }


class Pushes:
    """A lower-level platform's pushes of `n` cases, each signed when it is sent: the
    creations (version 1), then the same cases accepted (version 2)."""

    def __init__(self, key: str, secret: str, path: str, tag: str, version: int):
        self.key, self.secret, self.path, self.tag, self.version = key, secret, path, tag, version

    def __call__(self, n: int) -> bytes:
        from .load import build_post
        from .run import HOST

        source = f"{self.tag}-{n}"
        body = push_body(source, self.version)
        headers = {"Authorization": f"Bearer {self.key}", **signed_headers(self.secret, body)}
        request = build_post(HOST, f"{self.path}{source}/", body, "application/json", headers)
        return request.replace(b"POST ", b"PUT ", 1)


def run_pushes(total: int, clients: int) -> dict:
    """Creations and then updates, the app's and the floor's in turns."""
    from shenpi.accounts.models import Division, SystemClient
    from shenpi.accounts.services import system_client_issue_key
    from shenpi.exchange.models import Subscriber

    from .load import Result, closed_loop
    from .run import APP_PORT, FLOOR_PORT, HOST, cpu_probe, settle

    out = {"settled_s": settle(), "cpu_probe_ms": cpu_probe()}
    tag = os.urandom(3).hex()
    sides = {}
    for name, port, path in (
        ("app", APP_PORT, "/api/v1/lower-cases/"),
        ("floor", FLOOR_PORT, "/floor/lower-cases/"),
    ):
        client = SystemClient(
            name=f"bench-push-{name}-{tag}",
            division=Division.objects.get(code=PUSH_DIVISION),
            allowed_actions=["case.push"],
        )
        key = system_client_issue_key(client)
        client.save()
        secret = Subscriber.objects.create(client=client, url="").secret
        sides[name] = (port, path, key, secret, Result())
    for version in (1, 2):
        for name, (port, path, key, secret, result) in sides.items():
            pushes = Pushes(key, secret, path, f"{name}-{tag}", version)
            result.add(closed_loop(HOST, port, pushes, clients=clients, total=total))
    for name, (*_rest, result) in sides.items():
        out[name] = result.summary()
    app, floor = out["app"]["per_s"], out["floor"]["per_s"]
    out["ratio_floor"] = round(app / floor, 3) if floor else None
    return out
