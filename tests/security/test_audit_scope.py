"""The audit log is read within the reader's division subtree (issue 29, 1)."""

import pytest
from django.urls import reverse

from shenpi.audit.models import AuditRecord
from shenpi.audit.services import audit_record
from shenpi.cases import services
from shenpi.catalog.models import Item
from tests.cases.conftest import FOOD_FORM, complete_draft

pytestmark = pytest.mark.django_db


def submitted(demo, code, applicant="saishang"):
    from tests.cases.test_review import PROJECT_FORM

    item = Item.objects.get(code=code)
    case = complete_draft(services, demo(applicant), item)
    form = FOOD_FORM if code == "640100-SCJG-001" else PROJECT_FORM
    return services.case_submit(actor=demo(applicant), case=case, declaration=True, form_data=form)


def page(client, reader, **query):
    client.force_login(reader)
    return client.get(reverse("supervision:audit"), query).content.decode()


def test_a_city_supervisor_reads_only_its_subtrees_records(client, demo):
    yinchuan = submitted(demo, "640100-SCJG-001", applicant="zhangsan")
    region = submitted(demo, "640000-FGW-001")
    admin = demo("admin")
    audit_record(stream=f"user:{admin.public_id}", action="login", actor=admin, ip="10.9.8.7")
    city = page(client, demo("yc_jc_sup"), what="case.submit")
    assert str(yinchuan.pk) in city or yinchuan.number in city
    assert str(region.pk) not in city and region.number not in city
    assert "10.9.8.7" not in page(client, demo("yc_jc_sup"), who="admin")
    whole = page(client, demo("nx_jc_sup"), what="case.submit")
    assert region.number in whole or str(region.pk) in whole
    assert "10.9.8.7" in page(client, demo("nx_jc_sup"), who="admin")


def test_a_leader_reads_their_divisions_records(client, demo):
    yinchuan = submitted(demo, "640100-SCJG-001", applicant="zhangsan")
    region = submitted(demo, "640000-FGW-001")
    html = page(client, demo("yc_zfb_leader"), what="case.submit")
    assert (yinchuan.number in html or str(yinchuan.pk) in html) and region.number not in html


def test_the_log_reads_in_chinese_with_case_numbers_and_every_address(client, demo):
    """Issue 28: action names in Chinese, the case number for the case's id, the client's
    address on a service's record (not only on logins), filters by case and action."""
    zhangsan = demo("zhangsan")
    client.force_login(zhangsan)
    case = complete_draft(services, zhangsan, Item.objects.get(code="640100-SCJG-001"))
    answer = client.post(
        reverse("cases:edit", args=[case.pk]),
        {"action": "submit", "declaration": "1", **{f"field_{k}": v for k, v in FOOD_FORM.items()}},
        REMOTE_ADDR="10.20.30.40",
    )
    assert answer.status_code == 302
    case.refresh_from_db()
    record = AuditRecord.objects.get(stream=f"case:{case.pk}", action="case.submit")
    assert record.ip == "10.20.30.40"  # written by the service, from the request it served
    html = page(client, demo("yc_jc_sup"), case=case.number, action="case.submit")
    assert "提交申请" in html and case.number in html and "10.20.30.40" in html
    table = html.split('data-testid="audit"', 1)[1]
    assert "创建申请草稿" not in table  # filtered to the one action
    other = page(client, demo("yc_jc_sup"), case="6401002099010100001")
    assert "没有符合条件的记录" in other
    odd = page(client, demo("yc_jc_sup"), action="<script>", case="'; drop")
    assert "没有符合条件的记录" in odd  # an unknown action is ignored, an unknown case is none
