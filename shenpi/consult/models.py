"""Questions to departments and their answers (在线答疑 / 政策法规咨询): each question is
routed to one department, which answers by a due date in working days that supervision
watches; the thread keeps every step (question, requests for details, answers, the one
follow-up, the one transfer)."""

import uuid

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from shenpi.common.fields import DigestField, SealedCharField

from .constants import ANSWER_DAYS, OPEN_STATUSES, EntryKind, FaqStatus, QuestionStatus, Rating


class AnswerTerm(models.Model):
    """A department's own term for answering, in working days (default ANSWER_DAYS)."""

    department = models.OneToOneField(
        "accounts.Department", on_delete=models.CASCADE, related_name="answer_term"
    )
    working_days = models.PositiveSmallIntegerField(_("答复期限（工作日）"), default=ANSWER_DAYS)

    class Meta:
        verbose_name = _("咨询答复期限")
        verbose_name_plural = _("咨询答复期限")

    def __str__(self):
        return f"{self.department} {self.working_days}"


class Question(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    number = models.CharField(_("咨询编号"), max_length=20, unique=True)
    query_password = models.CharField(_("查询密码"), max_length=12)
    asker = models.ForeignKey(
        "accounts.User", null=True, blank=True, on_delete=models.PROTECT, related_name="questions"
    )
    # An anonymous asker's mobile (sealed), where the answer is sent.
    mobile = SealedCharField(_("手机号码"), plain_length=11, blank=True)
    mobile_digest = DigestField(source="mobile", null=True)
    title = models.CharField(_("标题"), max_length=80)
    item = models.ForeignKey(
        "catalog.Item", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # The item's version in force when asked: what the answer was written for.
    version = models.ForeignKey(
        "catalog.ItemVersion", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    policy = models.ForeignKey(
        "publishing.Publication", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    department = models.ForeignKey(
        "accounts.Department", on_delete=models.PROTECT, related_name="questions"
    )
    status = models.CharField(
        _("状态"), max_length=10, choices=QuestionStatus.choices, default=QuestionStatus.OPEN
    )
    asked_at = models.DateTimeField(_("提问时间"))
    due_date = models.DateField(_("答复期限"))
    claimed_by = models.ForeignKey(
        "accounts.User", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    answered_at = models.DateTimeField(_("答复时间"), null=True, blank=True)
    # Transferred once (to this department, from `transferred_from`), with its reason.
    transferred_from = models.ForeignKey(
        "accounts.Department", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # A general question routed by the service centre to its department (not a transfer:
    # the department may still transfer it once).
    routed = models.BooleanField(_("已分派"), default=False)
    followed_up = models.BooleanField(_("已追问"), default=False)
    rating = models.CharField(_("评价"), max_length=12, choices=Rating.choices, blank=True)
    rated_at = models.DateTimeField(null=True, blank=True)
    # 不满意: the department's head looks at it by this day.
    head_review_due = models.DateField(_("负责人复核期限"), null=True, blank=True)
    head_reviewed_at = models.DateTimeField(null=True, blank=True)
    head_reviewed_by = models.ForeignKey(
        "accounts.User", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # Supervision's light (lights.py): the running deadline — the answer's (from
    # `term_start`, the day asked, transferred or followed up, to `due_date`) or the
    # head's review of an answer rated 不满意 (from the rating to `head_review_due`) — is
    # yellow from `yellow_on` (planned with the consultation rule and the calendar
    # `planned_with`) and red after its due date: read from these dates, not stored.
    term_start = models.DateField(null=True, blank=True)
    yellow_on = models.DateField(null=True, blank=True)
    planned_with = models.CharField(max_length=16, blank=True)

    class Meta:
        verbose_name = _("咨询")
        verbose_name_plural = _("咨询")
        indexes = [
            # A department's consultation inbox: its open questions by due date.
            models.Index(
                fields=["department", "due_date", "asked_at"],
                condition=Q(status__in=OPEN_STATUSES),
                name="question_open_inbox",
            ),
            models.Index(fields=["asker", "-asked_at"], name="question_by_asker"),
            # The deadline scan's and the monitor's reads: the questions with a running
            # deadline (open, or rated 不满意 and not yet looked at).
            models.Index(
                fields=["department"],
                condition=Q(status__in=OPEN_STATUSES)
                | Q(head_review_due__isnull=False, head_reviewed_at__isnull=True),
                name="question_watched",
            ),
        ]

    def __str__(self):
        return f"{self.number} {self.title}"

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES


class LightsState(models.Model):
    """The day up to which the deadline scan has told heads of questions turned red (one
    row): the next scan tells of those due since, however many days it missed."""

    told_until = models.DateField()

    def __str__(self):
        return str(self.told_until)


class Entry(models.Model):
    """One step of a question's thread, in order."""

    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="entries")
    kind = models.CharField(max_length=10, choices=EntryKind.choices)
    text = models.TextField()
    author = models.ForeignKey(
        "accounts.User", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # The department that answered, asked for details or transferred (shown to the asker;
    # the official's name is not).
    department = models.ForeignKey(
        "accounts.Department", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    attachment = models.FileField(upload_to="questions/%Y/%m/", blank=True)
    attachment_name = models.CharField(max_length=120, blank=True)
    at = models.DateTimeField()

    class Meta:
        ordering = ["at", "id"]

    def __str__(self):
        return f"{self.question_id} {self.kind}"


class Faq(models.Model):
    """常见问题: a question and its answer made public, edited and without the asker's
    details; proposed by an official, published by a head other than the proposer (the
    publishing rules of 信息发布). It names the item version it was written for: once
    another version is in force it shows as to be reviewed."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    department = models.ForeignKey(
        "accounts.Department", on_delete=models.PROTECT, related_name="faqs"
    )
    source = models.ForeignKey(
        Question, null=True, blank=True, on_delete=models.SET_NULL, related_name="faqs"
    )
    item = models.ForeignKey(
        "catalog.Item", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    version = models.ForeignKey(
        "catalog.ItemVersion", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    policy = models.ForeignKey(
        "publishing.Publication", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    title = models.CharField(_("问题"), max_length=80)
    answer = models.TextField(_("解答"))
    status = models.CharField(
        _("状态"), max_length=10, choices=FaqStatus.choices, default=FaqStatus.PROPOSED
    )
    proposed_by = models.ForeignKey("accounts.User", on_delete=models.PROTECT, related_name="+")
    proposed_at = models.DateTimeField()
    approved_by = models.ForeignKey(
        "accounts.User", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    published_at = models.DateTimeField(null=True, blank=True)
    # Search terms (shenpi.search.terms), written with the title and the answer; on
    # PostgreSQL a generated `search_vector` indexes them (migration 0003).
    title_terms = models.TextField(editable=False, blank=True, default="")
    body_terms = models.TextField(editable=False, blank=True, default="")

    class Meta:
        verbose_name = _("常见问题")
        verbose_name_plural = _("常见问题")
        indexes = [
            models.Index(
                fields=["item", "-published_at"],
                condition=Q(status=FaqStatus.PUBLISHED),
                name="faq_published_by_item",
            ),
            # The search's order (newest first): a common word's matches are read in this
            # order until a page is full, not all of them sorted.
            models.Index(
                fields=["-published_at", "-id"],
                condition=Q(status=FaqStatus.PUBLISHED),
                name="faq_published",
            ),
        ]

    def __str__(self):
        return self.title

    @property
    def needs_review(self) -> bool:
        """Written for a version no longer in force (the item's guide has changed)."""
        return bool(self.item_id and self.version_id and self.item.current_id != self.version_id)
