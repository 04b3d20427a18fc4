import base64
import time

from django.test import override_settings
from django_otp.oath import TOTP
from playwright.sync_api import expect

from .conftest import log_in


def test_five_wrong_passwords_lock_the_account(page):
    for attempt in range(1, 6):
        log_in(page, "lisi", "wrong-password")
        if attempt < 5:
            expect(page.get_by_text("用户名或密码不正确")).to_be_visible()
    expect(page.get_by_test_id("locked-out")).to_contain_text("账户已临时锁定")
    log_in(page, "lisi")  # the right password does not open a locked account
    expect(page.get_by_test_id("locked-out")).to_be_visible()


def code(secret, at=None):
    totp = TOTP(base64.b32decode(secret))
    totp.time = time.time() if at is None else at
    return f"{totp.token():06d}"


@override_settings(SHENPI_REQUIRE_2FA=True)
def test_supervisor_enrols_totp_and_logs_in_with_it(page):
    log_in(page, "nx_jc_sup")
    expect(page.get_by_role("heading", name="绑定动态口令（双因素认证）")).to_be_visible()
    expect(page.locator(".otp-qr svg")).to_be_visible()
    # The out-of-band step (issue 29, 9): a code sent to the registered mobile.
    page.get_by_role("button", name="发送绑定验证码到登记手机").click()
    expect(page.get_by_text("绑定验证码已发送")).to_be_visible()
    from shenpi.notify.models import Message

    sms = Message.objects.filter(user__username="nx_jc_sup", title="动态口令绑定验证码")
    activation = sms.latest("pk").body.split("验证码 ")[1][:6]
    secret = page.get_by_test_id("otp-secret").inner_text()
    page.get_by_label("绑定验证码").fill(activation)
    page.get_by_label("动态口令").fill("000000")
    page.get_by_role("button", name="完成绑定").click()
    expect(page.get_by_text("动态口令不正确")).to_be_visible()
    page.get_by_label("绑定验证码").fill(activation)
    secret = page.get_by_test_id("otp-secret").inner_text()  # same pending device
    page.wait_for_timeout(1500)  # django-otp throttles for a second after a wrong code
    enrolled_at = time.time()
    page.get_by_label("动态口令").fill(code(secret, at=enrolled_at))
    page.get_by_role("button", name="完成绑定").click()
    expect(page.get_by_text("动态口令已绑定")).to_be_visible()
    page.get_by_role("link", name="电子监察").click()
    expect(page.get_by_test_id("role-home")).to_have_text("电子监察")
    page.get_by_role("button", name="退出").click()

    log_in(page, "nx_jc_sup")
    expect(page.get_by_role("heading", name="动态口令验证")).to_be_visible()
    # A code from the step after the enrolment's: the one used to enrol cannot be
    # replayed. Counted from the enrolment, not from now, so that a 30-second
    # boundary crossed in between does not push it past the one-step tolerance.
    page.get_by_label("动态口令").fill(code(secret, at=enrolled_at + 30))
    page.get_by_role("button", name="验证并登录").click()
    page.get_by_role("link", name="电子监察").click()
    expect(page.get_by_test_id("role-home")).to_have_text("电子监察")


def test_a_form_on_its_way_shows_it_and_is_not_sent_twice(page):
    """Issue 28: a busy indicator on a slow action, and a second press sends nothing. The
    server's answer is a 204 here, which leaves the page in place as a slow one would."""
    posts = []

    def answer(route):
        if route.request.method != "POST":
            route.continue_()
            return
        posts.append(route.request.url)
        route.fulfill(status=204)

    page.route("**/accounts/login/", answer)
    page.goto("/accounts/login/")
    page.get_by_label("用户名").fill("lisi")
    page.get_by_label("密码").fill("Shenpi#2026")
    button = page.get_by_role("button", name="登录")
    button.click()
    expect(button).to_have_attribute("aria-disabled", "true")
    expect(button.locator(".spinner-border")).to_have_count(1)
    expect(page.locator("main form[aria-busy=true]")).to_have_count(1)
    button.click(force=True)  # the second press
    page.wait_for_timeout(500)
    assert len(posts) == 1, posts
