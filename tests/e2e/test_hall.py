"""The service hall (issue 30), as its people use it: an applicant books on a phone,
checks in at the kiosk (a 1080×1920 touch screen), is called on the hall TV (1920×1080)
and served at the window, whose intake starts with the ticket's applicant; the applicant
rates on the window's device. A supervisor's hall view shows the queue, a red light after
the scan, and a window's camera (an HLS stream made with ffmpeg, played by hls.js)."""

import functools
import http.server
import re
import shutil
import subprocess
import threading

import pytest
import time_machine
from playwright.sync_api import expect

from .conftest import accepting_dialogs, log_in
from .test_applying import upload_all

PHONE = {"width": 390, "height": 844}
KIOSK = {"width": 1080, "height": 1920}
TV = {"width": 1920, "height": 1080}
KEY = "hall-key-for-the-journey"
INSTANT = "640104-SCJG-001"  # 个体工商户设立登记, an instant item of window B04's department


def _hall():
    from shenpi.hall.models import Hall

    hall = Hall.objects.get(centre__code="yc-zwfw")
    hall.qr_key = KEY
    hall.save()
    return hall


@pytest.mark.parametrize("viewport", [None, PHONE], ids=["desktop", "phone"])
def test_book_check_in_be_called_served_and_rate_at_the_window(new_page, tmp_path, viewport):
    _hall()
    citizen = new_page(viewport)
    with time_machine.travel("2026-09-30 10:00 +0800"):
        log_in(citizen, "zhangsan")
        citizen.goto("/workbench/my/")
        citizen.get_by_role("link", name="预约办事").click()
        citizen.get_by_role("link", name="预约银川市政务服务中心").click()
        citizen.get_by_label("办理事项").select_option(
            label="兴庆区市场监管局 · 个体工商户设立登记"
        )
        citizen.get_by_role("button", name="查看可预约时段").click()
        # National Day: no slot from 1 to 7 October; the make-up Saturday is open.
        slots = citizen.get_by_test_id("slots")
        expect(slots).not_to_contain_text("10月3日")
        expect(slots).to_contain_text("10月10日")
        slots.locator("div.border", has_text="10月8日").get_by_text("上午").click()
        expect(citizen.get_by_label("10月8日上午")).to_be_checked()
        citizen.get_by_role("button", name="确认预约").click()
        expect(citizen.get_by_text("预约成功")).to_be_visible()
        code = citizen.get_by_test_id("my-bookings").locator("td.font-monospace").first.inner_text()
        assert re.fullmatch(r"\d{6}", code)

    with time_machine.travel("2026-10-08 09:05 +0800"):
        board = new_page(TV)
        board.goto("/hall/yc-zwfw/board/")
        board.get_by_role("button", name="开启语音播报").click()
        device_window = _window_of("clerk_xq_scjg")
        device = new_page({"width": 1280, "height": 800})
        device.goto(f"/hall/device/{device_window}/?k={KEY}")
        expect(device.get_by_test_id("device")).to_contain_text("B04")

        kiosk = new_page(KIOSK)
        kiosk.goto(f"/hall/yc-zwfw/kiosk/?k={KEY}")
        kiosk.get_by_label("预约码（6 位数字）").fill("12")
        kiosk.get_by_role("button", name="签到").click()
        expect(kiosk.get_by_text("预约码为 6 位数字")).to_be_visible()
        expect(kiosk.get_by_label("预约码（6 位数字）")).to_have_value("12")
        kiosk.get_by_label("预约码（6 位数字）").fill(code)
        kiosk.get_by_role("button", name="签到").click()
        ticket = kiosk.get_by_test_id("ticket")
        expect(ticket).to_contain_text("A001")
        expect(ticket).to_contain_text("前面还有 0 人")

        clerk = new_page()
        log_in(clerk, "clerk_xq_scjg")
        clerk.goto("/workbench/window/")
        clerk.get_by_role("link", name="叫号").click()
        clerk.get_by_role("button", name="呼叫下一位").click()
        expect(clerk.get_by_test_id("current-ticket")).to_contain_text("A001")
        # The TV shows the call within a second or two, and announces it.
        expect(board.locator("#board-calls tr").first).to_have_text(re.compile("A001.*B04 窗口"))
        spoken = board.evaluate("() => window.hallBoard.spoken")
        assert "请 A 0 0 1 号，到 B04 号窗口办理" in spoken
        expect(ticket).to_contain_text("请到 B04 窗口办理", timeout=10_000)

        clerk.get_by_role("button", name="开始受理").click()
        expect(clerk.get_by_test_id("from-ticket")).to_contain_text("排队号 A001")
        expect(clerk.get_by_test_id("applicant")).to_contain_text("张三")
        expect(clerk.get_by_label("申请事项")).to_have_value(re.compile(".+"))
        assert "个体工商户设立登记" in clerk.get_by_label("申请事项").evaluate(
            "s => s.options[s.selectedIndex].text"
        )
        clerk.get_by_role("button", name="开始收件").click()
        clerk.get_by_label("经营者姓名").fill("张三")
        clerk.get_by_label("经营场所", exact=True).fill("银川市兴庆区新华东街10号")
        clerk.get_by_label("经营范围").fill("日用百货零售")
        upload_all(clerk, tmp_path)
        clerk.get_by_role("button", name="当场受理并办结（即办件）").click()
        expect(clerk.get_by_text("已当场办结")).to_be_visible()

        clerk.goto("/hall/window/")
        clerk.get_by_role("button", name="请申请人在评价器上评价").click()
        expect(clerk.get_by_text("已请申请人在评价器上评价")).to_be_visible()
        expect(device.get_by_role("heading", name="请为本次服务评价（好差评）")).to_be_visible()
        for field in ("overall", "efficiency", "guide_accuracy", "convenience"):
            device.locator(f"label[for='{field}-5']").click()
        device.get_by_role("button", name="提交评价").click()
        expect(device.get_by_test_id("rating-done")).to_be_visible()

        accepting_dialogs(clerk)
        clerk.get_by_role("button", name="结束办理").click()
        expect(clerk.get_by_text("A001 办理结束")).to_be_visible()

    from shenpi.hall.models import Ticket
    from shenpi.supervision.models import Rating

    done = Ticket.objects.get(label="A001")
    assert done.status == "done" and done.case is not None
    rating = Rating.objects.get(case=done.case)
    assert (rating.channel, rating.overall) == ("window", 5)


def _window_of(username):
    from shenpi.accounts.models import User

    return User.objects.get(username=username).window_id


@pytest.fixture
def camera(tmp_path):
    """A short HLS stream made with Debian's ffmpeg, served from another origin (as a hall's
    video server would be), with CORS for the page that plays it."""
    if shutil.which("ffmpeg") is None:
        pytest.fail("ffmpeg not found: install Debian's ffmpeg package")
    out = tmp_path / "cam"
    out.mkdir()
    subprocess.run(
        ["ffmpeg", "-loglevel", "error", "-f", "lavfi", "-i",
         "testsrc=duration=6:size=320x240:rate=10", "-c:v", "libx264", "-pix_fmt", "yuv420p",
         "-g", "10", "-hls_time", "1", "-hls_playlist_type", "vod", str(out / "b01.m3u8")],
        check=True,
    )  # fmt: skip

    class Handler(http.server.SimpleHTTPRequestHandler):
        def end_headers(self):
            self.send_header("Access-Control-Allow-Origin", "*")
            super().end_headers()

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(
        ("127.0.0.1", 0), functools.partial(Handler, directory=str(out))
    )
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}/b01.m3u8"
    server.shutdown()


def test_supervision_sees_the_queue_a_red_light_after_the_scan_and_a_camera(new_page, demo, camera):
    from shenpi.hall import services
    from shenpi.hall.models import WindowDuty
    from shenpi.supervision.scan import scan_deadlines

    hall = _hall()
    WindowDuty.objects.filter(window=demo("clerk_yc_scjg").window).update(camera_url=camera)
    with time_machine.travel("2026-10-08 09:00 +0800", tick=False):
        for _ in range(3):
            services.ticket_take(actor=None, hall=hall, group=hall.groups.get(letter="A"),
                                 hall_key=KEY)  # fmt: skip
    with time_machine.travel("2026-10-08 10:05 +0800"):
        assert scan_deadlines()["watched"]["hall"]["red"] == 3
        supervisor = new_page()
        log_in(supervisor, "yc_jc_sup")
        supervisor.goto("/workbench/supervision/")
        supervisor.get_by_role("link", name="大厅现场监控").click()
        supervisor.get_by_role("link", name="银川市政务服务中心").click()
        queues = supervisor.get_by_test_id("hall-queues")
        expect(queues).to_contain_text("市场准入")
        expect(queues.locator(".light-red")).to_have_count(1)
        expect(supervisor.get_by_test_id("hall-figures")).to_contain_text("65 分钟")
        expect(supervisor.get_by_test_id("idle-windows")).to_contain_text("B01")
        supervisor.get_by_role("button", name="查看监控").click()
        expect(supervisor.locator("#camera-box")).to_have_attribute("data-playing", "true")
        assert supervisor.evaluate("() => document.getElementById('camera-video').currentTime") > 0


def test_a_phone_takes_a_ticket_from_the_hall_s_poster(new_page, demo):
    hall = _hall()
    from shenpi.hall import services

    with time_machine.travel("2026-10-08 10:00 +0800"):
        services.ticket_take(actor=None, hall=hall, group=hall.groups.get(letter="B"),
                             hall_key=KEY)  # fmt: skip
        staff = new_page()
        staff.goto(f"/hall/yc-zwfw/poster/?k={KEY}")
        address = staff.get_by_test_id("poster").locator("p.text-break").inner_text()
        assert address.endswith(f"/hall/yc-zwfw/take/?k={KEY}")
        phone = new_page(PHONE)
        phone.goto(address)
        expect(phone.get_by_role("heading", name="银川市政务服务中心 · 手机取号")).to_be_visible()
        phone.get_by_role("button", name=re.compile("工程建设")).click()
        ticket = phone.get_by_test_id("ticket")
        expect(ticket).to_contain_text("B002")
        expect(ticket).to_contain_text("前面还有 1 人")


def test_a_citizen_books_by_phone_number_on_a_phone_and_cancels_by_the_sms_link(new_page):
    from shenpi.notify.models import Outbox

    _hall()
    with time_machine.travel("2026-09-30 10:00 +0800"):
        phone = new_page(PHONE)
        phone.goto("/hall/")
        phone.get_by_role("link", name="预约银川市政务服务中心").click()
        phone.get_by_label("办理事项").select_option(label="银川市市场监管局 · 食品经营许可证核发")
        phone.get_by_role("button", name="查看可预约时段").click()
        phone.get_by_test_id("slots").locator("div.border", has_text="10月9日").get_by_text(
            "下午"
        ).click()
        phone.get_by_label("姓名").fill("王小明")
        phone.get_by_label("身份证号码").fill("640102198512150023")
        phone.get_by_label("手机号码").fill("138950001")
        phone.get_by_role("button", name="获取验证码").click()
        expect(phone.get_by_text("请输入11位中国大陆手机号码")).to_be_visible()
        expect(phone.get_by_label("姓名")).to_have_value("王小明")  # nothing typed is lost
        expect(phone.get_by_label("10月9日下午")).to_be_checked()
        phone.get_by_label("手机号码").fill("13895000123")
        phone.get_by_role("button", name="获取验证码").click()
        expect(phone.get_by_text("验证码已发送")).to_be_visible()
        sms = Outbox.objects.filter(channel="sms", body__contains="预约验证码").latest("pk")
        phone.get_by_label("短信验证码").fill(sms.body.split("验证码 ")[1][:6])
        phone.get_by_role("button", name="确认预约").click()
        expect(phone.get_by_test_id("booked")).to_contain_text("10月9日")
        code = phone.get_by_test_id("booking-code").inner_text()
        done = Outbox.objects.filter(channel="sms", body__contains=code).latest("pk").body
        link = re.search(r"http\S+/hall/bookings/cancel/\S+/", done).group(0)
        phone.goto(link)
        accepting_dialogs(phone)
        phone.get_by_role("button", name="取消预约").click()
        expect(phone.get_by_test_id("booking-status")).to_have_text("状态：已取消")
