"""The demo world's halls: the region's and Yinchuan's service centres with their queues,
their windows' duty and opening hours; with the cases, a morning's tickets and two bookings."""

from __future__ import annotations

from datetime import datetime, time, timedelta

from django.utils import timezone

from shenpi.accounts.models import Department, User, Window
from shenpi.catalog.models import Item
from shenpi.workdays.services import calendar

from .constants import BookingStatus, Half, TicketSource, TicketStatus, WindowState
from .models import Booking, Hall, ItemGroup, Ticket, WindowDuty

# centre: [(letter, name, departments whose windows call this queue)]
GROUPS = {
    "nx-zwfw": [
        ("A", "投资项目审批", ["nx-fgw", "nx-zrzy", "nx-sthj", "nx-zjt"]),
        ("B", "市场准入", ["nx-scjg"]),
        ("C", "社会事务", ["nx-wjw", "nx-jtt", "nx-slt"]),
    ],
    "yc-zwfw": [
        ("A", "市场准入", ["yc-scjg", "xq-scjg"]),
        ("B", "工程建设", ["yc-zrzy", "yc-zjj"]),
    ],
}


def seed_demo_halls() -> int:
    """The halls, their queues and windows (idempotent)."""
    made = 0
    for code, groups in GROUPS.items():
        centre = Department.objects.filter(code=code).first()
        if centre is None:
            continue
        hall, created = Hall.objects.get_or_create(centre=centre)
        made += created
        for letter, name, departments in groups:
            group, _ = ItemGroup.objects.update_or_create(
                hall=hall, letter=letter, defaults={"name": name}
            )
            group.windows.set(
                Window.objects.filter(centre=centre, department__code__in=departments)
            )
        for window in Window.objects.filter(centre=centre):
            clerk = User.objects.filter(window=window).first()
            WindowDuty.objects.get_or_create(
                window=window,
                defaults={
                    "state": WindowState.OPEN if clerk else WindowState.CLOSED,
                    "clerk": clerk,
                    "since": timezone.now(),
                },
            )
    return made


def _morning(now: datetime):
    """Today's morning when it has begun on a working day, else the last working day's."""
    cal = calendar()
    day = timezone.localdate(now)
    if not cal.is_working(day) or timezone.localtime(now).time() < time(9, 40):
        day -= timedelta(days=1)
        while not cal.is_working(day):
            day -= timedelta(days=1)
    return day


def seed_demo_hall_day() -> int:
    """A morning's tickets in the city's hall (served, at the windows and still waiting) and
    two bookings for the next working days."""
    hall = Hall.objects.filter(centre__code="yc-zwfw").first()
    if hall is None or Ticket.objects.exists():
        return 0
    now = timezone.now()
    day = _morning(now)
    start = timezone.make_aware(datetime.combine(day, hall.am_opens))
    end = min(now, timezone.make_aware(datetime.combine(day, hall.am_closes)))
    made = 0
    for group in hall.groups.prefetch_related("windows"):
        windows = list(group.windows.order_by("number"))
        moments = []
        t = start
        while t < end - timedelta(minutes=5) and len(moments) < 14:
            moments.append(t)
            t += timedelta(minutes=7 if group.letter == "A" else 11)
        free_at = {w.pk: start for w in windows}
        for n, taken in enumerate(moments, start=1):
            ticket = Ticket(
                hall=hall, group=group, day=day, number=n, label=f"{group.letter}{n:03d}",
                source=TicketSource.KIOSK if n % 3 else TicketSource.PHONE, taken_at=taken,
            )  # fmt: skip
            window = min(windows, key=lambda w: free_at[w.pk])
            called = max(taken + timedelta(minutes=4), free_at[window.pk])
            if called + timedelta(minutes=9) < end:
                ticket.status = TicketStatus.DONE
                ticket.window = window
                ticket.called_by = User.objects.filter(window=window).first()
                ticket.called_at = ticket.announced_at = called
                ticket.calls = 1
                ticket.service_started_at = called + timedelta(minutes=1)
                ticket.ended_at = called + timedelta(minutes=9)
                free_at[window.pk] = ticket.ended_at
            ticket.save()
            made += 1
    # The last called ticket of each window still at it, so the board and panels show it.
    for window in Window.objects.filter(centre=hall.centre):
        last = Ticket.objects.filter(window=window, day=day).order_by("-called_at").first()
        if last is not None and day == timezone.localdate(now):
            Ticket.objects.filter(pk=last.pk).update(status=TicketStatus.SERVING, ended_at=None)
    food = Item.objects.filter(code="640100-SCJG-001").first()
    people = {u.username: u for u in User.objects.filter(username__in=["zhangsan", "lisi"])}
    cal = calendar()
    ahead = day + timedelta(days=1)
    while not cal.is_working(ahead) or ahead <= timezone.localdate(now):
        ahead += timedelta(days=1)
    group = hall.groups.filter(letter="A").first()
    if food is not None and len(people) == 2 and group is not None:
        for username, half, code in (("zhangsan", Half.AM, "260001"), ("lisi", Half.PM, "260002")):
            Booking.objects.create(
                hall=hall, group=group, item=food, applicant=people[username], day=ahead,
                half=half, code=code, status=BookingStatus.BOOKED,
            )  # fmt: skip
    return made
