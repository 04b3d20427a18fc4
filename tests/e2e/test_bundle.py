"""一件事一次办 as the public meets it (issue 24): on a phone, one form, each material once,
one submission; the cases progress side by side as the departments act."""

import re

from playwright.sync_api import expect

from .conftest import log_in
from .test_applying import a_pdf

PHONE = {"width": 390, "height": 844}


def test_a_citizen_applies_for_a_bundle_once_and_follows_it_as_one(new_page, tmp_path):
    citizen = new_page(PHONE)
    log_in(citizen, "zhangsan")
    citizen.goto("/guide/")
    citizen.get_by_test_id("bundle-list").get_by_role("link", name="开办餐馆").click()
    expect(citizen.get_by_test_id("bundle-items")).to_contain_text("个体工商户设立登记")
    form = citizen.get_by_test_id("bundle-form")
    form.get_by_label("经营者姓名").fill("张三")
    form.get_by_label("经营场所", exact=True).fill("银川市兴庆区新华东街10号")
    form.get_by_label("经营范围").fill("热食类食品制售")
    form.get_by_label("申请人名称").fill("张三餐馆")
    form.get_by_label("联系人").fill("张三")
    form.get_by_label("联系电话").fill("13895000001")
    form.get_by_label("主体业态").select_option("餐饮服务经营者")
    form.get_by_label("经营面积（平方米）").fill("60")
    materials = citizen.get_by_test_id("bundle-materials").locator("input[type=file]")
    for n in range(materials.count()):
        materials.nth(n).set_input_files(a_pdf(tmp_path, f"material{n}"))
    # The identity document both items ask for is asked once.
    expect(citizen.get_by_test_id("bundle-materials")).to_contain_text(
        "用于：个体工商户设立登记、食品经营许可证核发"
    )
    # Without the declaration the browser holds the form: nothing typed is lost.
    citizen.get_by_role("button", name="一次提交").click()
    expect(form.get_by_label("经营场所", exact=True)).to_have_value("银川市兴庆区新华东街10号")
    citizen.get_by_label(re.compile("本人承诺")).check()
    citizen.get_by_role("button", name="一次提交").click()
    expect(citizen.get_by_text("2 个事项由各部门同时办理")).to_be_visible()
    cards = citizen.get_by_test_id("bundle-case")
    expect(cards).to_have_count(2)
    expect(cards.first).to_contain_text("已收件，待预审")
    progress = citizen.url

    official = new_page()
    log_in(official, "yc_scjg_off1")
    official.goto("/desk/intake/")
    number = cards.filter(has_text="食品经营许可证核发").locator("p.small").last.inner_text()
    official.get_by_test_id("inbox").get_by_role(
        "link", name=re.search(r"\d{19}", number).group(0)
    ).click()
    official.get_by_test_id("pre-review").get_by_role("button", name="受理", exact=True).click()
    expect(official.get_by_text("已受理，受理通知书已生成")).to_be_visible()

    citizen.goto(progress)
    food = citizen.get_by_test_id("bundle-case").filter(has_text="食品经营许可证核发")
    expect(food).to_contain_text("已受理，办理中")
    expect(
        citizen.get_by_test_id("bundle-case").filter(has_text="个体工商户设立登记")
    ).to_contain_text("已收件，待预审")
    citizen.goto("/my/cases/")
    expect(citizen.get_by_test_id("my-bundles")).to_contain_text("开办餐馆")
