"""Nobody locks another person's account (issue 29, 8): the lock holds the user name and
the address together; guessing one name from many addresses is slowed progressively; the
owner unlocks with a code sent to their mobile."""

import re

import pytest
import time_machine
from django.urls import reverse

from shenpi.accounts import throttle
from shenpi.notify.models import Message

pytestmark = pytest.mark.django_db
PASSWORD = "Shenpi#2026"


def login(client, username, password, address):
    return client.post(
        reverse("accounts:login"),
        {"username": username, "password": password},
        REMOTE_ADDR=address,
    )


def test_failures_from_one_address_do_not_lock_the_owner_elsewhere(client, demo):
    for _ in range(5):
        login(client, "nx_jc_head", "wrong", "198.51.100.7")
    assert login(client, "nx_jc_head", PASSWORD, "198.51.100.7").status_code == 429
    assert login(client, "nx_jc_head", PASSWORD, "203.0.113.20").status_code == 302


def test_guessing_one_name_from_many_addresses_waits_longer_each_time(client, demo):
    with time_machine.travel("2026-12-07 09:00 +0800", tick=False) as clock:
        for n in range(throttle.FREE_FAILURES):
            login(client, "lisi", "wrong", f"198.51.100.{n + 1}")
        assert throttle.delay_remaining("lisi") == 1
        delayed = login(client, "lisi", PASSWORD, "203.0.113.99").content.decode()
        assert "秒后再试" in delayed  # not even the right password is heard now
        clock.shift(2)
        login(client, "lisi", "wrong", "198.51.100.50")
        assert throttle.delay_remaining("lisi") == 2
        clock.shift(3)
        assert login(client, "lisi", PASSWORD, "203.0.113.99").status_code == 302
    assert throttle.delay_remaining("lisi") == 0  # a success clears the name


def test_the_owner_unlocks_with_a_code_sent_to_their_mobile(client, demo):
    for _ in range(5):
        login(client, "lisi", "wrong", "127.0.0.1")
    assert login(client, "lisi", PASSWORD, "127.0.0.1").status_code == 429
    client.post(reverse("accounts:unlock"), {"action": "send", "username": "lisi"})
    body = Message.objects.filter(user=demo("lisi"), title="账户解锁验证码").latest("pk").body
    code = re.search(r"验证码 (\d{6})", body).group(1)
    wrong = client.post(
        reverse("accounts:unlock"), {"action": "unlock", "username": "lisi", "code": "000000"}
    )
    assert "验证码不正确" in wrong.content.decode()
    client.post(reverse("accounts:unlock"), {"action": "unlock", "username": "lisi", "code": code})
    assert login(client, "lisi", PASSWORD, "127.0.0.1").status_code == 302


def test_the_unlock_page_does_not_say_which_names_exist(client):
    known = client.post(reverse("accounts:unlock"), {"action": "send", "username": "lisi"})
    unknown = client.post(reverse("accounts:unlock"), {"action": "send", "username": "nobody9"})
    assert known.status_code == unknown.status_code == 200
    strip = lambda html: html.replace("lisi", "X").replace("nobody9", "X")  # noqa: E731
    assert strip(known.content.decode()).count("验证码已发送") == strip(
        unknown.content.decode()
    ).count("验证码已发送")


def test_a_code_lives_in_the_database_and_five_wrong_tries_end_it(demo):
    from shenpi.accounts import codes
    from shenpi.accounts.models import OneTimeCode

    user = demo("lisi")
    code = codes.code_issue(user, "unlock")
    row = OneTimeCode.objects.get(user=user, purpose="unlock")
    assert row.code_hash != code  # only its hash is kept
    for _ in range(codes.CODE_TRIES):
        assert not codes.code_matches(user, "unlock", "000000" if code != "000000" else "111111")
    assert not codes.code_matches(user, "unlock", code)  # the fifth wrong try ended it


def test_codes_are_sent_at_most_five_an_hour(demo):
    from shenpi.accounts import codes
    from shenpi.core.errors import TooMany

    user = demo("lisi")
    for _ in range(codes.CODES_PER_HOUR):
        codes.code_issue(user, "unlock")
    with pytest.raises(TooMany):
        codes.code_issue(user, "unlock")
