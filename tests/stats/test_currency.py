"""信息时效 (issue 23): guides not reviewed for SHENPI_GUIDE_REVIEW_MONTHS, FAQ written for
a version no longer in force, forms uploaded before the version in force took effect —
listed for the department, confirmed on record, counted for supervision."""

from datetime import date, datetime, timedelta

import pytest
from django.utils import timezone

from shenpi.catalog.models import FormFile, Item, ItemVersion, MaterialRequirement
from shenpi.consult.models import Faq
from shenpi.stats import currency
from tests.api.test_api import token_for
from tests.cases.test_views import login

pytestmark = pytest.mark.django_db
FOOD = "640100-SCJG-001"


def reviewed_on(item: Item, day: date) -> None:
    moment = timezone.make_aware(datetime(day.year, day.month, day.day, 10))
    ItemVersion.objects.filter(pk=item.current_id).update(reviewed_at=moment, effective_from=day)
    Item.objects.filter(pk=item.pk).update(guide_confirmed_at=None)


def test_a_guide_is_due_the_day_after_its_review_months(demo, settings):
    settings.SHENPI_GUIDE_REVIEW_MONTHS = 12
    item, today = Item.objects.get(code=FOOD), date(2026, 12, 7)
    department = [item.department]
    reviewed_on(item, date(2025, 12, 7))  # twelve months ago to the day: not yet due
    assert item.pk not in {r["item"].pk for r in currency.stale_items(department, today)}
    reviewed_on(item, date(2025, 12, 6))
    (row,) = [r for r in currency.stale_items(department, today) if r["item"].pk == item.pk]
    assert row["reviewed"] == date(2025, 12, 6)


def test_the_department_confirms_a_guide_on_record(client, demo):
    item = Item.objects.get(code=FOOD)
    reviewed_on(item, timezone.localdate() - timedelta(days=800))
    login(client, "yc_scjg_off1")
    page = client.get("/desk/currency/").content.decode()
    assert item.code in page and "确认仍然准确" in page
    client.post(f"/desk/currency/{item.code}/confirm/")
    page = client.get("/desk/currency/").content.decode()
    assert f'href="/guide/{item.code}/"' not in page
    item.refresh_from_db()
    assert item.guide_confirmed_at is not None
    from shenpi.audit.models import AuditRecord

    assert AuditRecord.objects.filter(action="item.guide_confirmed").exists()
    # Another department's official cannot (404, as for any other department's item).
    login(client, "nx_scjg_off1")
    assert client.post(f"/desk/currency/{item.code}/confirm/").status_code == 302
    item.refresh_from_db()
    api = client.post(
        f"/api/v1/items/{item.code}/guide-confirmation/", **token_for(client, "nx_scjg_off1")
    )
    assert api.status_code == 404


def test_faq_and_forms_a_new_version_outdated_are_listed(demo):
    item = Item.objects.get(code=FOOD)
    department = item.department
    old = ItemVersion.objects.filter(item=item).exclude(pk=item.current_id).first()
    if old is None:  # a second version, the first stays behind it
        old = item.current
        old.pk = None
        old.number = 99
        old.status = "superseded"
        old.save()
    faq = Faq.objects.create(
        department=department,
        item=item,
        version=old,
        title="旧版本的问题",
        answer="旧的答复",
        status="published",
        proposed_by=demo("yc_scjg_off1"),
        proposed_at=timezone.now(),
        published_at=timezone.now(),
    )
    assert faq in currency.faqs_to_review([department])
    form = FormFile.objects.create(
        department=department, title="旧表格", kind="template", file="forms/x.pdf",
        content_type="application/pdf", size=10, sha256="0" * 64,
    )  # fmt: skip
    FormFile.objects.filter(pk=form.pk).update(uploaded_at=timezone.now() - timedelta(days=400))
    ItemVersion.objects.filter(pk=item.current_id).update(
        effective_from=timezone.localdate() - timedelta(days=30)
    )
    MaterialRequirement.objects.filter(version_id=item.current_id).update(template=form)
    rows = currency.forms_to_review([department])
    assert [r["form"].pk for r in rows] == [form.pk]
    (count,) = [c for c in currency.counts([department], timezone.localdate())]
    assert (count["faqs"], count["forms"]) == (1, 1)


def test_supervision_counts_every_department_in_scope(client, demo):
    item = Item.objects.get(code=FOOD)
    reviewed_on(item, timezone.localdate() - timedelta(days=800))
    login(client, "yc_jc_sup")
    page = client.get("/desk/currency/").content.decode()
    assert 'data-testid="currency-counts"' in page and item.department.name in page
    api = client.get("/api/v1/statistics/currency/", **token_for(client, "yc_jc_sup")).json()
    assert any(c["department"] == item.department.code and c["items"] >= 1 for c in api["counts"])
    login(client, "zhangsan")
    assert client.get("/desk/currency/").status_code == 404
