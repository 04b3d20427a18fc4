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
