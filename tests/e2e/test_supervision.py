import datetime

from playwright.sync_api import expect

from .conftest import log_in


def test_a_supervisor_sees_a_red_case_orders_and_the_department_answers(new_page, demo):
    from shenpi.catalog.models import Item
    from tests.supervision.test_views import overdue_case

    case = overdue_case(demo, Item.objects.get(code="640100-SCJG-001"))
    supervisor = new_page()
    log_in(supervisor, "yc_jc_sup")
    supervisor.get_by_role("link", name="进入工作台").click()
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
    head.get_by_role("link", name="进入工作台").click()
    head.get_by_role("link", name="督办答复").click()
    head.get_by_label("答复").fill("已安排两名工作人员加快审查，本周内办结")
    head.get_by_role("button", name="答复").click()
    expect(head.get_by_text("已答复督办")).to_be_visible()

    supervisor.goto("/supervision/orders/")
    expect(supervisor.get_by_test_id("orders")).to_contain_text("已安排两名工作人员加快审查")
