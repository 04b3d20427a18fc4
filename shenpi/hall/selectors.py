"""Reading the hall: slots, the queue's order and who is ahead, the display board, a
window's panel and the live figures supervision watches (现场监控)."""

from __future__ import annotations

import math
from datetime import date, datetime, timedelta

from django.conf import settings
from django.db.models import Case, Count, IntegerField, Q, Value, When
from django.utils import timezone

from shenpi.accounts.constants import Role
from shenpi.accounts.models import User, Window
from shenpi.accounts.scope import scope_for
from shenpi.common import personal
from shenpi.core.errors import NotFound
from shenpi.workdays.services import calendar

from . import slots as hall_slots
from .constants import AT_WINDOW, BOARD_CALLS, HOLDING, BookingStatus, Half, TicketStatus
from .models import Booking, Hall, ItemGroup, Ticket, WindowDuty

WATCHERS = (Role.SUPERVISOR, Role.LEADER, Role.HEAD)


def hall_by_code(code: str) -> Hall:
    hall = Hall.objects.select_related("centre__division").filter(centre__code=code).first()
    if hall is None:
        raise NotFound("未找到该服务大厅。")
    return hall


def halls():
    return Hall.objects.select_related("centre__division").order_by("centre__division__path")


def device_addresses() -> list[str]:
    """Each hall's devices' addresses, for the demo's listing."""
    from django.urls import reverse

    out = []
    for hall in halls():
        code, key = hall.centre.code, hall.qr_key
        out.append(
            f"{hall.centre.name}：自助取号机 {reverse('hall:kiosk', args=[code])}?k={key} · "
            f"叫号屏 {reverse('hall:board', args=[code])} · "
            f"大厅二维码 {reverse('hall:poster', args=[code])}?k={key}"
        )
    return out


def watched_halls(user):
    """The halls a supervisor, leader or centre head watches: their divisions' and those
    below (a centre's head: their own centre)."""
    if getattr(user, "is_system_client", False) or not user.has_role(*WATCHERS):
        return Hall.objects.none()
    return halls().filter(scope_for(user).department_q("centre"))


def watched_hall(user, code: str) -> Hall:
    hall = watched_halls(user).filter(centre__code=code).first()
    if hall is None:
        raise NotFound("未找到该服务大厅。")
    return hall


def hall_of_window(window) -> Hall:
    return Hall.objects.select_related("centre").get(centre_id=window.centre_id)


def hall_of_window_or_404(window) -> Hall:
    hall = Hall.objects.select_related("centre").filter(centre_id=window.centre_id).first()
    if hall is None:
        raise NotFound("该窗口所在的中心未设服务大厅。")
    return hall


def group_for_item(hall: Hall, item) -> ItemGroup | None:
    """The queue whose windows act for the item's department."""
    return hall.groups.filter(windows__department_id=item.department_id).first()


def hall_items(hall: Hall):
    from shenpi.catalog.models import Item

    departments = Window.objects.filter(item_groups__hall=hall).values("department_id")
    return (
        Item.objects.filter(
            department_id__in=departments, current__isnull=False, abolished_at__isnull=True
        )
        .select_related("department")
        .order_by("department__code", "code")
    )


def slot(hall: Hall, group: ItemGroup, day: date, half: str) -> hall_slots.Slot:
    starts, ends = hall_slots.bounds(hall, day, half)
    booked = Booking.objects.filter(group=group, day=day, half=half, status__in=HOLDING).count()
    return hall_slots.Slot(
        day, half, starts, ends, group.windows.count() * hall.bookings_per_window, booked
    )


def slots_for(hall: Hall, item) -> list[hall_slots.Slot]:
    group = group_for_item(hall, item)
    if group is None:
        return []
    today = timezone.localdate()
    cal = calendar()
    days = hall_slots.bookable_days(cal, today)
    booked = {
        (row["day"], row["half"]): row["n"]
        for row in Booking.objects.filter(
            group=group, day__in=days, status__in=HOLDING
        ).values("day", "half").annotate(n=Count("pk")).order_by()
    }  # fmt: skip
    return hall_slots.slots(hall, cal, group.windows.count(), booked, today, timezone.now())


def bookings_of(user):
    return (
        Booking.objects.filter(applicant=user)
        .select_related("hall__centre", "item")
        .order_by("-day", "-created_at")
    )


def booking_of(user, pk) -> Booking:
    from shenpi.common.lookup import by_id

    booking = by_id(bookings_of(user), pk)
    if booking is None:
        raise NotFound("未找到该预约。")
    return booking


def _closed_before(now: datetime) -> Q:
    """Bookings whose half-day closed before `now` (by each hall's hours)."""
    today = timezone.localdate(now)
    local = timezone.localtime(now).time()
    return Q(day__lt=today) | Q(
        day=today, half=Half.AM, hall__am_closes__lte=local
    ) | Q(day=today, half=Half.PM, hall__pm_closes__lte=local)  # fmt: skip


def unswept_no_shows(now: datetime):
    return Booking.objects.filter(_closed_before(now), status=BookingStatus.BOOKED).select_related(
        "hall__centre"
    )


def bookings_of_person(user, id_digest: str | None):
    """A person's bookings both ways: signed in, and by phone under their ID number."""
    q = Q(pk__in=[])
    if user is not None:
        q |= Q(applicant=user)
    if id_digest:
        q |= Q(id_number_digest=id_digest) | Q(applicant__id_number_digest=id_digest)
    return Booking.objects.filter(q)


def booking_blocked_until(user, now: datetime | None = None, *, id_digest=None) -> date | None:
    """The day online booking opens again for one who missed SHENPI_NO_SHOW_LIMIT bookings
    within a month (signed in or by phone, by their ID number), or None. A booking whose
    half-day has closed without a check-in counts as missed even before the sweep has
    marked it."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    month_ago = today - timedelta(days=30)
    if user is not None and id_digest is None:
        id_digest = user.id_number_digest
    missed = sorted(
        bookings_of_person(user, id_digest)
        .filter(day__gt=month_ago - timedelta(days=30))
        .filter(
            Q(status=BookingStatus.NO_SHOW) | (Q(status=BookingStatus.BOOKED) & _closed_before(now))
        )
        .values_list("day", flat=True),
        reverse=True,
    )
    limit = settings.SHENPI_NO_SHOW_LIMIT
    # The latest run of `limit` no-shows within 30 days blocks from its last day.
    for i in range(len(missed) - limit + 1):
        run = missed[i : i + limit]
        if (run[0] - run[-1]).days <= 30:
            until = run[0] + timedelta(days=settings.SHENPI_NO_SHOW_BLOCK_DAYS)
            return until if until > today else None
    return None


def person_by_id_number(number: str) -> User | None:
    return User.objects.filter(id_number_digest=personal.digest(number)).first()


def next_opening(hall: Hall, now: datetime) -> datetime:
    cal = calendar()
    day = timezone.localdate(now)
    for _ in range(40):
        if cal.is_working(day):
            for half in Half.values:
                starts, _ends = hall_slots.bounds(hall, day, half)
                if starts > now:
                    return starts
        day += timedelta(days=1)
    return now


# --- the queue --------------------------------------------------------------------------------


def _waiting(day: date):
    return Ticket.objects.filter(day=day, status=TicketStatus.WAITING)


def next_ticket(window) -> Ticket | None:
    """Transferred to this window first, then its groups' queue: booked ahead of walk-ins,
    each in the order taken."""
    today = timezone.localdate()
    return (
        _waiting(today)
        .filter(Q(for_window=window) | Q(for_window__isnull=True, group__windows=window))
        .annotate(
            mine=Case(
                When(for_window=window, then=Value(0)),
                default=Value(1),
                output_field=IntegerField(),
            )
        )  # fmt: skip
        .order_by("mine", "priority", "taken_at", "number")
        .first()
    )


def _service_minutes(hall: Hall, group_ids, day: date) -> dict:
    """{group id: the day's mean service minutes so far}, the hall's estimate where none."""
    out = {}
    rows = Ticket.objects.filter(
        group_id__in=group_ids, day=day, status=TicketStatus.DONE,
        service_started_at__isnull=False,
    ).values_list("group_id", "service_started_at", "ended_at")  # fmt: skip
    sums: dict = {}
    for group_id, started, ended in rows:
        total, n = sums.get(group_id, (0.0, 0))
        sums[group_id] = (total + (ended - started).total_seconds() / 60, n + 1)
    for group_id in group_ids:
        total, n = sums.get(group_id, (0.0, 0))
        out[group_id] = total / n if n else hall.minutes_per_service
    return out


def _open_windows(group_ids) -> dict:
    rows = (
        WindowDuty.objects.filter(state="open", window__item_groups__in=group_ids)
        .values("window__item_groups")
        .annotate(n=Count("pk"))
        .order_by()
    )
    return {row["window__item_groups"]: row["n"] for row in rows}


def estimate_minutes(ahead: int, per_service: float, windows: int) -> int:
    """People ahead served by the group's open windows at the day's pace (one window when
    none is open yet)."""
    return math.ceil(ahead * per_service / max(1, windows))


def kiosk_groups(hall: Hall) -> list[dict]:
    """Each queue with the people waiting and the estimated wait of one who takes a ticket now."""
    today = timezone.localdate()
    groups = list(hall.groups.all())
    ids = [g.pk for g in groups]
    waiting = dict(
        _waiting(today).filter(group_id__in=ids, for_window__isnull=True)
        .values_list("group_id").annotate(n=Count("pk")).order_by()
    )  # fmt: skip
    pace = _service_minutes(hall, ids, today)
    windows = _open_windows(ids)
    return [
        {
            "group": g,
            "waiting": waiting.get(g.pk, 0),
            "open_windows": windows.get(g.pk, 0),
            "estimate": estimate_minutes(waiting.get(g.pk, 0), pace[g.pk], windows.get(g.pk, 0)),
        }
        for g in groups
    ]


def ticket_position(ticket: Ticket) -> dict:
    """Who is ahead of a waiting ticket and its estimated wait."""
    if ticket.status != TicketStatus.WAITING:
        return {"ahead": 0, "estimate": 0}
    if ticket.for_window_id:
        ahead = (
            _waiting(ticket.day)
            .filter(for_window_id=ticket.for_window_id, taken_at__lt=ticket.taken_at)
            .count()
        )
        return {"ahead": ahead, "estimate": estimate_minutes(
            ahead, _service_minutes(ticket.hall, [ticket.group_id], ticket.day)[ticket.group_id], 1
        )}  # fmt: skip
    ahead = (
        _waiting(ticket.day)
        .filter(group_id=ticket.group_id, for_window__isnull=True)
        .filter(
            Q(priority__lt=ticket.priority)
            | Q(priority=ticket.priority, taken_at__lt=ticket.taken_at)
            | Q(priority=ticket.priority, taken_at=ticket.taken_at, number__lt=ticket.number)
        )
        .count()
    )
    pace = _service_minutes(ticket.hall, [ticket.group_id], ticket.day)[ticket.group_id]
    windows = _open_windows([ticket.group_id]).get(ticket.group_id, 0)
    return {"ahead": ahead, "estimate": estimate_minutes(ahead, pace, windows)}


def ticket(pk) -> Ticket:
    from shenpi.common.lookup import by_id

    found = by_id(
        Ticket.objects.select_related("hall__centre", "group", "window", "booking__item"), pk
    )
    if found is None:
        raise NotFound("未找到该号。")
    return found


def board(hall: Hall) -> dict:
    """The display board: the latest calls of the day (a recall counts as a call again),
    and how many wait in each queue. One indexed query for the calls and one for the counts."""
    today = timezone.localdate()
    calls = list(
        Ticket.objects.filter(hall=hall, day=today, announced_at__isnull=False)
        .order_by("-announced_at")
        .values("label", "window__number", "window__name", "status", "announced_at", "calls")[
            :BOARD_CALLS
        ]
    )
    waiting = dict(
        _waiting(today).filter(hall=hall).values_list("group__letter").annotate(n=Count("pk"))
        .order_by()
    )  # fmt: skip
    return {
        "centre": hall.centre.name,
        "calls": [
            {
                "label": c["label"],
                "window": c["window__number"],
                "window_name": c["window__name"],
                "status": c["status"],
                "announced_at": c["announced_at"],
                "calls": c["calls"],
            }
            for c in calls
        ],
        "waiting": waiting,
    }


def service_case(ticket: Ticket):
    """The case a ticket's service is about: linked when the service ended, else the
    newest the window's clerk started for the ticket's applicant since the service began."""
    from shenpi.cases.models import Case

    if ticket.case_id:
        return ticket.case
    if ticket.service_started_at is None or ticket.called_by_id is None:
        return None
    cases = Case.objects.filter(
        channel="window",
        submitted_by_id=ticket.called_by_id,
        created_at__gte=ticket.service_started_at,
    )
    if ticket.applicant_id:
        cases = cases.filter(applicant_id=ticket.applicant_id)
    return cases.select_related("version").order_by("-created_at").first()


def window_panel(window) -> dict:
    today = timezone.localdate()
    duty = WindowDuty.objects.filter(window=window).select_related("clerk").first()
    current = (
        Ticket.objects.filter(window=window, status__in=AT_WINDOW)
        .select_related("group", "applicant", "booking__item", "case")
        .first()
    )
    group_ids = list(window.item_groups.values_list("pk", flat=True))
    waiting = (
        _waiting(today)
        .filter(Q(for_window=window) | Q(for_window__isnull=True, group_id__in=group_ids))
        .count()
    )
    served = Ticket.objects.filter(window=window, day=today, status=TicketStatus.DONE).count()
    case = service_case(current) if current is not None else None
    others = Window.objects.filter(centre_id=window.centre_id).exclude(pk=window.pk)
    return {
        "window": window,
        "duty": duty,
        "current": current,
        "case": case,
        "waiting": waiting,
        "served": served,
        "others": others.order_by("number"),
        "groups": window.item_groups.all(),
        "hall_key": hall_of_window_or_404(window).qr_key,
    }


# --- on-site monitoring (现场监控) ---------------------------------------------------------------


def _light(minutes: float, yellow: int, red: int) -> str | None:
    return "red" if minutes >= red else "yellow" if minutes >= yellow else None


def wait_light(hall: Hall, minutes: float) -> str | None:
    """A wait from its ticket's taking: over the centre's promise yellow, over its limit red."""
    return _light(minutes, hall.wait_yellow_minutes, hall.wait_red_minutes)


def pause_light(hall: Hall, minutes: float) -> str | None:
    return _light(minutes, hall.pause_yellow_minutes, hall.pause_red_minutes)


def percentile(values: list[float], p: float) -> float | None:
    """The nearest-rank percentile (p in 0..100) of the values, or None when there are none."""
    if not values:
        return None
    ordered = sorted(values)
    return ordered[max(0, math.ceil(p / 100 * len(ordered)) - 1)]


def hall_figures(hall: Hall, now: datetime | None = None) -> dict:
    """The hall as supervision sees it now: each window's state, clerk, current ticket,
    served today and light; each queue's length, longest wait and light; idle windows
    while people wait; the day's mean and 90th-percentile waits (taken to called)."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    groups = list(hall.groups.prefetch_related("windows"))
    waiting = list(
        _waiting(today).filter(hall=hall).values("group_id", "for_window_id", "taken_at")
    )
    queues = []
    for g in groups:
        mine = [w["taken_at"] for w in waiting if w["group_id"] == g.pk]
        longest = (now - min(mine)).total_seconds() / 60 if mine else 0
        queues.append(
            {"group": g, "waiting": len(mine), "longest": math.floor(longest),
             "light": wait_light(hall, longest) if mine else None}
        )  # fmt: skip
    at_window = {
        t.window_id: t
        for t in Ticket.objects.filter(hall=hall, status__in=AT_WINDOW).select_related("group")
    }
    served = dict(
        Ticket.objects.filter(hall=hall, day=today, status=TicketStatus.DONE)
        .values_list("window_id").annotate(n=Count("pk")).order_by()
    )  # fmt: skip
    duties = {d.window_id: d for d in WindowDuty.objects.filter(window__centre=hall.centre)
              .select_related("clerk")}  # fmt: skip
    waiting_groups = {w["group_id"] for w in waiting if w["for_window_id"] is None}
    waiting_for = {w["for_window_id"] for w in waiting if w["for_window_id"]}
    windows = []
    for window in Window.objects.filter(centre=hall.centre).prefetch_related("item_groups"):
        duty = duties.get(window.pk)
        state = duty.state if duty else "closed"
        paused_for = (
            math.floor((now - duty.since).total_seconds() / 60)
            if duty and state == "paused" and duty.since
            else 0
        )
        people = window.pk in waiting_for or any(
            g.pk in waiting_groups for g in window.item_groups.all()
        )
        windows.append(
            {
                "window": window,
                "state": state,
                "state_display": {"open": "开放", "paused": "暂停", "closed": "关闭"}[state],
                "reason": duty.reason if duty else "",
                "clerk": duty.clerk.display_name if duty and duty.clerk else "",
                "current": at_window.get(window.pk),
                "served": served.get(window.pk, 0),
                "paused_for": paused_for,
                "light": pause_light(hall, paused_for) if state == "paused" else None,
                "idle_with_queue": state == "open" and window.pk not in at_window and people,
                "camera": duty.camera_url if duty else "",
            }
        )
    lit = [wait_light(hall, (now - w["taken_at"]).total_seconds() / 60) for w in waiting]
    waits = [
        (called - taken).total_seconds() / 60
        for taken, called in Ticket.objects.filter(
            hall=hall, day=today, called_at__isnull=False
        ).values_list("taken_at", "called_at")
    ]
    mean = sum(waits) / len(waits) if waits else None
    p90 = percentile(waits, 90)
    return {
        "hall": hall,
        "now": now,
        "queues": queues,
        "windows": windows,
        "waiting": len(waiting),
        "longest": max((q["longest"] for q in queues), default=0),
        "idle": [w for w in windows if w["idle_with_queue"]],
        "called": len(waits),
        "mean_wait": round(mean, 1) if mean is not None else None,
        "p90_wait": round(p90, 1) if p90 is not None else None,
        # As the monitor counts them (lights.counts): each waiting ticket and paused window.
        "red": lit.count("red") + sum(1 for w in windows if w["light"] == "red"),
        "yellow": lit.count("yellow") + sum(1 for w in windows if w["light"] == "yellow"),
    }
