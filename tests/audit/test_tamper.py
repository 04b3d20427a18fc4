"""A rewrite of the audit log is evident (issue 29, 11): the tables refuse UPDATE and
DELETE in PostgreSQL; a rewrite past them (a superuser) that recomputes every hash and
checkpoint fails the checkpoints' signatures (the key is outside the database) and the
digests written outside it; a restored backup ends at its manifest's checkpoint."""

from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import DatabaseError, connection, transaction

from shenpi.audit.hashing import checkpoint_hash, checkpoint_time, record_hash
from shenpi.audit.models import AuditCheckpoint, AuditCheckpointEntry, AuditRecord, AuditStream
from shenpi.audit.services import _append_digest, audit_checkpoint, audit_record

pytestmark = pytest.mark.django_db


@pytest.fixture
def digests(tmp_path, settings):
    settings.AUDIT_DIGEST_FILE = str(tmp_path / "digests.log")
    return Path(settings.AUDIT_DIGEST_FILE)


def checkpointed(n=3):
    for i in range(n):
        audit_record(stream="case:t", action=f"step{i}")
    checkpoint = audit_checkpoint()
    # The test's transaction never commits: write the digest as the commit would.
    _append_digest(
        f"{checkpoint.pk}\t{checkpoint_time(checkpoint.at)}\t{checkpoint.hash}\t{checkpoint.signature}\n"
    )
    return checkpoint


def verify(*args):
    call_command("verify_audit", *args)


def superuser(sql_or_fn):
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET session_replication_role = replica")
        try:
            sql_or_fn()
        finally:
            if connection.vendor == "postgresql":
                cursor.execute("RESET session_replication_role")


def test_postgresql_refuses_to_edit_or_delete_the_log(digests):
    if connection.vendor != "postgresql":
        pytest.skip("the append-only triggers are PostgreSQL's")
    record = audit_record(stream="case:t", action="one")
    for attempt in (
        lambda: AuditRecord.objects.filter(pk=record.pk).update(action="x"),
        lambda: AuditRecord.objects.filter(pk=record.pk).delete(),
    ):
        with pytest.raises(DatabaseError), transaction.atomic():
            attempt()


def test_a_rewrite_with_recomputed_checkpoints_fails_the_signature(digests):
    checkpoint = checkpointed()
    verify()

    def rewrite():
        prev = ""
        for record in AuditRecord.objects.filter(stream="case:t").order_by("seq"):
            record.action = "rewritten"
            record.hash = prev = record_hash(record, prev)
            record.save()
        AuditStream.objects.filter(name="case:t").update(head_hash=prev)
        AuditCheckpointEntry.objects.filter(checkpoint=checkpoint, stream="case:t").update(
            hash=prev
        )
        entries = list(checkpoint.entries.values_list("stream", "seq", "hash"))
        AuditCheckpoint.objects.filter(pk=checkpoint.pk).update(
            hash=checkpoint_hash(checkpoint.alg, "", checkpoint_time(checkpoint.at), entries)
        )

    superuser(rewrite)
    with pytest.raises(CommandError, match="签名不符"):
        verify()


def test_a_deleted_checkpoint_is_caught_against_the_outside_digests(digests):
    checkpointed()
    second = checkpointed(2)

    def delete():
        AuditCheckpointEntry.objects.filter(checkpoint=second).delete()
        AuditCheckpoint.objects.filter(pk=second.pk).delete()

    superuser(delete)
    with pytest.raises(CommandError, match="库外摘要"):
        verify()


def test_a_restored_backup_ends_at_its_manifest(tmp_path, digests, capsys):
    first = checkpointed()
    manifest = tmp_path / "manifest"
    manifest.write_text(digests.read_text(encoding="utf-8"), encoding="utf-8")
    second = checkpointed(2)

    def restore():  # the backup was taken after the first checkpoint
        AuditCheckpointEntry.objects.filter(checkpoint=second).delete()
        AuditCheckpoint.objects.filter(pk=second.pk).delete()

    superuser(restore)
    with pytest.raises(CommandError):
        verify()  # without the manifest, a missing checkpoint is a break
    verify("--restored-from", str(manifest))
    assert "已恢复到" in capsys.readouterr().out and first.pk
