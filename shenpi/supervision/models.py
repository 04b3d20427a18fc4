"""Electronic supervision (电子监察): warning rules, warnings, supervision orders."""

import uuid
from datetime import UTC, datetime

from django.db import models
from django.db.models import F, Q, Value
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

from shenpi.common.fields import SealedCharField


class Level(models.TextChoices):
    YELLOW = "yellow", _("黄牌")
    RED = "red", _("红牌")


class WarningKind(models.TextChoices):
    PROMISED = "promised", _("承诺期限")
    STATUTORY = "statutory", _("法定期限")
    STEP = "step", _("环节期限")
    CORRECTION = "correction", _("一次性告知期限（第三十二条）")
    LICENCE = "licence", _("证照送达期限（第四十四条）")
    DEEMED_ACCEPTANCE = "deemed_acceptance", _("逾期视为受理（第三十二条）")
    DEEMED_RENEWAL = "deemed_renewal", _("逾期视为准予延续（第五十条）")
    ORDER = "order", _("督办答复期限")
    EXTENSION = "extension", _("延期审批（第四十二条）")


class RuleKind(models.TextChoices):
    CASE = "case", _("办件")
    CONSULTATION = "consultation", _("咨询答复")


class WarningRule(models.Model):
    """Thresholds (CONTRACTS.md "Lights"): yellow from `left <= yellow_left` or `used >=
    ceil(yellow_ratio × limit)`; red when overdue. Per item and step where set; the
    latest active version of the most specific rule applies. A case's lights take the
    rules of kind "case"; a question's answer the rules of kind "consultation"."""

    kind = models.CharField(
        _("规则类型"), max_length=12, choices=RuleKind.choices, default=RuleKind.CASE
    )
    item = models.ForeignKey(
        "catalog.Item", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    step_key = models.CharField(_("环节"), max_length=30, blank=True)
    yellow_left = models.PositiveSmallIntegerField(_("剩余工作日不多于"), default=1)
    yellow_ratio = models.DecimalField(
        _("已用比例不少于"), max_digits=3, decimal_places=2, default=0.8
    )
    active = models.BooleanField(_("启用"), default=True)
    version = models.PositiveIntegerField(default=1)
    created_by = models.ForeignKey(
        "accounts.User", null=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("预警规则")
        verbose_name_plural = _("预警规则")

    def __str__(self):
        return f"{self.item or '全部事项'} {self.step_key or ''} v{self.version}"


# one_card's stand-ins for "no step" (a case card) and "not cleared" (an open card).
NO_TASK = uuid.UUID(int=0)
NOT_CLEARED = datetime(1970, 1, 1, tzinfo=UTC)


class Warning(models.Model):
    """A yellow or red card, open until the scan clears it.

    Its references are kept by Django (cascade on delete) but not checked by the database:
    the scan writes hundreds of thousands of cards at a time, each taken from a row it has
    just read in the same transaction, and PostgreSQL's deferred checks of those keys (each
    locking the case row it points to) took longer than the rest of a full scan."""

    case = models.ForeignKey(
        "cases.Case",
        on_delete=models.CASCADE,
        related_name="warnings",
        db_constraint=False,
        db_index=False,  # a case's cards are found by one_card's index, which leads with it
    )
    task = models.ForeignKey(
        "cases.Task",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
        db_constraint=False,
        # No index by step: the scan finds a step's cards among its case's (one_card leads
        # with the case); steps are never deleted, so no cascade has to look them up.
        db_index=False,
    )
    kind = models.CharField(_("类型"), max_length=20, choices=WarningKind.choices)
    level = models.CharField(_("级别"), max_length=6, choices=Level.choices)
    department = models.ForeignKey(
        "accounts.Department",
        on_delete=models.PROTECT,
        related_name="+",
        db_constraint=False,
        db_index=False,  # the evaluation reads a period's cards by time (migration 0006)
    )
    due = models.DateField(_("期限"), null=True, blank=True)
    rule_id = models.CharField(_("规则"), max_length=12, blank=True)
    raised_at = models.DateTimeField(_("发出时间"), auto_now_add=True)
    cleared_at = models.DateTimeField(_("解除时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("预警")
        verbose_name_plural = _("预警")
        constraints = [
            # One open card per case light and per step light: (case, kind, step or none,
            # cleared or not) is unique, the open card's "not cleared" and a case card's
            # "no step" being one value each (a light's cards are cleared one at a time, so
            # its cleared cards differ in when). One index, led by the case, that also
            # finds a case's cards: a card the scan raises writes two index entries (this
            # and its id) where a plain index by case and two partial unique ones wrote
            # three. Portable: expressions, not PostgreSQL 15's NULLS NOT DISTINCT.
            models.UniqueConstraint(
                F("case"),
                F("kind"),
                Coalesce("task", Value(NO_TASK, output_field=models.UUIDField())),
                Coalesce("cleared_at", Value(NOT_CLEARED, output_field=models.DateTimeField())),
                name="one_card",
            ),
        ]
        # No index holds `level` or `due`: a card turned red is then rewritten in place
        # (a heap-only update, with the room the table's fill factor leaves: migration
        # 0005), and the day a deadline passes turns tens of thousands of them. Nor one by
        # department: the evaluation counts a period's cards of every department at once,
        # by a BRIN index on `raised_at` (migration 0006, PostgreSQL), which costs the
        # scan's inserts next to nothing where a B-tree entry per card cost a fifth of them.

    def __str__(self):
        return f"{self.get_level_display()} {self.get_kind_display()} {self.case}"


class LightCount(models.Model):
    """Open cases by division, department and light, as the last deadline scan left them:
    monitoring reads these few rows instead of counting a region's open cases each time."""

    division = models.ForeignKey("accounts.Division", on_delete=models.CASCADE, related_name="+")
    department = models.ForeignKey(
        "accounts.Department", on_delete=models.CASCADE, related_name="+"
    )
    light = models.CharField(max_length=6)
    n = models.PositiveIntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["division", "department", "light"], name="one_count_per_light"
            )
        ]

    def __str__(self):
        return f"{self.division_id} {self.department_id} {self.light}: {self.n}"


class CaseLight(models.Model):
    """What the deadline scan keeps of an open case: its worst open light when yellow or
    red (NULL, or no row: green), with the case's division, department and promised date
    for the counts and lists. The PostgreSQL scan keeps a row for every open case (the
    monitoring counts are read from them alone); the portable scan, for the lit ones. (The
    PostgreSQL scan finds the lights that time turns from their plans, migration 0009.)

    A narrow table of its own: the scan rewrites many lights a day, and here that is a
    small row instead of a new version of the wide case row and of each of its indexes.
    No index but the key: no column the scan changes is indexed, so a day's new lights
    are heap-only updates in the room the fill factor leaves (migration 0008), not new
    index entries; monitoring reads the narrow table whole for one light's list."""

    # What the scan keeps for each case (both scans, PostgreSQL's and the portable one).
    KEPT = ("light", "division_id", "department_id", "promised_due")

    case = models.OneToOneField(
        "cases.Case",
        primary_key=True,
        on_delete=models.CASCADE,
        related_name="lit",
        db_constraint=False,  # as Warning's: written in bulk from rows just read
    )
    light = models.CharField(max_length=6, choices=Level.choices, null=True)
    # Read whole by the counts, never looked up by: no index of their own to keep.
    division = models.ForeignKey(
        "accounts.Division",
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        db_index=False,
        related_name="+",
    )
    department = models.ForeignKey(
        "accounts.Department",
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        db_index=False,
        related_name="+",
    )
    promised_due = models.DateField(null=True)

    def __str__(self):
        return f"{self.case_id} {self.light or 'green'}"


class ScanState(models.Model):
    """Where the deadline scan left off (one row). The PostgreSQL scan judges again only the
    cases changed since, and turns the lights whose day came between `day` and today by
    their plans (`scan/engine.py`); when the rules or the calendar it judged with change
    (`fingerprint`), or time goes back, it judges every case again."""

    day = models.DateField(null=True)
    fingerprint = models.CharField(max_length=64, blank=True)
    full_at = models.DateTimeField(null=True)
    updated_at = models.DateTimeField(null=True)

    def __str__(self):
        return f"scan {self.day}"


class ScanDirty(models.Model):
    """(PostgreSQL scan) A case whose state, dates or steps changed since the scan read it,
    written by database triggers (migration 0003), so no code path can forget to. Plain
    inserts with no unique key: a writer never waits for a scan that is deleting rows."""

    id = models.BigAutoField(primary_key=True)
    case_id = models.UUIDField()

    def __str__(self):
        return str(self.case_id)


class SupervisionOrder(models.Model):
    """督办: a formal order the department's head must answer by a date."""

    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="orders")
    department = models.ForeignKey(
        "accounts.Department", on_delete=models.PROTECT, related_name="orders"
    )
    text = models.TextField(_("督办事项"))
    answer_due = models.DateField(_("答复期限"))
    issued_by = models.ForeignKey("accounts.User", on_delete=models.PROTECT, related_name="+")
    issued_at = models.DateTimeField(auto_now_add=True)
    answer = models.TextField(_("答复"), blank=True)
    answered_by = models.ForeignKey(
        "accounts.User", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    answered_at = models.DateTimeField(_("答复时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("督办")
        verbose_name_plural = _("督办")
        ordering = ["-issued_at"]

    def __str__(self):
        return f"督办 {self.case}"


class ComplaintStatus(models.TextChoices):
    FILED = "filed", _("已提交，待受理")
    TAKEN = "taken", _("已受理，处理中")
    REJECTED = "rejected", _("不予受理")
    REPLIED = "replied", _("已答复")


class Complaint(models.Model):
    """投诉举报: anyone, named or anonymous, about a case, an item, a department or an official."""

    number = models.CharField(_("投诉编号"), max_length=20, unique=True)
    query_password = models.CharField(_("查询密码"), max_length=12)
    complainant = models.ForeignKey(
        "accounts.User", null=True, blank=True, on_delete=models.PROTECT, related_name="complaints"
    )
    contact = SealedCharField(_("联系方式"), plain_length=60, blank=True)
    case = models.ForeignKey(
        "cases.Case", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    item = models.ForeignKey(
        "catalog.Item", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    department = models.ForeignKey(
        "accounts.Department", on_delete=models.PROTECT, related_name="complaints"
    )
    official_name = models.CharField(_("被投诉人员"), max_length=60, blank=True)
    subject = models.CharField(_("标题"), max_length=120)
    body = models.TextField(_("内容"))
    attachment = models.FileField(upload_to="complaints/%Y/", blank=True)
    status = models.CharField(
        _("状态"), max_length=10, choices=ComplaintStatus.choices, default=ComplaintStatus.FILED
    )
    filed_at = models.DateTimeField(auto_now_add=True)
    decide_by = models.DateField(_("受理决定期限"))
    handler = models.ForeignKey(
        "accounts.User", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    taken_at = models.DateTimeField(null=True, blank=True)
    reply_due = models.DateField(_("答复期限"), null=True, blank=True)
    reply = models.TextField(_("答复"), blank=True)
    replied_at = models.DateTimeField(null=True, blank=True)
    substantiated = models.BooleanField(_("投诉属实"), null=True, blank=True)
    found_by = models.ForeignKey(
        "accounts.User", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    satisfaction = models.CharField(_("投诉人评价"), max_length=10, blank=True)
    # The step and light last warned of ("decide:yellow", "reply:red"): each once.
    warned = models.CharField(max_length=20, blank=True)

    class Meta:
        verbose_name = _("投诉举报")
        verbose_name_plural = _("投诉举报")
        ordering = ["-filed_at"]

    def __str__(self):
        return self.number


class Rating(models.Model):
    """好差评: 5 levels (5 非常满意 … 1 非常不满意); the lowest two are bad reviews."""

    case = models.OneToOneField("cases.Case", on_delete=models.PROTECT, related_name="rating")
    rated_by = models.ForeignKey("accounts.User", on_delete=models.PROTECT, related_name="+")
    overall = models.PositiveSmallIntegerField(_("总体评价"))
    efficiency = models.PositiveSmallIntegerField(_("办事效率"))
    guide_accuracy = models.PositiveSmallIntegerField(_("办事指南准确"))
    convenience = models.PositiveSmallIntegerField(_("办事便利"))
    comment = models.CharField(_("意见"), max_length=500, blank=True)
    rated_at = models.DateTimeField(auto_now_add=True)
    # The follow-up of a bad review: call-back, rectification, deadline; an appeal for abusive ones.
    follow_up_due = models.DateField(_("整改期限"), null=True, blank=True)
    callback = models.TextField(_("回访记录"), blank=True)
    rectification = models.TextField(_("整改情况"), blank=True)
    followed_up_at = models.DateTimeField(null=True, blank=True)
    appeal = models.TextField(_("申诉理由"), blank=True)
    appeal_upheld = models.BooleanField(_("申诉成立（不计入评价）"), null=True, blank=True)
    # CONTRACTS.md: only the applicant rates, online or on the window's own device.
    channel = models.CharField(
        _("评价渠道"),
        max_length=10,
        choices=[("online", _("网上")), ("window", _("窗口评价器"))],
        default="online",
    )
    # The applicant confirms the rectification (差评件件有整改、有反馈).
    confirmed_at = models.DateTimeField(null=True, blank=True)
    confirmed = models.BooleanField(_("申请人认可整改"), null=True, blank=True)
    confirm_note = models.CharField(_("申请人意见"), max_length=300, blank=True)
    follow_up_warned = models.BooleanField(default=False)

    class Meta:
        verbose_name = _("好差评")
        verbose_name_plural = _("好差评")
        constraints = [
            models.CheckConstraint(
                condition=Q(overall__gte=1, overall__lte=5), name="rating_1_to_5"
            )
        ]

    def __str__(self):
        return f"{self.case} {self.overall}"

    @property
    def is_bad(self) -> bool:
        return self.overall <= 2


class Watch(models.Model):
    """An observer's (人大代表、政协委员) watch list: items or cases, granted by the admin."""

    observer = models.ForeignKey("accounts.User", on_delete=models.CASCADE, related_name="watches")
    item = models.ForeignKey(
        "catalog.Item", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    case = models.ForeignKey(
        "cases.Case", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    granted_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("关注范围")
        verbose_name_plural = _("关注范围")
        constraints = [
            models.CheckConstraint(
                condition=Q(item__isnull=False) | Q(case__isnull=False), name="watch_item_or_case"
            )
        ]

    def __str__(self):
        return f"{self.observer} → {self.item or self.case}"


class Finding(models.Model):
    """纠错 (a correction on a case) and 责任认定 (a responsibility finding), citing the rule broken."""

    KINDS = [("correction", _("纠错")), ("responsibility", _("责任认定"))]
    kind = models.CharField(max_length=16, choices=KINDS)
    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="findings")
    department = models.ForeignKey(
        "accounts.Department", on_delete=models.PROTECT, related_name="findings"
    )
    official = models.ForeignKey(
        "accounts.User", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    rule = models.CharField(_("违反的规定"), max_length=20)
    text = models.TextField(_("内容"))
    recorded_by = models.ForeignKey("accounts.User", on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)
    statement = models.TextField(_("当事人陈述"), blank=True)

    class Meta:
        verbose_name = _("纠错与责任认定")
        verbose_name_plural = _("纠错与责任认定")

    def __str__(self):
        return f"{self.get_kind_display()} {self.case}"


class EvaluationScheme(models.Model):
    """The indicators' weights and parameters a supervisor set; the newest applies."""

    weights = models.JSONField(_("权重"))
    params = models.JSONField(_("参数"), default=dict)
    created_by = models.ForeignKey("accounts.User", on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("绩效评估指标体系")
        verbose_name_plural = _("绩效评估指标体系")
        ordering = ["-created_at"]

    def __str__(self):
        return f"指标体系 {self.created_at:%Y-%m-%d}"
