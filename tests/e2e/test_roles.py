from playwright.sync_api import expect

from . import accessibility
from .conftest import log_in

ROLE_HOMES = [
    ("zhangsan", "applicant", "我的办事"),
    ("clerk_nx_scjg", "clerk", "窗口受理"),
    ("agent", "agent", "全程代理"),
    ("nx_scjg_off1", "official", "部门办件"),
    ("nx_scjg_head", "head", "部门负责人"),
    ("nx_zfb_leader", "leader", "政府负责人"),
    ("nx_fzb_legal", "legal", "法制审核"),
    ("nx_jc_sup", "supervisor", "电子监察"),
    ("observer", "observer", "人大代表/政协委员监督"),
    ("admin", "admin", "系统管理"),
]


def test_each_demo_role_logs_in_and_sees_its_home(new_page):
    for username, role, title in ROLE_HOMES:
        page = new_page()
        log_in(page, username)
        if role == "applicant":  # the public land on the home page, staff on their workbench
            expect(page.get_by_test_id("public-entrances")).to_be_visible()
            page.get_by_role("link", name="进入工作台").click()
        home = page.get_by_test_id("role-home")
        expect(home).to_have_text(title)
        expect(home).to_have_attribute("data-role", role)
        assert not accessibility.audit(page)  # checked here: after logging out it is gone
        page.get_by_role("button", name="退出").click()
        expect(page.get_by_text("您已安全退出")).to_be_visible()
        new_page.close(page)


def test_home_page_shows_the_public_entrances_on_a_phone(new_page):
    page = new_page(viewport={"width": 390, "height": 844})
    page.goto("/")
    expect(page.get_by_role("heading", name="宁夏回族自治区网上审批平台")).to_be_visible()
    for label in ["办事指南", "我要申请", "进度查询", "投诉", "政策法规"]:
        expect(
            page.get_by_test_id("public-entrances").get_by_role("heading", name=label)
        ).to_be_visible()
    expect(page.get_by_text("即将开放")).to_have_count(0)
    # The navigation folds away on a phone and opens with the toggler.
    page.get_by_role("button", name="展开导航").click()
    expect(
        page.get_by_role("navigation", name="主导航").get_by_role("link", name="登录")
    ).to_be_visible()


def test_admin_manages_the_organisation_in_chinese(page):
    log_in(page, "admin")
    page.goto("/admin/")
    expect(page.get_by_role("link", name="部门", exact=True)).to_be_visible()
    page.get_by_role("link", name="部门", exact=True).click()
    expect(page.get_by_role("link", name="银川市兴庆区市场监督管理局")).to_be_visible()


def test_a_system_integrator_reads_the_api_docs_under_the_sites_policy(page):
    """Swagger UI starts from files only (the Content-Security-Policy allows no inline
    script or style; the fixture fails the journey on any violation)."""
    page.goto("/api/v1/docs/")
    expect(page.get_by_text("Shenpi 网上审批平台 API").first).to_be_visible()
    # Swagger UI (5.33) renders a long list of operations as the reader scrolls to them.
    for path in ("/api/v1/cases/submit/", "/api/v1/hall/windows/{id}/call/"):
        operation = page.get_by_text(path, exact=True).first
        for _ in range(80):
            if operation.is_visible():
                break
            page.mouse.wheel(0, 600)
            page.wait_for_timeout(150)
        expect(operation).to_be_visible()
