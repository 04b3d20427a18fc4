"""The information exchange as its people meet it (issue 25): a holder lets a department
read their licences on a phone, an official reads them instead of asking for copies and,
once consent is withdrawn, reads by the law only; the holder sees each read. An
administrator replays a dead letter. A county's own case shows read-only, marked with its
system, to the region's supervisor and the county's official."""

import json
import re
from datetime import timedelta

from django.utils import timezone
from playwright.sync_api import expect

from .conftest import log_in

PHONE = {"width": 390, "height": 844}
LAW = "《食品经营许可和备案管理办法》第十五条"


def test_a_holder_shares_licences_and_sees_who_read_them(new_page, demo):
    from shenpi.cases import services
    from tests.cases.test_numbering import ready_to_decide

    case = services.case_decide(
        actor=demo("yc_scjg_head"), case=ready_to_decide(demo), outcome="granted"
    )
    licence = case.issued_licence

    holder = new_page(PHONE)
    log_in(holder, "zhangsan")
    holder.goto("/my/cases/")
    form = holder.get_by_test_id("consent-form")
    form.get_by_label("授权部门").select_option(label="宁夏回族自治区市场监督管理厅")
    form.get_by_label("用途").fill("办理食品经营许可变更")
    until = (timezone.localdate() + timedelta(days=30)).isoformat()
    form.get_by_label("授权至").fill(until)
    form.get_by_role("button", name="授权").click()
    expect(holder.get_by_text(re.compile("已授权宁夏回族自治区市场监督管理厅"))).to_be_visible()
    expect(holder.get_by_test_id("consents")).to_contain_text("办理食品经营许可变更")

    official = new_page()
    log_in(official, "nx_scjg_off1")
    official.goto("/workbench/")
    official.get_by_role("link", name=re.compile("电子证照调用")).first.click()
    official.get_by_label("持证人名称").fill("张三")
    official.get_by_label("身份证号码或统一社会信用代码").fill("640104199003071236")
    official.get_by_role("button", name="调用").click()
    shared = official.get_by_test_id("shared-licences")
    expect(shared).to_contain_text(licence.number)
    expect(shared).to_contain_text("经持证人授权")

    holder.reload()
    expect(holder.get_by_test_id("shared-reads")).to_contain_text("经您授权")
    holder.get_by_role("button", name="撤回对宁夏回族自治区市场监督管理厅的授权").click()
    expect(holder.get_by_text("已撤回授权。")).to_be_visible()

    official.get_by_role("button", name="调用").click()
    expect(official.get_by_text(re.compile("持证人未授权本部门调用其证照"))).to_be_visible()
    # What the official typed is still there; the basis is added and the read goes through.
    expect(official.get_by_label("持证人名称")).to_have_value("张三")
    official.get_by_label(re.compile("依法调用的依据")).fill(LAW)
    official.get_by_role("button", name="调用").click()
    expect(official.get_by_test_id("shared-licences")).to_contain_text("依法调用")

    holder.reload()
    expect(holder.get_by_test_id("shared-reads")).to_contain_text(LAW)


def test_an_administrator_replays_a_dead_letter(new_page, demo):
    from shenpi.accounts.models import Division, SystemClient
    from shenpi.exchange.models import Delivery, DeliveryStatus, Subscriber
    from shenpi.exchange.publishing import publish

    client = SystemClient.objects.create(
        name="市数据共享交换平台", division=Division.objects.get(code="640100"), key_hash="e" * 64
    )
    subscriber = Subscriber.objects.create(client=client, url="http://127.0.0.1:9/events")
    publish("case.accept", "cases/demo", division="640100", data={"number": "demo"})
    from shenpi.exchange.models import Event

    event = Event.objects.latest("id")
    Delivery.objects.create(
        subscriber=subscriber, event=event, txid=event.txid, event_seq=event.id,
        subject=event.subject, status=DeliveryStatus.DEAD, attempts=17, last_status=503,
        last_error="HTTP 503",
    )  # fmt: skip

    admin = new_page()
    log_in(admin, "admin")
    admin.goto("/admin/")
    admin.get_by_role("link", name="事件投递").click()
    admin.get_by_role("link", name="投递失败（死信）").click()
    expect(admin.get_by_text("HTTP 503")).to_be_visible()
    admin.get_by_role("checkbox", name=re.compile("选择")).last.check()
    admin.get_by_role("combobox", name=re.compile("动作")).select_option(label="重新投递所选死信")
    admin.get_by_role("button", name=re.compile("执行")).click()
    expect(admin.get_by_text("已重新投递 1 条死信。")).to_be_visible()
    assert Delivery.objects.get().status == DeliveryStatus.PENDING


def test_a_countys_own_case_is_read_only_here_and_marked(new_page, demo, client):
    from shenpi.exchange import signing
    from shenpi.exchange.models import Subscriber
    from tests.api.test_api import make_client

    county, auth = make_client(division="640104", actions=["case.push"])
    secret = Subscriber.objects.create(client=county, url="").secret
    body = json.dumps(
        {
            "version": 1, "item": "640104-SCJG-001", "item_version": 1,
            "department": "xq-scjg", "applicant_name": "李四",
            "applicant_code": "640102198512150023", "status": "received",
            "received_at": timezone.now().isoformat(),
        }
    ).encode()  # fmt: skip
    headers = {
        f"HTTP_{k.upper().replace('-', '_')}": v
        for k, v in signing.sign([secret], "e2e", body).items()
    }
    pushed = client.put(
        "/api/v1/lower-cases/XQ-E2E-1/", body, content_type="application/json", **auth, **headers
    )
    assert pushed.status_code == 201, pushed.content
    case_id = pushed.json()["id"]

    for username in ("nx_jc_sup", "xq_scjg_off1"):
        page = new_page()
        log_in(page, username)
        page.goto(f"/cases/{case_id}/")
        expect(page.get_by_test_id("source-system")).to_contain_text("XQ-E2E-1")
        expect(page.get_by_test_id("pre-review")).to_have_count(0)
