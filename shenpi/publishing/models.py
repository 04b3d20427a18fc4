"""Information published by departments (信息发布): news, notices, policies and
regulations. Nothing is public before the department's head approves it
(信息上网审核审批制度); withdrawing leaves the record."""

import uuid

from django.db import models
from django.utils.translation import gettext_lazy as _

from shenpi.accounts.models import Department


class PublicationKind(models.TextChoices):
    NEWS = "news", _("新闻动态")
    NOTICE = "notice", _("通知公告")
    POLICY = "policy", _("政策文件")
    REGULATION = "regulation", _("法律法规")


class PublicationStatus(models.TextChoices):
    DRAFT = "draft", _("草稿")
    IN_REVIEW = "in_review", _("待负责人审核")
    RETURNED = "returned", _("已退回")
    PUBLISHED = "published", _("已发布")
    WITHDRAWN = "withdrawn", _("已撤回")


class Publication(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    department = models.ForeignKey(
        Department,
        verbose_name=_("发布部门"),
        on_delete=models.PROTECT,
        related_name="publications",
    )
    kind = models.CharField(_("栏目"), max_length=12, choices=PublicationKind.choices)
    title = models.CharField(_("标题"), max_length=200)
    body = models.TextField(_("正文"))
    document_number = models.CharField(_("文号"), max_length=80, blank=True)
    status = models.CharField(
        _("状态"), max_length=12, choices=PublicationStatus.choices, default=PublicationStatus.DRAFT
    )
    author = models.ForeignKey(
        "accounts.User", verbose_name=_("起草人"), on_delete=models.PROTECT, related_name="+"
    )
    reviewer = models.ForeignKey(
        "accounts.User",
        verbose_name=_("审核人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    review_comment = models.TextField(_("审核意见"), blank=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    published_at = models.DateTimeField(_("发布时间"), null=True, blank=True)
    withdrawn_at = models.DateTimeField(_("撤回时间"), null=True, blank=True)
    withdraw_reason = models.TextField(_("撤回理由"), blank=True)
    # Search terms (shenpi.search.terms), written with the title and the body; on
    # PostgreSQL a generated `search_vector` indexes them (migration 0002).
    title_terms = models.TextField(editable=False, blank=True, default="")
    body_terms = models.TextField(editable=False, blank=True, default="")

    class Meta:
        verbose_name = _("发布信息")
        verbose_name_plural = _("发布信息")
        ordering = ["-published_at", "-created_at"]
        indexes = [models.Index(fields=["status", "kind", "-published_at"])]

    def __str__(self):
        return self.title
