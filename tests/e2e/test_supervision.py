import datetime
import re

from playwright.sync_api import expect

from .conftest import log_in


def test_a_supervisor_sees_a_red_case_orders_and_the_department_answers(new_page, demo):
    from shenpi.catalog.models import Item
    from tests.supervision.test_views import overdue_case

    case = overdue_case(demo, Item.objects.get(code="640100-SCJG-001"))
    supervisor = new_page()
    log_in(supervisor, "yc_jc_sup")
    supervisor.get_by_role("link", name="实时监控").click()
    supervisor.get_by_test_id("light-counts").get_by_role("link", name="红牌").click()
    supervisor.get_by_test_id("monitor").get_by_role("link", name=case.number).click()
    form = supervisor.get_by_test_id("order-form")
    form.get_by_label("督办事项").fill("请说明逾期原因并于期限内办结")
    form.get_by_label("答复期限").fill(
        (datetime.date.today() + datetime.timedelta(days=3)).isoformat()
    )
    form.get_by_role("button", name="发出督办").click()
    expect(supervisor.get_by_text("已发出督办")).to_be_visible()

    head = new_page()
    log_in(head, "yc_scjg_head")
    head.get_by_role("link", name="督办答复").click()
    head.get_by_label("答复").fill("已安排两名工作人员加快审查，本周内办结")
    head.get_by_role("button", name="答复").click()
    expect(head.get_by_text("已答复督办")).to_be_visible()

    supervisor.goto("/supervision/orders/")
    expect(supervisor.get_by_test_id("orders")).to_contain_text("已安排两名工作人员加快审查")


def test_a_citizen_files_a_complaint_and_later_reads_the_reply(new_page):
    citizen = new_page()
    citizen.goto("/")
    citizen.get_by_test_id("public-entrances").get_by_role("link", name="投诉").click()
    citizen.get_by_label("被投诉部门").select_option(label="银川市市场监督管理局")
    citizen.get_by_label("标题").fill("要求提供与事项无关的材料")
    citizen.get_by_label("投诉内容").fill("窗口要求我提供房产证，但办事指南的材料目录中没有。")
    citizen.get_by_role("button", name="提交投诉").click()
    number = citizen.get_by_test_id("complaint-number").inner_text()
    password = citizen.get_by_test_id("complaint-password").inner_text()

    supervisor = new_page()
    log_in(supervisor, "yc_jc_sup")
    supervisor.goto("/supervision/complaints/")
    row = supervisor.get_by_test_id("complaints").get_by_role("row", name=number)
    row.get_by_role("button", name="受理", exact=True).click()
    row = supervisor.get_by_test_id("complaints").get_by_role("row", name=number)
    row.get_by_label("答复").fill("经核实，窗口要求属实，已责令改正并一次告知（第三十一条）。")
    row.get_by_label("投诉属实").check()
    row.get_by_role("button", name="答复", exact=True).click()

    citizen.goto("/complain/lookup/")
    citizen.get_by_label("投诉编号").fill(number)
    citizen.get_by_label("查询密码").fill(password)
    citizen.get_by_role("button", name="查询").click()
    expect(citizen.get_by_test_id("complaint-reply")).to_contain_text("已责令改正")


def test_a_named_complaint_goes_to_the_department_and_the_complainant_rates_the_reply(new_page):
    citizen = new_page({"width": 390, "height": 844})
    log_in(citizen, "zhangsan")
    citizen.goto("/complain/")
    citizen.get_by_label("被投诉部门").select_option(label="银川市市场监督管理局")
    citizen.get_by_label("标题").fill("超过承诺时限未办结")
    citizen.get_by_label("投诉内容").fill("承诺 10 个工作日，已经 15 个工作日没有结果。")
    citizen.get_by_role("button", name="提交投诉").click()
    number = citizen.get_by_test_id("complaint-number").inner_text()

    supervisor = new_page()
    log_in(supervisor, "yc_jc_sup")
    supervisor.goto("/supervision/complaints/")
    row = supervisor.get_by_test_id("complaints").get_by_role("row", name=number)
    expect(row.get_by_test_id("complaint-light")).to_have_text("正常")
    row.get_by_label("转办给").select_option(value="yc_scjg_off1")  # a list, not a typed name
    row.get_by_role("button", name="受理", exact=True).click()

    official = new_page()
    log_in(official, "yc_scjg_off1")
    official.get_by_role("link", name="部门办件").click()
    official.get_by_role("link", name="转办投诉").click()
    row = official.get_by_test_id("complaints").get_by_role("row", name=number)
    expect(row.get_by_label("投诉属实")).to_have_count(0)  # the finding is supervision's
    row.get_by_label("答复").fill("经查系材料流转延误，已于当日办结并向申请人致歉。")
    row.get_by_role("button", name="答复", exact=True).click()

    supervisor.reload()
    row = supervisor.get_by_test_id("complaints").get_by_role("row", name=number)
    expect(row).to_contain_text("待认定是否属实")
    row.get_by_role("button", name="认定属实").click()
    row = supervisor.get_by_test_id("complaints").get_by_role("row", name=number)
    expect(row).to_contain_text("监察认定：属实")

    citizen.goto("/my/complaints/")
    mine = citizen.get_by_test_id("my-complaint").filter(has_text="超过承诺时限未办结")
    expect(mine.get_by_test_id("my-complaint-reply")).to_contain_text("已于当日办结")
    mine.get_by_label("对答复的评价").select_option("基本满意")
    mine.get_by_role("button", name="提交评价").click()
    expect(citizen.get_by_text("您的评价：基本满意")).to_be_visible()


def test_a_deputy_watches_a_case_and_cannot_see_the_applicants_id_number(new_page, demo):
    from shenpi.supervision.models import Watch
    from tests.cases.test_licences import granted

    case = granted(demo).case
    Watch.objects.create(observer=demo("observer"), case=case)
    deputy = new_page()
    log_in(deputy, "observer")
    deputy.get_by_role("link", name="关注的事项与办件").click()
    deputy.get_by_test_id("watched").get_by_role("link", name=case.number).click()
    section = deputy.get_by_test_id("watched-case")
    expect(section).to_contain_text("已送达")
    expect(section).not_to_contain_text(case.applicant_code)
    expect(section).to_contain_text("**********")
    deputy.goto(f"/cases/{case.pk}/")
    expect(deputy.get_by_text("页面不存在")).to_be_visible()


def test_an_applicant_gives_a_bad_rating_and_the_department_follows_it_up(new_page, demo):
    from tests.cases.test_licences import granted

    case = granted(demo).case  # 李四's case, closed at the Xingqing window
    applicant = new_page()
    log_in(applicant, "lisi")
    applicant.goto("/my/cases/")
    applicant.get_by_test_id("my-cases").get_by_role("link", name=case.number).click()
    form = applicant.get_by_test_id("rating-form")
    form.get_by_label("总体评价").select_option(label="不满意")
    form.get_by_label("办事效率").select_option(label="非常不满意")
    form.get_by_label("意见（选填）").fill("等候时间太长")
    form.get_by_role("button", name="提交评价").click()
    expect(applicant.get_by_text("感谢您的评价")).to_be_visible()
    expect(applicant.get_by_test_id("rating")).to_contain_text("差评")

    head = new_page()
    log_in(head, "xq_scjg_head")
    head.get_by_test_id("messages-link").click()
    expect(head.get_by_test_id("messages")).to_contain_text("差评待整改")
    head.goto(f"/cases/{case.pk}/")
    head.get_by_label("回访记录").fill("已电话回访，致歉")
    head.get_by_label("整改情况").fill("高峰时段增开一个窗口")
    head.get_by_role("button", name="记录整改").click()
    expect(head.get_by_test_id("rating")).to_contain_text("已整改：高峰时段增开一个窗口")


def test_a_supervisor_opens_the_big_screen_and_sees_todays_cases(new_page, demo):
    from shenpi.catalog.models import Item
    from tests.supervision.test_views import overdue_case

    # Received today; its acceptance moved a month back (an overdue case).
    overdue_case(demo, Item.objects.get(code="640100-SCJG-001"))
    supervisor = new_page()
    log_in(supervisor, "yc_jc_sup")
    supervisor.get_by_role("link", name="实时监控").click()
    supervisor.get_by_role("link", name="大屏").click()
    expect(supervisor.get_by_role("heading", name=re.compile("电子监察$"))).to_be_visible()
    screen = supervisor.get_by_test_id("screen")
    expect(screen.locator("#received_today")).to_have_text("1")
    expect(screen.locator("#accepted_today")).to_have_text("0")
    # Each chart says what it shows (or that there is nothing), in words too.
    expect(
        supervisor.get_by_role("img", name=re.compile("^在办件红黄绿灯分布：.*红牌 1 件"))
    ).to_be_visible()
    # The wall: the whole 1920×1080 screen, no site header or footer, nothing below the fold.
    wall = supervisor.context.new_page()
    wall.set_viewport_size({"width": 1920, "height": 1080})
    wall.goto(supervisor.url)
    expect(wall.get_by_role("img", name=re.compile("^红牌最多的部门："))).to_be_visible()
    expect(wall.locator("header.site-header, footer.site-footer")).to_have_count(0)
    assert wall.evaluate("() => document.documentElement.scrollHeight") <= 1080


def test_a_department_head_reads_of_the_scans_red_cards_in_one_message(new_page, demo):
    from shenpi.catalog.models import Item
    from shenpi.notify.models import Message
    from tests.supervision.test_views import overdue_case

    overdue_case(demo, Item.objects.get(code="640100-SCJG-001"))  # scanned: red cards
    told = Message.objects.filter(user=demo("yc_scjg_head"), title__startswith="红牌预警")
    assert told.count() == 1  # one message for all of the scan's cards
    head = new_page()
    log_in(head, "yc_scjg_head")
    head.get_by_test_id("messages-link").click()
    messages = head.get_by_test_id("messages")
    expect(messages).to_contain_text(told.get().title)
    expect(messages).to_contain_text("本次期限巡查，本部门有红牌预警")


def test_an_official_sees_the_applicants_numbers_masked_and_reveals_them_on_record(new_page, demo):
    from shenpi.audit.models import AuditRecord
    from tests.cases.test_licences import granted

    case = granted(demo).case  # 李四's case, at the Xingqing window
    official = new_page()
    log_in(official, "xq_scjg_off1")
    official.goto(f"/cases/{case.pk}/")
    masked = official.get_by_test_id("masked-personal")
    expect(masked).to_contain_text("6401**********0023")
    expect(masked).not_to_contain_text(case.applicant_code)
    masked.get_by_role("button", name="查看完整信息").click()
    shown = official.get_by_test_id("personal")
    expect(shown.get_by_test_id("applicant-code")).to_have_text(case.applicant_code)
    expect(shown.get_by_test_id("applicant-mobile")).to_have_text(case.applicant_mobile)
    expect(official.get_by_role("note")).to_contain_text("已记入审计日志")
    record = AuditRecord.objects.get(stream=f"case:{case.pk}", action="case.personal_read")
    assert record.actor == demo("xq_scjg_off1")
    official.get_by_role("link", name="返回办件").click()
    expect(official.get_by_test_id("case-number")).to_have_text(case.number)


def test_a_supervisor_downloads_last_months_management_review(new_page, tmp_path):
    """质量管理评审: from the tile, last month's review of Yinchuan generated and
    downloaded; the PDF says what it reviews."""
    from datetime import date

    from django.utils import timezone
    from pypdf import PdfReader

    today = timezone.localdate()
    last = date(today.year - (today.month == 1), 12 if today.month == 1 else today.month - 1, 1)
    page = new_page()
    log_in(page, "yc_jc_sup")
    page.goto("/workbench/supervision/")
    page.get_by_role("link", name="质量管理评审").click()
    page.get_by_label("区划").select_option(label="银川市")
    page.get_by_label("月份").select_option(value=f"{last:%Y-%m}")
    with page.expect_download() as download:
        page.get_by_role("button", name="生成并下载").click()
    path = tmp_path / "review.pdf"
    download.value.save_as(path)
    text = "".join("".join(p.extract_text().split()) for p in PdfReader(path).pages)
    assert f"银川市政务服务质量管理评审报告（{last.year}年{last.month}月）" in text
    assert "绩效评估排名" in text
    page.goto("/desk/reviews/")
    expect(page.get_by_test_id("reviews")).to_contain_text(f"{last.year}年{last.month}月")


def test_the_audit_log_reads_in_chinese_and_finds_a_case_by_number(new_page, demo):
    from shenpi.catalog.models import Item
    from tests.supervision.test_views import overdue_case

    case = overdue_case(demo, Item.objects.get(code="640100-SCJG-001"))
    supervisor = new_page()
    log_in(supervisor, "yc_jc_sup")
    supervisor.goto("/supervision/audit/")
    supervisor.get_by_label("办件编号").fill(case.number)
    supervisor.get_by_label("操作", exact=True).select_option(label="提交申请")
    supervisor.get_by_role("button", name="搜索").click()
    log = supervisor.get_by_test_id("audit")
    expect(log.locator("tbody tr")).to_have_count(1)
    expect(log).to_contain_text("提交申请")
    expect(log.get_by_role("link", name=case.number)).to_be_visible()
