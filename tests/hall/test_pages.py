"""The hall's pages and API through the same services: booking, the kiosk with its key,
the ticket and the board, the clerk's window down to the prefilled intake, the device, and
supervision's hall view scoped to the supervisor's divisions."""

import pytest
import time_machine
from django.urls import reverse

from shenpi.hall.models import Booking, Hall, Ticket

pytestmark = pytest.mark.django_db

KEY = "the-hall-s-key"
EVE = "2026-09-30 10:00 +0800"
MORNING = "2026-10-08 09:10 +0800"


def hall_with_key():
    hall = Hall.objects.get(centre__code="yc-zwfw")
    hall.qr_key = KEY
    hall.save()
    return hall


def test_book_a_slot_then_cancel_it(client, demo):
    hall_with_key()
    book = reverse("hall:book", args=["yc-zwfw"])
    with time_machine.travel(EVE, tick=False):
        page = client.get(book, {"item": "640100-SCJG-001"}).content.decode()
        assert "10月8日" in page and "10月3日" not in page
        # Not signed in: by a proved mobile number, or not at all.
        anonymous = client.post(book, {"item": "640100-SCJG-001", "slot": "2026-10-08|am"})
        assert anonymous.status_code == 400 and "请填写姓名" in anonymous.content.decode()
        assert "登录后预约" in anonymous.content.decode()
        client.force_login(demo("zhangsan"))
        refused = client.post(book, {"item": "640100-SCJG-001", "slot": "2026-10-03|am"})
        assert refused.status_code == 400 and "不是工作日" in refused.content.decode()
        assert 'value="2026-10-08|am"' in refused.content.decode()  # the item is kept
        done = client.post(book, {"item": "640100-SCJG-001", "slot": "2026-10-08|am"}, follow=True)
        booking = Booking.objects.get(applicant__username="zhangsan")
        assert booking.code in done.content.decode()
        assert client.post(reverse("hall:cancel", args=["not-a-uuid"])).status_code == 404
        client.post(reverse("hall:cancel", args=[booking.pk]))
    booking.refresh_from_db()
    assert booking.status == "cancelled"


def test_the_kiosk_needs_the_hall_s_key_and_gives_a_ticket_page(client):
    hall_with_key()
    kiosk = reverse("hall:kiosk", args=["yc-zwfw"])
    with time_machine.travel(MORNING, tick=False):
        outside = client.post(kiosk, {"group": "A"})
        assert outside.status_code == 403 and "二维码" in outside.content.decode()
        taken = client.post(f"{kiosk}?k={KEY}", {"group": "A"})
        ticket = Ticket.objects.get()
        assert taken["Location"].startswith(reverse("hall:ticket", args=[ticket.pk]))
        page = client.get(taken["Location"]).content.decode()
        assert "A001" in page and "前面还有 0 人" in page
        bad = client.post(f"{kiosk}?k={KEY}", {"action": "check_in", "code": "12"})
        assert bad.status_code == 400 and "6 位数字" in bad.content.decode()
        assert 'value="12"' in bad.content.decode()  # what was typed stays
        bad_id = client.post(f"{kiosk}?k={KEY}", {"group": "A", "walk_in_id": "640104199003071237"})
        assert bad_id.status_code == 400 and "校验位" in bad_id.content.decode()
        client.post(f"{kiosk}?k={KEY}", {"group": "A", "walk_in_id": "640104199003071236"})
    assert Ticket.objects.get(label="A002").applicant.username == "zhangsan"
    assert client.get(reverse("hall:ticket", args=["nope"])).status_code == 404
    poster = reverse("hall:poster", args=["yc-zwfw"])
    assert client.get(poster).status_code == 404
    shown = client.get(f"{poster}?k={KEY}").content.decode()
    assert "<svg" in shown and f"/hall/yc-zwfw/take/?k={KEY}" in shown
    assert client.get(reverse("hall:kiosk", args=["no-such-hall"])).status_code == 404


def test_the_board_api_shows_a_call_within_the_same_request(client, demo):
    hall_with_key()
    with time_machine.travel(MORNING, tick=False):
        client.post(
            reverse("api:hall_tickets", args=["yc-zwfw"]),
            {"hall_key": KEY, "group": "A"},
            content_type="application/json",
        )
        clerk = demo("clerk_yc_scjg")
        client.force_login(clerk)
        called = client.post(reverse("api:hall_window_call", args=[clerk.window_id]))
        assert called.status_code == 200 and called.json()["label"] == "A001"
        board = client.get(reverse("api:hall_board", args=["yc-zwfw"])).json()
        assert board["calls"][0]["label"] == "A001" and board["calls"][0]["window"] == "B01"
        page = client.get(reverse("hall:board", args=["yc-zwfw"])).content.decode()
        assert "A001" in page and "B01 窗口" in page


def test_another_window_s_clerk_gets_404_and_a_bad_window_id_too(client, demo):
    with time_machine.travel(MORNING, tick=False):
        client.force_login(demo("clerk_xq_scjg"))
        other = demo("clerk_yc_scjg").window_id
        assert client.post(reverse("api:hall_window_call", args=[other])).status_code == 404
        assert client.get(reverse("api:hall_window", args=[other])).status_code == 404
        state = client.post(
            reverse("api:hall_window_state", args=[other]),
            {"state": "closed"},
            content_type="application/json",
        )
        assert state.status_code == 404
        assert client.get("/api/v1/hall/windows/not-a-uuid/").status_code == 404


def test_the_window_starts_the_intake_with_the_ticket_s_applicant(client, demo):
    hall_with_key()
    with time_machine.travel(EVE, tick=False):
        client.force_login(demo("zhangsan"))
        client.post(
            reverse("hall:book", args=["yc-zwfw"]),
            {"item": "640100-SCJG-001", "slot": "2026-10-08|am"},
        )
        code = Booking.objects.get().code
        client.logout()
    with time_machine.travel(MORNING, tick=False):
        client.post(f"{reverse('hall:kiosk', args=['yc-zwfw'])}?k={KEY}",
                    {"action": "check_in", "code": code})  # fmt: skip
        client.force_login(demo("clerk_yc_scjg"))
        client.post(reverse("hall:window"), {"action": "call"})
        panel = client.get(reverse("hall:window")).content.decode()
        assert "A001" in panel and "张三" in panel
        start = client.post(reverse("hall:window"), {"action": "start"})
        assert start["Location"] == reverse("cases:window")
        intake = client.get(reverse("cases:window")).content.decode()
        assert "排队号 A001" in intake and "申请人：张三" in intake
        assert "selected>食品经营许可" in intake
        ended = client.post(reverse("hall:window"), {"action": "end"}, follow=True)
        assert "A001 办理结束" in ended.content.decode()
    assert Ticket.objects.get().status == "done"


def test_the_live_monitor_lists_a_long_wait_among_the_watched_deadlines(client, demo):
    hall = hall_with_key()
    from shenpi.hall import services

    with time_machine.travel("2026-10-08 09:00 +0800", tick=False):
        services.ticket_take(actor=None, hall=hall, group=hall.groups.get(letter="A"),
                             hall_key=KEY)  # fmt: skip
    with time_machine.travel("2026-10-08 10:10 +0800", tick=False):
        client.force_login(demo("yc_jc_sup"))
        page = client.get("/supervision/monitor/").content.decode()
        assert 'data-testid="watched-hall"' in page and "已等候 70 分钟" in page
        kinds = client.get("/api/v1/supervision/monitor/").json()["watched"]
    hall_kind = next(w for w in kinds if w["name"] == "hall")
    assert hall_kind["totals"] == {"green": 0, "yellow": 0, "red": 1}
    assert hall_kind["lit"][0]["number"] == "A001"


def test_supervision_sees_its_own_and_lower_halls_only(client, demo):
    with time_machine.travel(MORNING, tick=False):
        client.force_login(demo("yc_jc_sup"))
        assert client.get(reverse("hall:monitor", args=["yc-zwfw"])).status_code == 200
        assert client.get(reverse("hall:monitor", args=["nx-zwfw"])).status_code == 404
        assert client.get(reverse("api:hall_live", args=["nx-zwfw"])).status_code == 404
        listing = client.get(reverse("hall:monitor_list")).content.decode()
        assert "银川市政务服务中心" in listing and "自治区政务服务中心" not in listing
        client.force_login(demo("nx_jc_sup"))
        assert client.get(reverse("api:hall_live", args=["yc-zwfw"])).status_code == 200
        client.force_login(demo("clerk_yc_scjg"))
        assert client.get(reverse("hall:monitor", args=["yc-zwfw"])).status_code == 404
        assert client.get(reverse("api:hall_live", args=["yc-zwfw"])).status_code == 404
