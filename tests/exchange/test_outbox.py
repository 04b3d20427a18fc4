"""Every state change writes its event in its own transaction (the transactional outbox):
no change, no event; a change rolled back leaves none."""

import pytest
from django.db import transaction

from shenpi.cases import services
from shenpi.core.errors import DomainError
from shenpi.exchange.models import Event

pytestmark = pytest.mark.django_db


def test_a_submission_writes_one_event_and_a_draft_none(received):
    before = Event.objects.count()
    case = received()
    events = list(Event.objects.filter(subject=f"cases/{case.pk}"))
    assert [e.type for e in events] == ["case.submit"]
    assert Event.objects.count() == before + 1  # drafting and its materials wrote none
    data = events[0].data
    assert data["number"] == case.number and data["status"] == "received"
    assert data["item"] == "640100-SCJG-001" and data["division"] == "640100"
    assert events[0].division == "640100" and events[0].department == case.department_id


def test_the_event_carries_no_personal_data(received):
    case = received()
    text = str(Event.objects.get(subject=f"cases/{case.pk}").data)
    assert case.applicant_name not in text and case.applicant_code not in text


def test_an_accepted_case_then_decided_writes_its_events_in_order(received, demo):
    case = received()
    official = demo("yc_scjg_off1")
    services.case_accept(actor=official, case=case)
    types = list(
        Event.objects.filter(subject=f"cases/{case.pk}")
        .order_by("id")
        .values_list("type", flat=True)
    )
    assert types == ["case.submit", "case.accept"]


def test_a_refused_transition_writes_no_event(received, demo):
    case = received()
    count = Event.objects.count()
    with pytest.raises(DomainError):
        services.case_decide(actor=demo("yc_scjg_off1"), case=case, outcome="granted")
    assert Event.objects.count() == count


def test_a_transition_rolled_back_takes_its_event_with_it(received, demo):
    case = received()
    count = Event.objects.count()
    with pytest.raises(RuntimeError), transaction.atomic():
        services.case_accept(actor=demo("yc_scjg_off1"), case=case)
        assert Event.objects.count() == count + 1
        raise RuntimeError("the caller's transaction fails after the change")
    assert Event.objects.count() == count


def test_a_department_systems_whole_submission_writes_its_event(client):
    from shenpi.catalog.models import Item
    from tests.api.test_api import make_client
    from tests.api.test_cases_api import one_request

    _sc, auth = make_client(department="yc-scjg", actions=["case.submit"])
    item = Item.objects.get(code="640100-SCJG-001")
    submitted = client.post("/api/v1/cases/submit/", one_request(item), **auth)
    assert submitted.status_code == 201, submitted.content
    event = Event.objects.get(subject=f"cases/{submitted.json()['id']}")
    assert event.type == "case.submit" and event.data["channel"] == "api"
