import pytest

from shenpi.accounts.constants import ClientAction
from shenpi.catalog.models import Item

from .test_api import assert_problem, make_client, token_for

pytestmark = pytest.mark.django_db


def test_items_are_open_data_and_cursor_paginated(client):
    first = client.get("/api/v1/items/?page_size=5").json()
    assert len(first["results"]) == 5 and first["next"]
    second = client.get(first["next"]).json()
    assert first["results"][-1]["code"] < second["results"][0]["code"]


def test_search_over_the_api_ranks_like_the_portal(client):
    body = client.get("/api/v1/items/", {"q": "食品经营"}).json()
    assert body["results"][0]["code"] == "640100-SCJG-001"
    assert_problem(client.get("/api/v1/items/", {"q": "x" * 51}), 400, "query_too_long")


def test_item_detail_has_every_element(client):
    body = client.get("/api/v1/items/640100-SCJG-001/").json()
    assert body["number"] == 2 and body["promised_days"] == 10
    assert body["materials"][0]["template"]["download"].startswith("/api/v1/forms/")
    assert body["flow"]["stages"][-1]["steps"][0]["decision"] is True
    versions = client.get("/api/v1/items/640100-SCJG-001/versions/").json()["results"]
    assert [v["number"] for v in versions] == [2, 1]
    download = client.get(body["materials"][0]["template"]["download"])
    assert download.status_code == 200 and download["Content-Type"] == "application/pdf"


def test_unknown_item_is_a_404_problem(client):
    assert_problem(client.get("/api/v1/items/NOPE/"), 404)


def test_department_system_drafts_and_submits_its_own_item(client):
    _sc, auth = make_client(department="yc-scjg", actions=[ClientAction.CATALOG_WRITE])
    created = client.post("/api/v1/items/640100-SCJG-001/drafts/", **auth)
    assert created.status_code == 201, created.content
    draft = created.json()
    assert draft["status"] == "draft" and draft["number"] == 3
    patched = client.patch(
        f"/api/v1/item-versions/{draft['id']}/",
        {"promised_days": 8},
        content_type="application/json",
        **auth,
    )
    assert patched.status_code == 200 and patched.json()["promised_days"] == 8
    bad = client.patch(
        f"/api/v1/item-versions/{draft['id']}/",
        {"promised_days": 30},
        content_type="application/json",
        **auth,
    )
    body = assert_problem(bad, 400, "invalid_version")
    assert "TL-01" in " ".join(body["errors"]["promised_days"])
    submitted = client.post(f"/api/v1/item-versions/{draft['id']}/submit/", **auth)
    assert submitted.json()["status"] == "in_review"
    again = client.patch(
        f"/api/v1/item-versions/{draft['id']}/",
        {"promised_days": 7},
        content_type="application/json",
        **auth,
    )
    assert_problem(again, 409, "version_frozen")


def test_a_system_client_cannot_touch_another_departments_item(client):
    _sc, auth = make_client(department="nx-scjg", actions=[ClientAction.CATALOG_WRITE])
    assert_problem(client.post("/api/v1/items/640100-SCJG-001/drafts/", **auth), 404)
    assert not Item.objects.get(code="640100-SCJG-001").versions.filter(status="draft").exists()


def test_a_system_client_without_catalog_write_is_refused(client):
    _sc, auth = make_client(department="yc-scjg", actions=[ClientAction.ORG_READ])
    assert_problem(client.post("/api/v1/items/640100-SCJG-001/drafts/", **auth), 403)


def test_idempotency_key_returns_the_first_answer(client):
    _sc, auth = make_client(department="yc-scjg", actions=[ClientAction.CATALOG_WRITE])
    first = client.post("/api/v1/items/640100-SCJG-001/drafts/", HTTP_IDEMPOTENCY_KEY="k-1", **auth)
    again = client.post("/api/v1/items/640100-SCJG-001/drafts/", HTTP_IDEMPOTENCY_KEY="k-1", **auth)
    assert first.status_code == again.status_code == 201
    assert again["Idempotent-Replayed"] == "true"
    assert first.json()["id"] == again.json()["id"]
    assert Item.objects.get(code="640100-SCJG-001").versions.filter(status="draft").count() == 1
    # Without the key the repeat is out of turn: a 409.
    assert_problem(
        client.post("/api/v1/items/640100-SCJG-001/drafts/", **auth), 409, "draft_exists"
    )


def test_the_same_key_with_another_request_is_a_409(client):
    _sc, auth = make_client(department="yc-scjg", actions=[ClientAction.CATALOG_WRITE])
    client.post("/api/v1/items/640100-SCJG-001/drafts/", HTTP_IDEMPOTENCY_KEY="k-2", **auth)
    other = client.post("/api/v1/items/640100-ZRZY-001/drafts/", HTTP_IDEMPOTENCY_KEY="k-2", **auth)
    assert_problem(other, 409, "idempotency_key_reused")


def test_an_official_with_a_token_drafts_too(client, demo):
    auth = token_for(client, "yc_scjg_off2")
    assert client.post("/api/v1/items/640100-SCJG-001/drafts/", **auth).status_code == 201


def test_publications_are_open_data(client):
    body = client.get("/api/v1/publications/?kind=regulation").json()
    assert [p["title"] for p in body["results"]] == ["中华人民共和国行政许可法"]
