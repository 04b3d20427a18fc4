from datetime import timedelta

from django.db import models
from django.utils.translation import gettext_lazy as _


class Half(models.TextChoices):
    AM = "am", _("上午")
    PM = "pm", _("下午")


class BookingStatus(models.TextChoices):
    BOOKED = "booked", _("已预约")
    CHECKED_IN = "checked_in", _("已签到")
    LATE = "late", _("迟到，已转现场取号")
    CANCELLED = "cancelled", _("已取消")
    NO_SHOW = "no_show", _("爽约")


# A booking holds its slot while it is booked or has been checked in.
HOLDING = (BookingStatus.BOOKED, BookingStatus.CHECKED_IN)


class TicketStatus(models.TextChoices):
    WAITING = "waiting", _("等候中")
    CALLED = "called", _("已呼叫")
    SERVING = "serving", _("办理中")
    DONE = "done", _("已办结")
    SKIPPED = "skipped", _("过号")


AT_WINDOW = (TicketStatus.CALLED, TicketStatus.SERVING)


class TicketSource(models.TextChoices):
    KIOSK = "kiosk", _("自助取号机")
    PHONE = "phone", _("手机扫码")
    BOOKING = "booking", _("预约签到")


class WindowState(models.TextChoices):
    OPEN = "open", _("开放")
    PAUSED = "paused", _("暂停")
    CLOSED = "closed", _("关闭")


# A booked applicant may check in from half an hour before the half-day opens; after it
# closes the booking is late and the applicant takes a walk-in ticket instead.
CHECK_IN_EARLY = timedelta(minutes=30)
# Online booking: from tomorrow, this many working days ahead.
BOOKING_DAYS = 10
# The display board shows the latest calls of the day.
BOARD_CALLS = 8
