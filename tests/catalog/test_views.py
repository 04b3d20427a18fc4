import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db
PASSWORD = "Shenpi#2026"


def login(client, username):
    assert (
        client.post(
            reverse("accounts:login"), {"username": username, "password": PASSWORD}
        ).status_code
        == 302
    )


def test_guide_shows_every_public_element(client):
    html = client.get("/guide/640100-SCJG-001/").content.decode()
    for text in [
        "食品经营许可证核发",
        "设定依据",
        "申请条件",
        "申请材料",
        "办理流程",
        "现场核查" if False else "初审",
        "承诺时限",
        "法定时限",
        "收费",
        "办理地点",
        "咨询电话",
        "投诉电话",
        "第五十八条",
        "不计入办理时限的特别程序",
        "食品经营许可证",
        "60 个月",
    ]:
        assert text in html, text


def test_old_versions_stay_readable(client):
    html = client.get("/guide/640100-SCJG-001/v1/").content.decode()
    assert "历史版本" in html and "15 个工作日" in html


def test_draft_versions_are_not_public(client, demo):
    from shenpi.catalog import services
    from shenpi.catalog.models import Item

    item = Item.objects.get(code="640100-SCJG-001")
    draft = services.version_draft_next(actor=demo("yc_scjg_off1"), item=item)
    assert client.get(f"/guide/640100-SCJG-001/v{draft.number}/").status_code == 404
    assert client.get(f"/api/v1/item-versions/{draft.pk}/").status_code == 404


def test_form_download_is_free_and_needs_no_account(client):
    from shenpi.catalog.models import Item

    version = Item.objects.get(code="640100-SCJG-001").current
    template = version.materials.exclude(template=None).first().template
    response = client.get(f"/forms/{template.pk}/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content).startswith(b"%PDF")


def test_search_page_handles_a_very_long_query(client):
    response = client.get("/guide/", {"q": "食" * 10_000})
    assert response.status_code == 200
    assert "搜索词过长" in response.content.decode()


def test_manage_page_is_for_department_staff_only(client, demo):
    login(client, "zhangsan")
    assert client.get("/catalog/manage/").status_code == 404
    client.logout()
    login(client, "yc_scjg_off1")
    assert "食品经营许可证核发" in client.get("/catalog/manage/").content.decode()


def test_another_departments_draft_is_404(client, demo):
    from shenpi.catalog import services
    from shenpi.catalog.models import Item

    draft = services.version_draft_next(
        actor=demo("yc_scjg_off1"), item=Item.objects.get(code="640100-SCJG-001")
    )
    login(client, "nx_scjg_off1")
    assert client.get(f"/catalog/versions/{draft.pk}/").status_code == 404
    assert client.get(f"/catalog/versions/{draft.pk}/edit/").status_code == 404


def test_review_queue_is_for_the_legal_office(client, demo):
    login(client, "yc_scjg_off1")
    assert client.get("/catalog/review/").status_code == 404
    client.logout()
    login(client, "yc_fzb_legal")
    assert client.get("/catalog/review/").status_code == 200


def test_new_item_form_creates_a_draft(client, demo):
    login(client, "yc_scjg_off1")
    page = client.get("/catalog/manage/new/")
    assert page.status_code == 200
    data = {
        "code": "640100-SCJG-050",
        "name": "小餐饮店登记",
        "kind": "time_limited",
        "audience": "personal",
        "legal_basis": "《宁夏回族自治区食品小作坊小经营店和食品摊贩管理条例》",
        "conditions": "有固定场所",
        "procedure": "申请、审查、登记",
        "handling_mode": "single",
        "statutory_days": "15",
        "promised_days": "5",
        "extension_days": "5",
        "supplement_days": "30",
        "renewal_lead_days": "30",
        "grants_public": "on",
        "online": "on",
        "where_to_apply": "银川市政务服务中心",
        "office_hours": "工作日",
        "contact_phone": "0951-1",
        "complaint_phone": "12345",
        "responsible_office": "行政审批科",
        "m-TOTAL_FORMS": "1",
        "m-INITIAL_FORMS": "0",
        "m-0-name": "登记申请表",
        "m-0-required": "on",
        "m-0-copies_kind": "copy",
        "m-0-copies": "1",
        "m-0-medium": "electronic",
        "m-0-source": "applicant",
        "f-TOTAL_FORMS": "0",
        "f-INITIAL_FORMS": "0",
        "s-TOTAL_FORMS": "2",
        "s-INITIAL_FORMS": "0",
        "s-0-stage": "1",
        "s-0-key": "review",
        "s-0-name": "审核",
        "s-0-department": "yc-scjg",
        "s-0-role": "official",
        "s-0-days": "3",
        "s-0-lead": "on",
        "s-1-stage": "2",
        "s-1-key": "decision",
        "s-1-name": "批复",
        "s-1-department": "yc-scjg",
        "s-1-role": "head",
        "s-1-days": "2",
        "s-1-lead": "on",
        "s-1-decision": "on",
        "a-TOTAL_FORMS": "1",
        "a-INITIAL_FORMS": "0",
        "a-0-key": "shop",
        "a-0-label": "店名",
        "a-0-type": "text",
        "a-0-required": "on",
    }
    response = client.post("/catalog/manage/new/", data)
    assert response.status_code == 302, response.content.decode()[:3000]
    from shenpi.catalog.models import Item

    version = Item.objects.get(code="640100-SCJG-050").versions.get()
    assert version.flow["stages"][1]["steps"][0]["decision"] is True
    assert version.form_fields[0]["label"] == "店名"
    # Promised beyond statutory: the page says so, with the article, and saves nothing.
    data.update({"code": "640100-SCJG-051", "promised_days": "16"})
    page = client.post("/catalog/manage/new/", data)
    assert "第四十二条" in page.content.decode()
    assert not Item.objects.filter(code="640100-SCJG-051").exists()
