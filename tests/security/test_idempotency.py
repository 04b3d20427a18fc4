"""Idempotency-Key on the multipart submission (issue 29, 3): matched on the parsed
request, its record in the work's transaction, files streamed."""

import io

import pytest
from django.test.client import encode_multipart

from shenpi.accounts.constants import ClientAction
from shenpi.cases.models import Case
from shenpi.catalog.models import Item
from tests.api.test_api import make_client
from tests.api.test_cases_api import one_request

pytestmark = pytest.mark.django_db


def post(client, auth, data, key, boundary):
    for upload in data.values():
        if hasattr(upload, "seek"):
            upload.seek(0)
    return client.post(
        "/api/v1/cases/submit/",
        encode_multipart(boundary, data),
        content_type=f"multipart/form-data; boundary={boundary}",
        HTTP_IDEMPOTENCY_KEY=key,
        **auth,
    )


@pytest.fixture
def auth():
    _sc, auth = make_client(
        department="yc-scjg", actions=[ClientAction.CASE_SUBMIT, ClientAction.CASE_READ]
    )
    return auth


@pytest.fixture
def item(db):
    return Item.objects.get(code="640100-SCJG-001")


def test_a_retry_with_another_boundary_returns_the_first_answer(client, auth, item):
    data = one_request(item)
    first = post(client, auth, data, "retry-1", "----boundaryA1")
    assert first.status_code == 201, first.content
    again = post(client, auth, data, "retry-1", "----boundaryZ9")
    assert again.status_code == 201 and again["Idempotent-Replayed"] == "true"
    assert again.json()["number"] == first.json()["number"]
    assert Case.objects.filter(item=item, channel="api").count() == 1


def test_the_same_key_with_another_file_is_a_409(client, auth, item):
    data = one_request(item)
    assert post(client, auth, data, "retry-2", "b1").status_code == 201
    other = one_request(item)
    name = next(k for k in other if k.startswith("m_"))
    from tests.api.test_cases_api import pdf

    other[name] = pdf("另一份.pdf")
    response = post(client, auth, other, "retry-2", "b1")
    assert response.status_code == 409 and response.json()["code"] == "idempotency_key_reused"


def test_a_request_that_died_in_the_middle_leaves_the_key_free(client, auth, item, monkeypatch):
    """A worker killed after the work began: nothing of it committed, not even the key, so
    the retry does the work (no 'request in progress' for a day)."""
    from shenpi.cases import services

    def dies(**kwargs):
        raise SystemExit("worker killed")

    real = services.applying.audit_records
    monkeypatch.setattr(services.applying, "audit_records", dies)
    data = one_request(item)
    with pytest.raises(SystemExit):
        post(client, auth, data, "retry-3", "b1")
    monkeypatch.setattr(services.applying, "audit_records", real)
    assert not Case.objects.filter(item=item, channel="api").exists()
    retried = post(client, auth, data, "retry-3", "b1")
    assert retried.status_code == 201, retried.content


def test_an_idempotent_submission_over_5_mb_is_taken(client, auth, item):
    from PIL import Image

    image = Image.frombytes("RGB", (1400, 1400), bytes(range(256)) * (1400 * 1400 * 3 // 256 + 1))
    out = io.BytesIO()
    image.save(out, format="PNG", compress_level=0)
    assert out.tell() > 5 * 1024 * 1024
    from django.core.files.uploadedfile import SimpleUploadedFile

    data = one_request(item)
    name = next(k for k in data if k.startswith("m_"))
    data[name] = SimpleUploadedFile("scan.png", out.getvalue(), content_type="image/png")
    response = post(client, auth, data, "big-1", "b1")
    assert response.status_code == 201, response.content[:300]


def test_a_key_is_answered_for_24_hours_then_free_again(client, auth, item):
    """CONTRACTS.md: a repeat within 24 hours returns the first answer; after them the key
    is free, and a new request under it (another file) is done anew, not refused as a 409."""
    import time_machine

    data = one_request(item)
    with time_machine.travel("2026-05-11 09:00 +0800", tick=False):
        first = post(client, auth, data, "daily-1", "b1")
    assert first.status_code == 201, first.content
    with time_machine.travel("2026-05-12 08:59 +0800", tick=False):
        again = post(client, auth, data, "daily-1", "b2")
    assert again["Idempotent-Replayed"] == "true"
    assert again.json()["number"] == first.json()["number"]
    other = one_request(item)
    name = next(k for k in other if k.startswith("m_"))
    from tests.api.test_cases_api import pdf

    other[name] = pdf("次日的材料.pdf")
    with time_machine.travel("2026-05-12 09:01 +0800", tick=False):
        later = post(client, auth, other, "daily-1", "b3")
    assert later.status_code == 201, later.content
    assert "Idempotent-Replayed" not in later
    assert later.json()["number"] != first.json()["number"]
    with time_machine.travel("2026-05-12 09:02 +0800", tick=False):
        replay = post(client, auth, other, "daily-1", "b4")
    assert replay.json()["number"] == later.json()["number"]
    assert Case.objects.filter(item=item, channel="api").count() == 2
