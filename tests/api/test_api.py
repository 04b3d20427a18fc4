import pytest
from django.urls import reverse

from shenpi.accounts.constants import ClientAction
from shenpi.accounts.models import Department, Division, SystemClient
from shenpi.accounts.services import system_client_issue_key

pytestmark = pytest.mark.django_db

PASSWORD = "Shenpi#2026"


def token_for(client, username):
    response = client.post(reverse("api:token"), {"username": username, "password": PASSWORD})
    assert response.status_code == 201, response.content
    return {"HTTP_AUTHORIZATION": f"Bearer {response.json()['token']}"}


def make_client(*, department=None, division=None, actions=()):
    sc = SystemClient(
        name=f"sys-{department or division}",
        allowed_actions=list(actions),
        department=Department.objects.get(code=department) if department else None,
        division=Division.objects.get(code=division) if division else None,
    )
    key = system_client_issue_key(sc)
    sc.save()
    return sc, {"HTTP_AUTHORIZATION": f"Bearer {key}"}


def assert_problem(response, status, code=None):
    assert response.status_code == status
    assert response["Content-Type"] == "application/problem+json"
    body = response.json()
    assert {"type", "title", "status", "detail", "code"} <= set(body)
    assert body["status"] == status
    if code:
        assert body["code"] == code
    return body


def test_me_shows_roles_and_scope(client, demo):
    body = client.get("/api/v1/me/", **token_for(client, "yc_jc_sup")).json()
    assert body["kind"] == "person"
    assert body["roles"] == ["supervisor"]
    assert body["scope"]["divisions"] == ["640100"]
    assert body["division"] == "640100"


def test_me_for_a_system_client(client):
    _sc, auth = make_client(department="yc-scjg", actions=[ClientAction.ORG_READ])
    body = client.get("/api/v1/me/", **auth).json()
    assert body["kind"] == "system_client"
    assert body["allowed_actions"] == ["org.read"]
    assert body["roles"] == []


def test_unauthenticated_is_a_401_problem(client):
    response = client.get("/api/v1/me/")
    assert_problem(response, 401, "not_authenticated")
    assert response["WWW-Authenticate"] == "Bearer"


def test_a_bad_token_is_a_401_problem(client):
    assert_problem(client.get("/api/v1/me/", HTTP_AUTHORIZATION="Bearer sp_nonsense"), 401)
    assert_problem(client.get("/api/v1/me/", HTTP_AUTHORIZATION="Bearer sc_nonsense"), 401)


def test_revoked_token_stops_working(client, demo):
    auth = token_for(client, "zhangsan")
    assert client.delete("/api/v1/auth/token/current/", **auth).status_code == 204
    assert_problem(client.get("/api/v1/me/", **auth), 401)


def test_invalid_input_lists_errors_per_field(client):
    body = assert_problem(client.post(reverse("api:token"), {}), 400, "invalid")
    assert set(body["errors"]) == {"username", "password"}


def test_wrong_password_for_a_token(client, demo):
    assert_problem(
        client.post(reverse("api:token"), {"username": "zhangsan", "password": "x"}),
        401,
        "invalid_credentials",
    )


def test_divisions_and_departments_are_open_data(client):
    divisions = client.get("/api/v1/divisions/").json()
    assert {
        "code": "640104",
        "name": "兴庆区",
        "level": "county",
        "level_display": "县（市、区）",
        "parent": "640100",
    } in divisions
    page = client.get("/api/v1/departments/?division=640100&kind=market_regulation").json()
    assert {d["code"] for d in page["results"]} == {"yc-scjg", "xq-scjg"}


def test_unknown_division_filter_is_404(client):
    assert_problem(client.get("/api/v1/departments/?division=999999"), 404)


def test_staff_directory_of_an_official_is_their_department(client, demo):
    auth = token_for(client, "yc_scjg_off1")
    names = {s["username"] for s in client.get("/api/v1/staff/", **auth).json()["results"]}
    assert names == {"yc_scjg_head", "yc_scjg_off1", "yc_scjg_off2"}


def test_another_divisions_staff_is_404_not_403(client, demo):
    auth = token_for(client, "yc_jc_sup")
    other = demo("nx_scjg_off1")
    assert_problem(client.get(f"/api/v1/staff/{other.public_id}/", **auth), 404)
    region_dept = Department.objects.get(code="nx-scjg")
    assert_problem(client.get(f"/api/v1/staff/?department={region_dept.pk}", **auth), 404)
    own = demo("xq_scjg_off1")  # a district below Yinchuan is in scope
    assert client.get(f"/api/v1/staff/{own.public_id}/", **auth).status_code == 200


def test_applicant_cannot_read_the_staff_directory(client, demo):
    assert_problem(client.get("/api/v1/staff/", **token_for(client, "zhangsan")), 403)


def test_system_client_without_the_action_is_403(client):
    _sc, auth = make_client(department="yc-scjg", actions=[ClientAction.CASE_SUBMIT])
    body = assert_problem(client.get("/api/v1/staff/", **auth), 403)
    assert "未被授权" in body["detail"]


def test_system_client_outside_its_department_is_404(client, demo):
    _sc, auth = make_client(department="yc-scjg", actions=[ClientAction.ORG_READ])
    names = {s["username"] for s in client.get("/api/v1/staff/", **auth).json()["results"]}
    assert names == {"yc_scjg_head", "yc_scjg_off1", "yc_scjg_off2"}
    assert_problem(client.get(f"/api/v1/staff/{demo('nx_scjg_off1').public_id}/", **auth), 404)


def test_inactive_system_client_is_refused(client):
    sc, auth = make_client(department="yc-scjg", actions=[ClientAction.ORG_READ])
    SystemClient.objects.filter(pk=sc.pk).update(is_active=False)
    assert_problem(client.get("/api/v1/staff/", **auth), 401)


def test_staff_list_is_cursor_paginated(client, demo):
    auth = token_for(client, "admin")
    first = client.get("/api/v1/staff/?page_size=5", **auth).json()
    assert len(first["results"]) == 5 and "cursor=" in first["next"]
    second = client.get(first["next"], **auth).json()
    assert not {s["id"] for s in first["results"]} & {s["id"] for s in second["results"]}


def test_schema_documents_the_api(client):
    schema = client.get("/api/v1/schema/?format=json").json()
    assert schema["openapi"].startswith("3.")
    for path in ["/api/v1/me/", "/api/v1/auth/token/", "/api/v1/staff/", "/api/v1/departments/"]:
        assert path in schema["paths"]
    assert "bearerAuth" in schema["components"]["securitySchemes"]


def test_docs_are_served_without_a_cdn(client):
    html = client.get("/api/v1/docs/").content.decode()
    assert "swagger-ui" in html
    assert "cdn" not in html.lower()


def test_healthz_checks_the_database(client):
    response = client.get("/healthz")
    assert response.status_code == 200 and response.json()["status"] == "ok"


def test_system_client_actions_are_validated():
    from django.core.exceptions import ValidationError

    sc = SystemClient(name="bad", department=Department.objects.first(), allowed_actions=["rm.rf"])
    with pytest.raises(ValidationError):
        sc.clean()
    both = SystemClient(
        name="both", department=Department.objects.first(), division=Division.objects.first()
    )
    with pytest.raises(ValidationError):
        both.clean()
