"""两级平台: a county's own system pushes the cases it handles itself; they appear in the
region's monitoring, scan and statistics, read-only here, and the region's orders reach
the county's system as events."""

import json
from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from shenpi.audit.models import AuditRecord
from shenpi.cases import services
from shenpi.cases.licences import licence_revoke
from shenpi.cases.models import Case, CaseEvent, Licence
from shenpi.core.errors import Conflict
from shenpi.exchange import signing
from shenpi.exchange.models import Event, Subscriber
from tests.api.test_api import assert_problem, make_client, token_for

pytestmark = pytest.mark.django_db

XINGQING = "640104"


@pytest.fixture
def county():
    """兴庆区's own approval system: bound to its division, allowed to push and read."""
    client, auth = make_client(division=XINGQING, actions=["case.push", "case.read"])
    subscriber = Subscriber.objects.create(client=client, url="")
    return client, auth, subscriber.secret


def body(version=1, **state):
    return {
        "version": version,
        "item": "640104-SCJG-001",
        "item_version": 1,
        "department": "xq-scjg",
        "applicant_name": "李四",
        "applicant_code": "640102198512150023",
        "status": "received",
        "received_at": "2026-12-07T09:12:00+08:00",
        **state,
    }


def push(client, county, source_id, data, *, key=None, headers=None):
    _client, auth, secret = county
    raw = json.dumps(data).encode()
    signed = headers if headers is not None else signing.sign([key or secret], "m-1", raw)
    return client.put(
        f"/api/v1/lower-cases/{source_id}/",
        raw,
        content_type="application/json",
        **auth,
        **{f"HTTP_{k.upper().replace('-', '_')}": v for k, v in signed.items()},
    )


ACCEPTED = {"status": "processing", "accepted_at": "2026-12-07T10:00:00+08:00",
            "statutory_due": "2027-01-05", "promised_due": "2026-12-21"}  # fmt: skip


def test_a_pushed_case_is_created_then_brought_up_to_date(client, county):
    created = push(client, county, "XQ-2026-0001", body())
    assert created.status_code == 201, created.content
    case = Case.objects.get(pk=created.json()["id"])
    assert case.number.startswith(XINGQING) and case.channel == "lower"
    assert case.status == "received" and case.source_version == 1
    updated = push(client, county, "XQ-2026-0001", body(2, **ACCEPTED))
    assert updated.status_code == 200 and updated.json()["version"] == 2
    case.refresh_from_db()
    assert case.status == "processing" and case.promised_due == date(2026, 12, 21)
    kinds = list(case.events.order_by("at").values_list("kind", flat=True))
    assert kinds == ["received", "accepted"]  # the statistics count these
    types = Event.objects.filter(subject=f"cases/{case.pk}").values_list("type", flat=True)
    assert list(types) == ["case.push", "case.push"]


def test_a_repeated_push_changes_nothing_and_a_late_one_is_409(client, county):
    push(client, county, "XQ-1", body())
    push(client, county, "XQ-1", body(2, **ACCEPTED))
    again = push(client, county, "XQ-1", body(2, **ACCEPTED))
    assert again.status_code == 200
    assert CaseEvent.objects.filter(case__source_case_id="XQ-1").count() == 2
    late = assert_problem(push(client, county, "XQ-1", body(1)), 409, "stale_version")
    assert late["current_version"] == 2
    other = push(client, county, "XQ-1", body(2, **{**ACCEPTED, "promised_due": "2026-12-25"}))
    assert_problem(other, 409, "stale_version")
    assert Case.objects.get(source_case_id="XQ-1").promised_due == date(2026, 12, 21)


GRANTED = {**ACCEPTED, "status": "closed", "outcome": "granted",
           "decided_at": "2026-12-10T10:00:00+08:00", "ended_at": "2026-12-11T10:00:00+08:00"}  # fmt: skip
LICENCE = {
    "number": "XQ2026GT000123",
    "valid_from": "2026-12-10",
    "scope": "经营范围：日用百货零售",
}


def test_a_state_the_flow_forbids_is_409(client, county):
    decided = {**GRANTED, "licence": LICENCE}
    assert push(client, county, "XQ-2", body(1, **decided)).status_code == 201
    back = assert_problem(push(client, county, "XQ-2", body(2, **ACCEPTED)), 409, "flow_forbids")
    assert back["current_status"] == "closed"


@pytest.mark.parametrize(
    ("change", "status", "field"),
    [
        ({"item": "640104-NOPE-001"}, 400, "item"),
        ({"item_version": 9}, 400, "item"),
        ({"applicant_code": "640102198512150024"}, 400, "applicant_code"),
        ({"status": "draft"}, 400, "status"),
        ({"status": "decided", **ACCEPTED | {"status": "decided"}}, 400, "outcome"),
        ({"received_at": "yesterday"}, 400, "received_at"),
    ],
)
def test_bad_pushes_get_a_clear_400(client, county, change, status, field):
    answer = assert_problem(push(client, county, "XQ-3", {**body(), **change}), status)
    assert field in answer["errors"], answer
    assert not Case.objects.filter(source_case_id="XQ-3").exists()


def test_a_department_outside_the_clients_division_is_404(client, county):
    assert_problem(push(client, county, "XQ-4", body(department="yc-scjg")), 404)


def test_a_forged_or_stale_signature_is_refused_and_recorded(client, county):
    forged = push(client, county, "XQ-5", body(), key="not-the-key")
    assert_problem(forged, 403, "bad_signature")
    raw = json.dumps(body()).encode()
    stale = signing.sign([county[2]], "m-2", raw, now=timezone.now().timestamp() - 600)
    assert_problem(push(client, county, "XQ-5", body(), headers=stale), 403, "bad_signature")
    assert_problem(push(client, county, "XQ-5", body(), headers={}), 403, "bad_signature")
    assert AuditRecord.objects.filter(action="exchange.push_refused").count() == 3
    assert not Case.objects.filter(source_case_id="XQ-5").exists()


def test_only_a_lower_platform_may_push(client, county):
    _sc, department_auth = make_client(department="xq-scjg", actions=["case.push"])
    raw = json.dumps(body()).encode()
    refused = client.put(
        "/api/v1/lower-cases/XQ-6/", raw, content_type="application/json", **department_auth
    )
    assert_problem(refused, 403)
    person = client.put(
        "/api/v1/lower-cases/XQ-6/", raw, content_type="application/json",
        **token_for(client, "xq_scjg_off1"),
    )  # fmt: skip
    assert_problem(person, 403, "clients_only")


@pytest.mark.parametrize("bad", ["a%20b", "x" * 65, "..%2F..", "caf%C3%A9"])
def test_a_malformed_source_id_is_404(client, county, bad):
    assert push(client, county, bad, body()).status_code == 404


def test_the_pushed_case_is_read_only_here_and_seen_by_the_region(client, county, demo):
    created = push(client, county, "XQ-7", body(1, **ACCEPTED)).json()
    case = Case.objects.get(pk=created["id"])
    with pytest.raises(Conflict) as refused:
        services.case_decide(actor=demo("xq_scjg_head"), case=case, outcome="granted")
    assert refused.value.code == "handled_by_source"
    seen = client.get(f"/api/v1/cases/{case.pk}/", **token_for(client, "nx_jc_sup"))
    assert seen.status_code == 200


def test_the_regions_order_reaches_the_county_system_as_an_event(client, county, demo):
    from shenpi.supervision.services import order_issue

    created = push(client, county, "XQ-8", body(1, **ACCEPTED)).json()
    case = Case.objects.get(pk=created["id"])
    order_issue(
        actor=demo("nx_jc_sup"),
        case=case,
        text="请说明进度",
        answer_due=date.today() + timedelta(3),
    )
    _client, auth, _secret = county
    feed = client.get("/api/v1/events/", **auth)  # the county's events (case.push not allowed here)
    assert feed.status_code == 403  # it was not allowed to receive events …
    client_row = county[0]
    client_row.allowed_actions = [*client_row.allowed_actions, "events.read"]
    client_row.save()
    events = client.get("/api/v1/events/", **auth).json()["events"]
    orders = [e for e in events if e["type"] == "cn.shenpi.supervision.order"]
    assert orders and orders[0]["data"]["text"] == "请说明进度"


def test_the_deadline_scan_lights_a_pushed_case_that_is_late(client, county):
    from shenpi.supervision.models import Warning
    from shenpi.supervision.scan import scan_deadlines

    late = {**ACCEPTED, "statutory_due": "2026-12-08", "promised_due": "2026-12-08"}
    case_id = push(client, county, "XQ-9", body(1, **late)).json()["id"]
    scan_deadlines(today=date(2026, 12, 9))
    assert Warning.objects.filter(case_id=case_id, cleared_at__isnull=True).exists()


def test_the_case_page_says_who_handles_it_and_offers_no_action(client, county, demo):
    case_id = push(client, county, "XQ-10", body()).json()["id"]
    client.force_login(demo("xq_scjg_off1"))
    page = client.get(f"/cases/{case_id}/")
    assert page.status_code == 200
    text = page.content.decode()
    assert 'data-testid="source-system"' in text and "XQ-10" in text
    assert 'data-testid="pre-review"' not in text  # a received case, but not ours to accept


def test_a_grant_below_registers_its_licence_here(client, county):
    """PUB-07 (Art. 40): the county's grant is public in the region's register, and its
    licence checks out at the platform's verify page, in the issuing department's name."""
    missing = push(client, county, "XQ-11", body(1, **GRANTED))
    assert_problem(missing, 400, "invalid")["errors"]["licence"]
    assert not Case.objects.filter(source_case_id="XQ-11").exists()  # nothing half-written
    assert push(client, county, "XQ-11", body(1, **GRANTED, licence=LICENCE)).status_code == 201
    licence = Licence.objects.get(number=LICENCE["number"])
    assert licence.department.code == "xq-scjg" and licence.holder_name == "李四"
    assert licence.name == "个体工商户营业执照" and licence.valid_until is None
    assert licence.file.read().startswith(b"%PDF")
    register = client.get(reverse("cases:register"))
    assert LICENCE["number"] in register.content.decode()
    checked = client.get(reverse("cases:verify_licence", args=[licence.verification_code]))
    assert checked.status_code == 200 and "有效" in checked.content.decode()
    event = Event.objects.filter(subject=f"cases/{licence.case_id}").last()
    assert event.data["licence"] == LICENCE["number"] and event.data["licence_status"] == "valid"


def test_the_county_revokes_its_licence_by_a_push_and_only_there(client, county, demo):
    push(client, county, "XQ-12", body(1, **GRANTED, licence=LICENCE))
    licence = Licence.objects.get(number=LICENCE["number"])
    with pytest.raises(Conflict) as refused:
        licence_revoke(actor=demo("xq_scjg_head"), licence=licence, reasons="以欺骗手段取得")
    assert refused.value.code == "handled_by_source"
    revoked = {**LICENCE, "status": "revoked"}
    assert push(client, county, "XQ-12", body(2, **GRANTED, licence=revoked)).status_code == 200
    licence.refresh_from_db()
    assert licence.status == "revoked"
    renumbered = {**revoked, "number": "XQ2026GT000999"}
    assert_problem(
        push(client, county, "XQ-12", body(3, **GRANTED, licence=renumbered)),
        400,
        "immutable_field",
    )


@pytest.mark.parametrize(
    ("licence", "field"),
    [
        ({**LICENCE, "valid_until": "2026-01-01"}, "valid_until"),
        ({**LICENCE, "number": "<script>"}, "number"),
        ({**LICENCE, "status": "lost"}, "status"),
    ],
)
def test_a_bad_licence_gets_a_clear_400(client, county, licence, field):
    answer = push(client, county, "XQ-13", body(1, **GRANTED, licence=licence))
    assert f"licence.{field}" in assert_problem(answer, 400, "invalid")["errors"]


def test_a_licence_on_a_case_not_granted_is_refused(client, county):
    answer = push(client, county, "XQ-14", body(1, **ACCEPTED, licence=LICENCE))
    assert "licence" in assert_problem(answer, 400, "invalid")["errors"]


def test_a_licence_number_already_used_is_409(client, county):
    push(client, county, "XQ-15", body(1, **GRANTED, licence=LICENCE))
    again = push(client, county, "XQ-16", body(1, **GRANTED, licence=LICENCE))
    assert_problem(again, 409, "licence_number_taken")
