"""The change feed: the same events, pulled from a position, scoped, paginated, with a
horizon after which a position has expired."""

from datetime import timedelta

import pytest
from django.utils import timezone

from shenpi.cases import services
from shenpi.exchange import services as exchange
from shenpi.exchange.models import Event
from tests.api.test_api import assert_problem, make_client, token_for

pytestmark = pytest.mark.django_db


def pull(client, auth, after="", limit=""):
    query = f"?after={after}" + (f"&limit={limit}" if limit else "")
    return client.get(f"/api/v1/events/{query}", **auth)


def test_a_system_pulls_its_events_in_pages_and_catches_up(client, subscriber, received, demo):
    _sub, auth = subscriber(department="yc-scjg", url="")  # pull only
    first = pull(client, auth).json()
    cases = [received(), received()]
    services.case_accept(actor=demo("yc_scjg_off1"), case=cases[0])
    seen, after = [], first["next"]
    while True:
        page = pull(client, auth, after, limit=2)
        assert page.status_code == 200
        body = page.json()
        seen += body["events"]
        after = body["next"]
        if not body["more"]:
            break
    assert [(e["subject"], e["type"]) for e in seen] == [
        (f"cases/{cases[0].pk}", "cn.shenpi.case.submit"),
        (f"cases/{cases[1].pk}", "cn.shenpi.case.submit"),
        (f"cases/{cases[0].pk}", "cn.shenpi.case.accept"),
    ]
    assert [e["sequence"] for e in seen] == sorted(e["sequence"] for e in seen)
    assert pull(client, auth, after).json() == {"events": [], "next": after, "more": False}


def test_the_feed_shows_only_the_clients_scope(client, subscriber, received):
    _sub, elsewhere = subscriber(division="640200", url="")
    _sub, region = subscriber(division="640000", url="")
    received()
    assert pull(client, elsewhere).json()["events"] == []
    assert len(pull(client, region).json()["events"]) >= 1


def test_a_client_without_a_subscription_sees_its_binding(client, received):
    _sc, auth = make_client(department="yc-scjg", actions=["events.read"])
    received()
    assert len(pull(client, auth).json()["events"]) >= 1


def test_people_and_clients_not_allowed_are_refused(client, received):
    _sc, auth = make_client(department="yc-scjg", actions=["case.read"])
    assert_problem(pull(client, auth), 403, "client_action_not_allowed")
    assert_problem(pull(client, token_for(client, "yc_jc_sup")), 403, "clients_only")
    assert client.get("/api/v1/events/").status_code == 401


@pytest.mark.parametrize("after", ["abc", "1-x", "-"])
def test_a_malformed_position_is_a_clear_400(client, subscriber, after):
    _sub, auth = subscriber(department="yc-scjg", url="")
    body = assert_problem(pull(client, auth, after), 400)
    assert "after" in body["errors"]


def test_a_bad_limit_is_a_400(client, subscriber):
    _sub, auth = subscriber(department="yc-scjg", url="")
    assert_problem(pull(client, auth, limit="0"), 400)
    assert_problem(pull(client, auth, limit="501"), 400)


def test_after_thirty_days_events_are_forgotten_and_an_old_position_is_410(
    client, subscriber, received
):
    _sub, auth = subscriber(department="yc-scjg", url="")
    received(), received()
    everything = pull(client, auth).json()
    partway = pull(client, auth, limit=1).json()["next"]  # read one, then the system went down
    Event.objects.update(time=timezone.now() - timedelta(days=31))
    received()  # a new one, kept
    assert exchange.events_forget() >= 2
    # The second was forgotten unread: the position has expired. Having read everything
    # up to the horizon, another system has missed nothing.
    assert_problem(pull(client, auth, partway), 410, "cursor_expired")
    assert [e["type"] for e in pull(client, auth, everything["next"]).json()["events"]] == [
        "cn.shenpi.case.submit"
    ]
    fresh = pull(client, auth, "").json()["events"]
    assert [e["type"] for e in fresh] == ["cn.shenpi.case.submit"]
