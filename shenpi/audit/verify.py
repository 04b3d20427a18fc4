"""Verifying the audit chain: the first broken link, in words."""

from __future__ import annotations

import hmac
from dataclasses import dataclass
from pathlib import Path

from .hashing import checkpoint_hash, checkpoint_signature, checkpoint_time, record_hash
from .models import AuditCheckpoint, AuditRecord, AuditStream


@dataclass
class Break:
    where: str
    problem: str

    def __str__(self):
        return f"{self.where}: {self.problem}"


def verify_chain() -> tuple[int, Break | None]:
    """Returns (records checked, first break or None)."""
    checked = 0
    heads = dict(AuditStream.objects.values_list("name", "head_seq"))
    head_hashes = dict(AuditStream.objects.values_list("name", "head_hash"))
    last_seen: dict[str, tuple[int, str]] = {}
    records = AuditRecord.objects.order_by("stream", "seq").iterator(chunk_size=2000)
    for record in records:
        checked += 1
        seq_prev, hash_prev = last_seen.get(record.stream, (0, ""))
        where = f"流 {record.stream} 第 {record.seq} 条（id={record.pk}）"
        if record.stream not in heads:
            return checked, Break(where, "所在的流不存在（记录被插入）")
        if record.seq != seq_prev + 1:
            return checked, Break(
                where, f"序号不连续：上一条为第 {seq_prev} 条（记录被删除或插入）"
            )
        if record_hash(record, hash_prev) != record.hash:
            return checked, Break(
                where, "内容或与前一条记录的链接不符（本条被改动，或前一条记录被改动、删除或插入）"
            )
        last_seen[record.stream] = (record.seq, record.hash)
    for name, head_seq in heads.items():
        seq, digest = last_seen.get(name, (0, ""))
        if seq != head_seq or digest != head_hashes[name]:
            return checked, Break(
                f"流 {name}",
                f"流头为第 {head_seq} 条，实际最后一条为第 {seq} 条（记录被删除或插入）",
            )
    prev = ""
    for checkpoint in AuditCheckpoint.objects.order_by("id").prefetch_related("entries"):
        where = f"检查点 {checkpoint.pk}"
        entries = [(e.stream, e.seq, e.hash) for e in checkpoint.entries.all()]
        if checkpoint.prev_hash != prev:
            return checked, Break(where, "与上一检查点的链接断开（检查点被删除或改动）")
        if (
            checkpoint_hash(checkpoint.alg, prev, checkpoint_time(checkpoint.at), entries)
            != checkpoint.hash
        ):
            return checked, Break(where, "内容与哈希不符（检查点被改动）")
        if not hmac.compare_digest(checkpoint.signature, checkpoint_signature(checkpoint.hash)):
            return checked, Break(where, "签名不符（检查点在库内被重算，签名密钥不在库内）")
        for stream, seq, _digest in entries:
            if seq > last_seen.get(stream, (0, ""))[0]:
                return checked, Break(where, f"记录的流 {stream} 第 {seq} 条已不存在（记录被删除）")
        prev = checkpoint.hash
    return checked, None


def verify_checkpointed_hashes() -> Break | None:
    """Each checkpointed head must still be the record at that place (a chain
    rewritten after tampering differs from what the checkpoint fixed)."""
    for checkpoint in AuditCheckpoint.objects.order_by("id").prefetch_related("entries"):
        for entry in checkpoint.entries.all():
            stored = (
                AuditRecord.objects.filter(stream=entry.stream, seq=entry.seq)
                .values_list("hash", flat=True)
                .first()
            )
            if stored != entry.hash:
                return Break(
                    f"检查点 {checkpoint.pk}",
                    f"流 {entry.stream} 第 {entry.seq} 条的哈希已变（链被改写）",
                )
    return None


def _digest_lines(path) -> list[tuple[int, str, str, str]]:
    rows = []
    for line in Path(path).read_text(encoding="utf-8").splitlines():
        if line.strip():
            number, at, digest_value, signature = line.split("\t")
            rows.append((int(number), at, digest_value, signature))
    return rows


def verify_outside_digests(digest_file, restored_from=None) -> tuple[Break | None, str]:
    """Every checkpoint digest written outside the database must still be in it, as it was.
    A database restored from a backup legitimately ends earlier: with `restored_from` (the
    backup's manifest: the digest line of its last checkpoint) the log must end exactly
    there, and the later outside digests are what the restore gave up. Returns the first
    break (or None) and a note."""
    path = Path(digest_file)
    if not path.exists():
        return None, "库外摘要文件不存在，未比对。"
    outside = _digest_lines(path)
    stored = {
        pk: (digest_value, signature)
        for pk, digest_value, signature in AuditCheckpoint.objects.values_list(
            "pk", "hash", "signature"
        )
    }
    limit, note = None, f"与库外摘要比对 {len(outside)} 个检查点。"
    if restored_from is not None:
        manifest = _digest_lines(restored_from)
        if not manifest:
            return Break("恢复清单", "清单为空"), ""
        limit, at = manifest[-1][0], manifest[-1][1]
        if max(stored, default=0) != limit:
            return Break(
                "恢复清单",
                f"数据库的最后一个检查点为 {max(stored, default=0)}，清单为 {limit}",
            ), ""
        note = f"已恢复到 {at}（检查点 {limit}），此后的 {sum(1 for r in outside if r[0] > limit)} 个检查点随恢复放弃。"
    for number, _at, digest_value, signature in outside:
        if limit is not None and number > limit:
            continue
        if stored.get(number) != (digest_value, signature):
            return Break(f"检查点 {number}", "与库外摘要不符（检查点被删除或改写）"), ""
    return None, note
