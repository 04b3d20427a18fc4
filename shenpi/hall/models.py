"""The service hall (服务大厅): a centre's opening hours and promises, its queues (item
groups served by windows), its windows' duty, appointments and queue tickets."""

import secrets
import uuid
from datetime import time

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from shenpi.common.fields import DigestField, SealedCharField

from .constants import HOLDING, BookingStatus, Half, TicketSource, TicketStatus, WindowState


def _qr_key():
    return secrets.token_urlsafe(12)


class Hall(models.Model):
    """A service centre's hall: when it is open on working days (the platform's calendar),
    how many bookings a window takes per half-day, and what the centre promises about
    waiting (the lights' thresholds)."""

    centre = models.OneToOneField(
        "accounts.Department",
        verbose_name=_("政务服务中心"),
        on_delete=models.PROTECT,
        related_name="hall",
    )
    am_opens = models.TimeField(_("上午开始"), default=time(9, 0))
    am_closes = models.TimeField(_("上午结束"), default=time(12, 0))
    pm_opens = models.TimeField(_("下午开始"), default=time(13, 30))
    pm_closes = models.TimeField(_("下午结束"), default=time(17, 30))
    bookings_per_window = models.PositiveSmallIntegerField(_("每窗口每半天可预约数"), default=8)
    minutes_per_service = models.PositiveSmallIntegerField(
        _("预估每件办理分钟数（无当日数据时）"), default=10
    )
    wait_yellow_minutes = models.PositiveSmallIntegerField(
        _("承诺等候时间（黄灯，分钟）"), default=30
    )
    wait_red_minutes = models.PositiveSmallIntegerField(_("等候红灯（分钟）"), default=60)
    pause_yellow_minutes = models.PositiveSmallIntegerField(_("窗口暂停黄灯（分钟）"), default=15)
    pause_red_minutes = models.PositiveSmallIntegerField(_("窗口暂停红灯（分钟）"), default=30)
    # The key in the hall's printed QR code: a phone takes a ticket only from inside the hall.
    qr_key = models.CharField(_("大厅二维码密钥"), max_length=24, default=_qr_key)

    class Meta:
        verbose_name = _("服务大厅")
        verbose_name_plural = _("服务大厅")
        ordering = ["centre__code"]

    def __str__(self):
        return self.centre.name

    def hours(self, half: str) -> tuple[time, time]:
        if half == Half.AM:
            return self.am_opens, self.am_closes
        return self.pm_opens, self.pm_closes


class ItemGroup(models.Model):
    """A queue of the hall: the items of its windows' departments, called by its windows;
    its letter starts every ticket number (A012)."""

    hall = models.ForeignKey(Hall, on_delete=models.CASCADE, related_name="groups")
    letter = models.CharField(_("号段字母"), max_length=1)
    name = models.CharField(_("业务类别"), max_length=40)
    windows = models.ManyToManyField(
        "accounts.Window", verbose_name=_("办理窗口"), related_name="item_groups"
    )

    class Meta:
        verbose_name = _("业务类别")
        verbose_name_plural = _("业务类别")
        ordering = ["hall", "letter"]
        constraints = [
            models.UniqueConstraint(fields=["hall", "letter"], name="group_letter_unique_in_hall")
        ]

    def __str__(self):
        return f"{self.letter} {self.name}"


class WindowDuty(models.Model):
    """A window's state (open, paused with a reason, closed) and the clerk on duty."""

    window = models.OneToOneField(
        "accounts.Window", on_delete=models.CASCADE, primary_key=True, related_name="duty"
    )
    state = models.CharField(
        _("窗口状态"), max_length=8, choices=WindowState.choices, default=WindowState.CLOSED
    )
    reason = models.CharField(_("暂停原因"), max_length=60, blank=True)
    clerk = models.ForeignKey(
        "accounts.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    since = models.DateTimeField(_("状态开始"), null=True, blank=True)
    # The window's rating device shows the rating page this token opens (good for half an
    # hour, supervision.feedback.window_rating_open), set when the clerk hands it over.
    device_token = models.CharField(max_length=200, blank=True)
    device_at = models.DateTimeField(null=True, blank=True)
    # The scan's last light told to the centre's heads for this pause ("", yellow, red).
    told = models.CharField(max_length=6, blank=True)
    # The window's camera (an HLS playlist on the hall's video server) for the hall view.
    camera_url = models.URLField(_("监控视频地址（HLS）"), blank=True)

    class Meta:
        verbose_name = _("窗口值守")
        verbose_name_plural = _("窗口值守")

    def __str__(self):
        return f"{self.window_id} {self.get_state_display()}"


class Booking(models.Model):
    """An appointment (预约) for an item on a half-day of a working day."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    hall = models.ForeignKey(Hall, on_delete=models.PROTECT, related_name="bookings")
    group = models.ForeignKey(ItemGroup, on_delete=models.PROTECT, related_name="bookings")
    item = models.ForeignKey("catalog.Item", on_delete=models.PROTECT, related_name="+")
    # Signed in (在线预约), or none: booked by a verified mobile number (手机号预约), with the
    # person's name and ID number (sealed; the kiosk finds the booking by its digest).
    applicant = models.ForeignKey(
        "accounts.User",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="hall_bookings",
    )
    name = models.CharField(_("姓名"), max_length=30, blank=True)
    mobile = SealedCharField(_("手机号码"), plain_length=11, blank=True)
    id_number = SealedCharField(_("身份证号码"), plain_length=18, null=True, blank=True)
    id_number_digest = DigestField(source="id_number", null=True, blank=True, db_index=True)
    day = models.DateField(_("预约日期"))
    half = models.CharField(_("时段"), max_length=2, choices=Half.choices)
    code = models.CharField(_("预约码"), max_length=8)
    status = models.CharField(
        _("状态"), max_length=12, choices=BookingStatus.choices, default=BookingStatus.BOOKED
    )
    created_at = models.DateTimeField(auto_now_add=True)
    checked_in_at = models.DateTimeField(null=True, blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("预约")
        verbose_name_plural = _("预约")
        ordering = ["day", "half", "created_at"]
        indexes = [
            models.Index(fields=["hall", "day", "half", "group"], name="booking_slot"),
            models.Index(fields=["applicant", "status", "day"], name="booking_applicant"),
        ]
        constraints = [
            models.UniqueConstraint(fields=["hall", "day", "code"], name="booking_code_unique"),
            # Once for an item and a day (the service's error says so; this holds under races).
            models.UniqueConstraint(
                fields=["applicant", "item", "day"],
                condition=Q(status__in=HOLDING),
                name="one_booking_per_item_and_day",
            ),
            models.UniqueConstraint(
                fields=["id_number_digest", "item", "day"],
                condition=Q(status__in=HOLDING),
                name="one_phone_booking_per_item_and_day",
            ),
        ]

    def __str__(self):
        return f"{self.day} {self.get_half_display()} {self.code}"


class PhoneCode(models.Model):
    """The code that proves a mobile number before booking by it (手机号预约): kept hashed
    in the database, so any worker checks what another sent; ten minutes, five tries."""

    mobile_digest = models.CharField(max_length=32, unique=True)
    code_hash = models.CharField(max_length=64)
    expires_at = models.DateTimeField()
    tries = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("预约验证码")
        verbose_name_plural = _("预约验证码")

    def __str__(self):
        return self.mobile_digest


class Ticket(models.Model):
    """A queue ticket (取号): taken at the kiosk, by phone, or at a booking's check-in;
    called, served and ended at a window, with every moment kept for the waits."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    hall = models.ForeignKey(Hall, on_delete=models.PROTECT, related_name="tickets")
    group = models.ForeignKey(ItemGroup, on_delete=models.PROTECT, related_name="tickets")
    day = models.DateField()
    number = models.PositiveIntegerField()
    label = models.CharField(_("号码"), max_length=8)
    source = models.CharField(_("取号方式"), max_length=8, choices=TicketSource.choices)
    booking = models.OneToOneField(
        Booking, null=True, blank=True, on_delete=models.SET_NULL, related_name="ticket"
    )
    applicant = models.ForeignKey(
        "accounts.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # 0 booked (ahead of walk-ins), 1 walk-in; a transferred ticket keeps its place.
    priority = models.PositiveSmallIntegerField(default=1)
    status = models.CharField(
        _("状态"), max_length=8, choices=TicketStatus.choices, default=TicketStatus.WAITING
    )
    taken_at = models.DateTimeField(_("取号时间"))
    # Transferred to a window (转窗口): only that window calls it.
    for_window = models.ForeignKey(
        "accounts.Window", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    window = models.ForeignKey(
        "accounts.Window", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    called_by = models.ForeignKey(
        "accounts.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    called_at = models.DateTimeField(_("叫号时间"), null=True, blank=True)
    # The last time the board announced it (a call or 再次呼叫).
    announced_at = models.DateTimeField(null=True, blank=True)
    calls = models.PositiveSmallIntegerField(default=0)
    service_started_at = models.DateTimeField(_("开始办理"), null=True, blank=True)
    ended_at = models.DateTimeField(_("结束时间"), null=True, blank=True)
    case = models.ForeignKey(
        "cases.Case", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    told = models.CharField(max_length=6, blank=True)  # the scan's last light told

    class Meta:
        verbose_name = _("排队号")
        verbose_name_plural = _("排队号")
        ordering = ["day", "group", "number"]
        indexes = [
            models.Index(
                fields=["group", "day", "status", "priority", "taken_at"], name="ticket_queue"
            ),
            models.Index(fields=["hall", "day", "announced_at"], name="ticket_board"),
            models.Index(fields=["window", "status"], name="ticket_window"),
        ]
        constraints = [
            models.UniqueConstraint(fields=["group", "day", "number"], name="ticket_number_unique"),
            # One ticket at a window at a time: the call race's last line.
            models.UniqueConstraint(
                fields=["window"],
                condition=Q(status__in=["called", "serving"]),
                name="one_ticket_at_a_window",
            ),
        ]

    def __str__(self):
        return self.label
