import re

from playwright.sync_api import expect

from .conftest import accepting_dialogs, log_in


def act_on_step(page, case_id, step_key, opinion, verdict=None):
    page.goto(f"/cases/{case_id}/")
    row = page.get_by_test_id("tasks").locator(f'tr[data-step="{step_key}"]')
    row.get_by_role("button", name="认领").click()
    row = page.get_by_test_id("tasks").locator(f'tr[data-step="{step_key}"]')
    row.get_by_role("textbox").first.fill(opinion)
    if verdict:
        row.get_by_role("combobox", name=re.compile("^意见")).select_option(verdict)
    row.get_by_role("button", name="完成").click()
    expect(page.get_by_text("已完成。")).to_be_visible()


def test_the_investment_project_through_three_departments_to_the_licence(new_page, demo):
    from shenpi.cases import services
    from shenpi.catalog.models import Item
    from tests.cases.conftest import complete_draft
    from tests.cases.test_review import PROJECT_FORM

    item = Item.objects.get(code="640000-FGW-001")
    case = complete_draft(services, demo("saishang"), item)
    case = services.case_submit(
        actor=demo("saishang"), case=case, declaration=True, form_data=PROJECT_FORM
    )
    case = services.case_accept(actor=demo("nx_fgw_off1"), case=case)

    lead = new_page()
    log_in(lead, "nx_fgw_off1")
    lead.goto("/desk/intake/")
    lead.get_by_test_id("task-inbox").get_by_role("link", name=case.number).click()
    act_on_step(lead, case.pk, "intake_review", "材料齐全，转相关部门并联审查")

    for username, step, opinion, verdict in [
        ("nx_zrzy_off1", "land_opinion", "符合国土空间规划", "agree"),
        ("nx_sthj_off1", "environment_opinion", "需补充大气环境影响分析", "disagree"),
        ("nx_zjt_off1", "construction_opinion", "具备建设条件", "agree"),
    ]:
        page = new_page()
        log_in(page, username)
        page.goto("/desk/intake/")
        expect(
            page.get_by_test_id("task-inbox").get_by_role("link", name=case.number)
        ).to_be_visible()
        act_on_step(page, case.pk, step, opinion, verdict)
        new_page.close(page)

    lead.goto(f"/cases/{case.pk}/")
    lead.get_by_placeholder("对不同意意见的答复").fill("企业已补充分析，经复核满足要求")
    lead.get_by_role("button", name="答复").click()
    expect(lead.get_by_text("已答复不同意意见")).to_be_visible()
    act_on_step(lead, case.pk, "overall_review", "同意核准")

    head = new_page()
    log_in(head, "nx_fgw_head")
    head.goto(f"/cases/{case.pk}/")
    asked = accepting_dialogs(head)
    head.get_by_role("button", name="准予许可").click()
    expect(head.get_by_text("决定已作出")).to_be_visible()
    expect(head.get_by_test_id("case-status")).to_have_text("已决定，待送达")
    # An irreversible act names the case and its consequence before it is done.
    assert len(asked) == 1 and case.number in asked[0] and "不能撤回" in asked[0]

    lead.goto(f"/cases/{case.pk}/")
    lead.get_by_label("送达方式").select_option(label="网上下载")
    lead.get_by_role("button", name="登记送达").click()
    expect(lead.get_by_test_id("case-status")).to_have_text("已办结")

    applicant = new_page()
    log_in(applicant, "saishang")
    applicant.goto(f"/cases/{case.pk}/")
    expect(applicant.get_by_test_id("timeline")).to_contain_text("环境影响意见已完成（不同意）")
    applicant.get_by_role("link", name="核验").click()
    expect(applicant.get_by_test_id("verified")).to_contain_text("当前状态：有效")


def test_a_two_level_item_from_a_county_to_the_regions_licence(new_page, tmp_path):
    """Food production (Art. 35, 43): the enterprise chooses its county on a phone; the
    county bureau accepts and reviews with its verdict; the region reviews with two
    officials and decides. A refused step keeps the opinion typed."""
    from .test_applying import upload_all

    applicant = new_page({"width": 390, "height": 844})
    log_in(applicant, "saishang")
    applicant.goto("/guide/640000-SCJG-002/")
    applicant.get_by_role("link", name="我要申请").click()
    where = applicant.get_by_label("办理的市、县（区）")
    expect(where.locator("option")).not_to_contain_text(["宁夏回族自治区"])
    where.select_option(label="兴庆区")
    applicant.get_by_role("button", name="开始填写").click()
    applicant.get_by_label("申请人名称").fill("宁夏塞上乳业有限公司")
    applicant.get_by_label("联系人").fill("王五")
    applicant.get_by_label("联系电话").fill("13895000003")
    applicant.get_by_label("食品类别").select_option("乳制品")
    applicant.get_by_label("生产地址").fill("银川市兴庆区掌政镇")
    applicant.get_by_role("button", name="保存草稿").click()
    upload_all(applicant, tmp_path)
    applicant.get_by_label(re.compile("本人承诺")).check()
    applicant.get_by_role("button", name="提交申请").click()
    expect(applicant.get_by_test_id("case-status")).to_have_text("已收件，待预审")
    number = applicant.get_by_test_id("case-number").inner_text()
    assert number.startswith("640104")

    county = new_page()
    log_in(county, "xq_scjg_off1")
    county.goto("/desk/intake/")
    county.get_by_test_id("inbox").get_by_role("link", name=number).click()
    county.get_by_test_id("pre-review").get_by_role("button", name="受理", exact=True).click()
    expect(county.get_by_text("已受理，受理通知书已生成")).to_be_visible()
    case_id = county.url.rstrip("/").split("/")[-1]
    act_on_step(county, case_id, "lower_review", "场所、设备与工艺符合要求", "agree")

    first, second = new_page(), new_page()
    log_in(first, "nx_scjg_off1")
    log_in(second, "nx_scjg_off2")
    first.goto(f"/cases/{case_id}/")
    row = first.get_by_test_id("tasks").locator('tr[data-step="review"]')
    row.get_by_role("button", name="认领").click()
    row = first.get_by_test_id("tasks").locator('tr[data-step="review"]')
    row.get_by_role("textbox").first.fill("经两人现场核查，符合条件")
    row.get_by_role("button", name="完成").click()
    # Refused (two officials, Art. 34 ¶3): the message says why and the opinion stays.
    expect(first.get_by_text("须由另一名工作人员复核")).to_be_visible()
    row = first.get_by_test_id("tasks").locator('tr[data-step="review"]')
    expect(row.get_by_role("textbox").first).to_have_value("经两人现场核查，符合条件")
    second.goto(f"/cases/{case_id}/")
    second.get_by_role("button", name="复核：审核").click()
    first.reload()
    row = first.get_by_test_id("tasks").locator('tr[data-step="review"]')
    row.get_by_role("textbox").first.fill("经两人现场核查，符合条件")
    row.get_by_role("button", name="完成").click()
    expect(first.get_by_text("审核已完成。")).to_be_visible()

    head = new_page()
    log_in(head, "nx_scjg_head")
    head.goto(f"/cases/{case_id}/")
    accepting_dialogs(head)
    head.get_by_role("button", name="准予许可").click()
    expect(head.get_by_test_id("case-status")).to_have_text("已决定，待送达")

    applicant.reload()
    expect(applicant.get_by_test_id("timeline")).to_contain_text("下级审查已完成（同意）")
    # The region decided: the timeline names it, not the county that received the case.
    expect(applicant.get_by_test_id("timeline")).to_contain_text("自治区市场监管厅 · 已作出决定")


def test_an_official_asks_for_an_extension_and_the_head_grants_it_from_the_tile(new_page, demo):
    """TL-01 (Art. 42 ¶1): asked on the case page with reasons, granted from the head's
    延期审批 tile before the statutory limit; the applicant is told in writing."""
    from shenpi.cases import services
    from shenpi.catalog.models import Item
    from tests.cases.conftest import FOOD_FORM, complete_draft

    food = Item.objects.get(code="640100-SCJG-001")
    case = complete_draft(services, demo("zhangsan"), food)
    case = services.case_submit(
        actor=demo("zhangsan"), case=case, declaration=True, form_data=FOOD_FORM
    )
    case = services.case_accept(actor=demo("yc_scjg_off1"), case=case)

    official = new_page()
    log_in(official, "yc_scjg_off1")
    official.goto(f"/cases/{case.pk}/")
    official.get_by_label("理由（经批准后告知申请人）").fill("需对生产场所进行现场核查")
    official.get_by_role("button", name="申请延期").click()
    expect(official.get_by_text("延期申请已提交")).to_be_visible()
    expect(official.get_by_test_id("extension-pending")).to_contain_text("待部门负责人")

    head = new_page()
    log_in(head, "yc_scjg_head")
    head.goto("/workbench/head/")
    tile = head.locator(".card", has=head.get_by_role("link", name="延期审批"))
    expect(tile.get_by_test_id("tile-count")).to_have_text("1 件待办")
    head.get_by_role("link", name="延期审批").click()
    request = head.get_by_test_id("extension-request")
    expect(request).to_contain_text(case.number)
    expect(request).to_contain_text("需对生产场所进行现场核查")
    request.get_by_role("button", name="批准延期").click()
    expect(head.get_by_text(f"已批准延期（{case.number}）")).to_be_visible()
    expect(head.get_by_test_id("extension-empty")).to_be_visible()

    applicant = new_page({"width": 390, "height": 844})
    log_in(applicant, "zhangsan")
    applicant.goto(f"/cases/{case.pk}/")
    expect(applicant.get_by_role("link", name=re.compile("延长审查期限告知书"))).to_be_visible()


def test_a_head_opens_the_departments_statistics_and_exports_them(new_page, demo):
    """本部门统计: from the head's tile, the month's figures per item, the same kind of
    department below side by side, and the same figures as a spreadsheet."""
    from shenpi.cases import services
    from shenpi.catalog.models import Item
    from tests.cases.conftest import FOOD_FORM, complete_draft

    food = Item.objects.get(code="640100-SCJG-001")
    case = complete_draft(services, demo("zhangsan"), food)
    case = services.case_submit(
        actor=demo("zhangsan"), case=case, declaration=True, form_data=FOOD_FORM
    )
    case = services.case_accept(actor=demo("yc_scjg_off1"), case=case)
    step = case.tasks.get(status="open")
    services.task_complete(actor=demo("yc_scjg_off1"), task=step, opinion="材料齐全")

    head = new_page()
    log_in(head, "yc_scjg_head")
    head.goto("/workbench/head/")
    head.get_by_role("link", name="本部门统计").click()
    expect(head.get_by_test_id("stats-heading")).to_contain_text("银川市市场监督管理局")
    row = head.get_by_test_id("stats-items").get_by_role("row", name=re.compile("食品经营许可"))
    expect(row).to_be_visible()
    # Where it gets stuck: the step just done, with its days.
    expect(head.get_by_test_id("stuck-steps")).to_contain_text(step.step_name)
    row.get_by_role("link", name="1").first.click()
    expect(head.get_by_test_id("cases-behind")).to_contain_text(case.number)
    head.go_back()
    expect(head.locator("#stats-chart canvas")).to_have_count(1)
    with head.expect_download() as download:
        head.get_by_test_id("export").click()
    assert download.value.suggested_filename.endswith(".xlsx")
    head.get_by_label("自").fill("2026-05-01")
    head.get_by_label("至").fill("2026-01-01")
    head.get_by_role("button", name="按日期查看").click()
    expect(head.get_by_test_id("period-error")).to_contain_text("开始日期须不晚于结束日期")
    expect(head.get_by_label("自")).to_have_value("2026-05-01")


def test_a_leader_opens_decision_support_and_sees_the_forecast(new_page):
    """决策辅助: from the leader's tile, the trend against a year earlier and the
    forecast, with how well the model did on months it was not shown."""
    from django.utils import timezone

    from shenpi.stats.demo import seed_history
    from shenpi.stats.forecast import forecast_all

    seed_history(timezone.localdate())
    forecast_all()
    leader = new_page()
    log_in(leader, "nx_zfb_leader")
    leader.goto("/workbench/leader/")
    leader.get_by_role("link", name="决策辅助").click()
    expect(leader.locator("#trend-chart canvas")).to_have_count(1)
    expect(leader.get_by_test_id("forecast-month")).to_have_text(re.compile(r"^\d+$"))
    expect(leader.get_by_test_id("forecast-footnote")).to_contain_text("加权绝对百分比误差")
    expect(leader.get_by_test_id("growing").locator("tbody tr").first).to_be_visible()
