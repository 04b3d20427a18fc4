"""The hall's pages: booking (预约) and 我的预约, the kiosk and the phone's ticket page, a
ticket's status, the display board (叫号屏), the clerk's window, the window's rating device
and supervision's hall view (现场监控). Thin: services decide, selectors read; the API
(shenpi.api.hall) calls the same ones."""

from __future__ import annotations

from datetime import date
from urllib.parse import urlsplit

import segno
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from shenpi.accounts.constants import Role
from shenpi.accounts.models import Window
from shenpi.audit.services import client_ip
from shenpi.cases.constants import WINDOW_PREFILL
from shenpi.common.lookup import by_id
from shenpi.common.security import policy_with_streams
from shenpi.core.errors import DomainError, NotFound

from . import selectors, services
from .constants import TicketSource, WindowState


def _or_404(call, *args, **kwargs):
    try:
        return call(*args, **kwargs)
    except NotFound:
        raise Http404 from None


def halls(request):
    return render(request, "hall/halls.html", {"halls": selectors.halls()})


@require_http_methods(["GET", "POST"])
def book(request, code):
    """Choose an item and a half-day with room, and book it signed in or by a mobile number
    proved with an SMS code (手机号预约)."""
    hall = _or_404(selectors.hall_by_code, code)
    items = selectors.hall_items(hall).select_related("current")
    wanted = request.POST.get("item") or request.GET.get("item") or ""
    item = items.filter(code=wanted).first()
    status = 200
    # 手机号预约: what the person typed comes back on every answer (the code excepted).
    typed = {k: request.POST.get(k, "") for k in ("name", "id_number", "mobile")}
    action = request.POST.get("action", "book")
    if request.method == "POST" and action == "send_code":
        try:
            services.phone_code_send(mobile=typed["mobile"], ip=client_ip(request) or "")
        except DomainError as exc:
            messages.error(request, exc.message)
            status = exc.status
        else:
            messages.success(request, "验证码已发送到您的手机，10 分钟内有效。")
    elif request.method == "POST":
        by_phone = None
        if not request.user.is_authenticated:
            by_phone = {**typed, "sms_code": request.POST.get("sms_code", "")}
        try:
            day = date.fromisoformat(request.POST.get("slot", "").split("|")[0])
            half = request.POST.get("slot", "").split("|")[-1]
        except ValueError:
            day, half = None, ""
        try:
            if item is None:
                raise DomainError("请选择要办理的事项。")
            if day is None:
                raise DomainError("请选择预约时段。")
            booking = services.booking_create(
                actor=request.user, hall=hall, item=item, day=day, half=half, by_phone=by_phone
            )
        except DomainError as exc:
            messages.error(request, exc.message)
            status = exc.status
        else:
            if by_phone is not None:
                return render(request, "hall/booked.html", {"booking": booking}, status=201)
            messages.success(
                request,
                f"预约成功：{booking.day:%Y年%m月%d日}{booking.get_half_display()}，"
                f"预约码 {booking.code}（已发送站内消息和短信）。",
            )
            return redirect("hall:mine")
    blocked = (
        selectors.booking_blocked_until(request.user)
        if request.user.is_authenticated and request.user.has_role(Role.APPLICANT)
        else None
    )
    return render(
        request,
        "hall/book.html",
        {
            "hall": hall,
            "items": items,
            "item": item,
            "slots": selectors.slots_for(hall, item) if item else [],
            "chosen": request.POST.get("slot", ""),
            "blocked": blocked,
            "typed": typed,
        },
        status=status,
    )


@login_required
def mine(request):
    return render(request, "hall/mine.html", {"bookings": selectors.bookings_of(request.user)[:50]})


@login_required
@require_POST
def cancel(request, pk):
    booking = _or_404(selectors.booking_of, request.user, pk)
    try:
        services.booking_cancel(actor=request.user, booking=booking)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, f"已取消预约 {booking.code}。")
    return redirect("hall:mine")


@require_http_methods(["GET", "POST"])
def cancel_link(request, token):
    """The link in a booking-by-phone's SMS: the booking, and a button that cancels it."""
    booking = _or_404(services.booking_by_cancel_token, token)
    if request.method == "POST":
        try:
            booking = services.booking_cancel(actor=request.user, booking=booking, token=token)
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, f"已取消预约 {booking.code}。")
    return render(request, "hall/cancel_link.html", {"booking": booking})


@require_http_methods(["GET", "POST"])
def kiosk(request, code, phone=False):
    """The hall's touch screen (and, by the QR code, a phone): take a ticket per queue, or
    check in a booking by its code or an ID number. The hall's key is in the address."""
    hall = _or_404(selectors.hall_by_code, code)
    key = request.GET.get("k", "")
    status = 200
    # What was typed comes back after a refusal, but an ID number only where it was typed.
    typed = {"code": request.POST.get("code", ""), "walk_in_id": request.POST.get("walk_in_id", "")}
    if request.method == "POST":
        try:
            if request.POST.get("action") == "check_in":
                ticket, _booking = services.check_in(
                    hall=hall,
                    hall_key=key,
                    code=request.POST.get("code", ""),
                    id_number=request.POST.get("id_number", ""),
                )
            else:
                group = hall.groups.filter(letter=request.POST.get("group", "")).first()
                if group is None:
                    raise DomainError("请选择业务类别。")
                ticket = services.ticket_take(
                    actor=request.user,
                    hall=hall,
                    group=group,
                    hall_key=key,
                    source=TicketSource.PHONE if phone else TicketSource.KIOSK,
                    id_number=request.POST.get("walk_in_id", "").strip(),
                )
        except DomainError as exc:
            messages.error(request, exc.message)
            status = exc.status
        else:
            url = reverse("hall:ticket", args=[ticket.pk])
            return redirect(f"{url}?k={key}" if not phone else url)
    return render(
        request,
        "hall/kiosk.html",
        {
            "hall": hall,
            "groups": selectors.kiosk_groups(hall),
            "phone": phone,
            "key": key,
            "typed": typed,
        },  # fmt: skip
        status=status,
    )


def take(request, code):
    return kiosk(request, code, phone=True)


def poster(request, code):
    """The poster printed and put up in the hall: its QR code opens the phone's ticket page
    with the hall's key (a new key, set in the administration, retires old posters)."""
    hall = _or_404(selectors.hall_by_code, code)
    if request.GET.get("k", "") != hall.qr_key:
        raise Http404
    # Printed, so the platform's public address, as on notices and licences.
    url = (
        settings.SHENPI_PUBLIC_URL.rstrip("/")
        + f"{reverse('hall:take', args=[code])}?k={hall.qr_key}"
    )
    qr = segno.make(url, error="m").svg_inline(scale=8, title=f"{hall.centre.name}手机取号")
    return render(request, "hall/poster.html", {"hall": hall, "qr": qr, "url": url})


def ticket(request, pk):
    """A ticket's place: anyone with its link (an unguessable id, printed as a QR code)."""
    found = _or_404(selectors.ticket, pk)
    return render(
        request,
        "hall/ticket.html",
        {
            "ticket": found,
            "position": selectors.ticket_position(found),
            "kiosk_key": request.GET.get("k", ""),
        },  # fmt: skip
    )


def board(request, code):
    """The hall TV: full screen, polling the board's API every second (hall_board.js)."""
    hall = _or_404(selectors.hall_by_code, code)
    return render(request, "hall/board.html", {"hall": hall, "board": selectors.board(hall)})


def device(request, pk):
    """The window's rating device: waits for the clerk to hand it a rating, then opens the
    same rating page as every window rating (channel `window`)."""
    window = by_id(Window, pk)
    if window is None:
        raise Http404
    hall = _or_404(selectors.hall_of_window_or_404, window)
    if request.GET.get("k", "") != hall.qr_key:
        raise Http404
    return render(request, "hall/device.html", {"window": window, "hall": hall})


def _clerk_window(request):
    user = request.user
    if not user.has_role(Role.CLERK) or not user.window_id:
        raise Http404
    return user.window


@login_required
@require_http_methods(["GET", "POST"])
def window(request):
    """The clerk's window: its state, the ticket at it and the calls."""
    win = _clerk_window(request)
    if request.method == "POST":
        action = request.POST.get("action", "")
        at_window = selectors.window_panel(win)["current"]
        try:
            if action in WindowState.values:
                services.window_set_state(
                    actor=request.user, window=win, state=action,
                    reason=request.POST.get("reason", ""),
                )  # fmt: skip
            elif action == "call":
                called = services.call_next(actor=request.user, window=win)
                messages.success(request, f"已呼叫 {called.label}。")
            elif at_window is None:
                raise DomainError("窗口当前没有号。")
            elif action == "recall":
                services.ticket_recall(actor=request.user, ticket=at_window)
            elif action == "skip":
                services.ticket_skip(actor=request.user, ticket=at_window)
                messages.info(request, f"{at_window.label} 已过号。")
            elif action == "transfer":
                to = by_id(Window, request.POST.get("to", ""))
                services.ticket_transfer(actor=request.user, ticket=at_window, to_window=to)
                messages.info(request, f"{at_window.label} 已转往 {to.number} 窗口。")
            elif action == "start":
                services.ticket_start(actor=request.user, ticket=at_window)
                request.session[WINDOW_PREFILL] = {
                    "ticket": at_window.label,
                    "applicant": str(at_window.applicant_id or "") or None,
                    "item": at_window.booking.item.code if at_window.booking else None,
                }
                return redirect("cases:window")
            elif action == "end":
                services.ticket_end(actor=request.user, ticket=at_window)
                request.session.pop(WINDOW_PREFILL, None)
                messages.success(request, f"{at_window.label} 办理结束。")
            elif action == "rate":
                case = selectors.service_case(at_window)
                if case is None:
                    raise DomainError("本号还没有办件，无法评价。")
                services.device_hand(actor=request.user, window=win, case=case)
                messages.success(request, "已请申请人在评价器上评价。")
            else:
                raise DomainError("无法执行该操作。")
        except DomainError as exc:
            messages.error(request, exc.message)
        return redirect("hall:window")
    return render(request, "hall/window.html", selectors.window_panel(win))


@login_required
def monitor_list(request):
    watched = selectors.watched_halls(request.user)
    if not request.user.has_role(*selectors.WATCHERS):
        raise Http404
    return render(
        request,
        "hall/monitor_list.html",
        {"figures": [selectors.hall_figures(h) for h in watched]},
    )


@login_required
def monitor(request, code):
    hall = _or_404(selectors.watched_hall, request.user, code)
    template = "hall/_monitor.html" if request.headers.get("HX-Request") else "hall/monitor.html"
    figures = selectors.hall_figures(hall)
    response = render(request, template, {"f": figures})
    cameras = [urlsplit(w["camera"]) for w in figures["windows"] if w["camera"]]
    response["Content-Security-Policy"] = policy_with_streams(
        f"{c.scheme}://{c.netloc}" for c in cameras if c.scheme in ("http", "https")
    )
    return response
