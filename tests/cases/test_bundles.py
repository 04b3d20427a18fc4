"""一件事一次办 (issue 24): one form, each material once, one submission made into one case
per item (all or none), each at its own department with its own clock; the departments'
correction requests reach the applicant as ONE notice by the earliest five-working-day
limit (RCV-04), across a holiday and whether or not the periodic job has run."""

from datetime import date

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile

from shenpi.audit.models import AuditRecord
from shenpi.cases import services
from shenpi.cases.constants import CaseStatus
from shenpi.cases.models import BundleApplication, Case
from shenpi.catalog import bundles
from shenpi.catalog.models import Bundle, Item
from shenpi.core.errors import Conflict, InvalidInput
from shenpi.notify.models import Message

from .conftest import pdf_upload

pytestmark = pytest.mark.django_db
FORM = {
    "operator": "张三", "premises": "银川市兴庆区新华东街10号", "scope": "热食类食品制售",
    "applicant_name": "张三餐馆", "contact": "张三", "phone": "13895000001",
    "business_type": "餐饮服务经营者", "area": "60",
}  # fmt: skip


@pytest.fixture
def restaurant(db):
    return Bundle.objects.get(code="YJS-640100-001")


def every_material(bundle, skip=()):
    items = bundles.bundle_items(bundle)
    return {
        m.key: pdf_upload(f"{m.name}.pdf")
        for m in bundles.merged_materials(items)
        if m.name not in skip
    }


def apply(demo, bundle, **more):
    return services.bundle_apply(
        actor=demo("zhangsan"), bundle=bundle, applicant=demo("zhangsan"),
        form_data=more.pop("form", FORM), uploads=more.pop("uploads", None) or every_material(bundle),
        declaration=True, **more,
    )  # fmt: skip


def test_one_application_becomes_a_case_per_item_each_at_its_department(demo, restaurant):
    merged = bundles.merged_materials(bundles.bundle_items(restaurant))
    identity = next(m for m in merged if m.key == "居民身份证")
    assert len(identity.requirements) == 2  # asked by both items, uploaded once
    application = apply(demo, restaurant)
    cases = list(application.cases.select_related("department", "version"))
    assert {c.department.code for c in cases} == {"xq-scjg", "yc-scjg"}
    assert all(c.status == CaseStatus.RECEIVED and c.number and c.correction_due for c in cases)
    # The one upload supplies each item that asks for it.
    for case in cases:
        supplied = case.materials.filter(requirement__library_type="居民身份证")
        assert supplied.count() == 1
    # Each case has its own form: the combined form's fields that its item asks.
    business = next(c for c in cases if c.department.code == "xq-scjg")
    assert set(business.form_data) == {"operator", "premises", "scope"}
    assert AuditRecord.objects.filter(
        stream=f"bundle_application:{application.pk}", action="bundle.apply"
    ).exists()


def test_a_missing_material_is_named_per_item_and_nothing_is_written(demo, restaurant):
    before = Case.objects.count()
    with pytest.raises(InvalidInput) as caught:
        apply(demo, restaurant, uploads=every_material(restaurant, skip=["食品安全管理制度"]))
    missing = caught.value.errors["materials"]
    assert any("食品经营许可证核发" in m and "食品安全管理制度" in m for m in missing)
    assert Case.objects.count() == before and not BundleApplication.objects.exists()


def test_a_hostile_file_for_one_item_leaves_no_case_behind(demo, restaurant):
    uploads = every_material(restaurant)
    uploads["食品安全管理制度"] = SimpleUploadedFile("制度.pdf", b"MZ\x90\x00 an executable")
    before = Case.objects.count()
    with pytest.raises(InvalidInput):
        apply(demo, restaurant, uploads=uploads)
    assert Case.objects.count() == before


def test_an_unpublished_bundle_cannot_be_applied_for(demo, restaurant):
    Bundle.objects.filter(pk=restaurant.pk).update(status="returned")
    restaurant.refresh_from_db()
    with pytest.raises(Conflict):
        apply(demo, restaurant)


def _cases(application):
    cases = {c.department.code: c for c in application.cases.select_related("department")}
    return cases["xq-scjg"], cases["yc-scjg"]


def test_the_departments_corrections_reach_the_applicant_as_one_notice(demo, restaurant):
    application = apply(demo, restaurant)
    business, food = _cases(application)
    requirement = food.version.materials.get(name="食品安全管理制度")
    held = services.case_request_correction(
        actor=demo("yc_scjg_off1"), case=food,
        defects=[{"requirement": requirement.pk, "note": "未加盖公章"}],
    )  # fmt: skip
    assert held is None  # held: the other department has not pre-reviewed
    food.refresh_from_db()
    assert food.status == CaseStatus.RECEIVED
    zhangsan = demo("zhangsan")
    assert not Message.objects.filter(user=zhangsan, title__contains="补正").exists()
    # The business registration's department asks too: the last to pre-review sends it.
    business_req = business.version.materials.get(name="个体工商户登记申请书")
    services.case_request_correction(
        actor=demo("xq_scjg_off1"), case=business,
        defects=[{"requirement": business_req.pk, "note": "经营范围填写不规范"}],
    )  # fmt: skip
    business.refresh_from_db(), food.refresh_from_db()
    assert business.status == food.status == CaseStatus.CORRECTION_REQUESTED
    told = Message.objects.filter(user=zhangsan, title__contains="补正")
    assert told.count() == 1
    assert "未加盖公章" in told.get().body and "经营范围填写不规范" in told.get().body
    application.refresh_from_db()
    assert application.correction_sent_at is not None


def test_acceptance_by_the_last_department_sends_the_held_notice(demo, restaurant):
    application = apply(demo, restaurant)
    business, food = _cases(application)
    requirement = business.version.materials.get(name="个体工商户登记申请书")
    services.case_request_correction(
        actor=demo("xq_scjg_off1"), case=business,
        defects=[{"requirement": requirement.pk, "note": "缺少签名"}],
    )  # fmt: skip
    services.case_accept(actor=demo("yc_scjg_off1"), case=food)
    business.refresh_from_db()
    assert business.status == CaseStatus.CORRECTION_REQUESTED
    assert Message.objects.filter(user=demo("zhangsan"), title__contains="一次补正").count() == 1


@pytest.fixture
def before_national_day(demo, restaurant):
    """Received on Wednesday 30 September 2026, the eve of the National Day holiday: the
    five working days are 8, 9, 10 (a make-up Saturday), 12 and 13 October. The food
    department asks for a correction on the 9th; the other has not pre-reviewed."""
    with time_machine.travel("2026-09-30 10:00 +0800", tick=False):
        application = apply(demo, restaurant)
    business, food = _cases(application)
    assert food.correction_due == business.correction_due == date(2026, 10, 13)
    requirement = food.version.materials.get(name="食品安全管理制度")
    with time_machine.travel("2026-10-09 15:00 +0800", tick=False):
        services.case_request_correction(
            actor=demo("yc_scjg_off1"), case=food,
            defects=[{"requirement": requirement.pk, "note": "未加盖公章"}],
        )  # fmt: skip
    food.refresh_from_db()
    assert food.status == CaseStatus.RECEIVED
    return application


def test_the_held_notice_goes_out_on_the_last_day_of_the_limit(demo, before_national_day):
    business, food = _cases(before_national_day)
    services.cases_deadlines(today=date(2026, 10, 12))
    food.refresh_from_db()
    assert food.status == CaseStatus.RECEIVED  # still within the limit: held
    report = services.cases_deadlines(today=date(2026, 10, 13))
    food.refresh_from_db(), business.refresh_from_db()
    assert report["gathered"] == 1 and food.status == CaseStatus.CORRECTION_REQUESTED
    assert business.status == CaseStatus.RECEIVED  # its department has until today
    report = services.cases_deadlines(today=date(2026, 10, 14))
    business.refresh_from_db()
    assert report["deemed_accepted"] == 1 and business.deemed_accepted


def test_a_held_notice_is_not_lost_when_the_job_did_not_run_on_the_last_day(
    demo, before_national_day
):
    """14 October, the job not yet run since the 12th: the food department's held request
    (made in time) goes out, it is not deemed accepted; the other case is."""
    business, food = _cases(before_national_day)
    services.deem_accepted(food.pk, date(2026, 10, 14))
    services.deem_accepted(business.pk, date(2026, 10, 14))
    food.refresh_from_db(), business.refresh_from_db()
    assert food.status == CaseStatus.CORRECTION_REQUESTED and not food.deemed_accepted
    assert business.deemed_accepted


def test_a_bundle_is_drafted_reviewed_by_the_legal_office_and_published(demo):
    items = [Item.objects.get(code="640000-SLT-001"), Item.objects.get(code="640000-STHJ-001")]
    from shenpi.accounts.models import Division
    from shenpi.core.errors import NotAllowed, NotFound

    with pytest.raises(InvalidInput):
        bundles.bundle_draft(actor=demo("admin"), code="YJS-T", name="测试", event="测试",
                             division=Division.objects.get(code="640000"), items=items[:1])  # fmt: skip
    bundle = bundles.bundle_draft(actor=demo("admin"), code="YJS-T", name="建设项目取水与环评",
                                  event="测试", division=Division.objects.get(code="640000"),
                                  items=items)  # fmt: skip
    with pytest.raises(NotFound):
        bundles.bundle_draft(actor=demo("zhangsan"), code="YJS-U", name="x", event="x",
                             division=Division.objects.get(code="640000"), items=items)  # fmt: skip
    bundles.bundle_submit(actor=demo("admin"), bundle=bundle)
    with pytest.raises(NotFound):  # Yinchuan's legal office does not review the region's
        bundles.bundle_review(actor=demo("yc_fzb_legal"), bundle=bundle, approve=True)
    with pytest.raises(InvalidInput):
        bundles.bundle_review(actor=demo("nx_fzb_legal"), bundle=bundle, approve=False)
    bundles.bundle_review(actor=demo("nx_fzb_legal"), bundle=bundle, approve=True)
    assert bundles.published_bundles().filter(pk=bundle.pk).exists()
    assert NotAllowed  # imported for the reader: own drafts are refused in the service


def test_one_request_over_the_api_with_an_idempotency_key(client, demo, restaurant):
    import json

    from tests.api.test_api import token_for

    token = token_for(client, "zhangsan")
    listed = client.get("/api/v1/bundles/", **token).json()
    entry = next(b for b in listed if b["code"] == restaurant.code)
    files = {m["field"]: pdf_upload(f"{m['name']}.pdf") for m in entry["materials"]}
    body = {"form": json.dumps(FORM), "declaration": "true", "delivery": "each", **files}
    headers = {**token, "HTTP_IDEMPOTENCY_KEY": "bundle-once-1"}
    first = client.post(f"/api/v1/bundles/{restaurant.code}/applications/", body, **headers)
    assert first.status_code == 201, first.content
    assert len(first.json()["cases"]) == 2 and first.json()["delivery"] == "each"
    for upload in files.values():  # the same request retried
        upload.seek(0)
    again = client.post(f"/api/v1/bundles/{restaurant.code}/applications/", body, **headers)
    assert again.status_code == 201 and again["Idempotent-Replayed"] == "true"
    assert again.json()["id"] == first.json()["id"]
    assert BundleApplication.objects.count() == 1
    progress = client.get(f"/api/v1/bundle-applications/{first.json()['id']}/", **token)
    assert progress.status_code == 200
    other = token_for(client, "lisi")
    assert (
        client.get(f"/api/v1/bundle-applications/{first.json()['id']}/", **other).status_code == 404
    )
    missing = client.post(
        f"/api/v1/bundles/{restaurant.code}/applications/",
        {"form": json.dumps(FORM), "declaration": "true"}, **token,
    )  # fmt: skip
    assert missing.status_code == 400 and "食品经营许可证核发" in missing.content.decode()


@pytest.mark.parametrize("delivery,told", [("together", 1), ("each", 0)])
def test_the_applicant_who_chose_together_is_told_once_when_all_are_decided(
    demo, restaurant, delivery, told
):
    from tests.agency.conftest import grant

    application = apply(demo, restaurant, delivery=delivery)
    business, food = _cases(application)
    services.case_not_accept(
        actor=demo("xq_scjg_off1"), case=business, reason="other", text="经营场所不在本辖区"
    )
    assert not Message.objects.filter(title__contains="已全部办结").exists()
    grant(food, demo("yc_scjg_off1"), demo("yc_scjg_head"))
    assert (
        Message.objects.filter(user=demo("zhangsan"), title__contains="已全部办结").count() == told
    )


def test_a_double_click_on_the_page_makes_one_application(client, demo, restaurant):
    client.force_login(demo("zhangsan"))
    page = client.get(f"/bundles/{restaurant.code}/").content.decode()
    import re

    key = re.search(r'name="submission_key" value="([0-9a-f]{32})"', page).group(1)
    materials = bundles.merged_materials(bundles.bundle_items(restaurant))

    def post():
        data = {f"field_{k}": v for k, v in FORM.items()}
        data.update(declaration="1", delivery="together", submission_key=key)
        data.update({f"material_{n}": pdf_upload(f"{m.name}.pdf") for n, m in enumerate(materials)})
        return client.post(f"/bundles/{restaurant.code}/", data)

    first, second = post(), post()
    assert first.status_code == second.status_code == 302
    assert first["Location"] == second["Location"]
    assert BundleApplication.objects.filter(applicant=demo("zhangsan")).count() == 1
    assert client.get("/my/bundles/not-a-uuid/").status_code == 404
    assert client.get("/bundles/NO-SUCH/").status_code == 404


def test_one_window_takes_in_the_whole_bundle_for_a_walk_in(client, demo, restaurant):
    """RCV-08 (Art. 26): the Xingqing window takes the bundle, the Yinchuan food licence
    included; a clerk of a department outside the bundle, or a citizen for another, may not."""
    clerk = demo("clerk_xq_scjg")
    application = services.bundle_apply(
        actor=clerk, bundle=restaurant, applicant=demo("lisi"), form_data=FORM,
        uploads=every_material(restaurant), declaration=True, channel="window",
    )  # fmt: skip
    assert {c.channel for c in application.cases.all()} == {"window"}
    assert {c.department.code for c in application.cases.all()} == {"xq-scjg", "yc-scjg"}
    for outsider in ("clerk_nx_scjg", "zhangsan"):
        with pytest.raises(Exception) as caught:
            services.bundle_apply(
                actor=demo(outsider), bundle=restaurant, applicant=demo("lisi"), form_data=FORM,
                uploads=every_material(restaurant), declaration=True, channel="window",
            )  # fmt: skip
        assert getattr(caught.value, "code", "") == "not_on_behalf"
    # The page: the clerk finds the walk-in on the window page and opens the bundle for them.
    client.force_login(clerk)
    window = client.get("/window/?code=640102198512150023").content.decode()
    assert "/bundles/YJS-640100-001/?code=640102198512150023" in window
    page = client.get("/bundles/YJS-640100-001/?code=640102198512150023").content.decode()
    assert "窗口收件（一件事一次受理）" in page and "李四" in page


def test_a_failure_on_the_last_item_leaves_no_case_and_no_application(
    demo, restaurant, monkeypatch
):
    """All or none: the second case's submission fails after the first was written."""
    from shenpi.cases.services import bundles as bundle_services

    calls = []
    real = bundle_services.case_submit_whole

    def second_fails(**kwargs):
        calls.append(kwargs["item"].code)
        if len(calls) == 2:
            raise Conflict("模拟：第二个事项提交失败。", code="simulated")
        return real(**kwargs)

    monkeypatch.setattr(bundle_services, "case_submit_whole", second_fails)
    before = Case.objects.count()
    with pytest.raises(Conflict):
        apply(demo, restaurant)
    assert len(calls) == 2
    assert Case.objects.count() == before and not BundleApplication.objects.exists()


def test_a_department_that_asks_after_the_gathered_notice_sends_its_own(demo, before_national_day):
    """The notice went out on the last day with one department still to pre-review; that
    department asks the same day: its request goes out at once, not held for ever."""
    business, food = _cases(before_national_day)
    services.cases_deadlines(today=date(2026, 10, 13))
    requirement = business.version.materials.get(name="个体工商户登记申请书")
    with time_machine.travel("2026-10-13 16:00 +0800", tick=False):
        notice = services.case_request_correction(
            actor=demo("xq_scjg_off1"), case=business,
            defects=[{"requirement": requirement.pk, "note": "缺少签名"}],
        )  # fmt: skip
    business.refresh_from_db()
    assert notice is not None and business.status == CaseStatus.CORRECTION_REQUESTED


def test_the_version_in_force_stays_while_the_next_is_reviewed(demo, restaurant):
    """Versioned like an item's version: a redraft of the published bundle is its next
    version; the public still applies under the one in force until the next is published,
    which supersedes it; an application keeps the version it was made under."""
    items = bundles.bundle_items(restaurant)
    earlier = apply(demo, restaurant)
    draft = bundles.bundle_draft(
        actor=demo("admin"), code=restaurant.code, name="开办餐馆（第二版）",
        event=restaurant.event, division=restaurant.division, items=items,
    )  # fmt: skip
    assert draft.pk != restaurant.pk and draft.number == restaurant.number + 1
    assert list(bundles.published_bundles().filter(code=restaurant.code)) == [restaurant]
    bundles.bundle_submit(actor=demo("admin"), bundle=draft)
    with pytest.raises(Conflict):  # not while it is in review
        bundles.bundle_draft(
            actor=demo("admin"), code=restaurant.code, name="x", event="x",
            division=restaurant.division, items=items,
        )  # fmt: skip
    bundles.bundle_review(actor=demo("yc_fzb_legal"), bundle=draft, approve=True)
    restaurant.refresh_from_db()
    assert restaurant.status == "superseded"
    assert list(bundles.published_bundles().filter(code=restaurant.code)) == [draft]
    earlier.refresh_from_db()
    assert earlier.bundle_id == restaurant.pk


def test_the_slower_of_two_identical_requests_gets_the_first_ones_application(
    demo, restaurant, monkeypatch
):
    """A double click whose two requests pass the look-up together: the second's insert
    meets the unique key and it answers with the first's application, not a 500."""
    first = apply(demo, restaurant, submission_key="k" * 32)
    real_filter = BundleApplication.objects.filter
    misses = iter([True])

    def miss_once(*args, **kwargs):
        if kwargs.get("submission_key") and next(misses, False):
            return BundleApplication.objects.none()
        return real_filter(*args, **kwargs)

    monkeypatch.setattr(BundleApplication.objects, "filter", miss_once)
    again = apply(demo, restaurant, submission_key="k" * 32)
    assert again.pk == first.pk and BundleApplication.objects.count() == 1
