"""The same rules over the API and on the pages (issue 24): sign, apply for someone,
open a project and read its timeline; the tiles lead to working pages; a refused form
keeps what was typed."""

from datetime import timedelta

import pytest
from django.utils import timezone

from shenpi.agency.demo import seed_templates
from shenpi.cases.models import Authorisation, Case
from shenpi.portal.roles import HOMES
from tests.api.test_api import make_client, token_for

pytestmark = pytest.mark.django_db
UNTIL = (timezone.localdate() + timedelta(days=60)).isoformat()


def test_sign_then_apply_for_the_applicant_over_the_api(client, demo):
    zhangsan = token_for(client, "zhangsan")
    response = client.post(
        "/api/v1/authorisations/",
        {"agent": "agent", "scope": "items", "items": ["640100-SCJG-001"], "until": UNTIL,
         "confirmed": True},
        content_type="application/json", **zhangsan,
    )  # fmt: skip
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["live"] and body["items"] == ["640100-SCJG-001"] and "张三" in body["text"]
    agent = token_for(client, "agent")
    draft = client.post(
        "/api/v1/cases/draft/",
        {"item": "640100-SCJG-001", "authorisation": body["id"]},
        content_type="application/json", **agent,
    )  # fmt: skip
    assert draft.status_code == 201, draft.content
    case = Case.objects.get(pk=draft.json()["id"])
    assert case.channel == "agent" and case.applicant == demo("zhangsan")
    # Without the authorisation the agent is no one's: 403 with the reason in Chinese.
    refused = client.post(
        "/api/v1/cases/draft/", {"item": "640100-SCJG-001"}, content_type="application/json",
        **agent,
    )  # fmt: skip
    assert refused.status_code == 403
    revoked = client.post(f"/api/v1/authorisations/{body['id']}/revoke/", **zhangsan)
    assert revoked.status_code == 200 and not revoked.json()["live"]
    assert client.get(f"/api/v1/cases/{case.pk}/", **agent).status_code == 404


def test_a_system_client_acts_for_no_one(client):
    sc, token = make_client(department="yc-scjg", actions=["read", "submit", "act"])
    headers = token
    assert client.get("/api/v1/authorisations/", **headers).status_code == 403
    assert client.get("/api/v1/projects/", **headers).status_code == 403


def test_a_project_over_the_api(client, demo):
    template = seed_templates()
    authorisation = Authorisation.objects.create(
        number="WT-T1", applicant=demo("saishang"), agent=demo("agent"), scope="project",
        project_name="API 项目", until=timezone.localdate() + timedelta(days=9), method="online",
        text="t", text_sha256="0" * 64, signed_at=timezone.now(), recorded_by=demo("saishang"),
    )  # fmt: skip
    agent = token_for(client, "agent")
    year = timezone.localdate().year
    bad = client.post(
        "/api/v1/projects/",
        {"authorisation": str(authorisation.pk), "name": "API 项目", "code": "2026-64",
         "location": "银川", "investment": "100", "industry": "制造业", "template": template.pk},
        content_type="application/json", **agent,
    )  # fmt: skip
    assert bad.status_code == 400 and "code" in str(bad.json())
    made = client.post(
        "/api/v1/projects/",
        {"authorisation": str(authorisation.pk), "name": "API 项目",
         "code": f"{year}-640100-04-01-000555", "location": "银川", "investment": "100",
         "industry": "制造业", "template": template.pk},
        content_type="application/json", **agent,
    )  # fmt: skip
    assert made.status_code == 201, made.content
    body = made.json()
    assert len(body["timeline"]) == 5 and body["completion"] == body["planned_completion"]
    critical = [row["item"] for row in body["timeline"] if row["critical"]]
    assert critical == ["640000-FGW-001", "640000-STHJ-001", "640100-ZJJ-001"]
    first = body["timeline"][0]["project_item"]
    applied = client.post(f"/api/v1/projects/{body['id']}/items/{first}/apply/", **agent)
    assert applied.status_code == 201 and applied.json()["status"] == "draft"
    investor = token_for(client, "saishang")
    seen = client.get(f"/api/v1/projects/{body['id']}/", **investor).json()
    assert seen["timeline"][0]["state"] == "draft"


def test_the_agents_tiles_lead_to_working_pages(client, demo):
    nav = HOMES["agent"].nav
    assert all(item.url for item in nav)
    client.force_login(demo("agent"))
    for item in nav:
        assert client.get(item.url).status_code == 200, item.url
    home = client.get("/workbench/agency/").content.decode()
    assert "即将开放" not in home and "代理项目" in home


def test_a_refused_authorisation_keeps_what_was_typed(client, demo):
    client.force_login(demo("saishang"))
    response = client.post(
        "/my/authorisations/",
        {"agent_kind": "agent", "agent": str(demo("agent").public_id), "scope": "project",
         "project_name": "塞上冷链物流园", "until": UNTIL},
    )  # fmt: skip
    html = response.content.decode()
    assert response.status_code == 200 and "请阅读委托书全文" in html
    assert 'value="塞上冷链物流园"' in html and f'value="{UNTIL}"' in html
    assert not Authorisation.objects.filter(applicant=demo("saishang")).exists()


def test_supervision_sees_the_projects_with_their_lights(client, demo):
    from shenpi.agency.services import project_open
    from shenpi.cases import services as case_services

    authorisation = case_services.authorisation_sign(
        actor=demo("saishang"), agent=demo("agent"), scope="project", project_name="监察可见项目",
        until=timezone.localdate() + timedelta(days=30), confirmed=True,
    )  # fmt: skip
    project = project_open(
        actor=demo("agent"), authorisation=authorisation, name="监察可见项目", location="银川",
        code=f"{timezone.localdate().year}-640100-04-01-000888", investment="10",
        industry="制造业", template=seed_templates(),
    )  # fmt: skip
    client.force_login(demo("yc_jc_sup"))
    html = client.get("/agency/projects/").content.decode()
    assert "监察可见项目" in html and "按计划" in html
    assert client.get(f"/agency/projects/{project.pk}/").status_code == 200
    client.force_login(demo("xq_scjg_off1"))
    assert "监察可见项目" not in client.get("/agency/projects/").content.decode()
