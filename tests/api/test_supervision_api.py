import datetime

import pytest

from shenpi.catalog.models import Item
from tests.supervision.test_views import overdue_case

from .test_api import assert_problem, token_for

pytestmark = pytest.mark.django_db


def test_warnings_orders_and_answers_over_the_api(client, demo):
    case = overdue_case(demo, Item.objects.get(code="640100-SCJG-001"))
    sup = token_for(client, "yc_jc_sup")
    warnings = client.get("/api/v1/supervision/warnings/?level=red", **sup).json()["results"]
    assert any(w["case"] == str(case.pk) for w in warnings)
    assert client.get("/api/v1/supervision/monitor/", **sup).json()["open_by_light"]["red"] >= 1
    due = (datetime.date.today() + datetime.timedelta(days=2)).isoformat()
    order = client.post(
        "/api/v1/supervision/orders/",
        {"case": str(case.pk), "text": "请说明", "answer_due": due},
        content_type="application/json",
        **sup,
    )
    assert order.status_code == 201
    wrong = token_for(client, "nx_scjg_head")
    assert_problem(
        client.post(
            f"/api/v1/supervision/orders/{order.json()['id']}/answer/",
            {"answer": "x"},
            content_type="application/json",
            **wrong,
        ),
        404,
    )
    head = token_for(client, "yc_scjg_head")
    answered = client.post(
        f"/api/v1/supervision/orders/{order.json()['id']}/answer/",
        {"answer": "已加快办理"},
        content_type="application/json",
        **head,
    )
    assert answered.status_code == 200 and answered.json()["answer"] == "已加快办理"


def test_officials_cannot_read_supervision(client, demo):
    assert_problem(
        client.get("/api/v1/supervision/warnings/", **token_for(client, "yc_scjg_off1")), 403
    )


def test_public_complaint_rating_and_evaluation_over_the_api(client, demo):
    from tests.cases.test_licences import granted

    filed = client.post(
        "/api/v1/complaints/",
        {"department": "yc-scjg", "subject": "态度差", "body": "……"},
        content_type="application/json",
    )
    assert filed.status_code == 201 and filed.json()["number"].startswith("TS")
    assert_problem(
        client.post(
            "/api/v1/complaints/",
            {"department": "yc-scjg", "subject": "", "body": ""},
            content_type="application/json",
        ),
        400,
    )
    case = granted(demo).case
    lisi = token_for(client, "lisi")
    rated = client.post(
        f"/api/v1/cases/{case.pk}/rating/",
        {"overall": 5, "efficiency": 5, "guide_accuracy": 4, "convenience": 5},
        content_type="application/json",
        **lisi,
    )
    assert rated.status_code == 201
    again = client.post(
        f"/api/v1/cases/{case.pk}/rating/",
        {"overall": 1, "efficiency": 1, "guide_accuracy": 1, "convenience": 1},
        content_type="application/json",
        **lisi,
    )
    assert_problem(again, 409, "already_rated")
    other = token_for(client, "zhangsan")
    assert_problem(
        client.post(
            f"/api/v1/cases/{case.pk}/rating/",
            {"overall": 5, "efficiency": 5, "guide_accuracy": 5, "convenience": 5},
            content_type="application/json",
            **other,
        ),
        404,
    )
    sup = token_for(client, "yc_jc_sup")
    today = datetime.date.today()
    body = client.get(f"/api/v1/supervision/evaluation/?kind=month&key={today:%Y-%m}", **sup).json()
    assert any(r["department"] == "银川市兴庆区市场监督管理局" for r in body["results"])
    assert_problem(
        client.get("/api/v1/supervision/evaluation/?kind=month&key=nonsense", **sup), 400
    )
