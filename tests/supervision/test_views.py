from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from shenpi.cases import services
from shenpi.cases.models import Case, Task
from shenpi.supervision.scan import scan_deadlines
from tests.cases.conftest import FOOD_FORM, complete_draft

pytestmark = pytest.mark.django_db
PASSWORD = "Shenpi#2026"


def overdue_case(demo, food):
    case = complete_draft(services, demo("zhangsan"), food)
    case = services.case_submit(
        actor=demo("zhangsan"), case=case, declaration=True, form_data=FOOD_FORM
    )
    case = services.case_accept(actor=demo("yc_scjg_off1"), case=case)
    past = timezone.localdate() - timedelta(days=3)
    Case.objects.filter(pk=case.pk).update(
        accepted_at=timezone.now() - timedelta(days=30), promised_due=past
    )
    Task.objects.filter(case=case).update(
        opened_at=timezone.now() - timedelta(days=30), due_date=past
    )
    scan_deadlines()
    return case


def login(client, username):
    client.logout()
    client.post(reverse("accounts:login"), {"username": username, "password": PASSWORD})


def test_the_monitor_shows_red_cases_in_the_supervisors_divisions_only(client, demo, food):
    case = overdue_case(demo, food)
    login(client, "yc_jc_sup")
    html = client.get(reverse("supervision:monitor"), {"light": "red"}).content.decode()
    assert case.number in html
    login(client, "nx_jc_sup")  # the region sees the city below it
    assert case.number in client.get(reverse("supervision:monitor")).content.decode()


def test_the_monitor_lists_one_lights_cases(client, demo, food):
    """Filtered by light: a green case (on PostgreSQL it has a row, for its next day of
    change, with no light) is listed under green and not under red; the red one the
    other way round."""
    red = overdue_case(demo, food)
    green = services.case_accept(
        actor=demo("yc_scjg_off1"),
        case=services.case_submit(
            actor=demo("zhangsan"),
            case=complete_draft(services, demo("zhangsan"), food),
            declaration=True,
            form_data=FOOD_FORM,
        ),
    )
    scan_deadlines()
    login(client, "yc_jc_sup")

    def listed(light):
        return client.get(reverse("supervision:monitor"), {"light": light}).content.decode()

    assert green.number in listed("green") and red.number not in listed("green")
    assert red.number in listed("red") and green.number not in listed("red")


def test_another_citys_supervisor_does_not_see_it(client, demo, food):
    from shenpi.accounts.models import Division, Office, User

    case = overdue_case(demo, food)
    # A Wuzhong city supervisor (the demo world has none: made here).
    from shenpi.accounts.models import Department, DepartmentKind

    department = Department.objects.create(
        code="wz-jc",
        name="吴忠市行政审批电子监察室",
        kind=DepartmentKind.objects.get(code="supervision"),
        division=Division.objects.get(code="640300"),
    )
    office = Office.objects.create(department=department, name="监察科")
    user = User.objects.create(
        username="wz_sup",
        account_type="staff",
        office=office,
        division=department.division,
        real_name="吴忠监察员",
    )
    user.set_password(PASSWORD)
    user.save()
    user.role_assignments.create(role="supervisor")
    login(client, "wz_sup")
    assert case.number not in client.get(reverse("supervision:monitor")).content.decode()
    assert client.get(reverse("cases:detail", args=[case.pk])).status_code == 404


def test_the_big_screen_figures(client, demo, food):
    overdue_case(demo, food)
    login(client, "yc_jc_sup")
    data = client.get(reverse("supervision:screen_data")).json()
    assert data["open_by_light"]["red"] >= 1
    assert data["most_red"][0]["department"] == "银川市市场监管局"
    assert client.get(reverse("supervision:screen")).status_code == 200


def test_the_big_screen_counts_todays_cases_and_no_draft(client, demo, food):
    """The day's figures are counted without "not a draft" (a draft has no such time)."""
    complete_draft(services, demo("zhangsan"), food)  # a draft: received by nobody
    case = services.case_submit(
        actor=demo("zhangsan"),
        case=complete_draft(services, demo("zhangsan"), food),
        declaration=True,
        form_data=FOOD_FORM,
    )
    login(client, "yc_jc_sup")
    data = client.get(reverse("supervision:screen_data")).json()
    assert (data["received_today"], data["accepted_today"], data["decided_today"]) == (1, 0, 0)
    services.case_accept(actor=demo("yc_scjg_off1"), case=case)
    data = client.get(reverse("supervision:screen_data")).json()
    assert (data["received_today"], data["accepted_today"]) == (1, 1)
    # Received yesterday: not today's.
    Case.objects.filter(pk=case.pk).update(
        received_at=timezone.now() - timedelta(days=1),
        accepted_at=timezone.now() - timedelta(days=1),
    )
    data = client.get(reverse("supervision:screen_data")).json()
    assert (data["received_today"], data["accepted_today"]) == (0, 0)


def test_officials_cannot_open_the_monitor(client, demo):
    login(client, "yc_scjg_off1")
    assert client.get(reverse("supervision:monitor")).status_code == 404


def test_rules_page_tries_then_switches_on_a_rule(client, demo, food):
    from shenpi.supervision.models import WarningRule

    overdue_case(demo, food)
    login(client, "yc_jc_sup")
    today = timezone.localdate()
    page = client.post(
        reverse("supervision:rules"),
        {
            "item": food.code,
            "yellow_left": "3",
            "yellow_ratio": "0.5",
            "action": "trial",
            "start": (today - timedelta(days=10)).isoformat(),
            "end": today.isoformat(),
        },
    ).content.decode()
    assert "试算结果" in page
    client.post(
        reverse("supervision:rules"),
        {"item": food.code, "yellow_left": "3", "yellow_ratio": "0.5", "action": "activate"},
    )
    assert WarningRule.objects.get(active=True).yellow_left == 3
    bad = client.post(
        reverse("supervision:rules"), {"item": "NOPE", "action": "activate"}, follow=True
    )
    assert "事项编码不存在" in bad.content.decode()
    login(client, "yc_scjg_off1")
    assert client.get(reverse("supervision:rules")).status_code == 404


def test_the_rule_form_picks_items_and_steps_from_lists(client, demo):
    """Issue 28: a warning rule's item and step are chosen, not typed as identifiers."""
    client.force_login(demo("yc_jc_sup"))
    page = client.get(reverse("supervision:rules")).content.decode()
    assert 'name="item"' in page and "食品经营许可证核发（640100-SCJG-001）" in page
    steps = client.get(reverse("supervision:rule_steps"), {"item": "640100-SCJG-001"})
    assert steps.status_code == 200 and 'value="first_review"' in steps.content.decode()
    none = client.get(reverse("supervision:rule_steps"), {"item": "<nope>"}).content.decode()
    assert "整个办件" in none and "first_review" not in none
    client.force_login(demo("yc_scjg_off1"))
    assert client.get(reverse("supervision:rule_steps"), {"item": "x"}).status_code == 404


def test_a_complaint_is_transferred_to_someone_picked_from_a_list(client, demo):
    from shenpi.supervision import feedback

    complaint = feedback.complaint_file(
        actor=demo("zhangsan"), department=demo("yc_scjg_off1").department, subject="慢",
        body="超时",
    )  # fmt: skip
    client.force_login(demo("yc_jc_sup"))
    page = client.get(reverse("supervision:complaints")).content.decode()
    assert f'id="h-{complaint.pk}"' in page
    assert '<option value="yc_scjg_off1">' in page and "（yc_scjg_off1）" in page
