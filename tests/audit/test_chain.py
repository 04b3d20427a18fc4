"""The hash-chained audit log: verify_audit finds an edited, a deleted and an inserted row."""

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from shenpi.audit.hashing import record_hash
from shenpi.audit.models import AuditCheckpoint, AuditRecord, AuditStream
from shenpi.audit.services import audit_checkpoint, audit_record
from shenpi.audit.verify import verify_chain, verify_checkpointed_hashes

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def intruder():
    """These tests edit the log as an intruder with the database's superuser rights would:
    past PostgreSQL's append-only triggers (test_tamper.py shows them refusing anyone
    else)."""
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET session_replication_role = replica")
    yield
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("RESET session_replication_role")


@pytest.fixture
def log():
    for i in range(3):
        audit_record(
            stream="case:a", action=f"step{i}", object_type="case", object_id="a", detail={"n": i}
        )
        audit_record(stream="case:b", action=f"step{i}", object_type="case", object_id="b")
    return AuditRecord.objects.filter(stream="case:a").order_by("seq")


def broken():
    _checked, br = verify_chain()
    return br or verify_checkpointed_hashes()


def test_records_chain_within_their_stream(log):
    first, second, third = log
    assert (first.seq, second.seq, third.seq) == (1, 2, 3)
    # Each hash covers the one before it in its stream (the first: "").
    assert first.hash == record_hash(first, "")
    assert second.hash == record_hash(second, first.hash)
    assert third.hash == record_hash(third, second.hash)
    assert second.hash != record_hash(second, "")
    assert AuditStream.objects.get(name="case:a").head_hash == third.hash
    assert broken() is None


def test_the_command_reports_an_intact_chain(log, capsys):
    call_command("verify_audit")
    assert "审计链完整" in capsys.readouterr().out


def test_an_edited_row_is_found(log):
    record = log[1]
    AuditRecord.objects.filter(pk=record.pk).update(outcome="failure")
    br = broken()
    assert "case:a" in br.where and "第 2 条" in br.where and "改动" in br.problem
    with pytest.raises(CommandError, match="审计链断裂"):
        call_command("verify_audit")


def test_an_edited_detail_is_found(log):
    AuditRecord.objects.filter(pk=log[0].pk).update(detail={"n": 99})
    assert "第 1 条" in broken().where


def test_a_deleted_row_is_found(log):
    AuditRecord.objects.filter(pk=log[1].pk).delete()
    br = broken()
    assert "第 3 条" in br.where and "序号不连续" in br.problem


def test_a_deleted_last_row_is_found(log):
    AuditRecord.objects.filter(pk=log[2].pk).delete()
    br = broken()
    assert br.where == "流 case:a" and "流头" in br.problem


def test_an_inserted_row_is_found_even_with_a_well_formed_hash(log):
    """Someone who knows the algorithm appends a row chained to the head."""
    head = log[2]
    forged = AuditRecord(
        stream="case:a",
        seq=4,
        at=head.at,
        action="forged",
        alg=head.alg,
        object_type="case",
        object_id="a",
    )
    forged.hash = record_hash(forged, head.hash)
    forged.save()
    br = broken()
    assert "流头为第 3 条" in br.problem


def test_a_row_inserted_in_the_middle_is_found(log):
    for record in reversed(list(log[1:])):
        AuditRecord.objects.filter(pk=record.pk).update(seq=record.seq + 1)
    inserted = AuditRecord(stream="case:a", seq=2, at=log[0].at, action="forged", alg="sha256")
    inserted.hash = record_hash(inserted, log[0].hash)
    inserted.save()
    AuditStream.objects.filter(name="case:a").update(head_seq=4)
    br = broken()
    # The inserted row links to the first; the old second no longer links to what precedes it.
    assert "第 3 条" in br.where and "前一条记录" in br.problem


def test_a_rewritten_chain_is_caught_by_the_checkpoint(log):
    checkpoint = audit_checkpoint()
    assert {"case:a", "case:b"} <= set(checkpoint.entries.values_list("stream", flat=True))
    # Rewrite the whole stream consistently, as someone with database access could.
    prev = ""
    for record in AuditRecord.objects.filter(stream="case:a").order_by("seq"):
        record.action = "rewritten"
        record.hash = record_hash(record, prev)
        record.save()
        prev = record.hash
    AuditStream.objects.filter(name="case:a").update(head_hash=prev)
    assert verify_chain()[1] is None  # the chain alone looks fine…
    br = verify_checkpointed_hashes()  # …but the checkpoint fixed the old head
    assert br is not None and "case:a" in br.problem


def test_checkpoints_chain_and_only_cover_moved_streams(log):
    first = audit_checkpoint()
    assert audit_checkpoint() is None  # nothing moved
    audit_record(stream="case:b", action="more")
    second = audit_checkpoint()
    assert second.prev_hash == first.hash and second.stream_count == 1
    assert broken() is None
    AuditCheckpoint.objects.filter(pk=first.pk).update(stream_count=5, hash="0" * 64)
    assert "检查点" in broken().where


def test_sm3_chain_verifies(settings):
    settings.AUDIT_HASH = "sm3"
    audit_record(stream="case:sm3", action="one")
    record = audit_record(stream="case:sm3", action="two")
    assert record.alg == "sm3" and len(record.hash) == 64
    assert broken() is None
    AuditRecord.objects.filter(pk=record.pk).update(action="changed")
    assert "改动" in broken().problem


def test_the_audit_row_rolls_back_with_its_change():
    from django.db import transaction

    with pytest.raises(RuntimeError), transaction.atomic():
        audit_record(stream="case:rollback", action="one")
        raise RuntimeError
    assert not AuditRecord.objects.filter(stream="case:rollback").exists()
    assert not AuditStream.objects.filter(name="case:rollback").exists()
