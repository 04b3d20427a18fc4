"""Approval items (事项), their versions, materials, fees, forms and themes.

An item is the stable identity; each version is one definition of it. A
department drafts, the legal office reviews, a published version is frozen
(CONTRACTS.md: item version states).
"""

import uuid

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from shenpi.accounts.models import Department, DepartmentKind

from .constants import (
    Audience,
    Copies,
    FormFileKind,
    HandlingMode,
    ItemKind,
    LicenceType,
    MaterialSource,
    Medium,
    ThemeGroup,
    VersionStatus,
)


class Theme(models.Model):
    code = models.SlugField(_("代码"), max_length=40, primary_key=True)
    name = models.CharField(_("名称"), max_length=40)
    group = models.CharField(_("分组"), max_length=12, choices=ThemeGroup.choices)
    order = models.PositiveSmallIntegerField(_("排序"), default=0)

    class Meta:
        verbose_name = _("主题")
        verbose_name_plural = _("主题")
        ordering = ["group", "order", "code"]

    def __str__(self):
        return self.name


class Item(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    code = models.CharField(_("事项编码"), max_length=40, unique=True)
    department = models.ForeignKey(
        Department, verbose_name=_("实施部门"), on_delete=models.PROTECT, related_name="items"
    )
    abolished_at = models.DateTimeField(_("废止时间"), null=True, blank=True)
    abolish_reason = models.TextField(_("废止理由"), blank=True)
    # The published version in force today (kept by the publishing services and the daily job).
    current = models.OneToOneField(
        "ItemVersion",
        verbose_name=_("现行版本"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    # 信息时效: the department confirmed the guide in force is still right without a new
    # version (a new version's legal review counts as a review too).
    guide_confirmed_at = models.DateTimeField(_("指南复核确认时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("事项")
        verbose_name_plural = _("事项")
        ordering = ["code"]

    def __str__(self):
        return f"{self.code} {self.current.name if self.current_id else ''}".strip()


class ItemVersion(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    item = models.ForeignKey(Item, on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveIntegerField(_("版本号"))
    status = models.CharField(
        _("状态"), max_length=12, choices=VersionStatus.choices, default=VersionStatus.DRAFT
    )
    effective_from = models.DateField(_("生效日期"), null=True, blank=True)

    # Art. 30: everything below is public.
    name = models.CharField(_("事项名称"), max_length=120)
    kind = models.CharField(_("办件类型"), max_length=12, choices=ItemKind.choices)
    audience = models.CharField(
        _("服务对象"), max_length=12, choices=Audience.choices, default=Audience.BOTH
    )
    themes = models.ManyToManyField(
        Theme, verbose_name=_("主题"), blank=True, related_name="versions"
    )
    legal_basis = models.TextField(_("设定依据"))
    conditions = models.TextField(_("申请条件"))
    procedure = models.TextField(_("办理程序"))
    quota = models.PositiveIntegerField(
        _("年度数量限制"),
        null=True,
        blank=True,
        help_text=_("有数量限制的许可（第五十七条），按先后顺序准予"),
    )
    quota_basis = models.CharField(_("数量限制依据"), max_length=200, blank=True)
    handling_mode = models.CharField(
        _("办理方式"), max_length=12, choices=HandlingMode.choices, default=HandlingMode.SINGLE
    )
    statutory_days = models.PositiveSmallIntegerField(_("法定时限（工作日）"), default=20)
    promised_days = models.PositiveSmallIntegerField(_("承诺时限（工作日）"), default=10)
    extension_days = models.PositiveSmallIntegerField(_("可延长（工作日）"), default=10)
    limit_basis = models.CharField(_("另行规定时限的依据"), max_length=200, blank=True)
    special_procedures = models.TextField(
        _("不计入时限的特别程序"),
        blank=True,
        help_text=_(
            "听证、招标、拍卖、检验、检测、检疫、鉴定和专家评审所需时间不计入（第四十五条）"
        ),
    )
    two_level = models.BooleanField(_("两级审批（先经下级审查）"), default=False)
    lower_kind = models.ForeignKey(
        DepartmentKind,
        verbose_name=_("下级审查部门类别"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    hearing_mandatory = models.BooleanField(_("依法须听证"), default=False)
    safety_item = models.BooleanField(_("直接关系公共安全、人身健康、生命财产安全"), default=False)
    in_person = models.BooleanField(_("须本人到场申请"), default=False)
    lenient_acceptance = models.BooleanField(_("允许容缺受理"), default=False)
    # 告知承诺: the applicant's written commitment stands in for proof of the named
    # conditions; decided within the shorter limit, checked afterwards.
    commitment_allowed = models.BooleanField(_("允许告知承诺"), default=False)
    commitment_conditions = models.TextField(
        _("可承诺的条件"),
        blank=True,
        help_text=_("申请人以书面承诺代替证明的条件，每行一项（承诺书全文将列明）"),
    )
    commitment_days = models.PositiveSmallIntegerField(
        _("告知承诺办理时限（工作日）"), null=True, blank=True
    )
    post_check_days = models.PositiveSmallIntegerField(
        _("事后核查期限（决定后工作日）"), null=True, blank=True
    )
    inspection = models.BooleanField(_("涉及检验、检测、检疫"), default=False)
    grants_public = models.BooleanField(
        _("许可决定公开"),
        default=True,
        help_text=_("准予许可的决定应当公开（第四十条），涉密的除外"),
    )
    licence_type = models.CharField(
        _("证照类型"), max_length=16, choices=LicenceType.choices, blank=True
    )
    licence_name = models.CharField(_("证照名称"), max_length=80, blank=True)
    validity_months = models.PositiveSmallIntegerField(_("有效期（月）"), null=True, blank=True)
    renewal_lead_days = models.PositiveSmallIntegerField(
        _("延续申请提前（日）"), null=True, blank=True, default=30
    )
    supplement_days = models.PositiveSmallIntegerField(_("补正期限（日）"), default=30)
    where_to_apply = models.TextField(_("办理地点"))
    office_hours = models.CharField(_("办理时间"), max_length=200)
    online = models.BooleanField(_("可网上申请"), default=True)
    contact_phone = models.CharField(_("咨询电话"), max_length=40)
    complaint_phone = models.CharField(_("投诉电话"), max_length=40)
    responsible_office = models.CharField(_("承办机构"), max_length=80)
    responsible_person = models.CharField(_("责任人"), max_length=40, blank=True)
    form_fields = models.JSONField(_("申请表字段"), default=list, blank=True)
    flow = models.JSONField(_("办理流程"), default=dict, blank=True)

    # Search helpers, derived from the fields above when the version is saved by a service.
    search_text = models.TextField(editable=False, blank=True)
    name_initials = models.CharField(max_length=120, editable=False, blank=True)
    # Words, their pinyin and the name's whole pinyin (shenpi.search.terms): found by
    # words, synonyms and full pinyin as well as by the text above.
    search_terms = models.TextField(editable=False, blank=True, default="")

    created_by = models.ForeignKey(
        "accounts.User", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    submitted_at = models.DateTimeField(_("提交审核时间"), null=True, blank=True)
    reviewed_by = models.ForeignKey(
        "accounts.User", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    reviewed_at = models.DateTimeField(_("审核时间"), null=True, blank=True)
    review_comment = models.TextField(_("审核意见"), blank=True)

    class Meta:
        verbose_name = _("事项版本")
        verbose_name_plural = _("事项版本")
        ordering = ["item__code", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["item", "number"], name="version_number_unique"),
            # One version being worked on at a time per item.
            models.UniqueConstraint(
                fields=["item"],
                condition=Q(status__in=["draft", "in_review", "returned"]),
                name="one_open_draft_per_item",
            ),
            models.CheckConstraint(
                condition=Q(promised_days__lte=models.F("statutory_days")),
                name="promised_within_statutory",
                violation_error_message=_("承诺时限不得超过法定时限（第四十二条）。 [TL-01]"),
            ),
        ]
        indexes = [models.Index(fields=["status", "effective_from"])]

    def __str__(self):
        return f"{self.name}（第 {self.number} 版）"

    @property
    def is_frozen(self) -> bool:
        return self.status not in (VersionStatus.DRAFT, VersionStatus.RETURNED)


class FormFile(models.Model):
    """A downloadable form template or filled-in sample (always free: Art. 58)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    department = models.ForeignKey(Department, on_delete=models.PROTECT, related_name="form_files")
    title = models.CharField(_("名称"), max_length=120)
    kind = models.CharField(_("类别"), max_length=10, choices=FormFileKind.choices)
    file = models.FileField(_("文件"), upload_to="forms/%Y/")
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("表格文件")
        verbose_name_plural = _("表格文件")

    def __str__(self):
        return self.title

    @property
    def extension(self) -> str:
        from .constants import FORM_FILE_TYPES

        return FORM_FILE_TYPES.get(self.content_type, "bin")


class MaterialRequirement(models.Model):
    version = models.ForeignKey(ItemVersion, on_delete=models.CASCADE, related_name="materials")
    order = models.PositiveSmallIntegerField(_("序号"), default=0)
    name = models.CharField(_("材料名称"), max_length=120)
    required = models.BooleanField(_("必需"), default=True)
    copies_kind = models.CharField(
        _("原件/复印件"), max_length=10, choices=Copies.choices, default=Copies.COPY
    )
    copies = models.PositiveSmallIntegerField(_("份数"), default=1)
    medium = models.CharField(
        _("载体"), max_length=12, choices=Medium.choices, default=Medium.ELECTRONIC
    )
    show_original = models.BooleanField(_("须到窗口核验原件"), default=False)
    source = models.CharField(
        _("来源"), max_length=10, choices=MaterialSource.choices, default=MaterialSource.APPLICANT
    )
    library_type = models.CharField(_("证照库类型"), max_length=60, blank=True)
    lenient_allowed = models.BooleanField(_("可容缺"), default=False)
    template = models.ForeignKey(
        FormFile,
        verbose_name=_("空白表格"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    sample = models.ForeignKey(
        FormFile,
        verbose_name=_("示范文本"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    notes = models.CharField(_("说明"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("申请材料")
        verbose_name_plural = _("申请材料")
        ordering = ["version", "order", "pk"]

    def __str__(self):
        return self.name


class Fee(models.Model):
    """PUB-08/09 (Art. 58, 59): a fee only with its legal basis."""

    version = models.ForeignKey(ItemVersion, on_delete=models.CASCADE, related_name="fees")
    name = models.CharField(_("收费项目"), max_length=120)
    standard = models.CharField(_("收费标准"), max_length=200)
    legal_basis = models.CharField(_("收费依据（法律、行政法规）"), max_length=300)

    class Meta:
        verbose_name = _("收费")
        verbose_name_plural = _("收费")

    def __str__(self):
        return self.name


class Bundle(models.Model):
    """一件事一次办: the items a life or business event needs, applied for once — one
    combined form (the items' fields, merged by key) and one list of materials (duplicates
    merged) — drafted by an administrator and published after the legal office's review,
    versioned like an item: the version in force stays so while the next is drafted and
    reviewed, and is superseded when the next is published. An application keeps the
    version it was made under."""

    code = models.CharField(_("套餐编码"), max_length=30)
    number = models.PositiveIntegerField(_("版本号"), default=1)
    name = models.CharField(_("名称"), max_length=60)
    event = models.TextField(_("适用情形"))
    division = models.ForeignKey(
        "accounts.Division", verbose_name=_("区划"), on_delete=models.PROTECT, related_name="+"
    )
    items = models.ManyToManyField(Item, through="BundleItem", related_name="bundles")
    status = models.CharField(
        _("状态"), max_length=12, choices=VersionStatus.choices, default=VersionStatus.DRAFT
    )
    drafted_by = models.ForeignKey(
        "accounts.User", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    reviewed_by = models.ForeignKey(
        "accounts.User", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    reviewed_at = models.DateTimeField(_("审核时间"), null=True, blank=True)
    review_comment = models.TextField(_("审核意见"), blank=True)

    class Meta:
        verbose_name = _("一件事套餐")
        verbose_name_plural = _("一件事套餐")
        ordering = ["code", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["code", "number"], name="bundle_version_once"),
            # One version in force per bundle.
            models.UniqueConstraint(
                fields=["code"], condition=Q(status="published"), name="bundle_one_in_force"
            ),
        ]

    def __str__(self):
        return f"{self.name}（第 {self.number} 版）"


class BundleItem(models.Model):
    bundle = models.ForeignKey(Bundle, on_delete=models.CASCADE, related_name="bundle_items")
    item = models.ForeignKey(Item, verbose_name=_("事项"), on_delete=models.PROTECT)
    order = models.PositiveSmallIntegerField(_("顺序"), default=0)

    class Meta:
        verbose_name = _("套餐事项")
        verbose_name_plural = _("套餐事项")
        ordering = ["order", "pk"]
        constraints = [models.UniqueConstraint(fields=["bundle", "item"], name="bundle_item_once")]

    def __str__(self):
        return f"{self.bundle}: {self.item}"
