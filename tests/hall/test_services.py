"""The service hall (issue 30): slots on the platform's calendar, bookings and the no-show
block, check-in, tickets, the call order and its race, and the waits supervision reads."""

import threading
from datetime import date, timedelta

import pytest
import time_machine
from django.db import connection

from shenpi.catalog.models import Item
from shenpi.core.errors import Conflict, InvalidInput, NotAllowed, NotFound
from shenpi.hall import selectors, services, slots
from shenpi.hall.constants import BookingStatus, TicketSource, TicketStatus, WindowState
from shenpi.hall.models import Booking, Hall, Ticket
from shenpi.notify.models import Message, Outbox
from shenpi.workdays.services import calendar

pytestmark = pytest.mark.django_db

# 2026: 25 September and 1–7 October are off; Saturday 10 October is a make-up working day.
EVE = "2026-09-30 10:00 +0800"


KEY = "the-hall-s-key"


@pytest.fixture
def hall(db):
    hall = Hall.objects.get(centre__code="yc-zwfw")
    hall.qr_key = KEY
    hall.save()
    return hall


@pytest.fixture
def food(db):
    return Item.objects.get(code="640100-SCJG-001")


def market(hall):
    return hall.groups.get(letter="A")


def book(demo, hall, food, day, half="am", who="zhangsan"):
    return services.booking_create(
        actor=demo(who), hall=hall, item=food, day=date.fromisoformat(day), half=half
    )


def test_slots_skip_the_holiday_and_open_on_the_make_up_saturday(hall, food):
    with time_machine.travel(EVE, tick=False):
        days = sorted({s.day for s in selectors.slots_for(hall, food)})
    assert days[:4] == [
        date(2026, 10, 8),
        date(2026, 10, 9),
        date(2026, 10, 10),
        date(2026, 10, 12),
    ]
    assert not any(date(2026, 10, 1) <= d <= date(2026, 10, 7) for d in days)
    with time_machine.travel(EVE, tick=False):
        first = selectors.slots_for(hall, food)[0]
    # Two windows call the market queue (B01, B04), eight bookings each per half-day.
    assert (first.half, first.capacity, first.free) == ("am", 16, 16)


def test_a_booking_on_a_holiday_or_today_is_refused_and_the_make_up_day_is_taken(demo, hall, food):
    with time_machine.travel(EVE, tick=False):
        with pytest.raises(InvalidInput, match="不是工作日"):
            book(demo, hall, food, "2026-10-03")
        with pytest.raises(InvalidInput, match="明天起"):
            book(demo, hall, food, "2026-09-30", "pm")
        booking = book(demo, hall, food, "2026-10-10")
    assert booking.code.isdigit() and len(booking.code) == 6
    message = Message.objects.filter(user=demo("zhangsan"), title="预约成功").latest("pk")
    assert booking.code in message.body and "10月10日上午" in message.body
    assert Outbox.objects.filter(channel="sms", body__contains=booking.code).exists()


def test_booking_twice_for_the_item_and_day_or_a_full_slot_is_a_conflict(demo, hall, food):
    hall.bookings_per_window = 1
    hall.save()
    with time_machine.travel(EVE, tick=False):
        book(demo, hall, food, "2026-10-08")
        with pytest.raises(Conflict, match="不能重复预约") as twice:
            book(demo, hall, food, "2026-10-08", "pm")
        assert twice.value.code == "already_booked"
        book(demo, hall, food, "2026-10-08", who="lisi")  # the second of two places
        with pytest.raises(Conflict, match="已约满") as full:
            book(demo, hall, food, "2026-10-08", who="saishang")
        assert full.value.code == "slot_full"
        assert selectors.slot(hall, market(hall), date(2026, 10, 8), "am").free == 0


def test_staff_and_anonymous_callers_cannot_book(demo, hall, food):
    from django.contrib.auth.models import AnonymousUser

    with time_machine.travel(EVE, tick=False):
        with pytest.raises(NotAllowed):
            book(demo, hall, food, "2026-10-08", who="clerk_yc_scjg")
        with pytest.raises(NotAllowed):
            services.booking_create(
                actor=AnonymousUser(), hall=hall, item=food, day=date(2026, 10, 8), half="am"
            )


def test_a_cancelled_booking_frees_its_place_and_cannot_be_cancelled_after_it_starts(
    demo, hall, food
):
    with time_machine.travel(EVE, tick=False):
        booking = book(demo, hall, food, "2026-10-08")
        with pytest.raises(NotFound):
            services.booking_cancel(actor=demo("lisi"), booking=booking)
        services.booking_cancel(actor=demo("zhangsan"), booking=booking)
        assert selectors.slot(hall, market(hall), date(2026, 10, 8), "am").booked == 0
        again = book(demo, hall, food, "2026-10-08")  # the same day again, once cancelled
    with (
        time_machine.travel("2026-10-08 09:10 +0800", tick=False),
        pytest.raises(Conflict, match="已开始"),
    ):
        services.booking_cancel(actor=demo("zhangsan"), booking=again)


def test_three_no_shows_in_a_month_block_booking_for_thirty_days(demo, hall, food, settings):
    settings.SHENPI_NO_SHOW_LIMIT = 3
    zhangsan = demo("zhangsan")
    for day in ("2026-10-08", "2026-10-12", "2026-10-14"):
        with time_machine.travel(EVE, tick=False):
            book(demo, hall, food, day)
    # The afternoon of the third: its morning has closed and the sweep has not run yet.
    with time_machine.travel("2026-10-14 13:00 +0800", tick=False):
        assert Booking.objects.filter(status=BookingStatus.BOOKED).count() == 3
        assert selectors.booking_blocked_until(zhangsan) == date(2026, 11, 13)
        with pytest.raises(Conflict, match="2026年11月13日前不能网上预约") as blocked:
            book(demo, hall, food, "2026-10-16")
        assert blocked.value.code == "booking_blocked"
        assert services.no_show_sweep() == 3
        assert selectors.booking_blocked_until(zhangsan) == date(2026, 11, 13)
    # Still blocked on its last day; free the day after.
    with time_machine.travel("2026-11-12 10:00 +0800", tick=False):
        assert selectors.booking_blocked_until(zhangsan) == date(2026, 11, 13)
    with time_machine.travel("2026-11-13 10:00 +0800", tick=False):
        assert selectors.booking_blocked_until(zhangsan) is None
        book(demo, hall, food, "2026-11-16")


def test_two_no_shows_do_not_block(demo, hall, food):
    for day in ("2026-10-08", "2026-10-12"):
        with time_machine.travel(EVE, tick=False):
            book(demo, hall, food, day)
    with time_machine.travel("2026-10-14 10:00 +0800", tick=False):
        assert selectors.booking_blocked_until(demo("zhangsan")) is None


def test_check_in_too_early_in_time_and_too_late(demo, hall, food):
    with time_machine.travel(EVE, tick=False):
        morning = book(demo, hall, food, "2026-10-08")
        book(demo, hall, food, "2026-10-08", "am", who="lisi")
    with time_machine.travel("2026-10-08 08:20 +0800", tick=False):
        with pytest.raises(Conflict, match="请于 08:30 后签到") as early:
            services.check_in(hall=hall, hall_key=KEY, code=morning.code)
        assert early.value.code == "too_early"
    with time_machine.travel("2026-10-08 09:05 +0800", tick=False):
        walk_in = services.ticket_take(actor=None, hall=hall, group=market(hall), hall_key=KEY)
    with time_machine.travel("2026-10-08 09:20 +0800", tick=False):
        ticket, booking = services.check_in(hall=hall, hall_key=KEY, id_number="640104199003071236")
        assert booking == morning and booking.status == BookingStatus.CHECKED_IN
        assert ticket.source == TicketSource.BOOKING and ticket.applicant == demo("zhangsan")
        # The booked applicant goes ahead of the walk-in who came earlier.
        assert selectors.ticket_position(ticket)["ahead"] == 0
        assert selectors.ticket_position(Ticket.objects.get(pk=walk_in.pk))["ahead"] == 1
        with pytest.raises(NotFound):
            services.check_in(hall=hall, hall_key=KEY, code=morning.code)  # once
    with time_machine.travel("2026-10-08 14:00 +0800", tick=False):
        late_ticket, late = services.check_in(
            hall=hall, hall_key=KEY, id_number="640102198512150023"
        )
    assert late.status == BookingStatus.LATE
    assert late_ticket.priority == 1 and late_ticket.source == TicketSource.KIOSK


def test_check_in_refuses_bad_codes_and_id_numbers(hall):
    with time_machine.travel("2026-10-08 09:20 +0800", tick=False):
        with pytest.raises(InvalidInput, match="6 位数字"):
            services.check_in(hall=hall, hall_key=KEY, code="12ab")
        with pytest.raises(InvalidInput, match="校验位"):
            services.check_in(hall=hall, hall_key=KEY, id_number="640104199003071237")
        with pytest.raises(NotFound):
            services.check_in(hall=hall, hall_key=KEY, code="000000")


def test_no_ticket_when_the_hall_is_closed_nor_from_outside_the_hall(hall):
    group = market(hall)
    for moment in ("2026-10-03 10:00 +0800", "2026-10-08 12:30 +0800", "2026-10-08 18:00 +0800"):
        with time_machine.travel(moment, tick=False):
            with pytest.raises(Conflict, match="不在办公时间") as closed:
                services.ticket_take(actor=None, hall=hall, group=group, hall_key=KEY)
            assert closed.value.code == "hall_closed"
    with time_machine.travel("2026-10-10 10:00 +0800", tick=False):  # the make-up Saturday
        assert (
            services.ticket_take(actor=None, hall=hall, group=group, hall_key=KEY).label == "A001"
        )
        with pytest.raises(NotAllowed, match="二维码"):
            services.ticket_take(
                actor=None, hall=hall, group=group, source=TicketSource.PHONE, hall_key="old"
            )
        with pytest.raises(NotAllowed, match="二维码"):
            services.check_in(hall=hall, hall_key="", code="123456")
        phone = services.ticket_take(
            actor=None, hall=hall, group=group, source=TicketSource.PHONE, hall_key=KEY
        )
    assert phone.label == "A002"


def test_the_window_calls_in_order_recalls_skips_transfers_and_serves(demo, hall):
    b01, b04 = demo("clerk_yc_scjg"), demo("clerk_xq_scjg")
    group = market(hall)
    with time_machine.travel("2026-10-08 09:00 +0800") as traveller:
        first = services.ticket_take(actor=None, hall=hall, group=group, hall_key=KEY)
        traveller.shift(60)
        second = services.ticket_take(actor=None, hall=hall, group=group, hall_key=KEY)
        traveller.shift(60)
        with pytest.raises(NotFound):
            services.call_next(actor=b04, window=b01.window)  # not their window
        called = services.call_next(actor=b01, window=b01.window)
        assert called == first and called.status == TicketStatus.CALLED
        with pytest.raises(Conflict, match="尚未办结"):
            services.call_next(actor=b01, window=b01.window)
        with pytest.raises(NotFound):
            services.ticket_skip(actor=b04, ticket=called)
        services.ticket_recall(actor=b01, ticket=called)
        assert Ticket.objects.get(pk=first.pk).calls == 2
        services.ticket_transfer(actor=b01, ticket=called, to_window=b04.window)
        # B01 takes the next of the queue; the transferred one waits for B04 alone.
        assert services.call_next(actor=b01, window=b01.window) == second
        assert services.call_next(actor=b04, window=b04.window) == first
        services.ticket_skip(actor=b01, ticket=second)
        serving = services.ticket_start(actor=b04, ticket=first)
        assert serving.status == TicketStatus.SERVING
        with pytest.raises(Conflict):
            services.ticket_skip(actor=b04, ticket=first)  # serving is not a no-show
        services.window_set_state(actor=b01, window=b01.window, state=WindowState.PAUSED,
                                  reason="系统故障")  # fmt: skip
        with pytest.raises(Conflict, match="未开放"):
            services.call_next(actor=b01, window=b01.window)
        with pytest.raises(InvalidInput, match="原因"):
            services.window_set_state(actor=b04, window=b04.window, state=WindowState.PAUSED)
        done = services.ticket_end(actor=b04, ticket=first)
    assert done.status == TicketStatus.DONE and Ticket.objects.get(pk=second.pk).status == "skipped"
    from shenpi.audit.models import AuditRecord

    trail = AuditRecord.objects.filter(stream=f"ticket:{first.pk}").order_by("seq")
    assert [r.action for r in trail] == [
        "ticket.take", "ticket.call", "ticket.recall", "ticket.transfer", "ticket.call",
        "ticket.start", "ticket.end",
    ]  # fmt: skip
    assert trail[0].actor_label == "大厅自助终端" and trail[1].actor == b01


def test_the_wait_figures_of_a_morning(demo, hall):
    b01 = demo("clerk_yc_scjg")
    group = market(hall)
    with time_machine.travel("2026-10-08 09:00 +0800") as traveller:
        for _ in range(5):
            services.ticket_take(actor=None, hall=hall, group=group, hall_key=KEY)
        # Called after 10, 20 and 40 minutes.
        for minutes in (10, 10, 20):
            traveller.shift(minutes * 60)
            called = services.call_next(actor=b01, window=b01.window)
            services.ticket_start(actor=b01, ticket=called)
            services.ticket_end(actor=b01, ticket=called)
        traveller.shift(25 * 60)  # 09:65: two still waiting for 65 minutes
        figures = selectors.hall_figures(hall)
    assert figures["called"] == 3
    assert figures["mean_wait"] == pytest.approx((10 + 20 + 40) / 3, abs=0.1)
    assert figures["p90_wait"] == pytest.approx(40, abs=0.1)
    queue = next(q for q in figures["queues"] if q["group"] == group)
    assert (queue["waiting"], queue["longest"], queue["light"]) == (2, 65, "red")
    b01_row = next(w for w in figures["windows"] if w["window"] == b01.window)
    assert b01_row["served"] == 3
    # B01 and B04 are open with nobody at them while two wait.
    assert {w["window"].number for w in figures["idle"]} == {"B01", "B04"}
    assert (figures["red"], figures["yellow"]) == (2, 0)  # each waiting ticket, as the monitor


def test_the_scan_tells_the_centre_head_once_of_a_long_wait(demo, hall):
    from shenpi.supervision.scan import scan_deadlines

    with time_machine.travel("2026-10-08 09:00 +0800", tick=False):
        services.ticket_take(actor=None, hall=hall, group=market(hall), hall_key=KEY)
    head = demo("yc_zwfw_head")
    for moment, expected in (
        ("10:05", {"red": 1, "yellow": 0}),
        ("10:20", {"red": 0, "yellow": 0}),
    ):
        with time_machine.travel(f"2026-10-08 {moment} +0800", tick=False):
            assert scan_deadlines()["watched"]["hall"] == expected
    assert Message.objects.filter(user=head, title="大厅现场预警 1 项").count() == 1
    with time_machine.travel("2026-10-08 10:20 +0800", tick=False):
        red = selectors.hall_figures(hall)["queues"][0]
        assert red["light"] == "red"


def test_estimates_use_the_day_s_pace_and_the_open_windows(demo, hall):
    assert selectors.estimate_minutes(4, 10, 2) == 20
    assert selectors.estimate_minutes(3, 7.5, 0) == 23  # no window open yet: one
    assert selectors.percentile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 90) == 9
    assert selectors.percentile([], 90) is None


def test_bookable_days_count_working_days_only():
    cal = calendar(date(2026, 9, 30))
    assert slots.bookable_days(cal, date(2026, 9, 30), 3) == [
        date(2026, 10, 8), date(2026, 10, 9), date(2026, 10, 10)
    ]  # fmt: skip
    assert timedelta(minutes=30) == slots.CHECK_IN_EARLY


@pytest.mark.django_db(transaction=True)
def test_two_windows_calling_at_once_get_different_tickets(demo):
    """Real parallel connections (PostgreSQL): the conditional claim lets one window have
    each ticket."""
    if connection.vendor != "postgresql":
        pytest.skip("SQLite serialises writers as a whole; the call race is tested on PostgreSQL")
    from shenpi.demo import seed_everything

    seed_everything(cases=False)
    hall = Hall.objects.get(centre__code="yc-zwfw")
    hall.qr_key = KEY
    hall.save()
    clerks = [demo("clerk_yc_scjg"), demo("clerk_xq_scjg")]
    with time_machine.travel("2026-10-08 09:00 +0800"):
        only = services.ticket_take(actor=None, hall=hall, group=market(hall), hall_key=KEY)
        for rounds in range(10):
            barrier = threading.Barrier(2)
            results = []

            def call(clerk, barrier=barrier, results=results):
                try:
                    barrier.wait()
                    results.append(services.call_next(actor=clerk, window=clerk.window).pk)
                except Conflict as exc:
                    results.append(exc.code)
                finally:
                    connection.close()

            threads = [threading.Thread(target=call, args=(c,)) for c in clerks]
            for t in threads:
                t.start()
            for t in threads:
                t.join()
            assert sorted(map(str, results)) == sorted([str(only.pk), "queue_empty"]), rounds
            ticket = Ticket.objects.get(pk=only.pk)
            assert ticket.status == TicketStatus.CALLED and ticket.calls == 1
            # Put it back for the next round, from whichever window won.
            Ticket.objects.filter(pk=only.pk).update(
                status=TicketStatus.WAITING, window=None, calls=0, called_at=None
            )


def test_the_evaluation_counts_the_calls_within_the_promise_per_department(demo, hall):
    from shenpi.core.scoring import DEFAULT_WEIGHTS, indicator_score
    from shenpi.hall import lights
    from shenpi.supervision.evaluation import raw_indicators

    b01 = demo("clerk_yc_scjg")
    group = market(hall)
    with time_machine.travel("2026-10-08 09:00 +0800") as traveller:
        for _ in range(4):
            services.ticket_take(actor=None, hall=hall, group=group, hall_key=KEY)
        # Called after 10, 29, 31 and 45 minutes: the promise is 30.
        for minutes in (10, 19, 2, 14):
            traveller.shift(minutes * 60)
            called = services.call_next(actor=b01, window=b01.window)
            services.ticket_skip(actor=b01, ticket=called)
    department = b01.window.department
    assert lights.indicator(date(2026, 10, 1), date(2026, 10, 31)) == {department.pk: (50.0,)}
    raw = raw_indicators(department, date(2026, 10, 1), date(2026, 10, 31))
    assert raw["hall"] == (50.0,) and indicator_score("hall", raw["hall"], {}) == 50
    assert DEFAULT_WEIGHTS["hall"] == 5
    assert lights.indicator(date(2026, 11, 1), date(2026, 11, 30)) == {}


def test_a_window_paused_too_long_turns_yellow_then_red_and_the_head_is_told(demo, hall):
    from shenpi.supervision.scan import scan_deadlines

    b01 = demo("clerk_yc_scjg")
    with time_machine.travel("2026-10-08 09:00 +0800", tick=False):
        services.window_set_state(actor=b01, window=b01.window, state=WindowState.PAUSED,
                                  reason="临时离岗")  # fmt: skip
    rows = []
    for moment in ("09:14", "09:16", "09:31"):
        with time_machine.travel(f"2026-10-08 {moment} +0800", tick=False):
            row = next(
                w for w in selectors.hall_figures(hall)["windows"] if w["window"] == b01.window
            )
            rows.append((row["paused_for"], row["light"], scan_deadlines()["watched"]["hall"]))
    assert rows == [
        (14, None, {"red": 0, "yellow": 0}),
        (16, "yellow", {"red": 0, "yellow": 1}),
        (31, "red", {"red": 1, "yellow": 0}),
    ]
    told = Message.objects.filter(user=demo("yc_zwfw_head"), title="大厅现场预警 1 项")
    assert [m.body for m in told.order_by("pk")] == [
        "黄灯：B01 窗口已暂停 16 分钟（临时离岗）",
        "红灯：B01 窗口已暂停 31 分钟（临时离岗）",
    ]
    # Opened again: the light goes out and a new pause is told afresh.
    with time_machine.travel("2026-10-08 09:40 +0800", tick=False):
        services.window_set_state(actor=b01, window=b01.window, state=WindowState.OPEN)
        assert selectors.hall_figures(hall)["red"] == 0


def _sent_code(mobile):
    sms = Outbox.objects.filter(channel="sms", body__contains="预约验证码").latest("pk")
    assert sms.to == mobile
    return sms.body.split("验证码 ")[1][:6]


def test_booking_by_phone_proves_the_number_and_counts_as_the_same_person(demo, hall, food):
    from django.contrib.auth.models import AnonymousUser

    from shenpi.core.errors import TooMany

    anonymous = AnonymousUser()
    person = {"name": "张三", "id_number": "640104199003071236", "mobile": "13895000009"}

    def by_phone(code, day="2026-10-08", **more):
        return services.booking_create(
            actor=anonymous, hall=hall, item=food, day=date.fromisoformat(day), half="am",
            by_phone={**person, **more, "sms_code": code},
        )  # fmt: skip

    with time_machine.travel(EVE, tick=False):
        with pytest.raises(InvalidInput, match="11位"):
            services.phone_code_send(mobile="1389500")
        services.phone_code_send(mobile=person["mobile"])
        code = _sent_code(person["mobile"])
        with pytest.raises(InvalidInput, match="验证码不正确"):
            by_phone("000000" if code != "000000" else "111111")
        with pytest.raises(InvalidInput, match="校验位"):
            by_phone(code, id_number="640104199003071237")
        booking = by_phone(code)
        assert (booking.applicant, booking.name, booking.mobile) == (None, "张三", "13895000009")
        sms = Outbox.objects.filter(channel="sms", body__contains=booking.code).get()
        assert sms.to == person["mobile"]
        assert booking.code in sms.body and "/hall/bookings/cancel/" in sms.body
        # Used: the code books once. The same person signed in is the same person.
        with pytest.raises(InvalidInput, match="验证码不正确"):
            by_phone(code, day="2026-10-09")
        with pytest.raises(Conflict, match="不能重复预约"):
            book(demo, hall, food, "2026-10-08", "pm")
        # Five wrong tries end a code, the right one included.
        services.phone_code_send(mobile=person["mobile"])
        code = _sent_code(person["mobile"])
        for _ in range(5):
            with pytest.raises(InvalidInput):
                by_phone("999999" if code != "999999" else "888888", day="2026-10-09")
        with pytest.raises(InvalidInput, match="验证码不正确"):
            by_phone(code, day="2026-10-09")
        for _ in range(3):
            services.phone_code_send(mobile=person["mobile"])
        with pytest.raises(TooMany):
            services.phone_code_send(mobile=person["mobile"])
    with time_machine.travel("2026-10-08 09:10 +0800", tick=False):
        ticket, found = services.check_in(hall=hall, hall_key=KEY, id_number=person["id_number"])
    assert found == booking and ticket.priority == 0


def test_a_booking_by_phone_is_cancelled_by_the_sms_link_only(demo, hall, food):
    from django.contrib.auth.models import AnonymousUser

    with time_machine.travel(EVE, tick=False):
        services.phone_code_send(mobile="13895000009")
        booking = services.booking_create(
            actor=AnonymousUser(), hall=hall, item=food, day=date(2026, 10, 8), half="am",
            by_phone={"name": "王五", "id_number": "640102198512150023", "mobile": "13895000009",
                      "sms_code": _sent_code("13895000009")},
        )  # fmt: skip
        with pytest.raises(NotFound):
            services.booking_cancel(actor=demo("lisi"), booking=booking)
        with pytest.raises(NotFound):
            services.booking_cancel(actor=AnonymousUser(), booking=booking, token="forged")
        token = services.cancel_token(booking)
        assert services.booking_by_cancel_token(token) == booking
        cancelled = services.booking_cancel(actor=AnonymousUser(), booking=booking, token=token)
    assert cancelled.status == BookingStatus.CANCELLED
