"""Drafting, review, publication, supersession and abolition of item versions."""

from datetime import timedelta

import pytest
from django.utils import timezone

from shenpi.audit.models import AuditRecord
from shenpi.catalog import services
from shenpi.catalog.models import Item, ItemVersion
from shenpi.core.errors import Conflict, InvalidInput, NotAllowed, NotFound

from .conftest import version_data

pytestmark = pytest.mark.django_db


def draft_of(food, demo, **changes):
    draft = services.version_draft_next(actor=demo("yc_scjg_off1"), item=food)
    data, materials, fees = version_data(draft)
    data.update(changes)
    return services.version_update(
        actor=demo("yc_scjg_off1"), version=draft, data=data, materials=materials, fees=fees
    )


def test_demo_item_has_a_superseded_and_a_current_version(food):
    assert list(food.versions.order_by("number").values_list("status", flat=True)) == [
        "superseded",
        "published",
    ]
    assert food.current.number == 2 and food.current.promised_days == 10
    assert food.versions.get(number=1).promised_days == 15


def test_draft_review_publish_supersede(food, demo):
    draft = draft_of(food, demo, promised_days=8, conditions="新的申请条件")
    assert draft.number == 3 and draft.status == "draft"
    assert draft.materials.count() == food.current.materials.count()
    services.version_submit(actor=demo("yc_scjg_off1"), version=draft)
    published = services.version_approve(actor=demo("yc_fzb_legal"), version=draft, comment="同意")
    food.refresh_from_db()
    assert food.current_id == published.pk
    assert ItemVersion.objects.get(item=food, number=2).status == "superseded"
    # The old version is kept exactly as it was, for the cases that used it.
    assert ItemVersion.objects.get(item=food, number=2).promised_days == 10
    actions = set(
        AuditRecord.objects.filter(stream=f"item:{food.pk}").values_list("action", flat=True)
    )
    assert {"item.draft", "item.update", "item.submit", "item.publish", "item.in_force"} <= actions


def test_a_future_effective_date_waits_for_its_day(food, demo):
    draft = draft_of(food, demo, promised_days=9)
    services.version_submit(actor=demo("yc_scjg_off1"), version=draft)
    tomorrow = timezone.localdate() + timedelta(days=1)
    services.version_approve(actor=demo("yc_fzb_legal"), version=draft, effective_from=tomorrow)
    food.refresh_from_db()
    assert food.current.number == 2
    assert services.versions_bring_into_force(today=timezone.localdate()) == 0
    assert services.versions_bring_into_force(today=tomorrow) == 1
    food.refresh_from_db()
    assert food.current.number == 3
    assert services.versions_bring_into_force(today=tomorrow) == 0  # idempotent


def test_a_published_version_cannot_be_edited(food, demo):
    data, materials, fees = version_data(food.current)
    with pytest.raises(Conflict) as exc:
        services.version_update(
            actor=demo("yc_scjg_off1"),
            version=food.current,
            data=data,
            materials=materials,
            fees=fees,
        )
    assert exc.value.code == "version_frozen"


def test_one_draft_at_a_time(food, demo):
    draft_of(food, demo)
    with pytest.raises(Conflict):
        services.version_draft_next(actor=demo("yc_scjg_off1"), item=food)


def test_another_departments_official_cannot_touch_the_item(food, demo):
    with pytest.raises(NotFound):
        services.version_draft_next(actor=demo("nx_scjg_off1"), item=food)


def test_a_reviewer_cannot_approve_their_own_draft(food, demo):
    from shenpi.accounts.models import RoleAssignment

    official = demo("yc_scjg_off1")
    # An official who also holds the legal role in… their own department is not the legal office:
    RoleAssignment.objects.create(user=official, role="legal")
    draft = draft_of(food, demo)
    services.version_submit(actor=official, version=draft)
    with pytest.raises(NotFound):
        services.version_approve(actor=official, version=draft)
    # The legal officer who drafted a version (made by them here) cannot approve it.
    ItemVersion.objects.filter(pk=draft.pk).update(created_by=demo("yc_fzb_legal"))
    with pytest.raises(NotAllowed) as exc:
        services.version_approve(actor=demo("yc_fzb_legal"), version=draft)
    assert exc.value.code == "own_draft"
    assert ItemVersion.objects.get(pk=draft.pk).status == "in_review"


def test_only_the_legal_office_of_the_items_level_reviews(food, demo):
    draft = draft_of(food, demo)
    services.version_submit(actor=demo("yc_scjg_off1"), version=draft)
    with pytest.raises(NotFound):
        services.version_approve(actor=demo("nx_fzb_legal"), version=draft)


def test_xingqing_items_go_to_yinchuan_legal_office(demo):
    from shenpi.accounts.models import Division

    office = services.legal_office_for(Division.objects.get(code="640104"))
    assert office.code == "yc-fzb"


def test_return_needs_a_comment_and_reopens_the_draft(food, demo):
    draft = draft_of(food, demo)
    services.version_submit(actor=demo("yc_scjg_off1"), version=draft)
    with pytest.raises(InvalidInput):
        services.version_return(actor=demo("yc_fzb_legal"), version=draft, comment=" ")
    services.version_return(
        actor=demo("yc_fzb_legal"), version=draft, comment="请补充设定依据的条款"
    )
    draft.refresh_from_db()
    assert draft.status == "returned"
    draft_of_again = services.version_update(
        actor=demo("yc_scjg_off1"),
        version=draft,
        **dict(zip(["data", "materials", "fees"], version_data(draft), strict=True)),
    )
    assert draft_of_again.status == "returned"
    services.version_submit(actor=demo("yc_scjg_off1"), version=draft)


@pytest.mark.parametrize(
    ("changes", "field", "rule"),
    [
        ({"promised_days": 21}, "promised_days", "TL-01"),
        ({"statutory_days": 25}, "statutory_days", "TL-01"),
        (
            {
                "flow": {
                    "stages": [
                        {
                            "steps": [
                                {
                                    "key": "a",
                                    "name": "审核",
                                    "owner": {"department": "yc-scjg"},
                                    "role": "official",
                                    "days": 2,
                                }
                            ]
                        }
                    ]
                }
            },
            "flow",
            "",
        ),
        ({"legal_basis": ""}, "legal_basis", ""),
    ],
)
def test_invalid_drafts_are_refused_and_nothing_is_saved(food, demo, changes, field, rule):
    draft = services.version_draft_next(actor=demo("yc_scjg_off1"), item=food)
    before = ItemVersion.objects.filter(pk=draft.pk).values().get()
    data, materials, fees = version_data(draft)
    data.update(changes)
    with pytest.raises(InvalidInput) as exc:
        services.version_update(
            actor=demo("yc_scjg_off1"), version=draft, data=data, materials=materials, fees=fees
        )
    assert field in exc.value.errors
    assert rule in " ".join(exc.value.errors[field])
    assert ItemVersion.objects.filter(pk=draft.pk).values().get() == before


def test_empty_materials_on_a_time_limited_item_are_refused(food, demo):
    draft = services.version_draft_next(actor=demo("yc_scjg_off1"), item=food)
    data, _materials, fees = version_data(draft)
    with pytest.raises(InvalidInput) as exc:
        services.version_update(
            actor=demo("yc_scjg_off1"), version=draft, data=data, materials=[], fees=fees
        )
    assert "PUB-02" in exc.value.errors["materials"][0]
    assert draft.materials.count() > 0


def test_a_fee_without_legal_basis_is_refused(food, demo):
    draft = services.version_draft_next(actor=demo("yc_scjg_off1"), item=food)
    data, materials, _fees = version_data(draft)
    with pytest.raises(InvalidInput) as exc:
        services.version_update(
            actor=demo("yc_scjg_off1"),
            version=draft,
            data=data,
            materials=materials,
            fees=[{"name": "工本费", "standard": "10元", "legal_basis": ""}],
        )
    assert "第五十八条" in exc.value.errors["fees"][0]


def test_an_item_code_used_twice_is_refused(food, demo):
    data, materials, fees = version_data(food.current)
    with pytest.raises(Conflict) as exc:
        services.item_create(
            actor=demo("yc_scjg_off1"),
            department=food.department,
            code="640100-scjg-001",
            data=data,
            materials=materials,
            fees=fees,
        )
    assert exc.value.code == "duplicate_item_code"
    assert Item.objects.filter(code__iexact="640100-SCJG-001").count() == 1


def test_abolish_stops_new_applications_and_keeps_history(food, demo):
    with pytest.raises(NotFound):
        services.item_abolish(actor=demo("nx_fzb_legal"), item=food, reason="x")
    services.item_abolish(actor=demo("yc_fzb_legal"), item=food, reason="并入“一业一证”改革")
    food.refresh_from_db()
    assert food.abolished_at is not None
    assert set(food.versions.values_list("status", flat=True)) == {"abolished", "superseded"}
    with pytest.raises(Conflict):
        services.version_draft_next(actor=demo("yc_scjg_off1"), item=food)
