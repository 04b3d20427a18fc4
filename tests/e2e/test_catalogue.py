from playwright.sync_api import expect

from .conftest import log_in


def test_citizen_searches_food_reads_the_guide_and_downloads_the_form(page):
    page.goto("/")
    page.get_by_test_id("public-entrances").get_by_role("link", name="办事指南").click()
    page.get_by_role("searchbox", name="搜索事项").fill("食品")
    page.get_by_role("button", name="搜索").click()
    results = page.get_by_test_id("results")
    expect(results.get_by_role("link", name="食品经营许可证核发")).to_be_visible()
    results.get_by_role("link", name="食品经营许可证核发").click()
    expect(page.get_by_test_id("guide-title")).to_have_text("食品经营许可证核发")
    for heading in [
        "设定依据",
        "申请条件",
        "申请材料",
        "办理流程",
        "时限",
        "收费",
        "办理地点、时间与联系方式",
    ]:
        expect(page.get_by_role("heading", name=heading, exact=True)).to_be_visible()
    expect(page.get_by_label("办理流程图").get_by_text("批复")).to_be_visible()
    with page.expect_download() as info:
        page.get_by_role("link", name="食品经营许可申请书（空白表格）").click()
    download = info.value
    assert download.suggested_filename == "食品经营许可申请书（空白表格）.pdf"
    with open(download.path(), "rb") as f:
        assert f.read(5) == b"%PDF-"


def test_official_drafts_a_change_legal_office_approves_and_the_old_version_stays(new_page):
    official = new_page()
    log_in(official, "yc_scjg_off1")
    official.goto("/catalog/manage/")
    official.get_by_role("button", name="起草新版本：食品经营许可证核发").click()
    official.get_by_label("承诺时限（工作日）").fill("8")
    official.get_by_label("申请条件").fill(
        "1. 具有与经营的食品品种、数量相适应的场所；\n2. 有食品安全管理人员和规章制度。"
    )
    official.get_by_role("button", name="保存草稿").click()
    expect(official.get_by_text("草稿已保存")).to_be_visible()
    diff = official.get_by_test_id("diff")
    expect(diff.get_by_role("row", name="承诺时限（工作日）")).to_contain_text("10")
    expect(diff.get_by_role("row", name="承诺时限（工作日）")).to_contain_text("8")
    official.get_by_role("button", name="提交法制审核").click()
    expect(official.get_by_text("已提交法制机构审核")).to_be_visible()
    expect(official.get_by_test_id("version-status")).to_have_text("待法制审核")

    legal = new_page()
    log_in(legal, "yc_fzb_legal")
    legal.goto("/catalog/review/")
    legal.get_by_test_id("review-queue").get_by_role("link", name="食品经营许可证核发").click()
    legal.get_by_label("审核意见").fill("压缩承诺时限，同意发布。")
    legal.get_by_role("button", name="审核通过并发布").click()
    expect(legal.get_by_text("已审核通过并发布")).to_be_visible()

    public = new_page()
    public.goto("/guide/640100-SCJG-001/")
    expect(public.get_by_test_id("promised-days")).to_have_text("8 个工作日")
    expect(public.get_by_test_id("conditions")).to_contain_text("有食品安全管理人员和规章制度")
    public.get_by_role("link", name="第 2 版").click()
    expect(public.get_by_test_id("old-version")).to_be_visible()
    expect(public.get_by_test_id("promised-days")).to_have_text("10 个工作日")


def test_official_publishes_a_notice_after_the_heads_approval(new_page):
    official = new_page()
    log_in(official, "nx_scjg_off1")
    official.goto("/publishing/")
    official.get_by_role("link", name="起草信息").click()
    official.get_by_label("栏目").select_option(label="通知公告")
    official.get_by_label("标题").fill("关于食品生产许可网上办理的通知")
    official.get_by_label("正文").fill("自即日起，食品生产许可可全程网上办理。")
    official.get_by_role("button", name="保存并提交审核").click()
    expect(official.get_by_text("已提交部门负责人审核")).to_be_visible()

    public = new_page()
    public.goto("/policies/")
    expect(public.get_by_text("关于食品生产许可网上办理的通知")).to_have_count(0)

    head = new_page()
    log_in(head, "nx_scjg_head")
    head.goto("/publishing/")
    head.get_by_role("button", name="审核发布").click()
    expect(head.get_by_text("已发布。")).to_be_visible()

    public.reload()
    public.get_by_role("link", name="关于食品生产许可网上办理的通知").click()
    expect(public.get_by_text("宁夏回族自治区市场监督管理厅")).to_be_visible()


def test_on_a_phone_the_guide_shows_results_first_and_materials_as_cards(new_page):
    """Issue 28: the home page's search box; the guide list's results above its folded
    filters; the material table as cards; nothing scrolls sideways; 44 px tap targets."""
    page = new_page(viewport={"width": 390, "height": 844})
    page.goto("/")
    search = page.get_by_test_id("home-search")
    search.get_by_role("searchbox").fill("食品")
    search.get_by_role("button").click()
    page.goto("/guide/?q=食品")
    results = page.get_by_test_id("results")
    filters = page.locator("details.filters-fold")
    expect(filters).not_to_have_attribute("open", "")
    assert results.bounding_box()["y"] < filters.bounding_box()["y"]  # results come first
    filters.locator("summary").click()
    expect(filters.get_by_role("heading", name="按部门")).to_be_visible()
    results.get_by_role("link", name="食品经营许可证核发").click()
    cards = page.get_by_test_id("material-cards")
    expect(cards.locator("li.card").first).to_be_visible()
    expect(cards).to_contain_text("食品经营许可申请书")
    assert page.evaluate("() => document.documentElement.scrollWidth") <= 390
    heights = page.evaluate(
        "() => [...document.querySelectorAll('main .btn')].filter(b => b.offsetParent)"
        ".map(b => b.getBoundingClientRect().height)"
    )
    assert heights and min(heights) >= 44, heights
