"""Electronic supervision (电子监察): warning rules, warnings, supervision orders."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


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


class WarningRule(models.Model):
    """Thresholds (CONTRACTS.md "Lights"): yellow from `left <= yellow_left` or `used >=
    ceil(yellow_ratio × limit)`; red when overdue. Per item and step where set; the
    latest active version of the most specific rule applies."""

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


class Warning(models.Model):
    """A yellow or red card, open until the scan clears it."""

    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="warnings")
    task = models.ForeignKey(
        "cases.Task", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    kind = models.CharField(_("类型"), max_length=20, choices=WarningKind.choices)
    level = models.CharField(_("级别"), max_length=6, choices=Level.choices)
    department = models.ForeignKey(
        "accounts.Department", on_delete=models.PROTECT, related_name="+"
    )
    due = models.DateField(_("期限"), null=True, blank=True)
    rule_id = models.CharField(_("规则"), max_length=12, blank=True)
    raised_at = models.DateTimeField(_("发出时间"), auto_now_add=True)
    cleared_at = models.DateTimeField(_("解除时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("预警")
        verbose_name_plural = _("预警")
        constraints = [
            models.UniqueConstraint(
                fields=["case", "task", "kind"],
                condition=Q(cleared_at__isnull=True),
                name="one_open_warning",
                nulls_distinct=False,
            ),
        ]
        indexes = [
            models.Index(
                fields=["department", "level"],
                condition=Q(cleared_at__isnull=True),
                name="open_warnings_by_department",
            )
        ]

    def __str__(self):
        return f"{self.get_level_display()} {self.get_kind_display()} {self.case}"


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
