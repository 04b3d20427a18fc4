from playwright.sync_api import expect

from shenpi.accounts.models import User


def fill_person(page, id_number):
    page.goto("/")
    page.get_by_role("link", name="注册").click()
    expect(page.get_by_role("heading", name="个人注册")).to_be_visible()
    page.get_by_label("真实姓名").fill("马小花")
    page.get_by_label("身份证号码").fill(id_number)
    page.get_by_label("手机号码").fill("13995001234")
    page.get_by_label("用户名").fill("maxiaohua")
    page.get_by_label("密码", exact=True).fill("Huahua#2026")
    page.get_by_label("确认密码").fill("Huahua#2026")
    page.get_by_role("button", name="注册").click()


def test_citizen_is_refused_with_a_wrong_check_digit_then_registers(page):
    fill_person(page, "110105194912310021")
    expect(page.get_by_text("身份证号码校验位不正确")).to_be_visible()
    assert not User.objects.filter(username="maxiaohua").exists()
    # Correct the last character, as the person would, and submit again.
    page.get_by_label("身份证号码").fill("11010519491231002X")
    page.get_by_label("密码", exact=True).fill("Huahua#2026")
    page.get_by_label("确认密码").fill("Huahua#2026")
    page.get_by_role("button", name="注册").click()
    expect(page.get_by_text("注册成功")).to_be_visible()
    expect(page.get_by_test_id("current-user")).to_contain_text("马小花")
    page.get_by_role("link", name="我的办事").click()
    expect(page.get_by_test_id("role-home")).to_have_text("我的办事")
    assert User.objects.get(username="maxiaohua").id_number == "11010519491231002X"


def test_enterprise_registers_with_its_credit_code(page):
    page.goto("/accounts/register/enterprise/")
    page.get_by_label("企业名称").fill("宁夏贺兰山葡萄酒有限公司")
    page.get_by_label("统一社会信用代码").fill("91110000600037341L")
    page.get_by_label("法定代表人").fill("杨立新")
    page.get_by_label("手机号码").fill("13995004321")
    page.get_by_label("用户名").fill("helanshan")
    page.get_by_label("密码", exact=True).fill("Wine#2026ok")
    page.get_by_label("确认密码").fill("Wine#2026ok")
    page.get_by_role("button", name="注册").click()
    expect(page.get_by_test_id("current-user")).to_contain_text("宁夏贺兰山葡萄酒有限公司")
