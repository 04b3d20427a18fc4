"""Change and renewal (CHG-01, RNW-01/02; Art. 49, 50) at the issuing organ."""

from datetime import date, timedelta

import pytest
import time_machine
from django.utils import timezone

from shenpi.cases import services
from shenpi.cases.models import Licence
from shenpi.catalog.models import Item
from shenpi.core.errors import Conflict, NotFound

from .conftest import FOOD_FORM, complete_draft

pytestmark = pytest.mark.django_db


def food_licence(demo, until):
    """A food business licence granted to 张三 through the whole flow."""
    from shenpi.cases import services
    from shenpi.cases.models import Task

    item = Item.objects.get(code="640100-SCJG-001")
    case = complete_draft(services, demo("zhangsan"), item)
    case = services.case_submit(
        actor=demo("zhangsan"), case=case, declaration=True, form_data=FOOD_FORM
    )
    case = services.case_accept(actor=demo("yc_scjg_off1"), case=case)
    for key in ("first_review", "review", "second_review"):
        task = Task.objects.get(case=case, step_key=key)
        if key == "review":
            services.task_claim(actor=demo("yc_scjg_off1"), task=task)
            services.task_verify(actor=demo("yc_scjg_off2"), task=task)
        services.task_complete(actor=demo("yc_scjg_off1"), task=task, opinion="符合")
    case = services.case_decide(actor=demo("yc_scjg_head"), case=case, outcome="granted")
    licence = case.issued_licence
    if until != "as issued":
        Licence.objects.filter(pk=licence.pk).update(valid_until=until)
        licence.refresh_from_db()
    return licence


def renewal(demo, licence):
    case = services.case_create_draft(
        actor=demo("zhangsan"), item=licence.item, kind="renewal", licence=licence
    )
    for requirement in case.version.materials.filter(required=True):
        from .conftest import pdf_upload

        services.case_add_material(
            actor=demo("zhangsan"), case=case, requirement_id=requirement.pk, upload=pdf_upload()
        )
    return services.case_submit(
        actor=demo("zhangsan"), case=case, declaration=True, form_data=FOOD_FORM
    )


def test_a_granted_licence_is_valid_for_the_items_months(demo):
    with time_machine.travel("2026-11-28 10:00 +0800", tick=False):
        licence = food_licence(demo, until="as issued")
    # The food business licence is valid 60 months: 28 Nov 2026 to 27 Nov 2031.
    assert (licence.valid_from, licence.valid_until) == (date(2026, 11, 28), date(2031, 11, 27))


def test_rnw02_a_renewal_is_due_before_expiry_and_deemed_granted_after(demo):
    expiry = timezone.localdate() + timedelta(days=20)
    licence = food_licence(demo, until=expiry)
    case = renewal(demo, licence)
    assert case.kind == "renewal" and case.department == licence.department
    case = services.case_accept(actor=demo("yc_scjg_off1"), case=case)
    assert case.statutory_due <= expiry
    with time_machine.travel(expiry, tick=False):
        assert (
            services.licences_renewal_watch()["deemed_renewed"] == 0
        )  # the expiry day is still in time
    with time_machine.travel(expiry + timedelta(days=1), tick=False):
        assert services.licences_renewal_watch()["deemed_renewed"] == 1
    licence.refresh_from_db()
    case.refresh_from_db()
    assert licence.deemed_renewed_at is not None and licence.valid_until > expiry
    assert case.status == "decided" and case.outcome == "granted"
    assert case.events.get(kind="deemed_renewed").breach == "RNW-02"


def test_a_renewal_granted_in_time_extends_the_same_licence(demo):
    from shenpi.cases import services
    from shenpi.cases.models import Task

    licence = food_licence(demo, until=date(2027, 3, 31))
    case = services.case_accept(actor=demo("yc_scjg_off1"), case=renewal(demo, licence))
    for key in ("first_review", "review", "second_review"):
        task = Task.objects.get(case=case, step_key=key)
        if key == "review":
            services.task_claim(actor=demo("yc_scjg_off1"), task=task)
            services.task_verify(actor=demo("yc_scjg_off2"), task=task)
        services.task_complete(actor=demo("yc_scjg_off1"), task=task, opinion="符合延续条件")
    services.case_decide(actor=demo("yc_scjg_head"), case=case, outcome="granted")
    licence.refresh_from_db()
    assert licence.valid_until == date(2032, 3, 28)  # 60 months on (day capped at 28)
    assert Licence.objects.filter(item=licence.item, holder=licence.holder).count() == 1


def test_renewal_reminders_go_out_before_the_lead_time(demo):
    food_licence(demo, until=timezone.localdate() + timedelta(days=100))
    assert services.licences_renewal_watch()["reminded"] == 0
    with time_machine.travel(timezone.localdate() + timedelta(days=41), tick=False):
        assert services.licences_renewal_watch()["reminded"] == 1
        assert services.licences_renewal_watch()["reminded"] == 0
    assert demo("zhangsan").messages.filter(title__startswith="证照即将到期").exists()


def test_only_the_holder_renews_and_only_a_valid_licence_with_an_end(demo):
    licence = food_licence(demo, until=timezone.localdate() + timedelta(days=50))
    with pytest.raises(NotFound):
        services.case_create_draft(
            actor=demo("lisi"), item=licence.item, kind="renewal", licence=licence
        )
    Licence.objects.filter(pk=licence.pk).update(
        valid_until=timezone.localdate() - timedelta(days=1)
    )
    licence.refresh_from_db()
    with pytest.raises(Conflict):
        services.case_create_draft(
            actor=demo("zhangsan"), item=licence.item, kind="renewal", licence=licence
        )


def test_licence_verification_over_the_api(client, demo):
    licence = food_licence(demo, until=date(2031, 1, 1))
    body = client.get(
        "/api/v1/licences/verify/", {"code": licence.verification_code.lower()}
    ).json()
    assert (
        body["valid"] and body["number"] == licence.number and body["holder"] == "张***"
    )  # 张三餐饮, held by a person: masked
    assert client.get("/api/v1/licences/verify/", {"number": licence.number}).status_code == 200
    assert client.get("/api/v1/licences/verify/", {"code": "NOPE"}).status_code == 404


def pdf_text(licence):
    from pypdf import PdfReader

    return "".join(
        "".join(p.extract_text().split()) for p in PdfReader(licence.file.open("rb")).pages
    )


@pytest.mark.parametrize("expiry_job_first", [True, False])
def test_rnw02_a_deemed_renewed_licence_is_valid_whichever_job_runs_first(
    client, demo, expiry_job_first
):
    from shenpi.cases.licences import licences_expire

    expiry = timezone.localdate() + timedelta(days=20)
    licence = food_licence(demo, until=expiry)
    services.case_accept(actor=demo("yc_scjg_off1"), case=renewal(demo, licence))
    day_after = expiry + timedelta(days=1)
    with time_machine.travel(f"{day_after.isoformat()} 09:00 +0800", tick=False):
        # The edge of today: neither job has run, and the verifier is told "valid".
        body = client.get("/api/v1/licences/verify/", {"code": licence.verification_code})
        assert body.json()["valid"] and body.json()["status"] == "valid"
        if expiry_job_first:
            licences_expire()
            licence.refresh_from_db()
            assert licence.status == "valid"  # a renewal is pending: it does not lapse
        services.licences_renewal_watch()
        licences_expire()
        body = client.get("/api/v1/licences/verify/", {"code": licence.verification_code})
    licence.refresh_from_db()
    assert licence.status == "valid" and licence.valid_until > expiry
    assert body.json()["valid"] and body.json()["deemed_renewed"]
    assert f"{licence.valid_until:%Y年%m月%d日}" in pdf_text(licence)


def test_a_licence_past_its_end_is_reported_expired_before_the_job_runs(client, demo):
    expiry = timezone.localdate() + timedelta(days=3)
    licence = food_licence(demo, until=expiry)
    with time_machine.travel(f"{(expiry + timedelta(days=1)).isoformat()} 09:00 +0800", tick=False):
        body = client.get("/api/v1/licences/verify/", {"code": licence.verification_code}).json()
        page = client.get(f"/verify/licence/{licence.verification_code}/").content.decode()
    assert not body["valid"] and body["status"] == "expired"
    assert "当前状态：已过期" in page


def test_a_renewal_granted_in_time_redraws_the_licence_document(demo):
    from shenpi.cases import services
    from shenpi.cases.models import Task

    licence = food_licence(demo, until=date(2027, 3, 31))
    assert "2027年03月31日" not in pdf_text(licence)  # drawn at the grant, before the update
    case = services.case_accept(actor=demo("yc_scjg_off1"), case=renewal(demo, licence))
    for key in ("first_review", "review", "second_review"):
        task = Task.objects.get(case=case, step_key=key)
        if key == "review":
            services.task_claim(actor=demo("yc_scjg_off1"), task=task)
            services.task_verify(actor=demo("yc_scjg_off2"), task=task)
        services.task_complete(actor=demo("yc_scjg_off1"), task=task, opinion="符合延续条件")
    services.case_decide(actor=demo("yc_scjg_head"), case=case, outcome="granted")
    licence.refresh_from_db()
    assert "2032年03月28日" in pdf_text(licence)


def test_the_licence_reads_as_issued_chinese_labels_entered_holder_own_address(demo, settings):
    """Issue 28: 许可内容 under the form's Chinese labels (no field keys, no contact
    details), the holder as entered on the form, and the QR link at the public address."""
    settings.SHENPI_PUBLIC_URL = "https://zwfw.example.gov.cn"
    licence = food_licence(demo, until="as issued")
    assert licence.holder_name == "张三餐饮"
    assert licence.scope == (
        "经营场所：银川市金凤区；主体业态：餐饮服务经营者；经营项目：热食类食品制售；"
        "经营面积（平方米）：80"
    )
    text = pdf_text(licence)
    assert "张三餐饮" in text and "经营项目：热食类食品制售" in text
    assert "applicant_name" not in text and "13895000001" not in text
    assert f"https://zwfw.example.gov.cn/verify/licence/{licence.verification_code}/" in text
