"""Public licence verification and the register (issue 29, 6; PUB-07, Art. 40; PUB-01,
Art. 5): a natural person's name masked everywhere in public and not searchable; where the
item's grants are not public only number, validity and status; lookups limited."""

import pytest
from django.urls import reverse

from shenpi.catalog.models import ItemVersion
from tests.cases.test_licences import granted

pytestmark = pytest.mark.django_db


def test_the_verification_page_masks_a_persons_name(client, demo):
    licence = granted(demo)  # 李四's
    html = client.get(reverse("cases:verify_licence", args=[licence.verification_code])).content
    html = html.decode()
    assert "李*" in html and "李四" not in html


def test_the_register_cannot_be_searched_by_a_persons_name(client, demo):
    licence = granted(demo)
    found = client.get(reverse("cases:register"), {"q": "李四"}).content.decode()
    assert licence.number not in found
    by_number = client.get(reverse("cases:register"), {"q": licence.number}).content.decode()
    assert licence.number in by_number


def test_a_confidential_items_licence_shows_only_number_validity_and_status(client, demo):
    licence = granted(demo)
    ItemVersion.objects.filter(pk=licence.case.version_id).update(grants_public=False)
    html = client.get(reverse("cases:verify_licence", args=[licence.verification_code])).content
    html = html.decode()
    assert licence.number in html and "李*" not in html and licence.name not in html
    body = client.get("/api/v1/licences/verify/", {"code": licence.verification_code}).json()
    assert body["number"] == licence.number and body["valid"]
    assert body["holder"] == body["name"] == body["department"] == "" and not body["public"]


def test_lookups_are_limited_per_address(client, demo):
    licence = granted(demo)
    codes = [
        client.get(
            "/api/v1/licences/verify/", {"number": f"{licence.number[:-6]}{n:06d}"}
        ).status_code
        for n in range(1, 32)
    ]
    assert codes[-1] == 429 and 429 not in codes[:30]
    page = client.get(reverse("cases:verify_licence", args=[licence.verification_code]))
    assert page.status_code == 429
