"""Organisation (divisions, departments, offices, windows) and accounts."""

import uuid

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models import Q
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from shenpi.common.fields import DigestField, SealedCharField

from .constants import TWO_FACTOR_ROLES, AccountType, ClientAction, DivisionLevel, Role


class Division(models.Model):
    """An administrative division, by its GB/T 2260 code (640000, 640100, 640104 …)."""

    code = models.CharField(_("区划代码"), max_length=6, primary_key=True)
    name = models.CharField(_("名称"), max_length=50)
    level = models.CharField(_("级别"), max_length=10, choices=DivisionLevel.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("上级区划"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    # Materialised path of codes, e.g. "640000/640100/640104/": a subtree is a prefix.
    path = models.CharField(_("路径"), max_length=80, db_index=True, editable=False)

    class Meta:
        verbose_name = _("行政区划")
        verbose_name_plural = _("行政区划")
        ordering = ["path"]
        constraints = [
            models.CheckConstraint(
                condition=Q(code__regex=r"^[0-9]{6}$"), name="division_code_6_digits"
            ),
        ]

    def __str__(self):
        return f"{self.name}（{self.code}）"

    def save(self, *args, **kwargs):
        # The path is derived data kept with the row (a subtree query is one prefix match).
        self.path = (self.parent.path if self.parent_id else "") + f"{self.code}/"
        super().save(*args, **kwargs)

    def clean(self):
        from django.core.exceptions import ValidationError

        node = self.parent
        while node is not None:
            if node.code == self.code:
                raise ValidationError({"parent": _("上级区划不能是自身或其下级。")})
            node = node.parent


class DepartmentKind(models.Model):
    """What a department is, across levels: a county's market regulation bureau and
    the region's department are the same kind (two-level items use it)."""

    code = models.SlugField(_("类别代码"), max_length=40, primary_key=True)
    name = models.CharField(_("类别名称"), max_length=50, unique=True)

    class Meta:
        verbose_name = _("部门类别")
        verbose_name_plural = _("部门类别")
        ordering = ["code"]

    def __str__(self):
        return self.name


class Department(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    code = models.SlugField(_("部门代码"), max_length=40, unique=True)
    name = models.CharField(_("部门全称"), max_length=100)
    short_name = models.CharField(_("简称"), max_length=40, blank=True)
    kind = models.ForeignKey(DepartmentKind, verbose_name=_("部门类别"), on_delete=models.PROTECT)
    division = models.ForeignKey(
        Division, verbose_name=_("所属区划"), on_delete=models.PROTECT, related_name="departments"
    )
    phone = models.CharField(_("咨询电话"), max_length=40, blank=True)
    complaint_phone = models.CharField(_("投诉电话"), max_length=40, blank=True)
    address = models.CharField(_("办公地址"), max_length=200, blank=True)
    is_active = models.BooleanField(_("启用"), default=True)

    class Meta:
        verbose_name = _("部门")
        verbose_name_plural = _("部门")
        ordering = ["division__path", "code"]
        constraints = [
            models.UniqueConstraint(
                fields=["division", "name"], name="department_name_unique_in_division"
            ),
        ]

    def __str__(self):
        return self.name


class Office(models.Model):
    """An office (处室) inside a department; staff belong to one."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    department = models.ForeignKey(
        Department, verbose_name=_("部门"), on_delete=models.PROTECT, related_name="offices"
    )
    name = models.CharField(_("处室名称"), max_length=60)

    class Meta:
        verbose_name = _("处室")
        verbose_name_plural = _("处室")
        ordering = ["department__code", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["department", "name"], name="office_name_unique_in_department"
            ),
        ]

    def __str__(self):
        return f"{self.department.name} · {self.name}"


class Window(models.Model):
    """A window of a service centre; it acts for one department (CONTRACTS.md)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    centre = models.ForeignKey(
        Department,
        verbose_name=_("政务服务中心"),
        on_delete=models.PROTECT,
        related_name="centre_windows",
    )
    department = models.ForeignKey(
        Department, verbose_name=_("代表部门"), on_delete=models.PROTECT, related_name="windows"
    )
    number = models.CharField(_("窗口号"), max_length=10)
    name = models.CharField(_("窗口名称"), max_length=60)

    class Meta:
        verbose_name = _("窗口")
        verbose_name_plural = _("窗口")
        ordering = ["centre__code", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["centre", "number"], name="window_number_unique_in_centre"
            ),
            models.UniqueConstraint(
                fields=["centre", "department"], name="one_window_per_department_in_centre"
            ),
        ]

    def __str__(self):
        return f"{self.number} {self.name}"

    def clean(self):
        from django.core.exceptions import ValidationError

        if (
            self.centre_id
            and self.department_id
            and self.centre.division_id != self.department.division_id
        ):
            raise ValidationError(_("窗口只能代表与服务中心同一区划的部门。"))


class User(AbstractUser):
    public_id = models.UUIDField(_("公开标识"), default=uuid.uuid4, unique=True, editable=False)
    account_type = models.CharField(
        _("账户类型"), max_length=12, choices=AccountType.choices, default=AccountType.PERSON
    )
    real_name = models.CharField(_("姓名"), max_length=50, blank=True)
    # Sealed at rest; registration is unique and a window finds a person by the digest.
    id_number = SealedCharField(_("身份证号码"), plain_length=18, null=True, blank=True)
    id_number_digest = DigestField(source="id_number", null=True, blank=True, unique=True)
    mobile = SealedCharField(_("手机号码"), plain_length=11, blank=True)
    enterprise_name = models.CharField(_("企业名称"), max_length=100, blank=True)
    credit_code = models.CharField(
        _("统一社会信用代码"), max_length=18, null=True, blank=True, unique=True
    )
    legal_representative = models.CharField(_("法定代表人"), max_length=50, blank=True)
    office = models.ForeignKey(
        Office,
        verbose_name=_("所在处室"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="staff",
    )
    window = models.ForeignKey(
        Window,
        verbose_name=_("所在窗口"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="clerks",
    )
    # For staff the division of their department; for observers the division they serve.
    division = models.ForeignKey(
        Division,
        verbose_name=_("所属区划"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    title = models.CharField(_("职务"), max_length=40, blank=True)

    class Meta:
        verbose_name = _("用户")
        verbose_name_plural = _("用户")
        constraints = [
            models.CheckConstraint(
                condition=~Q(account_type=AccountType.ENTERPRISE) | Q(credit_code__isnull=False),
                name="enterprise_has_credit_code",
            ),
        ]

    def __str__(self):
        return self.display_name

    @property
    def display_name(self):
        if self.account_type == AccountType.ENTERPRISE:
            return self.enterprise_name or self.username
        return self.real_name or self.username

    @cached_property
    def roles(self) -> frozenset[str]:
        roles = set(self.role_assignments.values_list("role", flat=True)) if self.pk else set()
        if self.account_type in (AccountType.PERSON, AccountType.ENTERPRISE):
            roles.add(Role.APPLICANT)
        return frozenset(roles)

    def has_role(self, *roles) -> bool:
        return bool(self.roles.intersection(roles))

    @property
    def department(self):
        return self.office.department if self.office_id else None

    @property
    def requires_two_factor(self) -> bool:
        return bool(self.roles & TWO_FACTOR_ROLES)

    @property
    def is_system_client(self) -> bool:
        return False


class RoleAssignment(models.Model):
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="role_assignments")
    role = models.CharField(_("角色"), max_length=12, choices=Role.choices)

    class Meta:
        verbose_name = _("角色")
        verbose_name_plural = _("角色")
        constraints = [models.UniqueConstraint(fields=["user", "role"], name="role_once_per_user")]
        indexes = [models.Index(fields=["role", "user"])]

    def __str__(self):
        return self.get_role_display()


class ApiToken(models.Model):
    """A personal API token. Only its SHA-256 is stored; the token is shown once."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    key_hash = models.CharField(max_length=64, unique=True)
    prefix = models.CharField(_("前缀"), max_length=12)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    expires_at = models.DateTimeField(_("失效时间"))
    last_used_at = models.DateTimeField(_("最近使用"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("吊销时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("个人令牌")
        verbose_name_plural = _("个人令牌")

    def __str__(self):
        return f"{self.prefix}…"


class SystemClient(models.Model):
    """A department system or a lower-level platform (CONTRACTS.md): a token bound
    to one department or one division and a list of allowed actions."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    name = models.CharField(_("系统名称"), max_length=100, unique=True)
    department = models.ForeignKey(
        Department, verbose_name=_("绑定部门"), null=True, blank=True, on_delete=models.PROTECT
    )
    division = models.ForeignKey(
        Division,
        verbose_name=_("绑定区划（下级平台）"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
    )
    allowed_actions = models.JSONField(_("允许的操作"), default=list, blank=True)
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    prefix = models.CharField(_("令牌前缀"), max_length=12, editable=False)
    is_active = models.BooleanField(_("启用"), default=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    last_used_at = models.DateTimeField(_("最近使用"), null=True, blank=True)

    class Meta:
        verbose_name = _("系统接入客户端")
        verbose_name_plural = _("系统接入客户端")
        constraints = [
            models.CheckConstraint(
                condition=(Q(department__isnull=False) & Q(division__isnull=True))
                | (Q(department__isnull=True) & Q(division__isnull=False)),
                name="client_bound_to_department_xor_division",
            ),
        ]

    def __str__(self):
        return self.name

    def clean(self):
        from django.core.exceptions import ValidationError

        if bool(self.department_id) == bool(self.division_id):
            raise ValidationError(_("系统客户端必须且只能绑定一个部门或一个区划。"))
        unknown = set(self.allowed_actions or []) - set(ClientAction.values)
        if unknown:
            raise ValidationError(
                {"allowed_actions": _("未知的操作：%s") % "、".join(sorted(unknown))}
            )

    def allows(self, action: str) -> bool:
        return self.is_active and action in (self.allowed_actions or [])


class RateCounter(models.Model):
    """Attempts under a key (a limit and a client address or person) in the current window:
    one row, counted by an atomic upsert that every worker shares (accounts.ratelimit)."""

    key = models.CharField(max_length=120, primary_key=True)
    count = models.PositiveIntegerField(default=0)
    window_end = models.DateTimeField(db_index=True)

    def __str__(self):
        return f"{self.key}: {self.count}"


class OneTimeCode(models.Model):
    """A code sent out of band (unlocking an account, binding a second factor): kept in
    the database, not a worker's memory, so that any worker checks what another sent.
    Only its hash is kept."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="+")
    purpose = models.CharField(max_length=20)
    code_hash = models.CharField(max_length=64)
    expires_at = models.DateTimeField()
    tries = models.PositiveSmallIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "purpose"], name="one_code_per_purpose")
        ]

    def __str__(self):
        return f"{self.user_id}:{self.purpose}"
