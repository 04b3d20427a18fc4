"""System clients do only what their administrator allowed (issue 29, 2): one check,
keyed by the operation's name, before every page and API dispatch; a client acts on the
applicant's side only for the cases it submitted for them, and as the department only in
the name of an official it names."""

import pytest
from django.urls import reverse

from shenpi.accounts.client_operations import OPERATIONS
from shenpi.accounts.constants import ClientAction
from shenpi.cases import services
from shenpi.catalog.models import Item
from tests.api.test_api import make_client
from tests.api.test_cases_api import one_request
from tests.cases.conftest import FOOD_FORM, complete_draft

pytestmark = pytest.mark.django_db

READ, SUBMIT, ACT = ClientAction.CASE_READ, ClientAction.CASE_SUBMIT, ClientAction.CASE_ACT


@pytest.fixture
def received(demo):
    item = Item.objects.get(code="640100-SCJG-001")
    case = complete_draft(services, demo("zhangsan"), item)
    return services.case_submit(
        actor=demo("zhangsan"), case=case, declaration=True, form_data=FOOD_FORM
    )


def act(client, auth, case, action, **extra):
    return client.post(
        reverse(f"api:case_{action}", args=[case.pk]),
        extra,
        content_type="application/json",
        **auth,
    )


def test_a_client_with_no_allowed_action_reads_and_does_nothing(client, received):
    _sc, auth = make_client(department="yc-scjg", actions=[])
    assert client.get(f"/api/v1/cases/{received.pk}/", **auth).status_code == 403
    assert client.get("/api/v1/tasks/", **auth).status_code == 403
    assert act(client, auth, received, "withdraw").status_code == 403
    assert act(client, auth, received, "accept").status_code == 403
    received.refresh_from_db()
    assert received.status == "received"


def test_a_reading_client_reads_but_does_not_accept(client, received):
    _sc, auth = make_client(department="yc-scjg", actions=[READ])
    assert client.get(f"/api/v1/cases/{received.pk}/", **auth).status_code == 200
    assert client.get("/api/v1/tasks/", **auth).status_code == 200
    refused = act(client, auth, received, "accept", official="yc_scjg_off1")
    assert refused.status_code == 403 and refused.json()["code"] == "client_action_not_allowed"


def test_an_acting_client_accepts_in_the_name_of_an_official_it_names(client, demo, received):
    _sc, auth = make_client(department="yc-scjg", actions=[READ, ACT])
    assert act(client, auth, received, "accept").status_code == 400  # names no official
    assert act(client, auth, received, "accept", official="nx_scjg_off1").status_code == 400
    ok = act(client, auth, received, "accept", official="yc_scjg_off1")
    assert ok.status_code == 200 and ok.json()["status"] == "processing"
    from shenpi.audit.models import AuditRecord

    record = AuditRecord.objects.get(stream=f"case:{received.pk}", action="case.accept")
    assert record.actor == demo("yc_scjg_off1")


def test_a_client_is_the_applicants_side_only_for_what_it_submitted(client, received):
    _sc, auth = make_client(department="yc-scjg", actions=[READ, SUBMIT])
    # The citizen's own case: the department's client cannot withdraw it.
    assert act(client, auth, received, "withdraw").status_code == 404
    received.refresh_from_db()
    assert received.status == "received"
    item = Item.objects.get(code="640100-SCJG-001")
    mine = client.post("/api/v1/cases/submit/", one_request(item), **auth).json()
    withdrawn = client.post(
        f"/api/v1/cases/{mine['id']}/withdrawal/",
        {"reason": "申请人要求撤回"},
        content_type="application/json",
        **auth,
    )
    assert withdrawn.status_code == 200 and withdrawn.json()["status"] == "withdrawn"


def test_people_only_operations_refuse_every_client(client, received):
    _sc, auth = make_client(department="yc-scjg", actions=list(ClientAction.values))
    urged = client.post(
        f"/api/v1/cases/{received.pk}/urgings/",
        {"text": "请加快"},
        content_type="application/json",
        **auth,
    )
    assert urged.status_code == 403 and urged.json()["code"] == "people_only"


def test_every_dispatched_operation_is_classified():
    """A new page or API action must be named in the one table before it dispatches."""
    from shenpi.cases import actions

    named = {
        a.operation
        for t in (actions.CASE, actions.REVIEW, actions.TASK)
        for a in t.actions.values()
    }
    assert named <= set(OPERATIONS)
