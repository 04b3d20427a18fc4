from django.db import models
from django.utils.translation import gettext_lazy as _

from shenpi.common.fields import SealedCharField


class Message(models.Model):
    """An in-site message (站内消息)."""

    user = models.ForeignKey("accounts.User", on_delete=models.CASCADE, related_name="messages")
    case = models.ForeignKey(
        "cases.Case", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    title = models.CharField(_("标题"), max_length=200)
    body = models.TextField(_("内容"))
    created_at = models.DateTimeField(_("时间"), auto_now_add=True)
    read_at = models.DateTimeField(_("已读"), null=True, blank=True)

    class Meta:
        verbose_name = _("站内消息")
        verbose_name_plural = _("站内消息")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["user", "-created_at"])]

    def __str__(self):
        return self.title


class Channel(models.TextChoices):
    SMS = "sms", _("短信")
    EMAIL = "email", _("电子邮件")
    WEBHOOK = "webhook", _("Webhook")


class Outbox(models.Model):
    """Notifications written in the same transaction as the change; delivered after commit,
    retried until delivered (CONTRACTS.md)."""

    channel = models.CharField(max_length=10, choices=Channel.choices)
    to = SealedCharField(plain_length=300)  # a mobile number or an address: sealed
    subject = models.CharField(max_length=200, blank=True)
    body = models.TextField()
    created_at = models.DateTimeField(auto_now_add=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    delivered_at = models.DateTimeField(null=True, blank=True)
    last_error = models.CharField(max_length=300, blank=True)

    class Meta:
        verbose_name = _("待发通知")
        verbose_name_plural = _("待发通知")
        indexes = [
            models.Index(
                fields=["next_attempt_at"],
                condition=models.Q(delivered_at__isnull=True),
                name="outbox_pending",
            )
        ]

    def __str__(self):
        return f"{self.channel} #{self.pk}"
