"""Cases (办件) from submission to closing: materials, correction notices, tasks,
written notices, licences, bars and the timeline."""

import uuid

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from shenpi.common.digest_field import HexDigestField
from shenpi.common.fields import DigestField, SealedCharField
from shenpi.common.personal import mask_code

from .constants import (
    AuthorisationMethod,
    AuthorisationScope,
    BundleDelivery,
    CaseKind,
    CaseStatus,
    Channel,
    DeliveryMethod,
    ExtensionRequestStatus,
    LicenceStatus,
    NotAcceptedReason,
    NoticeKind,
    Outcome,
    PostCheckStatus,
    TaskStatus,
)


class Counter(models.Model):
    """The last number drawn under a key (see numbering.py): a case number's division and
    day, a licence's department and year, a notice's department and year."""

    key = models.CharField(max_length=60, primary_key=True)
    last = models.PositiveBigIntegerField(default=0)

    def __str__(self):
        return f"{self.key}:{self.last}"


# A case in one of these states is open (supervision watches it, its lights are judged).
OPEN_STATUSES = [
    CaseStatus.RECEIVED,
    CaseStatus.CORRECTION_REQUESTED,
    CaseStatus.PROCESSING,
    CaseStatus.SUSPENDED,
    CaseStatus.DECIDED,
]
# The intake desk's cases: awaiting pre-review, or running toward a decision and delivery.
INTAKE_STATUSES = [
    CaseStatus.RECEIVED,
    CaseStatus.CORRECTION_REQUESTED,
    CaseStatus.PROCESSING,
    CaseStatus.DECIDED,
]
# A step in one of these states is still to be done (the inbox, the deadline scan).
ACTIVE_TASK_STATUSES = [TaskStatus.OPEN, TaskStatus.CLAIMED]
# The columns the deadline scan judges an open case's lights from (supervision/scan/engine.py).
SCAN_COLUMNS = [
    "item", "department", "division", "status", "accepted_at", "promised_due", "statutory_due",
    "round_received_at", "correction_due", "decided_at", "licence_due",
]  # fmt: skip


def indexed_where_set(prefix: str, *fields: str) -> list[models.Index]:
    """Indexes of references most rows leave empty, holding only the rows where they are
    set: an index of a column empty in nearly every row costs bytes in every row for no
    look-up, and a look-up by a value (an equality implies NOT NULL) still uses these."""
    return [
        models.Index(
            fields=[field],
            condition=Q(**{f"{field}__isnull": False}),
            name=f"{prefix}_{field}_set",
        )
        for field in fields
    ]


class Case(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    number = models.CharField(_("办件编号"), max_length=20, unique=True, null=True, blank=True)
    query_password = models.CharField(_("查询密码"), max_length=12, blank=True)
    kind = models.CharField(
        _("办件类型"), max_length=10, choices=CaseKind.choices, default=CaseKind.NEW
    )
    item = models.ForeignKey(
        "catalog.Item", verbose_name=_("事项"), on_delete=models.PROTECT, related_name="cases"
    )
    version = models.ForeignKey(
        "catalog.ItemVersion",
        verbose_name=_("事项版本"),
        on_delete=models.PROTECT,
        related_name="cases",
    )
    licence = models.ForeignKey(
        "Licence",
        verbose_name=_("涉及的证照"),
        null=True,
        db_index=False,
        blank=True,
        on_delete=models.PROTECT,
        related_name="change_cases",
    )
    applicant = models.ForeignKey(
        "accounts.User", verbose_name=_("申请人"), on_delete=models.PROTECT, related_name="cases"
    )
    applicant_name = models.CharField(_("申请人名称"), max_length=100)
    applicant_code = SealedCharField(_("证件号码"), plain_length=18)
    applicant_mobile = SealedCharField(_("联系电话"), plain_length=11, blank=True)
    submitted_by = models.ForeignKey(
        "accounts.User",
        verbose_name=_("提交人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    # The system client that submitted it for the applicant: the only client that acts on
    # the applicant's side of this case (supplement, withdrawal).
    submitted_by_client = models.ForeignKey(
        "accounts.SystemClient",
        null=True,
        blank=True,
        db_index=False,
        on_delete=models.PROTECT,
        related_name="+",
    )
    channel = models.CharField(
        _("渠道"), max_length=10, choices=Channel.choices, default=Channel.ONLINE
    )
    # 全程代理: the agent who applied for the applicant and the authorisation they act
    # under; the agent keeps the applicant's side of the case while it is in force.
    agent = models.ForeignKey(
        "accounts.User",
        verbose_name=_("代理人"),
        null=True,
        db_index=False,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    authorisation = models.ForeignKey(
        "Authorisation",
        verbose_name=_("委托书"),
        null=True,
        db_index=False,
        blank=True,
        on_delete=models.PROTECT,
        related_name="cases",
    )
    # 一件事一次办: the one application this case is part of.
    bundle_application = models.ForeignKey(
        "BundleApplication",
        verbose_name=_("一件事申请"),
        null=True,
        db_index=False,
        blank=True,
        on_delete=models.PROTECT,
        related_name="cases",
    )
    department = models.ForeignKey(
        "accounts.Department",
        verbose_name=_("受理部门"),
        on_delete=models.PROTECT,
        related_name="cases",
    )
    division = models.ForeignKey(
        "accounts.Division", verbose_name=_("区划"), on_delete=models.PROTECT, related_name="+"
    )
    chosen_division = models.ForeignKey(
        "accounts.Division",
        verbose_name=_("申请人所选区划"),
        null=True,
        db_index=False,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    status = models.CharField(
        _("状态"), max_length=24, choices=CaseStatus.choices, default=CaseStatus.DRAFT
    )
    outcome = models.CharField(
        _("决定"), max_length=10, choices=Outcome.choices, blank=True, default=""
    )
    form_data = models.JSONField(_("申请表"), default=dict, blank=True)
    declaration_at = models.DateTimeField(_("承诺时间"), null=True, blank=True)

    received_at = models.DateTimeField(_("收件时间"), null=True, blank=True)
    round_received_at = models.DateTimeField(_("本轮收件时间"), null=True, blank=True)
    correction_round = models.PositiveSmallIntegerField(_("补正轮次"), default=0)
    correction_due = models.DateField(_("一次性告知期限"), null=True, blank=True)
    supplement_due = models.DateField(_("补正期限"), null=True, blank=True)
    accepted_at = models.DateTimeField(_("受理时间"), null=True, blank=True)
    deemed_accepted = models.BooleanField(_("视为受理"), default=False)
    statutory_due = models.DateField(_("法定期限"), null=True, blank=True)
    promised_due = models.DateField(_("承诺期限"), null=True, blank=True)
    due_provisional = models.BooleanField(_("到期日暂定"), default=False)
    suspended_days = models.PositiveSmallIntegerField(_("暂停的工作日"), default=0)
    extension_days = models.PositiveSmallIntegerField(_("延长的工作日"), default=0)
    lenient_due = models.DateField(_("容缺补交期限"), null=True, blank=True)
    lenient_commitment = models.TextField(_("容缺承诺"), blank=True)
    # 告知承诺: the commitment the applicant signed (its full text and hash), if any.
    commitment_at = models.DateTimeField(_("告知承诺签署时间"), null=True, blank=True)
    # Defaults in the database too: the benchmark's floor and generator write case rows in
    # SQL and name only the columns they fill.
    commitment_text = models.TextField(_("告知承诺书"), blank=True, default="", db_default="")
    commitment_sha256 = models.CharField(
        _("承诺书摘要"), max_length=64, blank=True, default="", db_default=""
    )
    originals_due = models.DateField(_("核验原件期限"), null=True, blank=True)
    decided_at = models.DateTimeField(_("决定时间"), null=True, blank=True)
    licence_due = models.DateField(_("证照送达期限"), null=True, blank=True)
    closed_at = models.DateTimeField(_("办结时间"), null=True, blank=True)
    ended_at = models.DateTimeField(_("终结时间"), null=True, blank=True)
    not_accepted_reason = models.CharField(
        _("不予受理情形"), max_length=20, choices=NotAcceptedReason.choices, blank=True
    )
    reason_text = models.TextField(_("理由"), blank=True)
    competent_organ = models.CharField(_("有权机关"), max_length=120, blank=True)
    delivery_method = models.CharField(
        _("送达方式"), max_length=10, choices=DeliveryMethod.choices, blank=True
    )
    tracking_number = models.CharField(_("邮件单号"), max_length=40, blank=True)
    # 两级平台 (issue 25): a case a city's or county's own system handles and pushes here, by
    # its own id, with the version of its last push (a late or repeated push never
    # overwrites newer state). Read-only on this platform (records.lock).
    source_client = models.ForeignKey(
        "accounts.SystemClient",
        verbose_name=_("办理系统（下级平台）"),
        null=True,
        db_index=False,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    source_case_id = models.CharField(
        _("下级平台办件标识"), max_length=64, blank=True, default="", db_default=""
    )
    source_version = models.PositiveIntegerField(default=0, db_default=0)
    source_fingerprint = models.CharField(max_length=64, blank=True, default="", db_default="")
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    # The worst open warning's colour, kept by the deadline scan in the same transaction
    # as the warnings (monitoring reads it instead of looking the warnings up per case).

    class Meta:
        verbose_name = _("办件")
        verbose_name_plural = _("办件")
        indexes = [
            # The intake desk: a department's desk cases in the desk's order, read along
            # the index up to the page's end (with the status among the keys, every desk
            # case of the department had to be read and sorted before the first page).
            models.Index(
                fields=["department", "correction_due", "received_at"],
                condition=Q(status__in=INTAKE_STATUSES),
                name="case_intake_desk",
            ),
            models.Index(fields=["applicant", "-created_at"], name="case_by_applicant"),
            models.Index(fields=["status", "correction_due"], name="case_deemed_acceptance"),
            models.Index(fields=["status", "supplement_due"], name="case_deemed_withdrawal"),
            # Open cases by division and department, read index-only: the deadline scan's
            # counts by light (supervision.LightCount) and a city's monitoring list.
            models.Index(
                fields=["division", "department"],
                condition=Q(status__in=OPEN_STATUSES),
                name="case_open_groups",
            ),
            # Monitoring lists open cases by promised date (lights: supervision.CaseLight).
            models.Index(
                fields=["promised_due"],
                condition=Q(status__in=OPEN_STATUSES),
                name="case_monitor_due",
            ),
            # The deadline scan's read of the open cases it judges (index-only: the columns
            # its lights are judged from), instead of the wide case rows, which the open
            # cases are spread over. PostgreSQL's scan reads it; SQLite gets the index
            # without its included columns (its scan is the portable Python one).
            models.Index(
                fields=["id"],
                include=SCAN_COLUMNS,
                condition=Q(status__in=OPEN_STATUSES),
                name="case_scan_open",
            ),
            # The big screen's "today" and "last 30 days" figures. A day's cases are
            # counted by division from the index alone (PostgreSQL): a region receives tens
            # of thousands a working day, too many to fetch each one's row to read its
            # division. Partial: the cases without the time
            # (a third not yet decided) have no entry, as they had none to speak of when
            # the index held the time alone (a B-tree stores equal keys once, but not with
            # INCLUDE columns).
            *(
                models.Index(
                    fields=[field],
                    include=["division"],
                    condition=Q(**{f"{field}__isnull": False}),
                    name=f"case_{field}",
                )
                for field in ("received_at", "accepted_at", "decided_at")
            ),
            models.Index(fields=["closed_at"], name="case_closed_at"),
            # The references most cases do not have (a licence changed, an agent, a
            # bundle, …). (A pushed case's source is the key of case_source_once.)
            *indexed_where_set(
                "case",
                "licence",
                "submitted_by_client",
                "agent",
                "authorisation",
                "bundle_application",
                "chosen_division",
            ),
        ]
        constraints = [
            # A lower-level platform's case is pushed under its own id, once.
            models.UniqueConstraint(
                fields=["source_client", "source_case_id"],
                condition=Q(source_client__isnull=False),
                name="case_source_once",
            ),
        ]

    def __str__(self):
        return self.number or f"草稿 {self.pk}"

    @property
    def promised_limit(self) -> int:
        """The promised working days: the version's shorter limit when applied for on the
        applicant's commitment (告知承诺)."""
        version = self.version
        if self.commitment_at and version.commitment_allowed and version.commitment_days:
            return version.commitment_days
        return version.promised_days

    @property
    def is_terminal(self) -> bool:
        from .constants import TERMINAL

        return self.status in TERMINAL


class CaseMaterial(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="materials")
    requirement = models.ForeignKey(
        "catalog.MaterialRequirement", on_delete=models.PROTECT, related_name="+"
    )
    file = models.FileField(upload_to="materials/%Y/%m/", blank=True)
    name = models.CharField(_("文件名"), max_length=130)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField(default=0)
    sha256 = HexDigestField()
    from_licence = models.ForeignKey(
        "Licence",
        null=True,
        blank=True,
        db_index=False,
        on_delete=models.PROTECT,
        related_name="+",
    )
    uploaded_by = models.ForeignKey(
        "accounts.User", null=True, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)
    round = models.PositiveSmallIntegerField(default=0)
    scanned = models.BooleanField(_("窗口扫描"), default=False)
    original_seen_by = models.ForeignKey(
        "accounts.User",
        null=True,
        blank=True,
        db_index=False,
        on_delete=models.PROTECT,
        related_name="+",
    )
    original_seen_at = models.DateTimeField(_("原件核验时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("办件材料")
        verbose_name_plural = _("办件材料")
        ordering = ["requirement__order", "uploaded_at"]
        # Set on few materials.
        indexes = indexed_where_set("material", "from_licence", "original_seen_by")

    def __str__(self):
        return self.name


class CorrectionNotice(models.Model):
    """一次性告知 (Art. 32(4)): ONE notice listing every defect of a round."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="corrections")
    round = models.PositiveSmallIntegerField()
    defects = models.JSONField(default=list)  # [{"requirement": id, "name": str, "note": str}]
    issued_by = models.ForeignKey("accounts.User", on_delete=models.PROTECT, related_name="+")
    issued_at = models.DateTimeField(auto_now_add=True)
    supplement_due = models.DateField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["case", "round"], name="one_notice_per_round")
        ]

    def __str__(self):
        return f"{self.case} 第{self.round}次补正"


class Task(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    # Looked up through one_task_per_step, which leads with the case: no index of its own.
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="tasks", db_index=False)
    step_key = models.CharField(max_length=30)
    step_name = models.CharField(max_length=30)
    stage = models.PositiveSmallIntegerField()
    department = models.ForeignKey(
        "accounts.Department", on_delete=models.PROTECT, related_name="tasks"
    )
    role = models.CharField(max_length=10)
    status = models.CharField(max_length=10, choices=TaskStatus.choices, default=TaskStatus.OPEN)
    opened_at = models.DateTimeField()
    due_date = models.DateField()
    # Its case is in a special procedure (TL-05, Art. 45): the step waits with the clock
    # stopped, and leaves the inbox's index, where its old due date kept it at the head of
    # the department's order for every read until the case resumes.
    paused = models.BooleanField(default=False)
    claimed_by = models.ForeignKey(
        "accounts.User", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    completed_at = models.DateTimeField(null=True, blank=True)
    verdict = models.CharField(max_length=10, blank=True)  # agree / disagree (co-departments)
    opinion = models.TextField(blank=True)
    # Art. 34 ¶3: a verification step is signed by a second, different official.
    verified_by = models.ForeignKey(
        "accounts.User",
        null=True,
        blank=True,
        db_index=False,
        on_delete=models.PROTECT,
        related_name="+",
    )
    # The lead's recorded answer to a co-department's "disagree" (CONTRACTS.md).
    response = models.TextField(blank=True)
    responded_by = models.ForeignKey(
        "accounts.User",
        null=True,
        blank=True,
        db_index=False,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["case", "step_key"], name="one_task_per_step")
        ]
        indexes = [
            # The inbox: a department's open steps by due date (a partial index: done
            # steps, most of the table, and paused ones are not in it).
            models.Index(
                fields=["department", "due_date", "id"],
                condition=Q(status__in=ACTIVE_TASK_STATUSES, paused=False),
                name="task_open_inbox",
            ),
            # The deadline scan's read of the open steps of the cases it judges (index-only,
            # as case_scan_open), and of who holds those it warns about.
            models.Index(
                fields=["case"],
                include=["id", "step_key", "opened_at", "due_date", "department", "claimed_by"],
                condition=Q(status__in=ACTIVE_TASK_STATUSES),
                name="task_scan_open",
            ),
            # Signed or answered on few steps.
            *indexed_where_set("task", "verified_by", "responded_by"),
        ]

    def __str__(self):
        return f"{self.case} {self.step_name}"


class Suspension(models.Model):
    """TL-05 (Art. 45): the clock stops only for these reasons, with a written notice."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="suspensions")
    reason = models.CharField(_("事由"), max_length=20)
    expected_days = models.PositiveSmallIntegerField(_("预计所需时间（工作日）"))
    note = models.CharField(_("说明"), max_length=300, blank=True)
    started_on = models.DateField(_("开始日期"))
    ended_on = models.DateField(_("结束日期"), null=True, blank=True)
    excluded_days = models.PositiveSmallIntegerField(_("不计入的工作日"), default=0)
    started_by = models.ForeignKey("accounts.User", on_delete=models.PROTECT, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["case"], condition=Q(ended_on__isnull=True), name="one_open_suspension"
            )
        ]

    def __str__(self):
        return f"{self.case} {self.reason}"


class Extension(models.Model):
    """TL-01/TL-02 (Art. 42): once per case, approved by the head or the division's leader."""

    case = models.OneToOneField(Case, on_delete=models.CASCADE, related_name="extension")
    days = models.PositiveSmallIntegerField()
    reasons = models.TextField()
    approved_by = models.ForeignKey("accounts.User", on_delete=models.PROTECT, related_name="+")
    approved_at = models.DateTimeField()

    def __str__(self):
        return f"{self.case} +{self.days}"


class ExtensionRequest(models.Model):
    """TL-01/TL-02 (Art. 42): the step's official asks, with reasons; the approver the
    handling mode names (the deciding department's head, or the division's leader for
    unified, joint and centralised handling) grants or refuses before the statutory limit
    ends. `department` and `division` are the approver's, fixed when asked."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="extension_requests")
    days = models.PositiveSmallIntegerField(_("延长（工作日）"))
    reasons = models.TextField(_("理由"))
    asked_by = models.ForeignKey("accounts.User", on_delete=models.PROTECT, related_name="+")
    asked_at = models.DateTimeField(_("申请时间"))
    needs_leader = models.BooleanField(_("须本级人民政府负责人批准"), default=False)
    department = models.ForeignKey(
        "accounts.Department", on_delete=models.PROTECT, related_name="+"
    )
    division = models.ForeignKey("accounts.Division", on_delete=models.PROTECT, related_name="+")
    status = models.CharField(
        _("状态"),
        max_length=10,
        choices=ExtensionRequestStatus.choices,
        default=ExtensionRequestStatus.PENDING,
    )
    decided_by = models.ForeignKey(
        "accounts.User", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(_("审批时间"), null=True, blank=True)
    answer = models.CharField(_("审批意见"), max_length=300, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["case"],
                condition=Q(status="pending"),
                name="one_pending_extension_request",
            )
        ]
        indexes = [
            models.Index(
                fields=["department", "asked_at"],
                condition=Q(status="pending"),
                name="extension_pending_dept",
            ),
            models.Index(
                fields=["division", "asked_at"],
                condition=Q(status="pending"),
                name="extension_pending_div",
            ),
        ]

    def __str__(self):
        return f"{self.case} {self.get_status_display()}"


class Hearing(models.Model):
    """HRG-01..03 (Art. 36, 46-48): rights told, requested within 5 working days, held
    within 20 with 7 working days' notice, presided by someone who did not review."""

    case = models.OneToOneField(Case, on_delete=models.CASCADE, related_name="hearing")
    mandatory = models.BooleanField(_("依法须听证"), default=False)
    interested_parties = models.TextField(_("利害关系人"), blank=True)
    rights_notified_on = models.DateField(_("告知听证权利日期"))
    request_due = models.DateField(_("申请听证期限"))
    requested_on = models.DateField(_("申请听证日期"), null=True, blank=True)
    scheduled_for = models.DateField(_("听证日期"), null=True, blank=True)
    place = models.CharField(_("地点"), max_length=200, blank=True)
    presiding_officer = models.ForeignKey(
        "accounts.User", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    notice_sent_on = models.DateField(_("听证通知日期"), null=True, blank=True)
    held_on = models.DateField(_("举行日期"), null=True, blank=True)
    record = models.TextField(_("听证笔录"), blank=True)

    def __str__(self):
        return f"{self.case} 听证"


class Urge(models.Model):
    """催办: anyone who can see the case reminds its current holder."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="urges")
    by = models.ForeignKey("accounts.User", on_delete=models.PROTECT, related_name="+")
    department = models.ForeignKey(
        "accounts.Department", on_delete=models.PROTECT, related_name="+"
    )
    text = models.CharField(max_length=300)
    at = models.DateTimeField(auto_now_add=True)

    def __str__(self):
        return f"{self.case} 催办"


class Notice(models.Model):
    """A written notice (文书): numbered, sealed, dated PDF with a verification QR."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="notices")
    kind = models.CharField(_("文书"), max_length=16, choices=NoticeKind.choices)
    number = models.CharField(_("文书编号"), max_length=40, unique=True)
    department = models.ForeignKey(
        "accounts.Department", on_delete=models.PROTECT, related_name="+"
    )
    issued_at = models.DateTimeField(_("日期"))
    file = models.FileField(upload_to="notices/%Y/%m/")
    sha256 = models.CharField(max_length=64)

    class Meta:
        verbose_name = _("文书")
        verbose_name_plural = _("文书")
        ordering = ["issued_at"]

    def __str__(self):
        return f"{self.get_kind_display()} {self.number}"


class Licence(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    number = models.CharField(_("证照编号"), max_length=40, unique=True)
    verification_code = models.CharField(_("核验码"), max_length=16, unique=True)
    case = models.OneToOneField(Case, on_delete=models.PROTECT, related_name="issued_licence")
    item = models.ForeignKey("catalog.Item", on_delete=models.PROTECT, related_name="licences")
    name = models.CharField(_("证照名称"), max_length=80)
    holder = models.ForeignKey("accounts.User", on_delete=models.PROTECT, related_name="licences")
    holder_name = models.CharField(_("持证人"), max_length=100)
    holder_code = SealedCharField(_("持证人证件号码"), plain_length=18)
    department = models.ForeignKey(
        "accounts.Department", on_delete=models.PROTECT, related_name="licences"
    )
    issued_at = models.DateTimeField(_("发证时间"))
    valid_from = models.DateField(_("有效期自"))
    valid_until = models.DateField(_("有效期至"), null=True, blank=True)
    status = models.CharField(
        _("状态"), max_length=10, choices=LicenceStatus.choices, default=LicenceStatus.VALID
    )
    scope = models.TextField(_("许可内容"), blank=True)
    file = models.FileField(upload_to="licences/%Y/")
    reminded_at = models.DateTimeField(_("延续提醒时间"), null=True, blank=True)
    deemed_renewed_at = models.DateTimeField(_("视为准予延续"), null=True, blank=True)

    class Meta:
        verbose_name = _("证照")
        verbose_name_plural = _("证照")

    def __str__(self):
        return f"{self.name} {self.number}"


class LicenceConsent(models.Model):
    """电子证照共享: a holder lets a department read their licences for a purpose, until a
    day (or until revoked), so it need not ask them for copies (cases/services/
    licence_sharing.py; a department may also read by a lawful need it states)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    holder = models.ForeignKey(
        "accounts.User", on_delete=models.PROTECT, related_name="licence_consents"
    )
    department = models.ForeignKey(
        "accounts.Department", verbose_name=_("获授权部门"), on_delete=models.PROTECT,
        related_name="+",
    )  # fmt: skip
    purpose = models.CharField(_("用途"), max_length=200)
    until = models.DateField(_("授权至"))
    granted_at = models.DateTimeField(_("授权时间"), auto_now_add=True)
    revoked_at = models.DateTimeField(_("撤回时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("证照共享授权")
        verbose_name_plural = _("证照共享授权")
        indexes = [models.Index(fields=["holder", "department"], name="consent_holder_dept")]

    def __str__(self):
        return f"{self.holder_id} → {self.department_id}"


class Bar(models.Model):
    """SAN-01/02 (Art. 78, 79): an applicant barred from applying for an item until a date."""

    applicant_code = SealedCharField(_("证件号码"), plain_length=18)
    applicant_code_digest = DigestField(source="applicant_code", null=True, db_index=True)
    item = models.ForeignKey("catalog.Item", on_delete=models.PROTECT, related_name="+")
    until = models.DateField(_("禁止申请至"))
    article = models.CharField(_("依据"), max_length=40)
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("禁止申请记录")
        verbose_name_plural = _("禁止申请记录")

    def __str__(self):
        return f"{mask_code(self.applicant_code)} → {self.until}"


class CaseEvent(models.Model):
    """The case's timeline; public events show on the progress page (department, not person)."""

    # Looked up through the (case, at) index below: no index of its own.
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="events", db_index=False)
    at = models.DateTimeField()
    kind = models.CharField(max_length=30)
    text = models.CharField(max_length=300)
    department = models.ForeignKey(
        "accounts.Department", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    actor = models.ForeignKey(
        "accounts.User", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    public = models.BooleanField(default=True)
    breach = models.CharField(
        max_length=20, blank=True
    )  # a rule id when the organ broke one (supervision)

    class Meta:
        ordering = ["at", "id"]
        indexes = [
            models.Index(fields=["case", "at"]),
            # The scan's recorded breaches (RCV-04, RNW-02): a handful among millions.
            models.Index(fields=["breach"], condition=~Q(breach=""), name="event_breach"),
        ]
        constraints = [models.CheckConstraint(condition=~Q(kind=""), name="event_has_kind")]

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M} {self.text}"


__all__ = [
    "Case",
    "CaseEvent",
    "CaseKind",
    "CaseMaterial",
    "CorrectionNotice",
    "Licence",
    "Notice",
    "Task",
    "Bar",
    "DeliveryMethod",
    "Outcome",
    "LicenceStatus",
]


class Authorisation(models.Model):
    """委托书: an applicant authorises a service-centre agent (全程代理), or an enterprise
    one of its own staff (经办人), to apply and act for it — for named items or for one
    investment project — until a date, signed online or scanned at the window. The
    applicant may revoke it; an act under it after that is refused (cases.authorisations)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    number = models.CharField(_("委托书编号"), max_length=24, unique=True)
    applicant = models.ForeignKey(
        "accounts.User",
        verbose_name=_("委托人"),
        on_delete=models.PROTECT,
        related_name="authorisations_given",
    )
    agent = models.ForeignKey(
        "accounts.User",
        verbose_name=_("受托人"),
        on_delete=models.PROTECT,
        related_name="authorisations_held",
    )
    scope = models.CharField(_("委托范围"), max_length=10, choices=AuthorisationScope.choices)
    items = models.ManyToManyField("catalog.Item", verbose_name=_("委托事项"), blank=True)
    project_name = models.CharField(_("项目名称"), max_length=100, blank=True)
    until = models.DateField(_("委托期限至"))
    method = models.CharField(_("签署方式"), max_length=10, choices=AuthorisationMethod.choices)
    text = models.TextField(_("委托书正文"))
    text_sha256 = models.CharField(_("正文摘要"), max_length=64)
    scan = models.FileField(_("委托书扫描件"), upload_to="authorisations/%Y/", blank=True)
    signed_at = models.DateTimeField(_("签署时间"))
    recorded_by = models.ForeignKey(
        "accounts.User", on_delete=models.PROTECT, related_name="+", verbose_name=_("录入人")
    )
    revoked_at = models.DateTimeField(_("撤销时间"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        "accounts.User", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("委托书")
        verbose_name_plural = _("委托书")
        indexes = [
            models.Index(fields=["agent", "until"], name="authorisation_held"),
            models.Index(fields=["applicant", "-signed_at"], name="authorisation_given"),
        ]

    def __str__(self):
        return f"委托书 {self.number}"


class BundleApplication(models.Model):
    """一件事一次办: one application for a bundle's items — one form, each material uploaded
    once, one submission — made into one case per item, each at its own department with
    its own clock, followed and delivered as one."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    bundle = models.ForeignKey(
        "catalog.Bundle", verbose_name=_("一件事套餐"), on_delete=models.PROTECT, related_name="+"
    )
    applicant = models.ForeignKey(
        "accounts.User", verbose_name=_("申请人"), on_delete=models.PROTECT, related_name="+"
    )
    delivery = models.CharField(
        _("送达方式"),
        max_length=10,
        choices=BundleDelivery.choices,
        default=BundleDelivery.TOGETHER,
    )
    submitted_at = models.DateTimeField(_("提交时间"))
    # The page's one-time token: a double click or a retry of the same form is answered
    # with the application it made, not a second one.
    submission_key = models.CharField(max_length=64, blank=True)
    correction_sent_at = models.DateTimeField(_("合并补正告知时间"), null=True, blank=True)
    delivered_message_at = models.DateTimeField(_("全部办结告知时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("一件事申请")
        verbose_name_plural = _("一件事申请")
        indexes = [
            models.Index(fields=["applicant", "-submitted_at"], name="bundle_app_by_applicant")
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["applicant", "submission_key"],
                condition=~Q(submission_key=""),
                name="bundle_app_once_per_key",
            )
        ]

    def __str__(self):
        return f"{self.bundle} {self.submitted_at:%Y-%m-%d}"


class HeldCorrection(models.Model):
    """A department's correction requests on a bundle's case, held until every department
    has pre-reviewed (or the earliest five-working-day limit is reached), so that the
    applicant gets ONE notice gathering them all (RCV-04, Art. 32(4))."""

    case = models.OneToOneField(Case, on_delete=models.CASCADE, related_name="held_correction")
    defects = models.JSONField()
    actor = models.ForeignKey("accounts.User", on_delete=models.PROTECT, related_name="+")
    held_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("待合并的补正告知")
        verbose_name_plural = _("待合并的补正告知")

    def __str__(self):
        return f"{self.case} held"


class PostCheck(models.Model):
    """告知承诺's post-check: a licence granted on the applicant's commitment is checked
    by the item's department within the item's working days; a false commitment revokes it
    (Art. 69) and stays on the applicant's credit record."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    case = models.OneToOneField(Case, on_delete=models.PROTECT, related_name="post_check")
    department = models.ForeignKey(
        "accounts.Department", on_delete=models.PROTECT, related_name="+"
    )
    division = models.ForeignKey("accounts.Division", on_delete=models.PROTECT, related_name="+")
    due = models.DateField(_("核查期限"))
    status = models.CharField(
        _("结果"), max_length=10, choices=PostCheckStatus.choices, default=PostCheckStatus.OPEN
    )
    findings = models.TextField(_("核查情况"), blank=True)
    checked_by = models.ForeignKey(
        "accounts.User", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    checked_at = models.DateTimeField(_("核查时间"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("事后核查")
        verbose_name_plural = _("事后核查")
        indexes = [models.Index(fields=["status", "due"], name="post_check_open")]

    def __str__(self):
        return f"{self.case} 核查"
