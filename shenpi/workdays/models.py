"""The administrator's calendar table, laid over the `holidays` library's China
calendar (CONTRACTS.md "The clock")."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class DayKind(models.TextChoices):
    HOLIDAY = "holiday", _("放假（不计工作日）")
    WORKDAY = "workday", _("调休上班（计工作日）")


class CalendarDay(models.Model):
    date = models.DateField(_("日期"), unique=True)
    kind = models.CharField(_("类型"), max_length=10, choices=DayKind.choices)
    note = models.CharField(_("说明"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("节假日调整")
        verbose_name_plural = _("节假日调整")
        ordering = ["date"]

    def __str__(self):
        return f"{self.date} {self.get_kind_display()}"


class CalendarYear(models.Model):
    """A year the administrator declares official (its 放假安排 announced and entered)."""

    year = models.PositiveSmallIntegerField(_("年份"), primary_key=True)
    official = models.BooleanField(_("已公布（正式）"), default=True)
    notice = models.CharField(_("依据的通知"), max_length=200, blank=True)
    recomputed_at = models.DateTimeField(_("重算时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("年度放假安排")
        verbose_name_plural = _("年度放假安排")
        ordering = ["-year"]

    def __str__(self):
        return str(self.year)
