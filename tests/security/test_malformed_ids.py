"""A malformed id or a missing object is a 400 or 404, never a 500 (issue 29, 12)."""

import pytest
from django.urls import reverse

from shenpi.cases import services
from shenpi.cases.models import Task
from shenpi.catalog.models import Item
from shenpi.supervision.models import Watch
from tests.cases.conftest import complete_draft, pdf_upload
from tests.cases.test_licences import granted
from tests.cases.test_review import accepted_project

pytestmark = pytest.mark.django_db
BAD = ["abc", "1' OR '1'='1", "00000000-0000-0000-0000-00000000000z", "99999999"]


@pytest.fixture
def web(client):
    client.raise_request_exception = False
    return client


@pytest.mark.parametrize("bad", BAD)
def test_the_applicants_forms(web, demo, bad):
    web.force_login(demo("zhangsan"))
    item = Item.objects.get(code="640100-SCJG-001")
    assert (
        web.get(
            reverse("cases:apply", args=[item.code]), {"kind": "renewal", "licence": bad}
        ).status_code
        < 500
    )
    draft = complete_draft(services, demo("zhangsan"), item, skip=("营业执照",))
    for name, data in [
        ("from_licence", {"requirement": bad, "licence": bad}),
        ("from_library", {"requirement": bad, "material": bad}),
        ("upload", {"requirement": bad, "file": pdf_upload()}),
    ]:
        response = web.post(reverse(f"cases:{name}", args=[draft.pk]), data)
        assert response.status_code < 500, (name, response.status_code)


@pytest.mark.parametrize("bad", BAD)
def test_passing_a_task_to_an_unknown_user(web, demo, bad):
    case = accepted_project(demo)
    task = Task.objects.get(case=case, step_key="intake_review")
    services.task_claim(actor=demo("nx_fgw_off1"), task=task)
    web.force_login(demo("nx_fgw_off1"))
    response = web.post(
        reverse("cases:task_act", args=[case.pk, task.pk]), {"action": "pass", "to": bad}
    )
    assert response.status_code == 404


@pytest.mark.parametrize("bad", BAD)
def test_supervision_forms(web, demo, bad):
    case = granted(demo).case
    web.force_login(demo("yc_jc_sup"))
    assert web.post(reverse("supervision:findings"), {"finding": bad}).status_code < 500
    assert (
        web.post(reverse("supervision:rating_appeal", args=[case.pk]), {"appeal": "x"}).status_code
        == 404
    )
    assert (
        web.post(
            reverse("supervision:case_feedback", args=[case.pk]), {"action": "follow_up"}
        ).status_code
        == 404
    )
    Watch.objects.create(observer=demo("observer"), case=case)
    web.force_login(demo("observer"))
    assert web.get(reverse("supervision:watched"), {"case": bad}).status_code == 404


@pytest.mark.parametrize("bad", BAD)
def test_the_apis_material_upload(client, demo, bad):
    from tests.api.test_api import token_for

    item = Item.objects.get(code="640100-SCJG-001")
    draft = complete_draft(services, demo("zhangsan"), item)
    response = client.post(
        f"/api/v1/cases/{draft.pk}/materials/",
        {"requirement": bad, "file": pdf_upload()},
        **token_for(client, "zhangsan"),
    )
    assert response.status_code == 400 and response.json()["code"] == "unknown_material"


def test_the_window_with_a_bad_item(web, demo):
    web.force_login(demo("clerk_yc_scjg"))
    response = web.post(
        reverse("cases:window"),
        {"action": "start", "code": demo("zhangsan").id_number, "item": "x"},
    )
    assert response.status_code == 404
