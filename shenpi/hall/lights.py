"""Supervision's lights on the hall (CONTRACTS.md "Lights", issue 30): a ticket waiting
longer than the centre's promise is yellow, longer than its red limit red; a window paused
longer than the centre's limits likewise. The minutes are the centre's own settings (Hall),
not the day-counting warning rules: a wait is measured in minutes on one day.

As for cases and questions, a light is a function of the clock and is read wherever it is
shown (the hall view, the live monitor, the API) — right before any scan has run. The
deadline scan (one scan, registered here like the questions) tells the centre's heads, once
per ticket or pause and light, of what has turned yellow or red."""

from __future__ import annotations

import math
from collections import Counter
from datetime import date, timedelta

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from shenpi.accounts.constants import Role
from shenpi.accounts.models import User
from shenpi.notify.services import notify_many
from shenpi.supervision.scan import Watched, register_watched

from .constants import TicketStatus, WindowState
from .models import Hall, Ticket, WindowDuty
from .selectors import pause_light, wait_light

RANK = {"": 0, "yellow": 1, "red": 2}


def _halls(codes):
    halls = Hall.objects.select_related("centre")
    return halls if codes is None else halls.filter(centre__division_id__in=codes)


def _lit_rows(codes, now):
    """(hall, kind, object, minutes, light) of every lit ticket and pause now."""
    today = timezone.localdate(now)
    out = []
    for hall in _halls(codes):
        yellow_from = now - timedelta(minutes=hall.wait_yellow_minutes)
        for ticket in Ticket.objects.filter(
            hall=hall, day=today, status=TicketStatus.WAITING, taken_at__lte=yellow_from
        ).select_related("group"):
            minutes = (now - ticket.taken_at).total_seconds() / 60
            out.append((hall, "ticket", ticket, minutes, wait_light(hall, minutes)))
        paused_from = now - timedelta(minutes=hall.pause_yellow_minutes)
        for duty in WindowDuty.objects.filter(
            window__centre=hall.centre, state=WindowState.PAUSED, since__lte=paused_from
        ).select_related("window"):
            minutes = (now - duty.since).total_seconds() / 60
            out.append((hall, "pause", duty, minutes, pause_light(hall, minutes)))
    return out


def scan_hall(today: date) -> dict:
    """Tell the centre's heads of the waits and pauses newly lit since the last scan."""
    now = timezone.now()
    turned: Counter = Counter()
    per_centre: dict = {}
    with transaction.atomic():
        for hall, kind, obj, minutes, light in _lit_rows(None, now):
            if light is None or RANK[light] <= RANK[obj.told]:
                continue
            obj.told = light
            obj.save(update_fields=["told"])
            turned[light] += 1
            what = (
                f"{obj.label} 已等候 {math.floor(minutes)} 分钟"
                if kind == "ticket"
                else f"{obj.window.number} 窗口已暂停 {math.floor(minutes)} 分钟（{obj.reason}）"
            )
            per_centre.setdefault(hall, []).append(("红灯" if light == "red" else "黄灯", what))
        notices = []
        for hall, lines in per_centre.items():
            heads = User.objects.filter(
                role_assignments__role=Role.HEAD, office__department=hall.centre
            )
            body = "；".join(f"{label}：{what}" for label, what in lines)
            notices.extend(
                (head, f"大厅现场预警 {len(lines)} 项", body[:900], None) for head in heads
            )
        notify_many(notices)
    return {"red": turned["red"], "yellow": turned["yellow"]}


def counts(codes) -> dict:
    """{(centre id, light): tickets waiting and windows paused}, lit as of now."""
    now = timezone.now()
    today = timezone.localdate(now)
    out: Counter = Counter()
    lit = Counter((hall.centre_id, light) for hall, *_rest, light in _lit_rows(codes, now))
    for hall in _halls(codes):
        waiting = Ticket.objects.filter(hall=hall, day=today, status=TicketStatus.WAITING).count()
        yellow, red = lit[(hall.centre_id, "yellow")], lit[(hall.centre_id, "red")]
        out[(hall.centre_id, "red")] = red
        out[(hall.centre_id, "yellow")] = yellow
        out[(hall.centre_id, "green")] = max(0, waiting - yellow - red)
    return dict(out)


def lit(codes, light: str, limit: int = 50) -> list[dict]:
    now = timezone.now()
    rows = sorted(
        (row for row in _lit_rows(codes, now) if row[4] == light), key=lambda row: -row[3]
    )[:limit]
    return [
        {
            "number": obj.label if kind == "ticket" else f"{obj.window.number} 窗口",
            "title": (
                f"{obj.group.name} 已等候 {math.floor(minutes)} 分钟"
                if kind == "ticket"
                else f"暂停 {math.floor(minutes)} 分钟：{obj.reason}"
            ),
            "department": hall.centre.name,
            "due": None,
            "light": light,
            "url": reverse("hall:monitor", args=[hall.centre.code]),
        }
        for hall, kind, obj, minutes, _light in rows
    ]


def indicator(start: date, end: date) -> dict:
    """{department id: (share called within the promise %,)} of the period, the evaluation's
    hall indicator: of the tickets called at a department's windows, those called within
    the centre's promised wait."""
    rows = Ticket.objects.filter(day__range=(start, end), called_at__isnull=False).values_list(
        "window__department_id", "taken_at", "called_at", "hall__wait_yellow_minutes"
    )
    called: Counter = Counter()
    kept: Counter = Counter()
    for department, taken, at, promise in rows.iterator(chunk_size=5000):
        if department is None:
            continue
        called[department] += 1
        kept[department] += (at - taken) <= timedelta(minutes=promise)
    return {d: (round(100 * kept[d] / n, 2),) for d, n in called.items()}


HALL = Watched("hall", "大厅现场", scan_hall, counts, lit, "hall", indicator)


def register() -> None:
    register_watched(HALL)
