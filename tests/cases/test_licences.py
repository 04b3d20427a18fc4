"""Licences over their life: the public register (PUB-07), revocation (Art. 69) with
the three-year bar (SAN-02, Art. 79), cancellation (Art. 70), expiry."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from shenpi.cases import licences, services
from shenpi.cases.models import Bar
from shenpi.catalog.models import Item, ItemVersion
from shenpi.core.errors import Conflict, InvalidInput, NotAllowed, NotFound

pytestmark = pytest.mark.django_db


def granted(demo, applicant="lisi"):
    item = Item.objects.get(code="640104-SCJG-001")
    clerk = demo("clerk_xq_scjg")
    from .conftest import pdf_upload

    case = services.case_create_draft(
        actor=clerk, item=item, applicant=demo(applicant), channel="window"
    )
    for requirement in item.current.materials.all():
        services.case_add_material(
            actor=clerk, case=case, requirement_id=requirement.pk, upload=pdf_upload(), scanned=True
        )
    services.case_save_form(
        actor=clerk, case=case, data={"operator": "李四", "premises": "兴庆区", "scope": "百货"}
    )
    return services.case_window_instant(actor=clerk, case=case).issued_licence


def test_the_register_shows_grants_with_personal_names_masked(client, demo):
    licence = granted(demo)
    html = client.get(reverse("cases:register")).content.decode()
    assert licence.number in html and "李*" in html and "李四" not in html


def test_confidential_items_stay_out_of_the_register(client, demo):
    licence = granted(demo)
    ItemVersion.objects.filter(pk=licence.case.version_id).update(grants_public=False)
    assert licence.number not in client.get(reverse("cases:register")).content.decode()


def test_revocation_by_the_issuing_head_with_reasons_and_the_fraud_bar(demo):
    licence = granted(demo)
    with pytest.raises(NotFound):
        licences.licence_revoke(actor=demo("nx_scjg_head"), licence=licence, reasons="x")
    with pytest.raises(InvalidInput):
        licences.licence_revoke(actor=demo("xq_scjg_head"), licence=licence, reasons=" ")
    ItemVersion.objects.filter(pk=licence.case.version_id).update(safety_item=True)
    licences.licence_revoke(
        actor=demo("xq_scjg_head"), licence=licence, reasons="以虚假材料取得", fraud=True
    )
    licence.refresh_from_db()
    assert licence.status == "revoked"
    bar = Bar.objects.get(case=licence.case)
    assert bar.article == "第七十九条" and (bar.until - timezone.localdate()).days > 3 * 365 - 1
    with pytest.raises(NotAllowed):
        services.case_create_draft(actor=demo("lisi"), item=licence.item)
    with pytest.raises(Conflict):
        licences.licence_revoke(actor=demo("xq_scjg_head"), licence=licence, reasons="again")


def test_cancellation_and_expiry(demo):
    licence = granted(demo)
    licences.licence_cancel(actor=demo("xq_scjg_head"), licence=licence, reasons="个体工商户已注销")
    licence.refresh_from_db()
    assert licence.status == "cancelled"
    other = granted(demo, applicant="zhangsan")
    type(other).objects.filter(pk=other.pk).update(
        valid_until=timezone.localdate() - timedelta(days=1)
    )
    assert licences.licences_expire() == 1
