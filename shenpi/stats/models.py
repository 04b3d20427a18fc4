"""The rollup: one row per change a figure counts (a delta, written in the transition's
own transaction, inserted and never updated, so concurrent submissions queue on no
shared counter row), compacted by the periodic job into one row per day, department,
item, measure and bucket. A figure is the sum of its rows over a period."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Measure(models.TextChoices):
    RECEIVED = "received", _("收件")
    ACCEPTED = "accepted", _("受理")
    NOT_ACCEPTED = "not_accepted", _("不予受理")
    GRANTED = "granted", _("准予许可")
    REFUSED = "refused", _("不予许可")
    WITHDRAWN = "withdrawn", _("撤回")
    CORRECTION = "correction", _("一次性告知补正")
    SUSPENDED = "suspended", _("特别程序")
    EXTENDED = "extended", _("延期")
    # Per decision: the working days from acceptance to decision (clock paused days
    # excluded) as the bucket, and whether it met each limit.
    DECIDED_DAYS = "decided_days", _("办理用时")
    LATE_PROMISED = "late_promised", _("超承诺期限")
    LATE_STATUTORY = "late_statutory", _("超法定期限")
    # Per step of the flow done: its working days as the bucket (`step` names it).
    STEP_DAYS = "step_days", _("环节用时")


class Tally(models.Model):
    id = models.BigAutoField(primary_key=True)
    day = models.DateField(_("日期"))
    # Read by department and day (tally_department_day); no index of their own: they
    # would cost a million cases' rollup more than it weighs.
    division = models.ForeignKey(
        "accounts.Division", on_delete=models.PROTECT, related_name="+", db_index=False
    )
    department = models.ForeignKey(
        "accounts.Department", on_delete=models.PROTECT, related_name="+", db_index=False
    )
    item = models.ForeignKey(
        "catalog.Item", on_delete=models.PROTECT, related_name="+", db_index=False
    )
    measure = models.CharField(_("指标"), max_length=16, choices=Measure.choices)
    step = models.CharField(_("环节"), max_length=30, blank=True, default="")
    bucket = models.SmallIntegerField(_("分组"), default=0)
    n = models.IntegerField(_("件数"), default=1)
    compacted = models.BooleanField(_("已合并"), default=False)

    class Meta:
        verbose_name = _("统计汇总")
        verbose_name_plural = _("统计汇总")
        indexes = [
            models.Index(
                fields=["department", "day"],
                name="tally_department_day",
                include=["item", "measure", "bucket", "n"],
            ),
            models.Index(fields=["day"], condition=models.Q(compacted=False), name="tally_deltas"),
        ]

    def __str__(self):
        return f"{self.day} {self.measure} {self.n}"


class ForecastRun(models.Model):
    """One run of the forecast (stats.forecast.forecast_all): when, from how much
    history, and how well the model did on the months it was not shown."""

    made_on = models.DateField(_("计算日期"))
    first_month = models.DateField(_("预测起始月"))
    history_months = models.PositiveSmallIntegerField(_("最长历史（月）"), default=0)
    series = models.PositiveIntegerField(_("预测序列数"), default=0)
    wape = models.FloatField(_("留出月加权绝对百分比误差"), null=True, blank=True)
    coverage = models.FloatField(_("留出月落入区间的比例"), null=True, blank=True)

    class Meta:
        verbose_name = _("申请量预测")
        verbose_name_plural = _("申请量预测")

    def __str__(self):
        return f"{self.made_on} {self.series}"


class Forecast(models.Model):
    run = models.ForeignKey(ForecastRun, on_delete=models.CASCADE, related_name="rows")
    department = models.ForeignKey(
        "accounts.Department", on_delete=models.CASCADE, related_name="+"
    )
    item = models.ForeignKey("catalog.Item", on_delete=models.CASCADE, related_name="+")
    horizon = models.CharField(_("期间"), max_length=8)  # "month" | "quarter"
    expected = models.FloatField(_("预计申请量"))
    low = models.FloatField(_("区间下限"))
    high = models.FloatField(_("区间上限"))
    # The series' six held-out months: its absolute error, the actual count, and how
    # many fell within their intervals (summed for any set of departments).
    held_out_error = models.FloatField(default=0)
    held_out_actual = models.FloatField(default=0)
    held_out_within = models.PositiveSmallIntegerField(default=0)

    def __str__(self):
        return f"{self.item_id} {self.horizon} {self.expected}"


class ManagementReview(models.Model):
    """质量管理评审: a division's monthly review as a PDF (stats.review)."""

    division = models.ForeignKey("accounts.Division", on_delete=models.PROTECT, related_name="+")
    month = models.DateField(_("月份"))  # its first day
    file = models.FileField(upload_to="reviews/%Y/")
    size = models.PositiveIntegerField(default=0)
    generated_at = models.DateTimeField(_("生成时间"))
    generated_by = models.ForeignKey(
        "accounts.User", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("质量管理评审报告")
        verbose_name_plural = _("质量管理评审报告")
        constraints = [
            models.UniqueConstraint(fields=["division", "month"], name="one_review_a_month")
        ]
        ordering = ["-month", "division__path"]

    def __str__(self):
        return f"{self.division_id} {self.month:%Y-%m}"
