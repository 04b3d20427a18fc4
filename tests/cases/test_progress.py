"""The step bar an applicant follows a case by, and 我的办件's status tabs (issue 28)."""

from datetime import date

import pytest
from django.urls import reverse

from shenpi.cases import services
from shenpi.cases.models import Case
from shenpi.cases.progress import step_bar

from .conftest import FOOD_FORM, complete_draft

pytestmark = pytest.mark.django_db


def states(case, holders=None):
    return [(s.name, s.state) for s in step_bar(case, holders)]


def test_each_status_stands_on_its_step(food, demo):
    case = complete_draft(services, demo("zhangsan"), food)
    case = services.case_submit(
        actor=demo("zhangsan"), case=case, declaration=True, form_data=FOOD_FORM
    )
    bar = step_bar(case)
    assert [s.state for s in bar] == ["done", "current", "todo", "todo", "todo"]
    assert bar[1].note == "预审中" and bar[1].due == case.correction_due
    assert bar[1].holder == "银川市市场监督管理局"
    case = services.case_accept(actor=demo("yc_scjg_off1"), case=case)
    bar = step_bar(case, ["银川市自然资源局", "银川市生态环境局"])
    assert [s.state for s in bar] == ["done", "done", "current", "todo", "todo"]
    assert bar[2].due == case.promised_due and bar[2].holder == "银川市自然资源局、银川市生态环境局"


@pytest.mark.parametrize(
    ("status", "expected"),
    [
        ("decided", ["done", "done", "done", "done", "current"]),
        ("closed", ["done"] * 5),
        ("not_accepted", ["done", "stopped", "todo", "todo", "todo"]),
        ("terminated", ["done", "done", "stopped", "todo", "todo"]),
        ("correction_requested", ["done", "current", "todo", "todo", "todo"]),
    ],
)
def test_the_bar_for_later_and_stopped_cases(food, demo, status, expected):
    case = complete_draft(services, demo("zhangsan"), food)
    case.status, case.licence_due = status, date(2026, 12, 20)
    bar = step_bar(case)
    assert [s.state for s in bar] == expected
    stopped = [s for s in bar if s.state == "stopped"]
    assert all(s.due is None and s.holder == "" for s in stopped)
    if status == "decided":
        assert bar[4].due == date(2026, 12, 20)


def test_my_cases_has_tabs_and_a_bar_per_case(client, food, demo):
    zhangsan = demo("zhangsan")
    draft = complete_draft(services, zhangsan, food)
    sent = services.case_submit(
        actor=zhangsan, case=complete_draft(services, zhangsan, food), declaration=True,
        form_data=FOOD_FORM,
    )  # fmt: skip
    client.force_login(zhangsan)
    page = client.get(reverse("cases:mine")).content.decode()
    assert 'data-testid="case-tabs"' in page and page.count('data-testid="step-bar"') == 1
    active = client.get(reverse("cases:mine"), {"tab": "active"}).content.decode()
    assert sent.number in active and 'aria-current="step"' in active
    for tab in ("done", "correction"):
        assert sent.number not in client.get(reverse("cases:mine"), {"tab": tab}).content.decode()
    drafts = client.get(reverse("cases:mine"), {"tab": "draft"}).content.decode()
    assert str(draft.pk) in drafts and sent.number not in drafts
    odd = client.get(reverse("cases:mine"), {"tab": "<script>"})
    assert odd.status_code == 200 and sent.number in odd.content.decode()  # an unknown tab is 全部
    assert Case.objects.filter(applicant=zhangsan).count() == 2


def test_a_step_needing_a_second_official_says_so_before_anyone_starts(client, food, demo):
    """Art. 34 ¶3 (issue 28): 待复核 in the inbox and on the case page before 完成, not as
    a refusal after it; 已复核 once a second official has checked it."""
    from shenpi.cases.models import Task

    case = complete_draft(services, demo("zhangsan"), food)
    case = services.case_submit(
        actor=demo("zhangsan"), case=case, declaration=True, form_data=FOOD_FORM
    )
    case = services.case_accept(actor=demo("yc_scjg_off1"), case=case)
    first = Task.objects.get(case=case, step_key="first_review")
    services.task_complete(actor=demo("yc_scjg_off1"), task=first, opinion="符合")
    client.force_login(demo("yc_scjg_off1"))
    inbox = client.get(reverse("cases:intake")).content.decode()
    assert "待复核" in inbox
    page = client.get(reverse("cases:detail", args=[case.pk])).content.decode()
    row = page.split('data-step="review"', 1)[1].split("</tr>", 1)[0]
    assert "待复核" in row and "第三十四条第三款" in row
    review = Task.objects.get(case=case, step_key="review")
    services.task_claim(actor=demo("yc_scjg_off1"), task=review)
    services.task_verify(actor=demo("yc_scjg_off2"), task=review)
    page = client.get(reverse("cases:detail", args=[case.pk])).content.decode()
    row = page.split('data-step="review"', 1)[1].split("</tr>", 1)[0]
    assert "已复核" in row and "待复核" not in row
    assert "待复核" not in client.get(reverse("cases:intake")).content.decode()
