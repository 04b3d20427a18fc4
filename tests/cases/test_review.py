"""Review through the flow (issue 5 groundwork): parallel approval with its join,
verification by two officials, the lead's answer to a disagreement, special
procedures (TL-05), the one extension (TL-01/TL-02), urging."""

from datetime import date

import pytest
import time_machine

from shenpi.cases import services
from shenpi.cases.models import Task
from shenpi.catalog.models import Item
from shenpi.core.errors import Conflict, InvalidInput, NotAllowed, NotFound

from .conftest import FOOD_FORM, complete_draft

pytestmark = pytest.mark.django_db

PROJECT_FORM = {
    "applicant_name": "宁夏塞上新材料有限公司",
    "contact": "马建华",
    "phone": "13895000003",
    "project": "新材料产业园",
    "investment": "126000",
    "location": "银川经济技术开发区",
    "scale": "年产5万吨",
}


def accepted_project(demo):
    item = Item.objects.get(code="640000-FGW-001")
    case = complete_draft(services, demo("saishang"), item)
    case = services.case_submit(
        actor=demo("saishang"), case=case, declaration=True, form_data=PROJECT_FORM
    )
    return services.case_accept(actor=demo("nx_fgw_off1"), case=case)


def task(case, key):
    return Task.objects.get(case=case, step_key=key)


def test_the_investment_project_runs_in_parallel_and_joins(demo):
    case = accepted_project(demo)
    assert case.statutory_due is not None and case.version.handling_mode == "joint"
    opened = services.task_complete(
        actor=demo("nx_fgw_off1"), task=task(case, "intake_review"), opinion="材料齐全"
    )
    assert {t.department.code for t in opened} == {"nx-zrzy", "nx-sthj", "nx-zjt"}
    with pytest.raises(NotFound):  # another department's official cannot reach the step
        services.task_complete(
            actor=demo("nx_zrzy_off1"),
            task=task(case, "environment_opinion"),
            opinion="x",
            verdict="agree",
        )
    with pytest.raises(InvalidInput):  # a co-department must say agree or disagree
        services.task_complete(
            actor=demo("nx_zrzy_off1"), task=task(case, "land_opinion"), opinion="符合规划"
        )
    assert (
        services.task_complete(
            actor=demo("nx_zrzy_off1"),
            task=task(case, "land_opinion"),
            opinion="符合规划",
            verdict="agree",
        )
        == []
    )
    assert (
        services.task_complete(
            actor=demo("nx_sthj_off1"),
            task=task(case, "environment_opinion"),
            opinion="需补充大气影响分析",
            verdict="disagree",
        )
        == []
    )
    opened = services.task_complete(
        actor=demo("nx_zjt_off1"),
        task=task(case, "construction_opinion"),
        opinion="具备建设条件",
        verdict="agree",
    )
    assert [t.step_key for t in opened] == ["overall_review"]  # the join
    with pytest.raises(Conflict):  # done once, never twice
        services.task_complete(
            actor=demo("nx_zjt_off1"),
            task=task(case, "construction_opinion"),
            opinion="again",
            verdict="agree",
        )
    with pytest.raises(Conflict) as exc:  # the decision step is not open yet
        services.case_decide(actor=demo("nx_fgw_head"), case=case, outcome="granted")
    assert exc.value.code == "decision_not_open"
    services.task_complete(
        actor=demo("nx_fgw_off1"), task=task(case, "overall_review"), opinion="同意核准"
    )
    with pytest.raises(Conflict) as exc:  # the environment department's "no" has no answer yet
        services.case_decide(actor=demo("nx_fgw_head"), case=case, outcome="granted")
    assert exc.value.code == "disagreement_unanswered"
    services.task_respond(
        actor=demo("nx_fgw_off1"),
        task=task(case, "environment_opinion"),
        response="企业已补充大气影响分析，经复核满足要求",
    )
    with pytest.raises(NotFound):  # only the lead's head decides
        services.case_decide(actor=demo("nx_sthj_head"), case=case, outcome="granted")
    case = services.case_decide(actor=demo("nx_fgw_head"), case=case, outcome="granted")
    assert case.status == "decided" and case.issued_licence.name == "项目核准文件"
    assert case.licence_due is not None  # TL-04: delivery within 10 working days


def test_rev02_verification_needs_two_different_officials(food, demo):
    case = complete_draft(services, demo("zhangsan"), food)
    case = services.case_submit(
        actor=demo("zhangsan"), case=case, declaration=True, form_data=FOOD_FORM
    )
    case = services.case_accept(actor=demo("yc_scjg_off1"), case=case)
    services.task_complete(
        actor=demo("yc_scjg_off1"), task=task(case, "first_review"), opinion="初审通过"
    )
    step = task(case, "review")  # the food licence's 审核 is a verification step
    services.task_claim(actor=demo("yc_scjg_off1"), task=step)
    with pytest.raises(Conflict) as exc:
        services.task_complete(actor=demo("yc_scjg_off1"), task=step, opinion="现场核查符合")
    assert exc.value.code == "needs_second_official"
    with pytest.raises(NotAllowed):
        services.task_verify(actor=demo("yc_scjg_off1"), task=step)
    with pytest.raises(Conflict):  # claimed by a colleague: not theirs to complete
        services.task_complete(actor=demo("yc_scjg_off2"), task=step, opinion="x")
    services.task_verify(actor=demo("yc_scjg_off2"), task=step)
    opened = services.task_complete(
        actor=demo("yc_scjg_off1"), task=step, opinion="两人现场核查符合"
    )
    assert [t.step_key for t in opened] == ["second_review"]


def test_tl05_suspension_only_for_art_45_and_due_dates_move_by_the_excluded_days(food, demo):
    with time_machine.travel("2026-03-02 10:00 +0800", tick=False):  # Monday
        case = complete_draft(services, demo("zhangsan"), food)
        case = services.case_submit(
            actor=demo("zhangsan"), case=case, declaration=True, form_data=FOOD_FORM
        )
        case = services.case_accept(actor=demo("yc_scjg_off1"), case=case)
        due, step_due = case.statutory_due, task(case, "first_review").due_date
        with pytest.raises(InvalidInput) as exc:
            services.case_suspend(
                actor=demo("yc_scjg_off1"), case=case, reason="staff_shortage", expected_days=3
            )
        assert exc.value.code == "reason_not_in_art_45"
        services.case_suspend(
            actor=demo("yc_scjg_off1"), case=case, reason="testing", expected_days=2
        )
    with pytest.raises(Conflict):
        services.task_complete(
            actor=demo("yc_scjg_off1"), task=task(case, "first_review"), opinion="x"
        )
    with time_machine.travel(
        "2026-03-04 09:00 +0800", tick=False
    ):  # Wednesday: Monday and Tuesday excluded
        case = services.case_resume(actor=demo("yc_scjg_off1"), case=case)
    assert case.suspended_days == 2
    # Accepted Monday 2 March: 20 working days end Monday 30 March; two excluded → Wednesday 1 April.
    assert due == date(2026, 3, 30) and case.statutory_due == date(2026, 4, 1)
    assert task(case, "first_review").due_date == date(2026, 3, 9) and step_due == date(2026, 3, 5)
    assert case.notices.filter(kind="suspension").exists()


def test_a_suspended_cases_steps_pause_out_of_the_inbox_and_come_back_on_resume(food, demo):
    """TL-05 (Art. 45): while the clock stops the step waits; it leaves the department's
    inbox (and its index) and returns, claimed as it was, when the case resumes."""
    from shenpi.cases.selectors import open_steps_page

    official = demo("yc_scjg_off1")
    case = complete_draft(services, demo("zhangsan"), food)
    case = services.case_submit(
        actor=demo("zhangsan"), case=case, declaration=True, form_data=FOOD_FORM
    )
    case = services.case_accept(actor=official, case=case)
    step = task(case, "first_review")
    services.task_claim(actor=official, task=step)

    def inbox_ids():
        rows, _more = open_steps_page(step.department_id, size=500)
        return {row["id"] for row in rows}

    assert step.pk in inbox_ids()
    services.case_suspend(actor=official, case=case, reason="testing", expected_days=2)
    assert task(case, "first_review").paused
    assert step.pk not in inbox_ids()
    services.case_resume(actor=official, case=case)
    resumed = task(case, "first_review")
    assert not resumed.paused and resumed.status == "claimed"
    assert step.pk in inbox_ids()


def test_extension_once_by_the_right_approver(demo, food):
    case = complete_draft(services, demo("zhangsan"), food)
    case = services.case_submit(
        actor=demo("zhangsan"), case=case, declaration=True, form_data=FOOD_FORM
    )
    case = services.case_accept(actor=demo("yc_scjg_off1"), case=case)
    due = case.statutory_due
    with pytest.raises(NotAllowed):  # single handling: the head of the department (Art. 42 ¶1)
        services.case_extend(actor=demo("yc_zfb_leader"), case=case, reasons="需要专家论证")
    with pytest.raises(InvalidInput):
        services.case_extend(actor=demo("yc_scjg_head"), case=case, reasons="")
    services.case_extend(actor=demo("yc_scjg_head"), case=case, reasons="现场核查发现需进一步核实")
    case.refresh_from_db()
    assert case.extension_days == 10 and case.statutory_due > due
    with pytest.raises(Conflict) as exc:
        services.case_extend(actor=demo("yc_scjg_head"), case=case, reasons="again")
    assert exc.value.code == "already_extended"


def test_tl02_joint_handling_is_extended_by_the_division_leader(demo):
    case = accepted_project(demo)
    with pytest.raises(NotAllowed):
        services.case_extend(actor=demo("nx_fgw_head"), case=case, reasons="多部门意见需协调")
    services.case_extend(actor=demo("nx_zfb_leader"), case=case, reasons="多部门意见需协调")
    case.refresh_from_db()
    assert case.extension_days == 15


def test_anyone_who_sees_the_case_can_urge_its_holder(demo, food):
    case = complete_draft(services, demo("zhangsan"), food)
    case = services.case_submit(
        actor=demo("zhangsan"), case=case, declaration=True, form_data=FOOD_FORM
    )
    case = services.case_accept(actor=demo("yc_scjg_off1"), case=case)
    urge = services.case_urge(actor=demo("zhangsan"), case=case, text="请尽快审核")
    assert urge.department.code == "yc-scjg"
    assert demo("yc_scjg_head").messages.filter(title__startswith="催办").exists()


def test_dec04_quota_grants_in_the_order_of_acceptance(demo):
    """Art. 57: a grant only while the year's remaining quota exceeds the earlier-accepted undecided cases."""
    from shenpi.catalog.models import ItemVersion

    item = Item.objects.get(code="640000-JTT-001")
    ItemVersion.objects.filter(pk=item.current_id).update(quota=1)
    form = {
        "applicant_name": "出租车公司",
        "contact": "马",
        "phone": "13895000003",
        "vehicles": "10",
        "area": "银川",
    }

    def accepted():
        case = complete_draft(services, demo("saishang"), item)
        case = services.case_submit(
            actor=demo("saishang"), case=case, declaration=True, form_data=form
        )
        case = services.case_accept(actor=demo("nx_jtt_off1"), case=case)
        for key in ("first_review", "review", "second_review"):
            services.task_complete(actor=demo("nx_jtt_off1"), task=task(case, key), opinion="符合")
        return case

    first, second = accepted(), accepted()
    with pytest.raises(Conflict) as exc:  # 1 left, 1 earlier case undecided: the second must wait
        services.case_decide(actor=demo("nx_jtt_head"), case=second, outcome="granted")
    assert exc.value.code == "quota" and "第五十七条" in exc.value.message
    services.case_decide(actor=demo("nx_jtt_head"), case=first, outcome="granted")
    with pytest.raises(Conflict):  # the year's quota is used up
        services.case_decide(actor=demo("nx_jtt_head"), case=second, outcome="granted")
    services.case_decide(
        actor=demo("nx_jtt_head"), case=second, outcome="refused", reasons="年度运力指标已用完"
    )
