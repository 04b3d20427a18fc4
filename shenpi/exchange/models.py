"""The information exchange (issue 25): a transactional outbox of events, the systems that
subscribe to them, and each event's delivery to each subscriber.

An event is written in the transaction of the change it describes, so it exists if and
only if the change committed. Events are read in the order of (txid, id): on PostgreSQL
`txid` is the writing transaction's id and only transactions older than every running one
are read (positions.py), so a reader never steps past an event that commits later."""

from __future__ import annotations

import secrets

from django.db import models
from django.utils.translation import gettext_lazy as _

from shenpi.common.fields import SealedCharField

from .positions import CurrentTransaction


class Event(models.Model):
    # Its id is the CloudEvents id (with the source, unique): kept through retries and
    # replays, so a receiver drops a repeat by it.
    id = models.BigAutoField(primary_key=True)
    txid = models.BigIntegerField(db_default=CurrentTransaction(), editable=False)
    type = models.CharField(_("事件类型"), max_length=60)
    subject = models.CharField(_("对象"), max_length=80)
    division = models.CharField(_("区划"), max_length=6, blank=True)
    department = models.UUIDField(_("部门"), null=True, blank=True)
    time = models.DateTimeField(_("时间"))
    data = models.JSONField(_("内容"), default=dict)

    class Meta:
        verbose_name = _("事件")
        verbose_name_plural = _("事件")
        indexes = [
            # The feed and the fan-out read in this order from a position.
            models.Index(fields=["txid", "id"], name="exchange_event_position"),
            # Kept for the feed's horizon, then deleted by age.
            models.Index(fields=["time"], name="exchange_event_time"),
        ]

    def __str__(self):
        return f"{self.type} {self.subject}"


class Horizon(models.Model):
    """The last position forgotten (one row): a feed position before it has missed events."""

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    txid = models.BigIntegerField(default=0)
    event_id = models.BigIntegerField(default=0)

    class Meta:
        verbose_name = _("事件保留期")
        verbose_name_plural = _("事件保留期")

    def __str__(self):
        return f"{self.txid}-{self.event_id}"


def new_secret() -> str:
    return secrets.token_urlsafe(32)


class Subscriber(models.Model):
    """A system client that receives events: by POST to its URL (blank: it only pulls the
    feed), of the types it names (prefixes, e.g. "case." — none: all), about the divisions
    (with everything under them) and departments it may see — none named: its own binding."""

    client = models.OneToOneField(
        "accounts.SystemClient",
        verbose_name=_("系统客户端"),
        on_delete=models.CASCADE,
        related_name="subscriber",
    )
    url = models.URLField(_("接收地址"), blank=True, max_length=300)
    types = models.JSONField(_("事件类型（前缀）"), default=list, blank=True)
    divisions = models.JSONField(_("区划代码"), default=list, blank=True)
    departments = models.JSONField(_("部门代码"), default=list, blank=True)
    secret = SealedCharField(_("签名密钥"), plain_length=64, default=new_secret)
    # Key rotation: the previous key signs too until this moment, so a receiver can switch.
    previous_secret = SealedCharField(_("上一签名密钥"), plain_length=64, blank=True)
    previous_until = models.DateTimeField(_("上一密钥有效至"), null=True, blank=True)
    is_active = models.BooleanField(_("启用"), default=True)
    cursor_txid = models.BigIntegerField(default=0, editable=False)
    cursor_id = models.BigIntegerField(default=0, editable=False)

    class Meta:
        verbose_name = _("事件订阅")
        verbose_name_plural = _("事件订阅")

    def __str__(self):
        return str(self.client_id)


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", _("待投递")
    DELIVERED = "delivered", _("已投递")
    DEAD = "dead", _("投递失败（死信）")


class Delivery(models.Model):
    subscriber = models.ForeignKey(
        Subscriber, verbose_name=_("订阅"), on_delete=models.CASCADE, related_name="deliveries"
    )
    event = models.ForeignKey(Event, verbose_name=_("事件"), on_delete=models.CASCADE)
    # Copied from the event: the order of delivery, and the object whose events go in order.
    txid = models.BigIntegerField()
    event_seq = models.BigIntegerField()
    subject = models.CharField(max_length=80)
    status = models.CharField(
        _("状态"), max_length=10, choices=DeliveryStatus.choices, default=DeliveryStatus.PENDING
    )
    attempts = models.PositiveSmallIntegerField(_("尝试次数"), default=0)
    next_attempt_at = models.DateTimeField(_("下次尝试"), null=True, blank=True)
    delivered_at = models.DateTimeField(_("投递时间"), null=True, blank=True)
    last_status = models.PositiveSmallIntegerField(_("最近响应码"), null=True, blank=True)
    last_error = models.CharField(_("最近错误"), max_length=300, blank=True)
    replayed_at = models.DateTimeField(_("重放时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("事件投递")
        verbose_name_plural = _("事件投递")
        constraints = [
            models.UniqueConstraint(fields=["subscriber", "event"], name="delivery_once"),
        ]
        indexes = [
            models.Index(
                fields=["subscriber", "txid", "event_seq"],
                condition=models.Q(status="pending"),
                name="exchange_delivery_pending",
            ),
        ]

    def __str__(self):
        return f"{self.subscriber_id} ← {self.event_id}"
