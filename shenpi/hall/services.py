"""Writing the hall: bookings (book, cancel, check in), tickets (take, call, recall, skip,
transfer, serve, end), the windows' duty and the rating device, the no-show sweep. Each is
one transaction with its audit record; the pages and /api/v1/hall call the same ones."""

from __future__ import annotations

import hashlib
import secrets
from datetime import date, timedelta

from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F, Max, Q
from django.urls import reverse
from django.utils import timezone

from shenpi.accounts import ratelimit
from shenpi.accounts.constants import Role
from shenpi.accounts.validators import validate_id_number, validate_mobile
from shenpi.audit.services import audit_record
from shenpi.common import personal
from shenpi.core.errors import Conflict, InvalidInput, NotAllowed, NotFound, TooMany
from shenpi.notify.services import notify, notify_number
from shenpi.workdays.services import calendar

from . import selectors, slots
from .constants import (
    AT_WINDOW,
    HOLDING,
    BookingStatus,
    Half,
    TicketSource,
    TicketStatus,
    WindowState,
)
from .models import Booking, Hall, ItemGroup, PhoneCode, Ticket, WindowDuty


def _audit(stream: str, action: str, actor, hall: Hall, object_id: str, detail=None,
           label: str = "大厅自助终端"):  # fmt: skip
    """One record per hall action; without a signed-in person it was the hall's kiosk or
    phone page (or, with its own label, a periodic job)."""
    signed_in = getattr(actor, "is_authenticated", False)
    audit_record(
        stream=stream,
        action=action,
        actor=actor if signed_in else None,
        actor_label="" if signed_in else label,
        object_type=stream.split(":")[0],
        object_id=object_id,
        detail=detail,
        division=hall.centre.division_id,
    )


def _person(actor):
    if not getattr(actor, "is_authenticated", False):
        raise NotAllowed("请先登录再预约。", code="login_required")
    if getattr(actor, "is_system_client", False) or not actor.has_role(Role.APPLICANT):
        raise NotAllowed("预约由申请人本人办理。", code="applicants_only")
    return actor


# --- bookings ---------------------------------------------------------------------------------


def phone_code_send(*, mobile: str, ip: str = "") -> None:
    """A code to the mobile number one books by (手机号预约): at most five a number an hour
    and twenty an address an hour, each good for ten minutes and five tries."""
    number = _checked_mobile(mobile)
    digest = personal.digest(number)
    if not ratelimit.allowed(f"hall-code:{digest}", limit=5, window=3600) or (
        ip and not ratelimit.allowed(f"hall-code-ip:{ip}", limit=20, window=3600)
    ):
        raise TooMany("验证码发送过于频繁，请一小时后再试。", code="too_many_codes")
    code = f"{secrets.randbelow(10**6):06d}"
    PhoneCode.objects.update_or_create(
        mobile_digest=digest,
        defaults={
            "code_hash": hashlib.sha256(code.encode()).hexdigest(),
            "expires_at": timezone.now() + timedelta(minutes=10),
            "tries": 0,
        },
    )
    notify_number(number, title="预约验证码", body=f"验证码 {code}，10 分钟内有效。")


def _phone_code_matches(number: str, code: str) -> bool:
    digest = personal.digest(number)
    row = PhoneCode.objects.filter(mobile_digest=digest, expires_at__gt=timezone.now()).first()
    if row is None:
        return False
    if secrets.compare_digest(
        row.code_hash, hashlib.sha256((code or "").strip().encode()).hexdigest()
    ):
        return True
    # A wrong try counts at once, in its own statement: booking_create checks the code
    # before its transaction, so the refusal cannot roll the count back. The fifth ends it.
    if row.tries + 1 >= 5:
        PhoneCode.objects.filter(pk=row.pk).delete()
    else:
        PhoneCode.objects.filter(pk=row.pk).update(tries=F("tries") + 1)
    return False


def _checked_mobile(mobile: str) -> str:
    try:
        return validate_mobile(mobile)
    except ValidationError as exc:
        raise InvalidInput(exc.messages[0], errors={"mobile": exc.messages}) from None


def _by_phone(by_phone: dict) -> tuple[str, str, str]:
    """(name, ID number, mobile) of a booking by phone, the mobile proved by its code."""
    errors = {}
    name = (by_phone.get("name") or "").strip()[:30]
    if not name:
        errors["name"] = ["请填写姓名。"]
    try:
        number = validate_id_number(by_phone.get("id_number", ""))
    except ValidationError as exc:
        errors["id_number"] = exc.messages
    try:
        mobile = validate_mobile(by_phone.get("mobile", ""))
    except ValidationError as exc:
        errors["mobile"] = exc.messages
    if errors:
        raise InvalidInput("；".join(m[0] for m in errors.values()), errors=errors)
    if not _phone_code_matches(mobile, by_phone.get("sms_code", "")):
        raise InvalidInput(
            "短信验证码不正确或已过期，请重新获取。", errors={"sms_code": ["验证码不正确。"]}
        )
    return name, number, mobile


def booking_create(
    *, actor, hall: Hall, item, day: date, half: str, by_phone: dict | None = None
) -> Booking:
    """Book a half-day for an item, signed in or by a proved mobile number (`by_phone`:
    name, id_number, mobile, sms_code): a working day among the bookable ones, a slot with
    room, once a person per item and day, not while a no-show block runs
    (SHENPI_NO_SHOW_LIMIT, counted by the person's ID number across both ways)."""
    if by_phone is None or getattr(actor, "is_authenticated", False):
        person, proved = _person(actor), ("", None, "")
    else:
        person, proved = None, _by_phone(by_phone)  # before the transaction: see above
    return _book(person, proved, hall=hall, item=item, day=day, half=half)


@transaction.atomic
def _book(person, proved, *, hall: Hall, item, day: date, half: str) -> Booking:
    name, number, mobile = proved
    digest = person.id_number_digest if person is not None else personal.digest(number)
    if half not in Half.values:
        raise InvalidInput("请选择上午或下午。", errors={"half": ["无效。"]})
    group = selectors.group_for_item(hall, item)
    if group is None:
        raise InvalidInput(
            f"{hall.centre.short_name or hall.centre.name}没有办理该事项的窗口。",
            errors={"item": ["该中心不办理此事项。"]},
        )
    blocked = selectors.booking_blocked_until(person, id_digest=digest)
    if blocked:
        raise Conflict(
            f"您近一个月内有 {settings.SHENPI_NO_SHOW_LIMIT} 次预约未到，"
            f"{blocked:%Y年%m月%d日}前不能网上预约，可到大厅现场取号办理。",
            code="booking_blocked",
        )
    cal = calendar()
    now = timezone.now()
    today = timezone.localdate()
    if not cal.is_working(day):
        raise InvalidInput(
            f"{day:%Y年%m月%d日}不是工作日，大厅不开放，请选择其他日期。",
            errors={"day": ["非工作日。"]},
        )
    if day not in slots.bookable_days(cal, today) or slots.bounds(hall, day, half)[1] <= now:
        raise InvalidInput("只能预约明天起的工作日时段。", errors={"day": ["不在可预约的日期内。"]})
    # The group's row serialises the bookings of its slots (capacity is read after it).
    ItemGroup.objects.select_for_update().filter(pk=group.pk).first()
    if (
        selectors.bookings_of_person(person, digest)
        .filter(item=item, day=day, status__in=HOLDING)
        .exists()
    ):
        raise Conflict("您已预约该事项在这一天办理，不能重复预约。", code="already_booked")
    slot = selectors.slot(hall, group, day, half)
    if slot.free <= 0:
        raise Conflict("该时段已约满，请选择其他时段。", code="slot_full")
    for _attempt in range(5):
        code = f"{secrets.randbelow(10**6):06d}"
        if not Booking.objects.filter(hall=hall, day=day, code=code).exists():
            break
    try:
        with transaction.atomic():
            booking = Booking.objects.create(
                hall=hall, group=group, item=item, applicant=person, day=day, half=half,
                code=code, name=name, mobile=mobile, id_number=number,
            )  # fmt: skip
    except IntegrityError:
        raise Conflict(
            "您已预约该事项在这一天办理，不能重复预约。", code="already_booked"
        ) from None
    starts, ends = slots.bounds(hall, day, half)
    body = (
        f"您已预约{day:%Y年%m月%d日}{booking.get_half_display()}"
        f"（{starts:%H:%M}—{ends:%H:%M}）到{hall.centre.name}办理“{item.current.name}”，"
        f"预约码 {code}。请于 {starts - slots.CHECK_IN_EARLY:%H:%M} 后凭预约码或身份证号"
        "在大厅自助机签到取号。"
    )
    if person is not None:
        notify(person, title="预约成功", body=body)
    else:
        PhoneCode.objects.filter(mobile_digest=personal.digest(mobile)).delete()
        link = settings.SHENPI_PUBLIC_URL.rstrip("/") + reverse(
            "hall:cancel_link", args=[cancel_token(booking)]
        )
        notify_number(mobile, title="预约成功", body=f"{body}如需取消：{link}")
    _audit(f"booking:{booking.pk}", "booking.create", person, hall, str(booking.pk),
           {"item": item.code, "day": day.isoformat(), "half": half,
            "by": "online" if person else "phone"},
           label="手机号预约")  # fmt: skip
    return booking


CANCEL_SALT = "shenpi.hall.booking-cancel"


def cancel_token(booking: Booking) -> str:
    """The link in a booking-by-phone's SMS that cancels it (the number has no account)."""
    return signing.dumps(str(booking.pk), salt=CANCEL_SALT, compress=True)


def booking_by_cancel_token(token: str) -> Booking:
    try:
        pk = signing.loads(token, salt=CANCEL_SALT, max_age=60 * 60 * 24 * 40)
    except signing.BadSignature:
        raise NotFound("取消链接无效或已过期。") from None
    booking = Booking.objects.select_related("hall__centre", "item__current").filter(pk=pk).first()
    if booking is None:
        raise NotFound("取消链接无效或已过期。")
    return booking


@transaction.atomic
def booking_cancel(*, actor, booking: Booking, token: str = "") -> Booking:
    """The applicant cancels before the half-day opens (by phone: with the SMS's link)."""
    booking = Booking.objects.select_for_update().select_related("hall__centre").get(pk=booking.pk)
    by_link = bool(token) and booking_by_cancel_token(token).pk == booking.pk
    if not by_link and (booking.applicant_id is None or actor.pk != booking.applicant_id):
        raise NotFound("未找到该预约。")
    if booking.status != BookingStatus.BOOKED:
        raise Conflict(f"该预约{booking.get_status_display()}，不能取消。", code="not_cancellable")
    if slots.bounds(booking.hall, booking.day, booking.half)[0] <= timezone.now():
        raise Conflict("预约时段已开始，不能再取消。", code="not_cancellable")
    booking.status = BookingStatus.CANCELLED
    booking.cancelled_at = timezone.now()
    booking.save(update_fields=["status", "cancelled_at"])
    _audit(f"booking:{booking.pk}", "booking.cancel", actor, booking.hall, str(booking.pk),
           label="短信取消链接")  # fmt: skip
    return booking


def no_show_sweep(now=None) -> int:
    """Bookings whose half-day has closed without a check-in become no-shows (the block
    reads the unswept ones too: selectors.booking_blocked_until)."""
    now = now or timezone.now()
    n = 0
    for booking in selectors.unswept_no_shows(now):
        with transaction.atomic():
            updated = Booking.objects.filter(pk=booking.pk, status=BookingStatus.BOOKED).update(
                status=BookingStatus.NO_SHOW
            )
            if updated:
                n += 1
                _audit(f"booking:{booking.pk}", "booking.no_show", None, booking.hall,
                       str(booking.pk), label="系统（爽约统计）")  # fmt: skip
    return n


# --- tickets ----------------------------------------------------------------------------------


def _ensure_open(hall: Hall, now) -> str:
    half = slots.open_half(hall, calendar(), now)
    if half is None:
        opening = selectors.next_opening(hall, now)
        raise Conflict(
            f"{hall.centre.short_name or hall.centre.name}现在不在办公时间，"
            f"请于{opening:%m月%d日 %H:%M}后再来取号。",
            code="hall_closed",
        )
    return half


def _issue(hall, group, *, source, now, applicant=None, booking=None) -> Ticket:
    ItemGroup.objects.select_for_update().filter(pk=group.pk).first()  # numbers in order
    today = timezone.localdate(now)
    last = Ticket.objects.filter(group=group, day=today).aggregate(n=Max("number"))["n"] or 0
    ticket = Ticket.objects.create(
        hall=hall,
        group=group,
        day=today,
        number=last + 1,
        label=f"{group.letter}{last + 1:03d}",
        source=source,
        booking=booking,
        applicant=applicant,
        priority=0 if booking is not None else 1,
        taken_at=now,
    )
    _audit(f"ticket:{ticket.pk}", "ticket.take", applicant, hall, ticket.label,
           {"group": group.letter, "source": source})  # fmt: skip
    return ticket


def in_the_hall(hall: Hall, hall_key: str) -> None:
    """The hall's key (in the kiosk's address and the QR code posted in the hall) shows a
    ticket is taken in the hall, not from home ahead of the people queueing."""
    if not secrets.compare_digest(hall_key or "", hall.qr_key):
        raise NotAllowed(
            "请在大厅的自助取号机上取号，或用手机扫描大厅内张贴的二维码取号。",
            code="hall_key_required",
        )


@transaction.atomic
def ticket_take(*, actor, hall: Hall, group: ItemGroup, hall_key: str,
                source: str = TicketSource.KIOSK, id_number: str = "") -> Ticket:  # fmt: skip
    """A walk-in ticket, in the hall and in opening hours only; a signed-in applicant's (or
    one who gave an ID number at the kiosk) carries them to the window's intake."""
    if group.hall_id != hall.pk:
        raise NotFound("未找到该业务类别。")
    in_the_hall(hall, hall_key)
    now = timezone.now()
    _ensure_open(hall, now)
    signed_in = getattr(actor, "is_authenticated", False) and not getattr(
        actor, "is_system_client", False
    )
    applicant = actor if signed_in and actor.has_role(Role.APPLICANT) else None
    if id_number and applicant is None:
        applicant = selectors.person_by_id_number(_checked_id(id_number))
    return _issue(hall, group, source=source, now=now, applicant=applicant)


def _checked_id(id_number: str) -> str:
    try:
        return validate_id_number(id_number)
    except ValidationError as exc:
        raise InvalidInput(exc.messages[0], errors={"id_number": exc.messages}) from None


@transaction.atomic
def check_in(
    *, hall: Hall, hall_key: str, code: str = "", id_number: str = ""
) -> tuple[Ticket, Booking]:
    """A booked applicant checks in at the kiosk with the booking code or the ID number:
    from half an hour before the half-day opens, the ticket goes ahead of walk-ins; after
    the half-day has closed the booking is late and the applicant gets a walk-in ticket
    (while the hall is open)."""
    in_the_hall(hall, hall_key)
    now = timezone.now()
    today = timezone.localdate(now)
    code = (code or "").strip()
    # Locked alone: the look-up by ID number joins the (nullable) applicant.
    bookings = Booking.objects.select_for_update(of=("self",)).filter(
        hall=hall, day=today, status=BookingStatus.BOOKED
    )
    if code:
        if not code.isdigit() or len(code) != 6:
            raise InvalidInput("预约码为 6 位数字。", errors={"code": ["格式不正确。"]})
        bookings = bookings.filter(code=code)
    elif id_number:
        number = _checked_id(id_number)
        digest = personal.digest(number)
        bookings = bookings.filter(
            Q(applicant__id_number_digest=digest) | Q(id_number_digest=digest)
        )
    else:
        raise InvalidInput("请输入预约码或身份证号码。", errors={"code": ["必填。"]})
    booking = bookings.select_related("group", "item").order_by("half").first()
    if booking is None:
        raise NotFound("未找到您今天在本中心的预约，请核对预约码，或直接取号。")
    opens, closes = slots.check_in_window(hall, booking.day, booking.half)
    if now < opens:
        raise Conflict(
            f"您预约的是{booking.get_half_display()}（{slots.bounds(hall, today, booking.half)[0]:%H:%M} 开始），"
            f"请于 {opens:%H:%M} 后签到。",
            code="too_early",
        )
    if now >= closes:
        _ensure_open(hall, now)  # late and the hall closed: nothing to give
        booking.status = BookingStatus.LATE
        booking.checked_in_at = now
        booking.save(update_fields=["status", "checked_in_at"])
        _audit(f"booking:{booking.pk}", "booking.late", None, hall, str(booking.pk))
        ticket = _issue(hall, booking.group, source=TicketSource.KIOSK, now=now,
                        applicant=booking.applicant)  # fmt: skip
        return ticket, booking
    _ensure_open(hall, max(now, slots.bounds(hall, today, booking.half)[0]))
    booking.status = BookingStatus.CHECKED_IN
    booking.checked_in_at = now
    booking.save(update_fields=["status", "checked_in_at"])
    _audit(f"booking:{booking.pk}", "booking.check_in", None, hall, str(booking.pk))
    ticket = _issue(hall, booking.group, source=TicketSource.BOOKING, now=now,
                    applicant=booking.applicant, booking=booking)  # fmt: skip
    return ticket, booking


# --- the window -------------------------------------------------------------------------------


def window_check(*, actor, window) -> None:
    """The API's read of a window: its own clerk only."""
    _own_window(actor, window)


def _own_window(actor, window):
    """Only the clerk whose window it is acts for it (another window's is not found)."""
    if getattr(actor, "is_system_client", False) or not actor.has_role(Role.CLERK):
        raise NotFound("未找到该窗口。")
    if actor.window_id != window.pk:
        raise NotFound("未找到该窗口。")


def _duty(window) -> WindowDuty:
    duty, _ = WindowDuty.objects.get_or_create(window=window)
    return WindowDuty.objects.select_for_update().get(pk=duty.pk)


@transaction.atomic
def window_set_state(*, actor, window, state: str, reason: str = "") -> WindowDuty:
    """Open, pause (with a reason) or close the window; the clerk opening it is on duty."""
    _own_window(actor, window)
    if state not in WindowState.values:
        raise InvalidInput("窗口状态无效。", errors={"state": ["无效。"]})
    reason = (reason or "").strip()[:60]
    if state == WindowState.PAUSED and not reason:
        raise InvalidInput("暂停窗口须说明原因。", errors={"reason": ["请填写暂停原因。"]})
    duty = _duty(window)
    if (
        state != WindowState.OPEN
        and Ticket.objects.filter(window=window, status__in=AT_WINDOW).exists()
    ):
        raise Conflict("请先结束当前号的办理（或过号）再暂停或关闭窗口。", code="ticket_at_window")
    if duty.state != state or duty.reason != (reason if state == WindowState.PAUSED else ""):
        duty.state = state
        duty.reason = reason if state == WindowState.PAUSED else ""
        duty.clerk = actor if state != WindowState.CLOSED else None
        duty.since = timezone.now()
        duty.told = ""
        duty.save()
        hall = selectors.hall_of_window(window)
        _audit(f"window:{window.pk}", f"window.{state}", actor, hall, window.number,
               {"reason": duty.reason})  # fmt: skip
    return duty


def call_next(*, actor, window) -> Ticket:
    """Call the next ticket for this window: one transferred to it first, then its groups'
    booked tickets, then walk-ins, each in the order taken. The claim is a conditional
    update, so when two windows reach for the same ticket exactly one gets it and the
    other takes the next."""
    _own_window(actor, window)
    for _attempt in range(20):
        try:
            with transaction.atomic():
                duty = _duty(window)
                if duty.state != WindowState.OPEN:
                    raise Conflict("窗口未开放，请先开放窗口再叫号。", code="window_not_open")
                if Ticket.objects.filter(window=window, status__in=AT_WINDOW).exists():
                    raise Conflict("当前号尚未办结，请先结束办理或过号。", code="ticket_at_window")
                candidate = selectors.next_ticket(window)
                if candidate is None:
                    raise Conflict("当前没有等候的号。", code="queue_empty")
                now = timezone.now()
                won = Ticket.objects.filter(pk=candidate.pk, status=TicketStatus.WAITING).update(
                    status=TicketStatus.CALLED, window=window, called_by=actor,
                    called_at=now, announced_at=now, calls=1,
                )  # fmt: skip
                if not won:
                    continue
                ticket = Ticket.objects.select_related("hall__centre").get(pk=candidate.pk)
                _audit(f"ticket:{ticket.pk}", "ticket.call", actor, ticket.hall, ticket.label,
                       {"window": window.number})  # fmt: skip
                return ticket
        except IntegrityError:
            continue  # this window got another ticket meanwhile (a double click): ask again
    raise Conflict("叫号繁忙，请重试。", code="call_busy")


def _at_window(actor, ticket: Ticket, states) -> Ticket:
    ticket = (
        Ticket.objects.select_for_update(of=("self",))
        .select_related("hall__centre", "window")
        .get(pk=ticket.pk)
    )
    # Another centre's ticket, or one at another window, is not found; one of this centre's
    # that is not at the clerk's window is out of turn.
    if ticket.window is not None:
        _own_window(actor, ticket.window)
    elif getattr(getattr(actor, "window", None), "centre_id", None) != ticket.hall.centre_id:
        raise NotFound("未找到该号。")
    if ticket.window is None or ticket.status not in states:
        raise Conflict(f"该号{ticket.get_status_display()}，不能执行此操作。", code="out_of_turn")
    return ticket


@transaction.atomic
def ticket_recall(*, actor, ticket: Ticket) -> Ticket:
    """再次呼叫: the board announces it again."""
    ticket = _at_window(actor, ticket, (TicketStatus.CALLED,))
    ticket.announced_at = timezone.now()
    ticket.calls += 1
    ticket.save(update_fields=["announced_at", "calls"])
    _audit(f"ticket:{ticket.pk}", "ticket.recall", actor, ticket.hall, ticket.label)
    return ticket


@transaction.atomic
def ticket_skip(*, actor, ticket: Ticket) -> Ticket:
    """过号: called and not come; the window is free for the next."""
    ticket = _at_window(actor, ticket, (TicketStatus.CALLED,))
    ticket.status = TicketStatus.SKIPPED
    ticket.ended_at = timezone.now()
    ticket.save(update_fields=["status", "ended_at"])
    _audit(f"ticket:{ticket.pk}", "ticket.skip", actor, ticket.hall, ticket.label)
    return ticket


@transaction.atomic
def ticket_transfer(*, actor, ticket: Ticket, to_window) -> Ticket:
    """转窗口: back to waiting, for that window alone, ahead of its queue."""
    ticket = _at_window(actor, ticket, AT_WINDOW)
    if to_window is None:
        raise InvalidInput("请选择要转往的窗口。", errors={"window": ["必填。"]})
    if to_window.pk == ticket.window_id or to_window.centre_id != ticket.window.centre_id:
        raise InvalidInput("请选择本中心的另一个窗口。", errors={"window": ["无效。"]})
    ticket.status = TicketStatus.WAITING
    ticket.for_window = to_window
    ticket.window = None
    ticket.priority = 0
    ticket.save(update_fields=["status", "for_window", "window", "priority"])
    _audit(f"ticket:{ticket.pk}", "ticket.transfer", actor, ticket.hall, ticket.label,
           {"to": to_window.number})  # fmt: skip
    return ticket


@transaction.atomic
def ticket_start(*, actor, ticket: Ticket) -> Ticket:
    """The applicant has come to the window: the service starts (and the wait ends)."""
    ticket = _at_window(actor, ticket, AT_WINDOW)
    if ticket.status == TicketStatus.CALLED:
        ticket.status = TicketStatus.SERVING
        ticket.service_started_at = timezone.now()
        ticket.save(update_fields=["status", "service_started_at"])
        _audit(f"ticket:{ticket.pk}", "ticket.start", actor, ticket.hall, ticket.label)
    return ticket


@transaction.atomic
def ticket_end(*, actor, ticket: Ticket) -> Ticket:
    ticket = _at_window(actor, ticket, (TicketStatus.SERVING,))
    ticket.status = TicketStatus.DONE
    ticket.ended_at = timezone.now()
    case = selectors.service_case(ticket)
    ticket.case_id = case.pk if case is not None else None
    ticket.save(update_fields=["status", "ended_at", "case"])
    _audit(f"ticket:{ticket.pk}", "ticket.end", actor, ticket.hall, ticket.label)
    return ticket


@transaction.atomic
def device_hand(*, actor, window, case) -> WindowDuty:
    """Hand the window's rating device to the applicant for this case (the same rating as
    online, channel `window`: supervision's rule on who may rate and when)."""
    from shenpi.supervision.feedback import window_rating_open

    _own_window(actor, window)
    token = window_rating_open(actor=actor, case=case)
    duty = _duty(window)
    duty.device_token = token
    duty.device_at = timezone.now()
    duty.save(update_fields=["device_token", "device_at"])
    return duty


def device_pending(window) -> str:
    """The token the device should open now ("" when none): a hand-over of the last ten
    minutes not yet used."""
    duty = WindowDuty.objects.filter(window=window).first()
    if duty is None or not duty.device_token or duty.device_at is None:
        return ""
    if timezone.now() - duty.device_at > timedelta(minutes=10):
        return ""
    return duty.device_token


def device_take(window) -> str:
    """The device takes the pending hand-over once (the rating page is good for half an hour)."""
    token = device_pending(window)
    if token:
        WindowDuty.objects.filter(window=window, device_token=token).update(device_token="")
    return token
