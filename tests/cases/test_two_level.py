"""Two-level items (Art. 35, 43): the applicant chooses a city or county below the item's
organ; the lower department reviews first, then the upper one (issue 20, 1)."""

import importlib

import pytest
from django.apps import apps as django_apps
from django.urls import reverse

from shenpi.accounts.models import Division
from shenpi.cases import selectors, services
from shenpi.cases.models import Case, Task
from shenpi.catalog.models import Item
from shenpi.core.errors import InvalidInput

from .conftest import complete_draft

pytestmark = pytest.mark.django_db

PRODUCTION_FORM = {
    "applicant_name": "宁夏塞上乳业有限公司",
    "contact": "王五",
    "phone": "13895000003",
    "category": "乳制品",
    "address": "银川市兴庆区",
}


@pytest.fixture
def production(db):
    return Item.objects.get(code="640000-SCJG-002")


def accepted_in(division, production, demo, official):
    case = complete_draft(
        services, demo("saishang"), production, chosen_division=Division.objects.get(code=division)
    )
    case = services.case_submit(
        actor=demo("saishang"), case=case, declaration=True, form_data=PRODUCTION_FORM
    )
    return services.case_accept(actor=demo(official), case=case)


def test_the_choices_are_the_cities_and_counties_below_the_organ(production):
    codes = list(selectors.two_level_divisions(production.current).values_list("code", flat=True))
    assert "640000" not in codes
    assert {"640100", "640104"} <= set(codes)


def test_the_organs_own_division_is_refused_with_a_reason(production, demo):
    with pytest.raises(InvalidInput) as exc:
        services.case_create_draft(
            actor=demo("saishang"),
            item=production,
            chosen_division=Division.objects.get(code="640000"),
        )
    assert "chosen_division" in exc.value.errors
    assert "第三十五条" in exc.value.message


def test_the_apply_page_offers_no_region(client, production, demo):
    client.force_login(demo("saishang"))
    html = client.get(reverse("cases:apply", args=[production.code])).content.decode()
    assert 'value="640100"' in html
    assert 'value="640000"' not in html


def test_the_regional_window_takes_a_walk_in_for_the_city_the_clerk_picks(client, production, demo):
    clerk = demo("clerk_nx_scjg")
    client.force_login(clerk)
    page = client.get(reverse("cases:window") + "?code=" + demo("saishang").credit_code)
    assert 'name="division"' in page.content.decode()
    response = client.post(
        reverse("cases:window"),
        {
            "action": "start",
            "code": demo("saishang").credit_code,
            "item": production.pk,
            "division": "640100",
        },
    )
    case = Case.objects.get(item=production, applicant=demo("saishang"))
    assert response.status_code == 302 and case.department.code == "yc-scjg"
    assert case.submitted_by == clerk and case.channel == "window"


def test_the_lower_department_completes_its_review_with_a_verdict(client, production, demo):
    case = accepted_in("640100", production, demo, "yc_scjg_off1")
    lower = Task.objects.get(case=case, step_key="lower_review")
    assert lower.department.code == "yc-scjg"
    official = demo("yc_scjg_off1")
    services.task_claim(actor=official, task=lower)
    client.force_login(official)
    url = reverse("cases:task_act", args=[case.pk, lower.pk])
    detail = reverse("cases:detail", args=[case.pk])
    assert 'name="verdict"' in client.get(detail).content.decode()

    # Refused without a verdict: the page shows the refusal and keeps the opinion typed.
    client.post(url, {"action": "complete", "opinion": "场所、设备符合要求，拟同意"})
    html = client.get(detail).content.decode()
    assert "协办部门须明确同意或不同意" in html
    assert "场所、设备符合要求，拟同意</textarea>" in html

    client.post(url, {"action": "complete", "opinion": "场所、设备符合要求", "verdict": "agree"})
    lower.refresh_from_db()
    assert lower.status == "done" and lower.verdict == "agree"
    assert Task.objects.get(case=case, step_key="review").department.code == "nx-scjg"


def test_the_page_shows_the_verdict_control_whichever_department_owns_the_step(
    client, production, demo
):
    """The page asks by the step's rule, as the service does — not by whether the task's
    department is the item's (a case filed at the region before this release)."""
    case = accepted_in("640100", production, demo, "yc_scjg_off1")
    lower = Task.objects.get(case=case, step_key="lower_review")
    upper = production.department
    Task.objects.filter(pk=lower.pk).update(department=upper)
    official = demo("nx_scjg_off1")
    services.task_claim(actor=official, task=lower)
    client.force_login(official)
    html = client.get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert 'name="verdict"' in html


def test_the_migration_closes_the_lower_review_of_a_case_filed_at_the_organ(production, demo):
    case = accepted_in("640100", production, demo, "yc_scjg_off1")
    upper = production.department
    Case.objects.filter(pk=case.pk).update(department=upper, division=upper.division)
    Task.objects.filter(case=case).update(department=upper)
    other = accepted_in("640104", production, demo, "xq_scjg_off1")

    repair = importlib.import_module(
        "shenpi.cases.migrations.0011_repair_upper_level_lower_review"
    ).repair
    repair(django_apps, None)

    lower = Task.objects.get(case=case, step_key="lower_review")
    assert lower.status == "done" and "第三十五条" in lower.opinion
    nxt = Task.objects.get(case=case, step_key="review")
    assert nxt.status == "open" and nxt.department == upper
    assert case.events.filter(public=False, text__contains="系统修复").exists()
    # A case taken by a lower organ is left as it was.
    assert Task.objects.get(case=other, step_key="lower_review").status == "open"
    assert not Task.objects.filter(case=other, step_key="review").exists()


def test_a_walk_in_registered_at_the_window_is_prefilled_and_resumed(client, production, demo):
    """Issue 28: 开始收件 right after registering carries the name and mobile just entered
    into the form, and a second 开始收件 resumes the open draft instead of making another;
    another city's draft for the same item is not the one resumed."""
    client.force_login(demo("clerk_nx_scjg"))
    code = "64010419900101123X"
    registered = client.post(
        reverse("cases:window"),
        {"action": "register", "code": code, "name": "赵六", "mobile": "13895000088"},
    )
    assert registered.status_code == 200 and "已登记申请人" in registered.content.decode()
    start = {"action": "start", "code": code, "item": production.pk, "division": "640100"}
    first = client.post(reverse("cases:window"), start)
    case = Case.objects.get(item=production, applicant__real_name="赵六")
    assert first["Location"] == reverse("cases:edit", args=[case.pk])
    assert case.form_data == {"applicant_name": "赵六", "contact": "赵六", "phone": "13895000088"}
    again = client.post(reverse("cases:window"), start)
    assert again["Location"] == first["Location"]
    assert Case.objects.filter(item=production, applicant__real_name="赵六").count() == 1
    elsewhere = client.post(reverse("cases:window"), {**start, "division": "640104"})
    assert elsewhere["Location"] != first["Location"]
