"""Input that PostgreSQL cannot hold (a NUL character) or a path of control characters is
a 400 or 404, never a 500 (found by Schemathesis, issue 29)."""

import pytest

pytestmark = pytest.mark.django_db


def test_a_nul_in_a_query_parameter_is_a_400(client):
    client.raise_request_exception = False
    response = client.get("/api/v1/licences/verify/", {"code": "a\x00b"})
    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"
    page = client.get("/guide/", {"q": "食品\x00"})
    assert page.status_code == 400


def test_a_nul_in_a_json_body_is_a_400(client):
    client.raise_request_exception = False
    response = client.post(
        "/api/v1/cases/track/",
        {"number": "64010020261206\x0000001", "password": "X"},
        content_type="application/json",
    )
    assert response.status_code == 400


def test_a_path_of_control_characters_is_a_404(client):
    client.raise_request_exception = False
    assert client.get("/schemathesis-probe%5C%1B%01").status_code == 404
