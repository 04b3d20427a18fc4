"""全程代理's investment projects: the items a project needs, which depends on which, and
the case each item is handled in; the templates administrators keep for common kinds of
project."""

import uuid

from django.db import models
from django.utils.translation import gettext_lazy as _


class ProjectTemplate(models.Model):
    """e.g. 一般工业项目: the approvals such a project needs and their order."""

    name = models.CharField(_("模板名称"), max_length=60, unique=True)
    description = models.TextField(_("适用情形"), blank=True)
    is_active = models.BooleanField(_("启用"), default=True)

    class Meta:
        verbose_name = _("项目模板")
        verbose_name_plural = _("项目模板")
        ordering = ["name"]

    def __str__(self):
        return self.name


class TemplateStep(models.Model):
    template = models.ForeignKey(ProjectTemplate, on_delete=models.CASCADE, related_name="steps")
    item = models.ForeignKey("catalog.Item", verbose_name=_("事项"), on_delete=models.PROTECT)
    order = models.PositiveSmallIntegerField(_("顺序"), default=0)
    depends_on = models.ManyToManyField(
        "self", verbose_name=_("前置事项"), symmetrical=False, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("模板事项")
        verbose_name_plural = _("模板事项")
        ordering = ["order", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["template", "item"], name="template_step_once")
        ]

    def __str__(self):
        return f"{self.template}: {self.item}"


class Project(models.Model):
    """One investor's investment project, carried through its approvals by an agent under
    the project's authorisation (cases.Authorisation, scope "project")."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    code = models.CharField(_("项目代码"), max_length=24, unique=True)
    name = models.CharField(_("项目名称"), max_length=100)
    investor = models.ForeignKey(
        "accounts.User", verbose_name=_("投资者"), on_delete=models.PROTECT, related_name="+"
    )
    agent = models.ForeignKey(
        "accounts.User", verbose_name=_("代理员"), on_delete=models.PROTECT, related_name="+"
    )
    authorisation = models.OneToOneField(
        "cases.Authorisation",
        verbose_name=_("委托书"),
        on_delete=models.PROTECT,
        related_name="project",
    )
    division = models.ForeignKey(
        "accounts.Division", verbose_name=_("建设地点区划"), on_delete=models.PROTECT,
        related_name="+",
    )  # fmt: skip
    location = models.CharField(_("建设地点"), max_length=120)
    investment = models.DecimalField(_("总投资（万元）"), max_digits=12, decimal_places=2)
    industry = models.CharField(_("所属行业"), max_length=40)
    template = models.ForeignKey(
        ProjectTemplate, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # The completion date the timeline gave when the project was opened; supervision
    # judges the project against it.
    planned_completion = models.DateField(_("计划完成日期"), null=True, blank=True)
    opened_at = models.DateTimeField(_("建立时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("代理项目")
        verbose_name_plural = _("代理项目")
        indexes = [
            models.Index(fields=["agent", "-opened_at"], name="project_by_agent"),
            models.Index(fields=["investor", "-opened_at"], name="project_by_investor"),
        ]

    def __str__(self):
        return f"{self.name}（{self.code}）"

    def item_ids(self) -> set[int]:
        """The catalogue items this project covers (cases.authorisations.covers reads it)."""
        return set(self.items.values_list("item_id", flat=True))


class ProjectItem(models.Model):
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="items")
    item = models.ForeignKey("catalog.Item", verbose_name=_("事项"), on_delete=models.PROTECT)
    order = models.PositiveSmallIntegerField(default=0)
    depends_on = models.ManyToManyField(
        "self", verbose_name=_("前置事项"), symmetrical=False, blank=True, related_name="needed_by"
    )
    # The case the item is handled in now (the latest, if an earlier one ended).
    case = models.OneToOneField(
        "cases.Case", null=True, blank=True, on_delete=models.PROTECT, related_name="project_item"
    )

    class Meta:
        verbose_name = _("项目事项")
        verbose_name_plural = _("项目事项")
        ordering = ["order", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["project", "item"], name="project_item_once")
        ]

    def __str__(self):
        return f"{self.project.name}: {self.item}"
