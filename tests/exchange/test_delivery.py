"""Delivery to a real receiver: signed CloudEvents, in order per case, retried with backoff,
parked as dead letters after 24 hours and replayed; scoped to what the subscriber may see."""

from datetime import timedelta

import pytest
import time_machine
from django.test import override_settings
from django.utils import timezone

from shenpi.cases import services
from shenpi.exchange import services as exchange
from shenpi.exchange import signing
from shenpi.exchange.models import Delivery, DeliveryStatus

pytestmark = pytest.mark.django_db


def run():
    return exchange.exchange_deliver(seconds=30)


def test_events_arrive_signed_as_cloudevents(receiver, subscriber, received):
    sub, _auth = subscriber(department="yc-scjg")
    case = received()
    assert receiver.received == []  # nothing is POSTed inside the submitting request
    assert run() == 1
    (message,) = receiver.received
    headers, event = message["headers"], message["event"]
    assert headers["content-type"] == "application/cloudevents+json"
    assert event["specversion"] == "1.0" and event["type"] == "cn.shenpi.case.submit"
    assert event["subject"] == f"cases/{case.pk}" and event["data"]["number"] == case.number
    assert signing.verify([sub.secret], headers, message["body"]) == event["id"]
    with pytest.raises(signing.BadSignature):
        signing.verify(["another key"], headers, message["body"])
    with pytest.raises(signing.BadSignature):
        signing.verify([sub.secret], headers, message["body"].replace(b"submit", b"accept"))
    assert run() == 0  # delivered once


def test_a_subscriber_sees_only_its_scope_and_types(receiver, subscriber, received):
    subscriber(division="640200")  # 石嘴山市: not its case
    subscriber(division="640000", types=["case.accept"])  # the region, acceptances only
    received()
    assert run() == 0
    assert Delivery.objects.count() == 0


def test_the_region_sees_a_city_case(receiver, subscriber, received):
    subscriber(division="640000")
    received()
    assert run() == 1


def test_a_failure_holds_that_case_back_and_lets_others_go(receiver, subscriber, received, demo):
    subscriber(department="yc-scjg")
    first, second = received(), received()
    services.case_accept(actor=demo("yc_scjg_off1"), case=first)
    receiver.answers = [500]  # the first case's submission fails once
    assert run() == 1  # the second case's submission went; the first case waits
    pending = Delivery.objects.filter(status=DeliveryStatus.PENDING).order_by("event_seq")
    assert [d.subject for d in pending] == [f"cases/{first.pk}"] * 2
    assert pending[0].attempts == 1 and pending[0].last_status == 500
    assert pending[0].next_attempt_at > timezone.now()
    assert run() == 0  # not yet due
    with time_machine.travel(timezone.now() + timedelta(seconds=5)):
        assert run() == 2
    subjects = [e["subject"] for e in receiver.accepted()]
    assert subjects == [f"cases/{second.pk}", f"cases/{first.pk}", f"cases/{first.pk}"]
    ofirst = [e["type"] for e in receiver.accepted() if e["subject"] == f"cases/{first.pk}"]
    assert ofirst == ["cn.shenpi.case.submit", "cn.shenpi.case.accept"]
    # The retry is the same event: a receiver drops a repeat by its id.
    retried = [r for r in receiver.received if r["event"]["subject"] == f"cases/{first.pk}"]
    assert retried[0]["event"]["id"] == retried[1]["event"]["id"]


def test_backoff_doubles_up_to_an_hour():
    assert [exchange.backoff(n).total_seconds() for n in (1, 2, 3, 4)] == [1, 2, 4, 8]
    assert exchange.backoff(30) == timedelta(hours=1)


def test_after_a_day_of_failures_a_dead_letter_an_administrator_replays(
    receiver, subscriber, received, demo
):
    subscriber(department="yc-scjg")
    received()
    receiver.answers = [503] * 100
    run()
    moment = timezone.now()
    with time_machine.travel(moment + timedelta(hours=23, minutes=59)):
        run()
        assert Delivery.objects.get().status == DeliveryStatus.PENDING
    with time_machine.travel(moment + timedelta(hours=24, minutes=1)):
        run()
        dead = Delivery.objects.get()
        assert dead.status == DeliveryStatus.DEAD and dead.last_status == 503
        receiver.answers = []
        assert run() == 0  # parked: not tried again by itself
        assert exchange.deliveries_replay(actor=demo("admin"), deliveries=[dead]) == 1
        assert run() == 1
    assert Delivery.objects.get().status == DeliveryStatus.DELIVERED
    assert Delivery.objects.get().replayed_at is not None


@override_settings(EXCHANGE_TIMEOUT=(1, 0.2))
def test_a_slow_receiver_is_retried_later_not_waited_on(receiver, subscriber, received):
    subscriber(department="yc-scjg")
    for _ in range(5):
        received()
    receiver.pause = 0.5
    assert run() == 0
    tried = Delivery.objects.filter(attempts=1)
    # The pass gives up on a receiver after GIVE_UP_AFTER failures in a row.
    assert tried.count() == exchange.GIVE_UP_AFTER
    assert all("Timeout" in d.last_error for d in tried)


def test_a_rotated_key_signs_beside_the_old_one(receiver, subscriber, received, demo):
    sub, _auth = subscriber(department="yc-scjg")
    old = sub.secret
    new = exchange.subscriber_rotate_key(actor=demo("admin"), subscriber=sub)
    received()
    run()
    message = receiver.received[0]
    assert len(message["headers"]["webhook-signature"].split()) == 2
    signing.verify([old], message["headers"], message["body"])
    signing.verify([new], message["headers"], message["body"])
    with time_machine.travel(timezone.now() + exchange.KEY_OVERLAP + timedelta(minutes=1)):
        received()
        run()
        last = receiver.received[-1]
        assert len(last["headers"]["webhook-signature"].split()) == 1
        with pytest.raises(signing.BadSignature):
            signing.verify([old], last["headers"], last["body"])


def test_a_stale_timestamp_is_refused():
    body = b"{}"
    headers = signing.sign(["k"], "1", body, now=1_000_000)
    assert signing.verify(["k"], headers, body, now=1_000_000 + 299) == "1"
    with pytest.raises(signing.BadSignature):
        signing.verify(["k"], headers, body, now=1_000_000 + 301)


def test_the_readmes_receiver_example_verifies_a_real_delivery(receiver, subscriber, received):
    """The ten lines the README gives receivers, run against what was actually sent."""
    from pathlib import Path

    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
    section = readme[readme.index("The receiver's side") :]
    code = section[
        section.index("```python") + len("```python") : section.index(
            "```\n", section.index("```python") + 9
        )
    ]
    namespace: dict = {}
    exec(code, namespace)  # noqa: S102 - the README's own example, tested
    sub, _auth = subscriber(department="yc-scjg")
    received()
    run()
    message = receiver.received[0]
    assert namespace["verify"]([sub.secret], message["headers"], message["body"])
    assert not namespace["verify"](["wrong"], message["headers"], message["body"])
    assert not namespace["verify"]([sub.secret], message["headers"], message["body"] + b" ")


def test_a_long_queue_behind_a_failure_does_not_hide_other_objects(receiver, subscriber):
    """An object with more events waiting behind its failed one than a pass reads: another
    object's event after them still goes."""
    from shenpi.exchange.publishing import Outgoing, publish_many

    sub, _auth = subscriber(division="640100")
    publish_many([Outgoing("case.test", "cases/long", "640100") for _ in range(250)])
    publish_many([Outgoing("case.test", "cases/other", "640100")])
    receiver.answers = [500]
    assert run() == 0  # the long object's first event fails; the rest of its queue waits
    assert run() == 1  # the next run, before the failed one is due again: the other goes
    assert [e["subject"] for e in receiver.accepted()] == ["cases/other"]
