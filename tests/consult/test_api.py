"""Consultation through /api/v1 (issue 22): the same services and scope as the pages."""

import pytest

from shenpi.consult.models import Question
from tests.api.test_api import token_for

pytestmark = pytest.mark.django_db

ASK = {
    "title": "食品经营许可需要什么材料",
    "body": "开小吃店需要准备哪些材料？",
    "item": "640100-SCJG-001",
}


def test_anonymous_ask_lookup_answer_and_rate(client):
    asked = client.post("/api/v1/questions/", {**ASK, "mobile": "13895001234"})
    assert asked.status_code == 201, asked.content
    number, password = asked.json()["number"], asked.json()["query_password"]
    assert asked.json()["department"] == "yc-scjg" and asked.json()["status"] == "open"

    wrong = client.post("/api/v1/questions/lookup/", {"number": number, "password": "WRONG"})
    assert wrong.status_code == 404 and wrong["Content-Type"] == "application/problem+json"
    assert "不正确" in wrong.json()["detail"]

    official = token_for(client, "yc_scjg_off1")
    inbox = client.get("/api/v1/questions/", **official).json()
    pk = next(q["id"] for q in inbox if q["number"] == number)
    answered = client.post(
        f"/api/v1/questions/{pk}/actions/",
        {"action": "answer", "text": "请准备营业执照、场所证明。"},
        **official,
    )
    assert answered.status_code == 200 and answered.json()["status"] == "answered"

    read = client.post("/api/v1/questions/lookup/", {"number": number, "password": password})
    assert [e["kind"] for e in read.json()["entries"]] == ["question", "answer"]
    assert read.json()["entries"][1]["department"] == "银川市市场监督管理局"

    early = client.post(f"/api/v1/questions/{pk}/actions/", {"action": "rate", "rating": "fair"})
    assert early.status_code == 404  # no password: not the asker
    rated = client.post(
        f"/api/v1/questions/{pk}/actions/",
        {"action": "rate", "rating": "fair", "password": password},
    )
    assert rated.status_code == 200 and rated.json()["rating"] == "fair"
    again = client.post(
        f"/api/v1/questions/{pk}/actions/",
        {"action": "rate", "rating": "satisfied", "password": password},
    )
    assert again.status_code == 409 and again.json()["code"] == "already_rated"


def test_another_department_sees_nothing_and_bad_ids_are_404(client):
    auth = token_for(client, "zhangsan")
    pk = client.post("/api/v1/questions/", ASK, **auth).json()["id"]
    assert client.get(f"/api/v1/questions/{pk}/", **auth).status_code == 200
    other = token_for(client, "yc_zrzy_off1")
    assert client.get(f"/api/v1/questions/{pk}/", **other).status_code == 404
    assert all(q["id"] != pk for q in client.get("/api/v1/questions/", **other).json())
    refused = client.post(f"/api/v1/questions/{pk}/actions/", {"action": "claim"}, **other)
    assert refused.status_code == 404
    assert client.get("/api/v1/questions/not-a-uuid/", **auth).status_code == 404
    missing = "00000000-0000-0000-0000-000000000000"
    assert client.get(f"/api/v1/questions/{missing}/", **auth).status_code == 404


def test_bad_input_is_a_problem_in_chinese(client):
    refused = client.post("/api/v1/questions/", {**ASK, "body": " ", "mobile": "1"})
    assert refused.status_code == 400
    problem = refused.json()
    assert set(problem["errors"]) >= {"body", "mobile"} and "请填写" in problem["detail"]
    unknown = client.post("/api/v1/questions/", {**ASK, "item": "NO-SUCH", "mobile": "13895001234"})
    assert unknown.status_code == 404
    assert not Question.objects.exists()


def test_an_anonymous_idempotency_key_never_replays_another_visitors_answer(client):
    first = client.post(
        "/api/v1/questions/", {**ASK, "mobile": "13895001234"}, HTTP_IDEMPOTENCY_KEY="same"
    )
    second = client.post(
        "/api/v1/questions/", {**ASK, "mobile": "13895005678"}, HTTP_IDEMPOTENCY_KEY="same"
    )
    assert first.status_code == second.status_code == 201
    assert first.json()["query_password"] != second.json()["query_password"]
    assert "Idempotent-Replayed" not in second
    assert Question.objects.count() == 2


def test_the_schema_documents_consultation(client):
    schema = client.get("/api/v1/schema/?format=json").json()
    for path in (
        "/api/v1/questions/",
        "/api/v1/questions/lookup/",
        "/api/v1/questions/{id}/",
        "/api/v1/questions/{id}/actions/",
    ):
        assert path in schema["paths"], path


def test_faq_proposed_reviewed_and_listed_through_the_api(client):
    asker = token_for(client, "zhangsan")
    pk = client.post("/api/v1/questions/", ASK, **asker).json()["id"]
    official = token_for(client, "yc_scjg_off1")
    client.post(
        f"/api/v1/questions/{pk}/actions/", {"action": "answer", "text": "需要。"}, **official
    )
    proposed = client.post(
        f"/api/v1/questions/{pk}/actions/",
        {"action": "propose_faq", "title": "小吃店要办证吗", "text": "需要食品经营许可证。"},
        **official,
    )
    assert proposed.status_code == 200
    from shenpi.consult.models import Faq

    faq = Faq.objects.get()
    own = client.post(f"/api/v1/faqs/{faq.pk}/review/", {"publish": True}, **official)
    assert own.status_code == 403
    head = token_for(client, "yc_scjg_head")
    assert (
        client.post(f"/api/v1/faqs/{faq.pk}/review/", {"publish": True}, **head).status_code == 200
    )
    listed = client.get("/api/v1/faqs/", {"item": "640100-SCJG-001"}).json()
    assert [f["title"] for f in listed] == ["小吃店要办证吗"]
    assert client.get("/api/v1/faqs/", {"policy": "nope"}).status_code == 404
