"""A refused out-of-scope access leaves a `denied` audit record, rate-limited per person,
which supervisors read (issue 29, 17)."""

import uuid

import pytest
from django.urls import reverse

from shenpi.audit.models import AuditRecord
from shenpi.audit.services import DENIED_PER_USER
from tests.cases.test_review import accepted_project

pytestmark = pytest.mark.django_db


def test_another_divisions_case_is_a_404_and_a_denied_record(client, demo):
    case = accepted_project(demo)  # the region's
    official = demo("yc_scjg_off1")
    client.force_login(official)
    assert client.get(reverse("cases:detail", args=[case.pk])).status_code == 404
    record = AuditRecord.objects.get(stream=f"user:{official.public_id}", outcome="denied")
    assert record.object_id == str(case.pk) and record.action == "case.denied"
    client.force_login(demo("yc_jc_sup"))
    html = client.get(reverse("supervision:audit"), {"denied": "1"}).content.decode()
    assert str(case.pk) in html


def test_a_crawler_cannot_flood_the_log(client, demo):
    official = demo("yc_scjg_off1")
    client.force_login(official)
    for _ in range(DENIED_PER_USER + 15):
        assert client.get(reverse("cases:detail", args=[uuid.uuid4()])).status_code == 404
    records = AuditRecord.objects.filter(stream=f"user:{official.public_id}", outcome="denied")
    assert records.count() == DENIED_PER_USER
    assert records.filter(detail__limit_reached=True).count() == 1


def test_an_observers_unwatched_case_is_recorded_too(client, demo):
    case = accepted_project(demo)
    observer = demo("observer")
    client.force_login(observer)
    assert client.get(reverse("supervision:watched"), {"case": str(case.pk)}).status_code == 404
    assert AuditRecord.objects.filter(
        stream=f"user:{observer.public_id}", outcome="denied", object_id=str(case.pk)
    ).exists()
