"""全程代理 as its users meet it (issue 24): an investor authorises the centre's agent on a
phone; the agent opens the project from the template, applies for its first two items,
and the one timeline shows the critical path and the completion date to both."""

import re

from playwright.sync_api import expect

from .conftest import log_in
from .test_applying import upload_all

PHONE = {"width": 390, "height": 844}


def fill_form(page):
    """Every field of the item's form, as an agent types them."""
    for field in page.locator("#case-form [name^=field_]").all():
        tag = field.evaluate("e => e.tagName")
        kind = field.get_attribute("type") or ""
        if tag == "SELECT":
            field.select_option(index=1)
        elif kind == "number":
            field.fill("100")
        elif kind == "date":
            field.fill("2027-06-30")
        elif kind != "checkbox":
            field.fill("示例内容")
    page.get_by_role("button", name="保存草稿").click()
    expect(page.get_by_text("草稿已保存")).to_be_visible()


def row(page, item_name):
    """The timeline's row of an item (by its header: other rows name it as a prerequisite)."""
    return page.get_by_test_id("timeline-row").filter(
        has=page.get_by_role("rowheader", name=re.compile(f"^{item_name}"))
    )


def apply_from_timeline(page, item_name, tmp_path):
    page.get_by_role("button", name=re.compile(f"代为申请.*{item_name}")).click()
    expect(page.get_by_text("已为")).to_be_visible()
    fill_form(page)
    upload_all(page, tmp_path)
    page.get_by_label(re.compile("本人承诺")).check()
    page.get_by_role("button", name="提交申请").click()
    expect(page.get_by_test_id("case-status")).to_have_text("已收件，待预审")


def test_an_investor_authorises_the_agent_who_carries_the_project(new_page, tmp_path):
    investor = new_page(PHONE)
    log_in(investor, "saishang")
    investor.goto("/my/authorisations/")
    investor.get_by_label("政务服务中心全程代理员（免费代办）").check()
    investor.get_by_label("整个投资项目").check()
    investor.get_by_label("投资项目名称（委托整个项目时填写）").fill("塞上冷链物流园")
    # Without confirming the text the signature is refused, and nothing typed is lost.
    investor.get_by_role("button", name="签署委托书").click()
    expect(investor.get_by_text("请阅读委托书全文并勾选确认后签署。")).to_be_visible()
    expect(investor.get_by_label("投资项目名称（委托整个项目时填写）")).to_have_value(
        "塞上冷链物流园"
    )
    investor.get_by_label("投资项目名称（委托整个项目时填写）").fill("塞上冷链物流园")
    investor.get_by_label("整个投资项目").check()
    investor.get_by_label("我已阅读委托书全文，同意签署").check()
    investor.get_by_role("button", name="签署委托书").click()
    expect(investor.get_by_text(re.compile("委托书 WT\\d+ 已签署"))).to_be_visible()
    expect(investor.get_by_test_id("authorisations")).to_contain_text("塞上冷链物流园")

    agent = new_page()
    log_in(agent, "agent")
    agent.goto("/workbench/agency/")
    agent.get_by_role("link", name=re.compile("代理项目")).first.click()
    agent.get_by_role("link", name="建立代理项目").last.click()
    expect(agent.get_by_label("项目名称")).to_have_value("塞上冷链物流园")
    agent.get_by_label("项目代码").fill("2026-640100-54")
    agent.get_by_label("建设地点").fill("银川经济技术开发区")
    agent.get_by_label("总投资（万元）").fill("18600")
    agent.get_by_role("button", name="建立项目").click()
    # A malformed code is refused in Chinese; what was typed stays.
    expect(agent.get_by_text(re.compile("项目代码格式为"))).to_be_visible()
    expect(agent.get_by_label("建设地点")).to_have_value("银川经济技术开发区")
    agent.get_by_label("项目代码").fill("2026-640100-54-01-000123")
    agent.get_by_role("button", name="建立项目").click()
    expect(agent.get_by_text("已建立代理项目")).to_be_visible()
    expect(agent.get_by_test_id("critical-path")).to_contain_text(
        "企业投资项目核准 → 建设项目环境影响报告书审批 → 建筑工程施工许可证核发"
    )
    planned = agent.get_by_test_id("completion").inner_text()
    assert re.match(r"\d{4}年\d+月\d+日", planned)
    # An item whose prerequisite is not granted cannot be applied for yet.
    planning = row(agent, "建设工程规划许可证核发")
    expect(planning).to_contain_text("等待前置事项：企业投资项目核准")
    expect(planning.get_by_role("button")).to_have_count(0)
    project_url = agent.url

    apply_from_timeline(agent, "企业投资项目核准", tmp_path)
    expect(agent.locator("main")).to_contain_text("受委托代为申请")
    agent.goto(project_url)
    apply_from_timeline(agent, "取水许可", tmp_path)
    agent.goto(project_url)
    expect(row(agent, "企业投资项目核准")).to_contain_text("部门办理中")
    expect(row(agent, "取水许可")).to_contain_text("已收件，待预审")

    # The investor follows the same timeline on the phone.
    investor.goto("/agency/projects/")
    investor.get_by_role("link", name="塞上冷链物流园").click()
    expect(investor.get_by_test_id("critical-path")).to_be_visible()
    expect(investor.get_by_test_id("completion")).to_have_text(planned)
    water = investor.get_by_test_id("timeline-card").filter(
        has=investor.get_by_role("heading", name="取水许可")
    )
    expect(water).to_contain_text("部门办理中")
    expect(investor.get_by_role("button", name=re.compile("代为申请"))).to_have_count(0)
