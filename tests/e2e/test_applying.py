import re

import pytest
from playwright.sync_api import expect
from pypdf import PdfReader

from shenpi.catalog.demo_forms import application_pdf

from .conftest import ARTIFACTS, log_in

PHONE = {"width": 390, "height": 844}


def a_pdf(tmp_path, name):
    path = tmp_path / f"{name}.pdf"
    path.write_bytes(application_pdf(name, "申请人", [("内容", name)], sample=True))
    return str(path)


def upload_all(page, tmp_path):
    rows = page.get_by_test_id("materials").locator("li.list-group-item")
    for i in range(rows.count()):
        row = page.get_by_test_id("materials").locator("li.list-group-item").nth(i)
        row.locator('input[type="file"]').set_input_files(a_pdf(tmp_path, f"material{i}"))
        row.get_by_role("button", name="上传", exact=True).click()  # in place, no reload
        expect(row.locator(".material-files")).to_have_text(re.compile(f"✓ material{i}.pdf"))


def test_citizen_applies_gets_a_correction_notice_supplements_and_is_accepted(new_page, tmp_path):
    citizen = new_page()
    log_in(citizen, "zhangsan")
    citizen.goto("/guide/640100-SCJG-001/")
    citizen.get_by_role("link", name="我要申请").click()
    citizen.get_by_role("button", name="开始填写").click()
    citizen.get_by_label("申请人名称").fill("张三餐饮店")
    citizen.get_by_label("联系人").fill("张三")
    citizen.get_by_label("联系电话").fill("13895000001")
    citizen.get_by_label("经营场所", exact=True).fill("银川市金凤区北京中路168号")
    citizen.get_by_label("主体业态").select_option("餐饮服务经营者")
    citizen.get_by_label("经营项目").fill("热食类食品制售")
    citizen.get_by_label("经营面积（平方米）").fill("80")
    citizen.get_by_role("button", name="保存草稿").click()
    expect(citizen.get_by_text("草稿已保存")).to_be_visible()
    upload_all(citizen, tmp_path)
    # Without the declaration the submission is refused, and nothing is lost.
    citizen.get_by_role("button", name="提交申请").click()
    expect(citizen.locator("#err_declaration")).to_contain_text("请阅读并勾选申请人承诺")
    expect(citizen.get_by_label("经营场所", exact=True)).to_have_value("银川市金凤区北京中路168号")
    citizen.get_by_label(re.compile("本人承诺")).check()
    citizen.get_by_role("button", name="提交申请").click()
    expect(citizen.get_by_test_id("case-status")).to_have_text("已收件，待预审")
    number = citizen.get_by_test_id("case-number").inner_text()

    official = new_page()
    log_in(official, "yc_scjg_off1")
    official.goto("/desk/intake/")
    official.get_by_test_id("inbox").get_by_role("link", name=number).click()
    review = official.get_by_test_id("pre-review")
    review.get_by_label("食品安全管理制度", exact=True).check()
    review.get_by_label("补正要求：食品安全管理制度").fill("制度文本未加盖公章，请盖章后重新上传")
    review.get_by_role("button", name="发出一次性补正通知").click()
    expect(official.get_by_text("一次性补正通知已发出")).to_be_visible()

    citizen.reload()
    expect(citizen.get_by_test_id("case-status")).to_have_text("待补正")
    expect(citizen.get_by_test_id("defects")).to_contain_text("制度文本未加盖公章")
    citizen.get_by_label("补正：食品安全管理制度").set_input_files(a_pdf(tmp_path, "盖章的制度"))
    citizen.get_by_role("button", name="上传补正：食品安全管理制度").click()
    citizen.get_by_role("button", name="提交补正").click()
    expect(citizen.get_by_text("补正材料已提交")).to_be_visible()
    expect(citizen.get_by_test_id("case-status")).to_have_text("已收件，待预审")

    official.reload()
    official.get_by_test_id("pre-review").get_by_role("button", name="受理", exact=True).click()
    expect(official.get_by_text("已受理，受理通知书已生成")).to_be_visible()

    citizen.reload()
    expect(citizen.get_by_test_id("case-status")).to_have_text("已受理，办理中")
    notices = citizen.get_by_test_id("notices")
    expect(notices.get_by_role("link", name="补正材料通知书")).to_be_visible()
    expect(notices.get_by_role("link", name="受理通知书")).to_be_visible()
    expect(citizen.get_by_role("heading", name="为什么是这个日期？")).to_be_visible()


def test_clerk_takes_a_walk_in_instant_application_and_prints_the_licence(new_page, tmp_path):
    clerk = new_page()
    log_in(clerk, "clerk_xq_scjg")
    clerk.get_by_role("link", name="窗口收件").first.click()
    clerk.get_by_label("申请人身份证号码或统一社会信用代码").fill("640102198512150023")
    clerk.get_by_role("button", name="查找申请人").click()
    expect(clerk.get_by_test_id("applicant")).to_contain_text("李四")
    clerk.get_by_label("申请事项").select_option(label="个体工商户设立登记（即办件）")
    clerk.get_by_role("button", name="开始收件").click()
    clerk.get_by_label("经营者姓名").fill("李四")
    clerk.get_by_label("经营场所", exact=True).fill("银川市兴庆区新华东街10号")
    clerk.get_by_label("经营范围").fill("日用百货零售")
    upload_all(clerk, tmp_path)
    clerk.get_by_role("button", name="当场受理并办结（即办件）").click()
    expect(clerk.get_by_text("已当场办结")).to_be_visible()
    expect(clerk.get_by_test_id("case-status")).to_have_text("已办结")
    with clerk.expect_download() as info:
        clerk.get_by_test_id("licence-link").click(modifiers=["Alt"])
    with open(info.value.path(), "rb") as f:
        text = "".join(page.extract_text() for page in PdfReader(f).pages)
    assert "个体工商户营业执照" in text and "银川市兴庆区市场监督管理局" in text


@pytest.mark.parametrize("viewport", [None, PHONE], ids=["desktop", "phone"])
def test_anyone_follows_a_case_by_number_and_password_and_verifies_the_licence_by_its_qr_link(
    new_page, demo, live_server, viewport
):
    from shenpi.cases import services
    from shenpi.catalog.models import Item
    from tests.cases.conftest import pdf_upload

    clerk, item = demo("clerk_xq_scjg"), Item.objects.get(code="640104-SCJG-001")
    case = services.case_create_draft(
        actor=clerk, item=item, applicant=demo("lisi"), channel="window"
    )
    for requirement in item.current.materials.all():
        services.case_add_material(
            actor=clerk, case=case, requirement_id=requirement.pk, upload=pdf_upload(), scanned=True
        )
    services.case_save_form(
        actor=clerk, case=case, data={"operator": "李四", "premises": "兴庆区", "scope": "百货"}
    )
    case = services.case_window_instant(actor=clerk, case=case)

    page = new_page(viewport=viewport)
    page.goto("/")
    page.get_by_test_id("public-entrances").get_by_role("link", name="进度查询").click()
    page.get_by_label("办件编号").fill(case.number)
    page.get_by_label("查询密码").fill("WRONG123")
    page.get_by_role("button", name="查询").click()
    expect(page.get_by_text("办件编号或查询密码不正确")).to_be_visible()
    page.get_by_label("查询密码").fill(case.query_password)
    page.get_by_role("button", name="查询").click()
    expect(page.get_by_test_id("track-status")).to_have_text("已办结")
    expect(page.get_by_test_id("timeline")).to_contain_text("已送达")
    # The step bar: every step done, the last one named.
    expect(page.get_by_test_id("step-bar").locator(".is-done")).to_have_count(5)

    # The QR code on the licence leads to its public verification page.
    licence = case.issued_licence
    text = "".join(p.extract_text() for p in PdfReader(licence.file.open("rb")).pages)
    url = re.search(r"http\S+/verify/licence/[0-9A-F]+/", text.replace("\n", "")).group(0)
    assert url.startswith(live_server.url + "/")  # the platform's own address
    assert "经营范围：百货" in text and "operator" not in text  # the form's labels
    page.goto(url)
    expect(page.get_by_test_id("verified")).to_contain_text("当前状态：有效")
    expect(page.get_by_test_id("licence-number")).to_have_text(licence.number)
    page.goto("/verify/licence/NOTAREALCODE/")
    expect(page.get_by_test_id("not-verified")).to_be_visible()


TYPED = {
    "申请人名称": "张三餐饮店",
    "联系人": "张三",
    "联系电话": "13895000001",
    "经营项目": "热食类食品制售",
    "经营面积（平方米）": "80",
}


@pytest.mark.parametrize("viewport", [None, PHONE], ids=["desktop", "phone"])
def test_a_refused_submission_and_uploads_keep_everything_typed(new_page, tmp_path, viewport):
    """Issue 28: every error at once, each beside its field and listed at the top; an
    upload after the refusal neither reloads nor re-sends it, and nothing typed is lost."""
    citizen = new_page(viewport=viewport)
    log_in(citizen, "zhangsan")
    citizen.goto("/guide/640100-SCJG-001/")
    citizen.get_by_role("link", name="我要申请").click()
    citizen.get_by_role("button", name="开始填写").click()
    for label, value in TYPED.items():
        citizen.get_by_label(label).fill(value)
    citizen.get_by_label("主体业态").select_option("餐饮服务经营者")
    # 经营场所 left blank, no materials, no declaration: all three are said at once.
    citizen.get_by_role("button", name="提交申请").click()
    summary = citizen.get_by_test_id("error-summary")
    expect(summary).to_be_focused()
    expect(summary.get_by_role("link", name=re.compile("^经营场所"))).to_be_visible()
    expect(summary.get_by_role("link", name=re.compile("^申请材料"))).to_be_visible()
    expect(summary.get_by_role("link", name=re.compile("^申请人承诺"))).to_be_visible()
    premises = citizen.get_by_label("经营场所", exact=True)
    expect(premises).to_have_attribute("aria-invalid", "true")
    expect(citizen.locator("#err_premises")).to_have_text("请填写“经营场所”。")
    for label, value in TYPED.items():
        expect(citizen.get_by_label(label)).to_have_value(value)
    expect(citizen.get_by_label("主体业态")).to_have_value("餐饮服务经营者")

    citizen.get_by_label(re.compile("本人承诺")).check()
    premises.fill("银川市金凤区北京中路168号")
    posts = []
    citizen.on("request", lambda r: posts.append(r.url) if r.method == "POST" else None)
    upload_all(citizen, tmp_path)
    assert all("/upload/" in url for url in posts), posts  # the refused submit is not re-sent
    # Uploading again replaces the file rather than adding a copy.
    first = citizen.get_by_test_id("materials").locator("li.list-group-item").first
    first.locator('input[type="file"]').set_input_files(a_pdf(tmp_path, "newer"))
    first.get_by_role("button", name="上传", exact=True).click()
    expect(first.locator(".material-files")).to_have_text(re.compile("^✓ newer.pdf"))
    for label, value in {**TYPED, "经营场所": "银川市金凤区北京中路168号"}.items():
        expect(citizen.get_by_label(label, exact=True)).to_have_value(value)
    expect(citizen.get_by_label(re.compile("本人承诺"))).to_be_checked()
    citizen.get_by_role("button", name="提交申请").click()
    expect(citizen.get_by_test_id("case-status")).to_have_text("已收件，待预审")
    if viewport:  # the phone's page does not scroll sideways
        width = citizen.evaluate("() => document.documentElement.scrollWidth")
        assert width <= PHONE["width"], width


def test_on_a_phone_an_applicant_follows_cases_by_tab_and_reads_messages(new_page, demo):
    """Issue 28: 我的办件's tabs and step bars, and messages that turn read when opened."""
    from shenpi.cases import services
    from shenpi.catalog.models import Item
    from tests.cases.conftest import FOOD_FORM, complete_draft

    zhangsan = demo("zhangsan")
    case = complete_draft(services, zhangsan, Item.objects.get(code="640100-SCJG-001"))
    case = services.case_submit(actor=zhangsan, case=case, declaration=True, form_data=FOOD_FORM)
    page = new_page(viewport=PHONE)
    log_in(page, "zhangsan")
    page.goto("/my/cases/")
    tabs = page.get_by_test_id("case-tabs")
    tabs.get_by_role("link", name="已办结").click()
    expect(page.get_by_test_id("my-cases")).to_contain_text("该状态下没有办件")
    tabs.get_by_role("link", name="办理中").click()
    row = page.get_by_test_id("my-cases").locator("tr", has_text=case.number)
    expect(row.get_by_test_id("step-now")).to_contain_text("受理：预审中")
    expect(row.locator('[aria-current="step"]')).to_have_text("受理")
    assert page.evaluate("() => document.documentElement.scrollWidth") <= PHONE["width"]
    table = page.get_by_test_id("my-cases")  # the rows fit: no sideways scroll inside either
    assert table.evaluate("t => t.parentElement.scrollWidth <= t.parentElement.clientWidth")
    page.screenshot(path=str(ARTIFACTS / "my-cases-phone.png"), full_page=True)
    page.get_by_role("button", name="展开导航").click()  # the phone's folded menu
    page.get_by_test_id("messages-link").click()
    messages = page.get_by_test_id("messages")
    unread = messages.locator('li[data-read="no"]', has_text="申请已收件")
    expect(unread.get_by_text("未读")).to_be_visible()
    unread.get_by_role("button", name="查看办件：申请已收件").click()
    expect(page.get_by_test_id("case-number")).to_have_text(case.number)
    page.goto("/my/messages/?show=unread")
    expect(page.get_by_test_id("messages")).not_to_contain_text("申请已收件")
    assert page.evaluate("() => document.documentElement.scrollWidth") <= PHONE["width"]
