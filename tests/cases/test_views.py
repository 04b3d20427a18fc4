import pytest
from django.urls import reverse

from shenpi.cases import services

from .conftest import FOOD_FORM, complete_draft

pytestmark = pytest.mark.django_db
PASSWORD = "Shenpi#2026"


def login(client, username):
    client.logout()
    assert (
        client.post(
            reverse("accounts:login"), {"username": username, "password": PASSWORD}
        ).status_code
        == 302
    )


@pytest.fixture
def case(food, demo):
    draft = complete_draft(services, demo("zhangsan"), food)
    return services.case_submit(
        actor=demo("zhangsan"), case=draft, declaration=True, form_data=FOOD_FORM
    )


@pytest.mark.parametrize(
    ("username", "status"),
    [
        ("zhangsan", 200),  # the applicant
        ("yc_scjg_off1", 200),  # the competent department
        ("clerk_yc_scjg", 200),  # its window
        ("yc_jc_sup", 200),  # supervision over Yinchuan
        ("nx_jc_sup", 200),  # regional supervision
        ("lisi", 404),  # another citizen
        ("nx_scjg_off1", 404),  # another division's official
        ("clerk_nx_scjg", 404),  # another window
        ("yc_fzb_legal", 404),  # the legal office does not see cases
        ("observer", 404),  # nothing watched yet
    ],
)
def test_who_sees_a_case(client, case, username, status):
    login(client, username)
    assert client.get(reverse("cases:detail", args=[case.pk])).status_code == status


def test_the_query_password_shows_only_to_the_applicant(client, case):
    login(client, "zhangsan")
    assert (
        case.query_password in client.get(reverse("cases:detail", args=[case.pk])).content.decode()
    )
    login(client, "yc_scjg_off1")
    assert (
        case.query_password
        not in client.get(reverse("cases:detail", args=[case.pk])).content.decode()
    )


def test_track_page_and_its_rate_limit(client, case):
    ok = client.post(
        reverse("cases:track"), {"number": case.number, "password": case.query_password.lower()}
    )
    assert "已收件，待预审" in ok.content.decode()
    for _ in range(10):
        client.post(reverse("cases:track"), {"number": case.number, "password": "WRONG"})
    limited = client.post(
        reverse("cases:track"), {"number": case.number, "password": case.query_password}
    )
    assert "查询过于频繁" in limited.content.decode()


def test_in_site_messages(client, case):
    login(client, "zhangsan")
    page = client.get(reverse("notify:inbox")).content.decode()
    assert "申请已收件" in page
    client.post(reverse("notify:read"))
    assert 'data-testid="messages-link">消息 <span' not in client.get("/").content.decode()


def test_an_action_out_of_turn_shows_a_message_and_changes_nothing(client, case):
    login(client, "yc_scjg_off1")
    client.post(reverse("cases:act", args=[case.pk]), {"action": "decide", "outcome": "granted"})
    response = client.get(reverse("cases:detail", args=[case.pk]))
    case.refresh_from_db()
    assert case.status == "received"
    assert "您无权作出决定" in response.content.decode()


def test_upload_answers_json_errors_for_the_progress_bar(client, food):
    from django.core.files.uploadedfile import SimpleUploadedFile

    login(client, "zhangsan")
    client.post(reverse("cases:apply", args=[food.code]))
    from shenpi.cases.models import Case

    draft = Case.objects.filter(applicant__username="zhangsan", status="draft").latest("created_at")
    response = client.post(
        reverse("cases:upload", args=[draft.pk]),
        {
            "requirement": food.current.materials.first().pk,
            "file": SimpleUploadedFile("a.pdf", b"not a pdf"),
        },
        HTTP_ACCEPT="application/json",
    )
    assert response.status_code == 400 and "类型不被接受" in response.json()["detail"]


def test_admin_sees_the_calendar_alert_from_1_november(client):
    import time_machine

    from shenpi.workdays.services import calendar_changed

    login(client, "admin")
    with time_machine.travel("2026-11-02 09:00 +0800", tick=False):
        calendar_changed()
        page = client.get("/workbench/administration/").content.decode()
    assert "2027 年的放假调休安排尚未录入" in page


def test_my_cases_come_twenty_a_page_newest_first(client, food, demo):
    """An enterprise may have thousands of applications: 我的办件 pages them."""
    applicant = demo("zhangsan")
    assert not applicant.cases.exists()
    drafts = [services.case_create_draft(actor=applicant, item=food) for _ in range(23)]
    login(client, "zhangsan")
    first = client.get("/my/cases/")
    assert first.status_code == 200
    rows = first.content.decode().count("继续填写")
    assert rows == 20
    # Newest first: the three oldest drafts are the ones left for page 2.
    assert all(f"/cases/{d.pk}/edit/" not in first.content.decode() for d in drafts[:3])
    assert all(f"/cases/{d.pk}/edit/" in first.content.decode() for d in drafts[3:])
    assert "第 1 / 2 页" in first.content.decode()
    second = client.get("/my/cases/?page=2").content.decode()
    assert second.count("继续填写") == 3
    # A page out of range or malformed shows a page, not an error.
    assert client.get("/my/cases/?page=99").status_code == 200
    assert client.get("/my/cases/?page=x").status_code == 200


def test_the_intake_desk_pages_its_lists_without_counting(client, food, demo, monkeypatch):
    from shenpi.cases import selectors

    monkeypatch.setattr(selectors, "DESK_PAGE", 2)
    applicant = demo("zhangsan")
    numbers = set()
    for _ in range(3):
        draft = complete_draft(services, applicant, food)
        case = services.case_submit(
            actor=applicant, case=draft, declaration=True, form_data=FOOD_FORM
        )
        numbers.add(case.number)
    login(client, "yc_scjg_off1")
    first = client.get("/desk/intake/").content.decode()
    second = client.get("/desk/intake/?cases=2&tasks=1").content.decode()
    shown = [n for n in numbers if n in first], [n for n in numbers if n in second]
    assert (len(shown[0]), len(shown[1])) == (2, 1)
    assert 'href="?cases=2&tasks=1">下一页' in first and "第 2 页" in second
    # A malformed or huge page number is a page, never an error.
    for query in ("?cases=x", "?cases=-3", "?cases=99999999999", "?tasks=1.5"):
        assert client.get(f"/desk/intake/{query}").status_code == 200


def test_a_page_number_from_a_query_string():
    from shenpi.common.paging import page_number

    assert [page_number(v) for v in (None, "", "x", "0", "-2", "3", "1e3", 10**9)] == [
        1, 1, 1, 1, 1, 3, 1, 10_000,
    ]  # fmt: skip


def test_a_message_opened_is_read_and_leads_to_its_case(client, demo):
    """Issue 28: read and unread messages, changing when read, the same on the page and
    over the API; someone else's message is not found."""
    from shenpi.notify.models import Message
    from shenpi.notify.services import notify

    zhangsan = demo("zhangsan")
    notify(zhangsan, title="申请已收件", body="办件编号 1")
    message = Message.objects.filter(user=zhangsan).latest("created_at")
    client.force_login(zhangsan)
    unread = client.get(reverse("notify:inbox"), {"show": "unread"}).content.decode()
    assert "申请已收件" in unread and "未读" in unread
    assert client.post(reverse("notify:open", args=[message.pk])).status_code == 302
    message.refresh_from_db()
    assert message.read_at is not None
    assert (
        "申请已收件" not in client.get(reverse("notify:inbox"), {"show": "unread"}).content.decode()
    )
    listed = client.get("/api/v1/messages/", {"unread": "1"}).json()["results"]
    assert message.pk not in [m["id"] for m in listed]
    client.force_login(demo("lisi"))
    assert client.post(reverse("notify:open", args=[message.pk])).status_code == 404
    assert client.post(f"/api/v1/messages/{message.pk}/read/").status_code == 404
