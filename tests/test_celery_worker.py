"""A real Celery worker on Redis runs a periodic task against the real database.

Needs PostgreSQL (the worker is another process, so SQLite's in-memory test
database cannot be shared) and SHENPI_TEST_BROKER; .ci/run provides both.
"""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from celery import Celery
from django.conf import settings

from shenpi.audit.models import AuditCheckpoint
from shenpi.audit.services import audit_record

ROOT = Path(__file__).resolve().parents[1]
BROKER = os.environ.get("SHENPI_TEST_BROKER", "")


def database_url():
    db = settings.DATABASES["default"]
    return f"postgres://{db['USER']}:{db['PASSWORD']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


def start_worker():
    env = {
        **os.environ,
        "DATABASE_URL": database_url(),
        "CELERY_BROKER_URL": BROKER,
        "CELERY_RESULT_BACKEND": BROKER,
        "SECRET_KEY": "a-worker-key-that-is-not-the-embedded-default-0123456789-abcdefgh",
        # The suite's keys for personal data (and the exchange's sealed signing keys).
        "PERSONAL_DATA_KEY_ID": settings.PERSONAL_DATA_KEY_ID,
        "PERSONAL_DATA_KEY": settings.PERSONAL_DATA_KEYS[settings.PERSONAL_DATA_KEY_ID],
        "PERSONAL_DATA_DIGEST_KEY": settings.PERSONAL_DATA_DIGEST_KEY,
    }
    return subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "config",
            "worker",
            "--pool",
            "solo",
            "--loglevel",
            "INFO",
            "--without-gossip",
            "--without-mingle",
            "--without-heartbeat",
            "-Q",
            "shenpi-test",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )


def run_task(name: str):
    """`name` run by a real worker; (its result, the worker's output)."""
    worker = start_worker()
    try:
        producer = Celery(broker=BROKER, backend=BROKER)
        result = producer.send_task(name, queue="shenpi-test").get(timeout=60)
    finally:
        worker.terminate()
        output = worker.communicate(timeout=30)[0]
    return result, output


def needs_worker():
    if not BROKER or settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql":
        pytest.skip("needs SHENPI_TEST_BROKER and PostgreSQL (run by .ci/run)")


@pytest.mark.celery_worker
@pytest.mark.django_db(transaction=True)
def test_a_real_worker_runs_the_audit_checkpoint_task():
    needs_worker()
    audit_record(stream="case:worker-test", action="created")  # committed: transaction=True
    checkpoint_id, output = run_task("shenpi.audit.tasks.audit_checkpoint_task")
    assert checkpoint_id is not None, output
    checkpoint = AuditCheckpoint.objects.get(pk=checkpoint_id)
    assert checkpoint.entries.filter(stream="case:worker-test", seq=1).exists()
    assert "succeeded" in output


@pytest.mark.celery_worker
@pytest.mark.django_db(transaction=True)
def test_a_real_worker_delivers_events_signed_to_a_receiver():
    """The exchange's deliverer in a worker process POSTs a committed event to a real
    receiver, signed with the subscriber's key."""
    from shenpi.accounts.models import Division, SystemClient
    from shenpi.exchange import signing
    from shenpi.exchange.models import Delivery, Subscriber
    from shenpi.exchange.publishing import publish
    from tests.exchange.receiver import Receiver

    needs_worker()
    region = Division.objects.create(code="640000", name="宁夏回族自治区", level="region")
    client = SystemClient.objects.create(name="worker-test", division=region, key_hash="x" * 64)
    with Receiver() as receiver:
        subscriber = Subscriber.objects.create(client=client, url=receiver.url)
        publish("test.worker", "things/1", division="640000", data={"n": 1})
        sent, output = run_task("shenpi.exchange.tasks.exchange_deliver_task")
        assert sent == 1, output
        (message,) = receiver.received
    assert message["event"]["type"] == "cn.shenpi.test.worker"
    assert signing.verify([subscriber.secret], message["headers"], message["body"])
    assert Delivery.objects.get().status == "delivered"
