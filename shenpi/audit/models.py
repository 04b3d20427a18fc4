"""Append-only, hash-chained audit log (DESIGN.md).

Each record holds the hash of the previous record of its stream (a case, a
user, an administrative object). Streams chain independently, so no single
lock serialises the platform; a periodic checkpoint chains the heads of every
stream changed since the previous checkpoint.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from shenpi.common.digest_field import HexDigestField


class Outcome(models.TextChoices):
    SUCCESS = "success", _("成功")
    FAILURE = "failure", _("失败")
    DENIED = "denied", _("拒绝")


class AuditStream(models.Model):
    name = models.CharField(_("流"), max_length=120, primary_key=True)
    # The division whose supervisors may read the stream (a case's, a complaint's
    # department's, a user's); blank for what is region-wide (settings, administration,
    # unknown user names), which only supervisors of the whole region read. Not part of
    # the hashes: it decides who reads a stream, not what it says.
    division = models.CharField(_("区划"), max_length=6, blank=True, default="")
    head_seq = models.PositiveBigIntegerField(default=0)
    head_hash = models.CharField(max_length=64, blank=True)
    checkpointed_seq = models.PositiveBigIntegerField(default=0)

    class Meta:
        verbose_name = _("审计流")
        verbose_name_plural = _("审计流")
        indexes = [
            # The audit page reads the streams of a supervisor's divisions.
            models.Index(fields=["division"], name="audit_stream_division"),
            # The checkpoint finds the streams that moved since it last ran.
            models.Index(
                fields=["name"],
                name="audit_stream_unchecked",
                condition=models.Q(head_seq__gt=models.F("checkpointed_seq")),
            ),
        ]

    def __str__(self):
        return self.name


class AuditRecord(models.Model):
    stream = models.CharField(_("流"), max_length=120)
    seq = models.PositiveBigIntegerField(_("序号"))
    at = models.DateTimeField(_("时间"))
    # Looked up through the (actor, at) index below: no index of its own.
    actor = models.ForeignKey(
        "accounts.User",
        verbose_name=_("操作人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        db_constraint=False,
        db_index=False,
    )
    actor_label = models.CharField(_("操作人"), max_length=120, blank=True)
    client = models.ForeignKey(
        "accounts.SystemClient",
        verbose_name=_("系统客户端"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        db_constraint=False,
        db_index=False,
    )
    ip = models.GenericIPAddressField(_("来源IP"), null=True, blank=True)
    action = models.CharField(_("操作"), max_length=60)
    object_type = models.CharField(_("对象类型"), max_length=60, blank=True)
    object_id = models.CharField(_("对象标识"), max_length=64, blank=True)
    outcome = models.CharField(
        _("结果"), max_length=10, choices=Outcome.choices, default=Outcome.SUCCESS
    )
    detail = models.JSONField(_("详情"), default=dict, blank=True)
    alg = models.CharField(max_length=8, default="sha256")
    # Over the record's fields and the previous record's hash (hashing.record_payload).
    hash = HexDigestField()

    class Meta:
        verbose_name = _("审计记录")
        verbose_name_plural = _("审计记录")
        constraints = [
            models.UniqueConstraint(fields=["stream", "seq"], name="audit_seq_unique_in_stream")
        ]
        # No index on (object_type, object_id): an object's records are its stream's
        # (unique stream, seq), and the audit search matches object ids by substring.
        indexes = [
            models.Index(fields=["at"]),
            models.Index(fields=["actor", "at"]),
            # A system client's records, a few among people's: indexed only where set.
            models.Index(
                fields=["client"], condition=models.Q(client__isnull=False), name="audit_by_client"
            ),
        ]

    def __str__(self):
        return f"{self.stream}#{self.seq} {self.action}"


class AuditCheckpoint(models.Model):
    at = models.DateTimeField(_("时间"))
    prev_hash = models.CharField(max_length=64, blank=True)
    hash = models.CharField(max_length=64)
    alg = models.CharField(max_length=8, default="sha256")
    stream_count = models.PositiveIntegerField(default=0)
    # HMAC-SHA256 of the hash with AUDIT_SIGNING_KEY (held outside the database).
    signature = models.CharField(max_length=64, blank=True)

    class Meta:
        verbose_name = _("审计检查点")
        verbose_name_plural = _("审计检查点")

    def __str__(self):
        return f"checkpoint {self.pk}"


class AuditCheckpointEntry(models.Model):
    checkpoint = models.ForeignKey(
        AuditCheckpoint, on_delete=models.PROTECT, related_name="entries"
    )
    stream = models.CharField(max_length=120)
    seq = models.PositiveBigIntegerField()
    hash = models.CharField(max_length=64)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["checkpoint", "stream"], name="checkpoint_entry_once"),
        ]

    def __str__(self):
        return f"{self.stream}#{self.seq}"
