"""A real Celery worker on Redis runs a periodic task against the real database.

Needs PostgreSQL (the worker is another process, so SQLite's in-memory test
database cannot be shared) and SHENPI_TEST_BROKER; .ci/run provides both.
"""

import os
import subprocess
import sys
import time
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


@pytest.mark.celery_worker
@pytest.mark.django_db(transaction=True)
def test_a_real_worker_runs_the_audit_checkpoint_task():
    if not BROKER or settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql":
        pytest.skip("needs SHENPI_TEST_BROKER and PostgreSQL (run by .ci/run)")
    audit_record(stream="case:worker-test", action="created")  # committed: transaction=True
    env = {
        **os.environ,
        "DATABASE_URL": database_url(),
        "CELERY_BROKER_URL": BROKER,
        "CELERY_RESULT_BACKEND": BROKER,
        "SECRET_KEY": "a-worker-key-that-is-not-the-embedded-default-0123456789-abcdefgh",
    }
    worker = subprocess.Popen(
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
    try:
        producer = Celery(broker=BROKER, backend=BROKER)
        result = producer.send_task("shenpi.audit.tasks.audit_checkpoint_task", queue="shenpi-test")
        checkpoint_id = result.get(timeout=60)
    finally:
        worker.terminate()
        output = worker.communicate(timeout=30)[0]
    assert checkpoint_id is not None, output
    checkpoint = AuditCheckpoint.objects.get(pk=checkpoint_id)
    assert checkpoint.entries.filter(stream="case:worker-test", seq=1).exists()
    assert "succeeded" in output
    time.sleep(0)  # the worker is gone; nothing is left running
