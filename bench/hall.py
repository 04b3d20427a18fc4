"""The hall phase (issue 30): a busy morning in one service hall — windows calling the
next ticket and passing it on, kiosks taking tickets, the hall's display boards polling as
the board's page does — with the board's update delay (from a window's call to the board
showing it) beside the same board answered by the floor (the same three queries, raw) and
the bare queries' own time.

The update delay is counted from the call's own time as the server stamped it (the
ticket's called_at, taken just before the claim commits; the load generator runs on the
same machine and clock) to the moment a board's answer showing it has arrived: what a
person at the window sees between the call and the TV. The call's own time, queueing in
a busy server included, is the call's figure beside it."""

from __future__ import annotations

import asyncio
import json
import random
import threading
import time
from datetime import datetime
from datetime import time as clock_time

from .load import _send, build_get, build_post, percentile
from .sql import HALL_BOARD_SQL

# The board's page polls this often (shenpi/static/shenpi/hall_board.js).
BOARD_POLL_S = 0.5
CODE = "bench-zwfw"
KEY = "bench-hall-key"


def prepare(windows: int = 50, groups: int = 5) -> dict:
    """A hall open all day today (a working day for the bench, whatever the calendar says)
    with `windows` windows in `groups` queues, each window's clerk holding an API token."""
    from django.db import transaction
    from django.utils import timezone

    from shenpi.accounts.constants import AccountType, Role
    from shenpi.accounts.models import Department, Division, Office, RoleAssignment, User, Window
    from shenpi.accounts.services import api_token_create
    from shenpi.hall.models import Hall, ItemGroup, Ticket, WindowDuty
    from shenpi.workdays.models import CalendarDay, DayKind
    from shenpi.workdays.services import calendar_changed

    today = timezone.localdate()
    with transaction.atomic():
        CalendarDay.objects.update_or_create(date=today, defaults={"kind": DayKind.WORKDAY})
        division = Division.objects.get(code="640100")
        centre, _ = Department.objects.get_or_create(
            code=CODE,
            defaults={"name": "压测政务服务中心", "short_name": "压测中心",
                      "kind_id": "service_centre", "division": division},
        )  # fmt: skip
        hall, _ = Hall.objects.update_or_create(
            centre=centre,
            defaults={"am_opens": clock_time(0, 0), "am_closes": clock_time(12, 0),
                      "pm_opens": clock_time(12, 0), "pm_closes": clock_time(23, 59, 59),
                      "qr_key": KEY},
        )  # fmt: skip
        Ticket.objects.filter(hall=hall).delete()
        office, _ = Office.objects.get_or_create(department=centre, name="窗口")
        letters = "ABCDEFGHJK"[:groups]
        made = []
        for n in range(1, windows + 1):
            department, _ = Department.objects.get_or_create(
                code=f"bench-w{n:02d}",
                defaults={"name": f"压测部门{n:02d}", "kind_id": "market_regulation",
                          "division": division},
            )  # fmt: skip
            window, _ = Window.objects.get_or_create(
                centre=centre, department=department,
                defaults={"number": f"W{n:02d}", "name": f"压测窗口{n:02d}"},
            )  # fmt: skip
            clerk, created = User.objects.get_or_create(
                username=f"bench_clerk_{n:02d}",
                defaults={"account_type": AccountType.STAFF, "office": office, "window": window,
                          "real_name": f"受理员{n:02d}"},
            )  # fmt: skip
            if created:
                RoleAssignment.objects.create(user=clerk, role=Role.CLERK)
            WindowDuty.objects.update_or_create(
                window=window,
                defaults={"state": "open", "clerk": clerk, "since": timezone.now()},
            )
            made.append((window, clerk))
        for i, letter in enumerate(letters):
            group, _ = ItemGroup.objects.update_or_create(
                hall=hall, letter=letter, defaults={"name": f"压测业务{letter}"}
            )
            group.windows.set([w for k, (w, _c) in enumerate(made) if k % groups == i])
    calendar_changed()
    tokens = [(str(window.pk), api_token_create(user=clerk)[1]) for window, clerk in made]
    return {"code": CODE, "key": KEY, "letters": list(letters), "windows": tokens,
            "hall_id": hall.pk}  # fmt: skip


def _body(data: bytes) -> bytes:
    head, _sep, body = data.partition(b"\r\n\r\n")
    if b"transfer-encoding: chunked" not in head.lower():
        return body
    out, rest = bytearray(), body
    while rest:
        size_line, _sep, rest = rest.partition(b"\r\n")
        size = int(size_line.split(b";")[0] or b"0", 16)
        if size == 0:
            break
        out += rest[:size]
        rest = rest[size + 2 :]
    return bytes(out)


def _bare(url: str, hall_id: int, rate: float, seconds: float, out: list) -> None:
    """The board's three queries on one connection of their own, at the boards' rate."""
    import psycopg
    from django.utils import timezone

    day = timezone.localdate()
    with psycopg.connect(url.replace("postgres://", "postgresql://"), autocommit=True) as conn:
        cursor = conn.cursor()
        end = time.perf_counter() + seconds
        while time.perf_counter() < end:
            started = time.perf_counter()
            cursor.execute(HALL_BOARD_SQL[0], {"code": CODE})
            cursor.fetchone()
            for sql in HALL_BOARD_SQL[1:]:
                cursor.execute(sql, {"day": day, "hall": hall_id})
                cursor.fetchall()
            out.append((time.perf_counter() - started) * 1000)
            time.sleep(max(0.0, 1 / rate - (time.perf_counter() - started)))


def run(prep: dict, *, host: str, app_port: int, floor_port: int, database: str,
        seconds: float, take_rate: float, call_every_s: float, boards: int) -> dict:  # fmt: skip
    """Windows calling (each every `call_every_s` on average, then 过号 to free itself),
    kiosks taking tickets (Poisson, `take_rate` a second), `boards` boards polling the app
    and as many the floor, every BOARD_POLL_S; the bare queries at the same rate beside."""
    rng = random.Random(30)
    called_at: dict[str, float] = {}  # ticket label -> its call's time (the server's stamp)
    figures = {k: [] for k in ("take", "call", "skip", "board_app", "board_floor",
                               "delay_app", "delay_floor")}  # fmt: skip
    statuses: dict = {}
    take_path = f"/api/v1/hall/centres/{prep['code']}/tickets/"

    def count(kind, status):
        statuses.setdefault(kind, {}).setdefault(status, 0)
        statuses[kind][status] += 1

    async def request(payload: bytes, port: int = app_port):
        started = time.perf_counter()
        status, data = await _send(host, port, payload)
        return status, _body(data), started, (time.perf_counter() - started) * 1000

    async def kiosks(end):
        pending = []
        while time.perf_counter() < end:
            await asyncio.sleep(rng.expovariate(take_rate))
            body = json.dumps({"hall_key": prep["key"], "group": rng.choice(prep["letters"])})
            pending.append(asyncio.ensure_future(take(body.encode())))
        await asyncio.gather(*pending)

    async def take(body):
        status, _data, _s, ms = await request(
            build_post(host, take_path, body, "application/json", {})
        )
        count("take", status)
        if status == 201:
            figures["take"].append(ms)

    async def window(window_id, token, end):
        auth = {"Authorization": f"Bearer {token}"}
        while time.perf_counter() < end:
            await asyncio.sleep(rng.expovariate(1 / call_every_s))
            status, data, _s, ms = await request(
                build_post(
                    host, f"/api/v1/hall/windows/{window_id}/call/", b"", "application/json", auth
                )  # fmt: skip
            )
            count("call", status)
            if status != 200:
                continue
            ticket = json.loads(data)
            called_at[ticket["label"]] = datetime.fromisoformat(ticket["called_at"]).timestamp()
            figures["call"].append(ms)
            status, _d, _s, ms = await request(
                build_post(
                    host,
                    f"/api/v1/hall/tickets/{ticket['id']}/skip/",
                    b"",
                    "application/json",
                    auth,
                )  # fmt: skip
            )
            count("skip", status)
            if status == 200:
                figures["skip"].append(ms)

    async def board(port, path, latencies, delays, end):
        seen: set = set()
        await asyncio.sleep(rng.uniform(0, BOARD_POLL_S))  # TVs are not in step
        while time.perf_counter() < end:
            started = time.perf_counter()
            status, data, _s, ms = await request(build_get(host, path), port)
            count(f"board_{'app' if port == app_port else 'floor'}", status)
            if status == 200:
                latencies.append(ms)
                shown = time.time()
                for call in json.loads(data)["calls"]:
                    key = (call["label"], call["announced_at"])
                    if key not in seen and call["label"] in called_at:
                        delays.append((shown - called_at[call["label"]]) * 1000)
                    seen.add(key)
            await asyncio.sleep(max(0.0, BOARD_POLL_S - (time.perf_counter() - started)))

    async def main(seconds):
        end = time.perf_counter() + seconds
        tasks = [kiosks(end)]
        tasks += [window(w, t, end) for w, t in prep["windows"]]
        for _ in range(boards):
            tasks.append(board(app_port, f"/api/v1/hall/centres/{prep['code']}/board/",
                               figures["board_app"], figures["delay_app"], end))  # fmt: skip
            tasks.append(board(floor_port, f"/floor/hall-board/{prep['code']}/",
                               figures["board_floor"], figures["delay_floor"], end))  # fmt: skip
        await asyncio.gather(*tasks)

    # Warmed first (five seconds of the same load, not counted): each worker's first
    # requests build the working-day calendar and warm their caches.
    asyncio.run(main(5))
    for values in figures.values():
        values.clear()
    statuses.clear()
    called_at.clear()  # the warm-up's calls still on the boards are not counted
    bare: list = []
    thread = threading.Thread(
        target=_bare, args=(database, prep["hall_id"], boards / BOARD_POLL_S, seconds, bare)
    )
    thread.start()
    asyncio.run(main(seconds))
    thread.join()

    def summary(values):
        return {"n": len(values), "p50_ms": round(percentile(values, 50), 1),
                "p99_ms": round(percentile(values, 99), 1)}  # fmt: skip

    return {
        "seconds": seconds,
        "windows": len(prep["windows"]),
        "take_rate": take_rate,
        "call_every_s": call_every_s,
        "boards_each": boards,
        "board_poll_s": BOARD_POLL_S,
        **{k: summary(v) for k, v in figures.items()},
        "bare_board_queries": summary(bare),
        "statuses": statuses,
    }
