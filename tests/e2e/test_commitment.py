"""告知承诺 as its users meet it (issue 24): the applicant signs the commitment in full on a
phone; the department accepts with the shorter limit; the head grants on commitment and,
at the post-check, records the commitment false, which revokes the licence and is on the
applicant's credit record."""

import re

from playwright.sync_api import expect

from .conftest import accepting_dialogs, log_in
from .test_applying import upload_all

PHONE = {"width": 390, "height": 844}


def test_approval_on_commitment_and_a_failed_post_check(new_page, demo, tmp_path):
    from shenpi.cases import services
    from shenpi.cases.models import Case, Task

    citizen = new_page(PHONE)
    log_in(citizen, "zhangsan")
    citizen.goto("/apply/640100-SCJG-001/")
    citizen.get_by_role("button", name="开始填写").click()
    citizen.get_by_label("申请人名称").fill("张三餐饮店")
    citizen.get_by_label("联系人").fill("张三")
    citizen.get_by_label("联系电话").fill("13895000001")
    citizen.get_by_label("经营场所", exact=True).fill("银川市金凤区北京中路168号")
    citizen.get_by_label("主体业态").select_option("餐饮服务经营者")
    citizen.get_by_label("经营项目").fill("热食类食品制售")
    citizen.get_by_label("经营面积（平方米）").fill("80")
    citizen.get_by_role("button", name="保存草稿").click()
    upload_all(citizen, tmp_path)
    commitment = citizen.get_by_test_id("commitment")
    expect(commitment.get_by_test_id("commitment-text")).to_contain_text("经营场所远离污染源")
    commitment.get_by_role("button", name="签署告知承诺书").click()
    expect(citizen.get_by_text("请阅读告知承诺书全文并勾选确认")).to_be_visible()
    citizen.get_by_label("我已阅读告知承诺书全文，承诺所列条件属实").check()
    citizen.get_by_role("button", name="签署告知承诺书").click()
    expect(citizen.get_by_text("已签署告知承诺书。")).to_be_visible()
    expect(citizen.get_by_label("经营场所", exact=True)).to_have_value("银川市金凤区北京中路168号")
    citizen.get_by_label(re.compile("本人承诺")).check()
    citizen.get_by_role("button", name="提交申请").click()
    expect(citizen.get_by_test_id("commitment-status")).to_contain_text("承诺时限 5 个工作日")
    case = Case.objects.get(number=citizen.get_by_test_id("case-number").inner_text())

    official = new_page()
    log_in(official, "yc_scjg_off1")
    official.goto(f"/cases/{case.pk}/")
    official.get_by_test_id("pre-review").get_by_role("button", name="受理", exact=True).click()
    expect(official.get_by_text("已受理，受理通知书已生成")).to_be_visible()
    # The review steps as the department's staff complete them (tests/e2e/test_review.py
    # clicks through steps); the decision and the check are clicked below.
    head_user, official_user = demo("yc_scjg_head"), demo("yc_scjg_off1")
    for _ in range(5):
        task = Task.objects.filter(case=case, status__in=["open", "claimed"]).first()
        if task is None or task.step_key == "decision":
            break
        if task.step_key == "review":
            services.task_claim(actor=official_user, task=task)
            services.task_verify(actor=head_user, task=task)
        services.task_complete(actor=official_user, task=task, opinion="同意")

    head = new_page()
    log_in(head, "yc_scjg_head")
    head.goto(f"/cases/{case.pk}/")
    accepting_dialogs(head)
    head.get_by_role("button", name="准予许可").click()
    expect(head.get_by_text("决定已作出")).to_be_visible()
    expect(head.get_by_test_id("commitment-status")).to_contain_text("事后核查：待核查")

    head.goto("/workbench/head/")
    head.get_by_role("link", name=re.compile("告知承诺核查")).click()
    row = head.get_by_test_id("post-check").filter(has_text=case.number)
    row.get_by_role("button", name="承诺不实，撤销许可").click()
    expect(head.get_by_text("请填写核查情况")).to_be_visible()
    row = head.get_by_test_id("post-check").filter(has_text=case.number)
    row.get_by_label("核查情况").fill("现场核查：经营场所紧邻垃圾中转站，与承诺不符")
    row.get_by_role("button", name="承诺不实，撤销许可").click()
    expect(head.get_by_text("已记录核查结果")).to_be_visible()
    expect(head.get_by_test_id("post-check").filter(has_text=case.number)).to_contain_text(
        "承诺不实"
    )

    citizen.goto(f"/cases/{case.pk}/")
    expect(citizen.locator("main")).to_contain_text("已撤销")
    citizen.goto("/my/credit/")
    expect(citizen.get_by_test_id("false-commitments")).to_contain_text("紧邻垃圾中转站")
