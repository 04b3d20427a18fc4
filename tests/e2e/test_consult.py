"""Consultation journeys (issue 22): a citizen asks from a guide on a phone, an official
answers from the 在线答疑 tile, the citizen reads the answer by number and password and
rates it."""

from playwright.sync_api import expect

from .conftest import log_in


def test_a_citizen_asks_from_a_guide_and_rates_the_officials_answer(new_page):
    citizen = new_page({"width": 390, "height": 844})
    citizen.goto("/guide/640100-SCJG-001/")
    citizen.get_by_test_id("ask-link").click()
    citizen.get_by_label("标题").fill("开小吃店要办什么证")
    citizen.get_by_label("问题").fill("我想在兴庆区开一家小吃店，需要办理哪些许可？")
    citizen.get_by_label("手机号码（接收答复）").fill("1389500")
    citizen.get_by_role("button", name="提交咨询").click()
    # Refused: the mobile is short; nothing typed is lost.
    expect(citizen.locator(".alert-danger")).to_contain_text("手机号码")
    expect(citizen.get_by_label("问题")).to_have_value(
        "我想在兴庆区开一家小吃店，需要办理哪些许可？"
    )
    citizen.get_by_label("手机号码（接收答复）").fill("13895001234")
    citizen.get_by_role("button", name="提交咨询").click()
    number = citizen.get_by_test_id("question-number").inner_text()
    password = citizen.get_by_test_id("question-password").inner_text()

    official = new_page()
    log_in(official, "yc_scjg_off1")
    official.get_by_role("link", name="部门办件").click()
    official.get_by_role("link", name="在线答疑").first.click()
    official.get_by_test_id("question-inbox").get_by_role("link", name="开小吃店要办什么证").click()
    official.get_by_label("答复内容（或请提问人补充说明的内容）").fill(
        "需要办理食品经营许可证，材料见办事指南；小吃店可申请告知承诺。"
    )
    official.get_by_role("button", name="答复", exact=True).click()
    expect(official.get_by_test_id("question-status")).to_have_text("已答复")

    citizen.goto("/consult/lookup/")
    citizen.get_by_label("咨询编号").fill(number)
    citizen.get_by_label("查询密码").fill(password)
    citizen.get_by_role("button", name="查询").click()
    expect(citizen.get_by_test_id("entry-answer")).to_contain_text("食品经营许可证")
    citizen.get_by_label("满意", exact=True).check()
    citizen.get_by_role("button", name="提交评价").click()
    expect(citizen.get_by_test_id("rated")).to_contain_text("满意")


def test_an_answer_becomes_a_faq_the_public_finds_by_pinyin(new_page, demo):
    from shenpi.catalog.models import Item
    from shenpi.consult import services

    services.question_ask(
        actor=demo("lisi"),
        title="网店卖自制糕点要办食品经营许可吗",
        body="我在家做糕点，通过网店销售，是否需要办理食品经营许可证？",
        item=Item.objects.get(code="640100-SCJG-001"),
    )
    official = new_page()
    log_in(official, "yc_scjg_off1")
    official.get_by_role("link", name="部门办件").click()
    official.get_by_role("link", name="在线答疑").first.click()
    inbox = official.get_by_test_id("question-inbox")
    inbox.get_by_role("link", name="网店卖自制糕点要办食品经营许可吗").click()
    official.get_by_label("答复内容（或请提问人补充说明的内容）").fill(
        "需要办理食品经营许可证。\n在家制作糕点须符合场所条件，详见办事指南。"
    )
    official.get_by_role("button", name="答复", exact=True).click()
    expect(official.get_by_test_id("question-status")).to_have_text("已答复")
    faq = official.get_by_test_id("faq-form")
    # The FAQ's answer starts from the answer as it reads; the official edits the title.
    expect(faq.get_by_label("解答")).to_have_value(
        "需要办理食品经营许可证。\n在家制作糕点须符合场所条件，详见办事指南。"
    )
    faq.get_by_label("问题").fill("网店销售自制糕点要办食品经营许可证吗")
    faq.get_by_role("button", name="推荐").click()
    expect(official.locator(".alert-success")).to_contain_text("已推荐为常见问题")

    head = new_page()
    log_in(head, "yc_scjg_head")
    head.get_by_role("link", name="在线答疑").first.click()
    proposed = head.get_by_test_id("proposed-faq").filter(has_text="自制糕点")
    proposed.get_by_role("button", name="公开").click()
    expect(head.locator(".alert-success")).to_contain_text("已公开")

    visitor = new_page({"width": 390, "height": 844})
    visitor.goto("/")
    visitor.get_by_label("搜索事项、常见问题和政策法规").fill("gaodian")
    visitor.get_by_role("button", name="搜索").click()
    found = visitor.get_by_test_id("search-faq").filter(has_text="自制糕点")
    expect(found.locator("mark").first).to_have_text("糕点")
    found.locator("summary").click()
    found.get_by_role("link", name="640100-SCJG-001").click()
    expect(visitor.get_by_test_id("faqs")).to_contain_text("网店销售自制糕点要办食品经营许可证吗")
    # Asking from the guide, the published answer is offered while the question is typed.
    visitor.get_by_test_id("ask-link").click()
    visitor.get_by_label("标题").press_sequentially("糕点网店要办证吗", delay=30)
    expect(visitor.locator("#faq-suggestions")).to_contain_text(
        "网店销售自制糕点要办食品经营许可证吗"
    )


def test_a_supervisor_sees_an_overdue_question_red_after_the_scan(new_page, demo):
    import time_machine

    from shenpi.catalog.models import Item
    from shenpi.consult import services
    from shenpi.supervision.scan import scan_deadlines

    with time_machine.travel("2026-03-02 10:00 +0800", tick=False):
        question = services.question_ask(
            actor=demo("zhangsan"),
            title="食品经营许可证过期了怎么办",
            body="许可证上月到期，还能延续吗？",
            item=Item.objects.get(code="640100-SCJG-001"),
        )
    scan_deadlines()
    supervisor = new_page()
    log_in(supervisor, "yc_jc_sup")
    supervisor.get_by_role("link", name="实时监控").click()
    watched = supervisor.get_by_test_id("watched-consultation")
    row = watched.get_by_test_id("watched-lit").get_by_role("row", name=question.number)
    expect(row.locator(".badge")).to_have_text("已超期")
    row.get_by_role("link", name=question.number).click()
    expect(supervisor.get_by_test_id("question-light")).to_have_text("已超期")
    # Supervision reads; it does not answer.
    expect(supervisor.get_by_test_id("answer-form")).to_have_count(0)


def test_an_unsure_visitor_asks_and_the_centres_clerk_routes_it(new_page):
    visitor = new_page()
    visitor.goto("/")
    visitor.get_by_role("link", name="咨询").first.click()
    visitor.get_by_label("答复部门").select_option(label="不确定，由政务服务中心分派")
    visitor.get_by_label("标题").fill("想开一家公司先找哪个部门")
    visitor.get_by_label("问题").fill("不清楚开公司要先办什么，请指导。")
    visitor.get_by_label("手机号码（接收答复）").fill("13895001234")
    visitor.get_by_role("button", name="提交咨询").click()
    number = visitor.get_by_test_id("question-number").inner_text()

    clerk = new_page()
    log_in(clerk, "clerk_nx_scjg")
    clerk.get_by_role("link", name="咨询分派").click()
    clerk.get_by_test_id("question-inbox").get_by_role(
        "link", name="想开一家公司先找哪个部门"
    ).click()
    route = clerk.get_by_test_id("route-form")
    route.get_by_label("分派至答复部门（一般咨询，不计转办）").select_option(
        label="宁夏回族自治区市场监督管理厅"
    )
    route.get_by_role("button", name="分派").click()
    # Routed away, it is the department's now: the clerk is back on the inbox.
    expect(clerk.locator(".alert-success")).to_contain_text("已分派")
    expect(clerk.get_by_test_id("inbox-empty")).to_be_visible()

    official = new_page()
    log_in(official, "nx_scjg_off1")
    official.goto("/desk/questions/")
    row = official.get_by_test_id("question-inbox").get_by_role("row").filter(has_text=number)
    row.get_by_role("link", name="想开一家公司先找哪个部门").click()
    expect(official.get_by_test_id("entry-route")).to_contain_text(
        "分派至宁夏回族自治区市场监督管理厅"
    )


def test_a_visitor_at_a_desk_finds_an_item_and_a_policy_by_pinyin(new_page):
    visitor = new_page()
    visitor.goto("/")
    visitor.get_by_label("搜索事项、常见问题和政策法规").fill("shipin")
    visitor.get_by_role("button", name="搜索").click()
    items = visitor.get_by_test_id("search-items")
    expect(items.get_by_role("link", name="食品经营许可证核发")).to_be_visible()
    expect(items.locator("mark").first).to_have_text("食品")
    policies = visitor.get_by_test_id("search-policies")
    policy = policies.get_by_role("link", name="银川市优化营商环境食品经营许可便利化措施")
    expect(policy.locator("mark")).to_have_text("食品")
    policy.click()
    expect(visitor.locator("h1")).to_contain_text("银川市优化营商环境食品经营许可便利化措施")
