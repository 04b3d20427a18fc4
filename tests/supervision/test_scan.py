"""The deadline scan (CONTRACTS.md "Lights") and supervision orders."""

from datetime import date, timedelta

import pytest
import time_machine

from shenpi.cases import services
from shenpi.cases.models import Task
from shenpi.core.errors import Conflict, NotFound
from shenpi.supervision.models import CaseLight, Warning, WarningRule
from shenpi.supervision.scan import scan_deadlines
from shenpi.supervision.services import order_answer, order_issue
from tests.cases.conftest import FOOD_FORM, complete_draft

pytestmark = pytest.mark.django_db


def scan():
    """The scan's report without the monitoring counts and the other deadlines' lights
    (tested on their own: tests/consult/test_lights.py)."""
    report = scan_deadlines()
    report.pop("counts")
    report.pop("watched")
    return report


def submitted_on(demo, food, moment):
    """A food licence application submitted by its applicant at `moment` (received: RCV-04's
    correction light runs until it is accepted)."""
    with time_machine.travel(moment, tick=False):
        case = complete_draft(services, demo("zhangsan"), food)
        return services.case_submit(
            actor=demo("zhangsan"), case=case, declaration=True, form_data=FOOD_FORM
        )


def accepted_on(demo, food, moment):
    case = submitted_on(demo, food, moment)
    with time_machine.travel(moment, tick=False):
        return services.case_accept(actor=demo("yc_scjg_off1"), case=case)


def open_levels(case):
    return {
        (w.kind, w.task.step_key if w.task else ""): w.level
        for w in Warning.objects.filter(case=case, cleared_at__isnull=True).select_related("task")
    }


def test_lights_across_the_spring_festival_and_a_second_scan_writes_nothing(demo, food):
    # Accepted Friday 13 Feb 2026: promised 10 working days → 14 (make-up Sat), 24-27 Feb, 28 (make-up Sat),
    # 2-5 Mar: due Thursday 5 March. First step 3 days → 14, 24, 25 Feb.
    case = accepted_on(demo, food, "2026-02-13 10:00 +0800")
    assert case.promised_due == date(2026, 3, 5)
    with time_machine.travel(
        "2026-02-23 10:00 +0800", tick=False
    ):  # inside the holiday: 2 left of the step
        assert scan()["raised"] == 0
    with time_machine.travel(
        "2026-02-24 10:00 +0800", tick=False
    ):  # the step has 1 working day left
        # The card and the case's light (monitoring reads it) in the same scan.
        assert scan() == {"raised": 1, "escalated": 0, "cleared": 0, "lights": 1}
        assert open_levels(case) == {("step", "first_review"): "yellow"}
        assert CaseLight.objects.get(case=case).light == "yellow"
        nothing = {"raised": 0, "escalated": 0, "cleared": 0, "lights": 0}
        assert scan() == nothing  # idempotent
    with time_machine.travel("2026-02-26 10:00 +0800", tick=False):  # the step is overdue
        assert scan() == {"raised": 0, "escalated": 1, "cleared": 0, "lights": 1}
        assert open_levels(case) == {("step", "first_review"): "red"}
        assert CaseLight.objects.get(case=case).light == "red"
        assert scan() == nothing
        services.task_complete(
            actor=demo("yc_scjg_off1"),
            task=Task.objects.get(case=case, step_key="first_review"),
            opinion="初审通过",
        )
        assert scan()["cleared"] == 1  # the finished step's card is cleared
    with time_machine.travel("2026-03-03 10:00 +0800", tick=False):
        # Promised: 8 of 10 working days used (14, 24-28 Feb, 2-3 Mar): ceil(0.8 × 10) = 8 → yellow.
        # The next step (3 days from 26 Feb: 27, 28 Feb, 2 Mar) is overdue → red.
        scan()
        assert open_levels(case) == {("promised", ""): "yellow", ("step", "review"): "red"}
    assert demo("yc_scjg_head").messages.filter(title__startswith="红牌预警").exists()


def test_a_new_card_tells_the_steps_holder_and_the_head_and_no_other_official(demo, food):
    case = accepted_on(demo, food, "2026-02-13 10:00 +0800")
    with time_machine.travel("2026-02-13 11:00 +0800", tick=False):
        services.task_claim(
            actor=demo("yc_scjg_off2"), task=Task.objects.get(case=case, step_key="first_review")
        )
    with time_machine.travel("2026-02-24 10:00 +0800", tick=False):  # 1 working day left
        assert scan()["raised"] == 1
    for username, told in (("yc_scjg_off2", True), ("yc_scjg_head", True), ("yc_scjg_off1", False)):
        assert demo(username).messages.filter(title__startswith="黄牌预警").exists() is told


def test_a_scan_tells_each_person_once_with_their_numbers(demo, food):
    """A day's change raises many cards at once: each person concerned gets one message (and
    one text message) with their numbers, not one per card."""
    from shenpi.notify.models import Outbox

    holder, head = demo("yc_scjg_off2"), demo("yc_scjg_head")
    cases = [accepted_on(demo, food, "2026-02-13 10:00 +0800") for _ in range(3)]
    with time_machine.travel("2026-02-13 11:00 +0800", tick=False):
        for case in cases[:2]:  # two of the three first steps held by off2
            services.task_claim(
                actor=holder, task=Task.objects.get(case=case, step_key="first_review")
            )
    before = {user.pk: user.messages.count() for user in (holder, head)}
    texts = sum(o.to == head.mobile for o in Outbox.objects.all())
    with time_machine.travel("2026-02-24 10:00 +0800", tick=False):  # 1 working day left
        assert scan()["raised"] == 3
    told = holder.messages.order_by("-pk")[0]
    assert holder.messages.count() == before[holder.pk] + 1
    assert told.title == "黄牌预警 2 件"
    assert told.body.count("环节期限，期限 2026-02-25") == 2
    assert head.messages.count() == before[head.pk] + 1
    assert head.messages.order_by("-pk")[0].title == "黄牌预警 3 件"
    assert sum(o.to == head.mobile for o in Outbox.objects.all()) == texts + 1
    with time_machine.travel("2026-02-26 10:00 +0800", tick=False):  # the steps are overdue
        assert scan()["escalated"] == 3
    assert head.messages.order_by("-pk")[0].title == "红牌预警 3 件"
    assert holder.messages.order_by("-pk")[0].title == "红牌预警 2 件"


def test_a_pause_moves_the_light(demo, food):
    case = accepted_on(demo, food, "2026-03-02 09:00 +0800")  # promised due Monday 16 March
    assert case.promised_due == date(2026, 3, 16)
    with time_machine.travel("2026-03-09 09:00 +0800", tick=False):
        services.case_suspend(
            actor=demo("yc_scjg_off1"), case=case, reason="testing", expected_days=5
        )
    with time_machine.travel("2026-03-16 09:00 +0800", tick=False):
        services.case_resume(
            actor=demo("yc_scjg_off1"), case=case
        )  # 9-13 March excluded: due Monday 23 March
        case.refresh_from_db()
        assert case.promised_due == date(2026, 3, 23)
        scan()
        # 5 of the now 15 working days used: green.
        assert ("promised", "") not in open_levels(case)
    with time_machine.travel("2026-03-24 09:00 +0800", tick=False):
        scan()
        assert open_levels(case)[("promised", "")] == "red"


def test_rules_per_item_change_the_thresholds(demo, food):
    case = accepted_on(demo, food, "2026-03-02 09:00 +0800")
    with time_machine.travel("2026-03-06 09:00 +0800", tick=False):  # 4 of 10 promised days used
        scan()
        assert ("promised", "") not in open_levels(case)
        WarningRule.objects.create(item=food, yellow_left=1, yellow_ratio=0.3)
        scan()
        assert open_levels(case)[("promised", "")] == "yellow"


def test_an_order_is_answered_by_the_department_head_and_reddens_when_late(demo, food):
    case = accepted_on(demo, food, "2026-03-02 09:00 +0800")
    with pytest.raises(NotFound):  # another city's supervisor cannot see the case
        order_issue(
            actor=demo("nx_scjg_off1"), case=case, text="请说明", answer_due=date(2030, 1, 1)
        )
    with time_machine.travel("2026-03-03 09:00 +0800", tick=False):
        order = order_issue(
            actor=demo("yc_jc_sup"), case=case, text="请说明延误原因", answer_due=date(2026, 3, 5)
        )
        scan()
        assert open_levels(case)[("order", "")] == "yellow"
    with time_machine.travel("2026-03-06 09:00 +0800", tick=False):
        scan()
        assert open_levels(case)[("order", "")] == "red"
        with pytest.raises(NotFound):  # the wrong department
            order_answer(actor=demo("nx_scjg_head"), order=order, answer="x")
        order_answer(actor=demo("yc_scjg_head"), order=order, answer="已安排两人加快审查")
        with pytest.raises(Conflict):
            order_answer(actor=demo("yc_scjg_head"), order=order, answer="again")
        scan()
    assert ("order", "") not in open_levels(case)


def test_a_deemed_acceptance_is_a_red_card_that_stays(demo, food):
    with time_machine.travel("2026-02-13 16:30 +0800", tick=False):
        case = complete_draft(services, demo("zhangsan"), food)
        case = services.case_submit(
            actor=demo("zhangsan"), case=case, declaration=True, form_data=FOOD_FORM
        )
    with time_machine.travel("2026-02-24 10:00 +0800", tick=False):
        scan()  # 2 of the 5 working days used (14, 24 Feb): green
        assert open_levels(case) == {}
    with time_machine.travel("2026-02-26 10:00 +0800", tick=False):
        scan()  # 4 used, 1 left: yellow
        assert open_levels(case) == {("correction", ""): "yellow"}
    with time_machine.travel("2026-02-28 08:00 +0800", tick=False):
        services.cases_deadlines()
        scan()
        levels = open_levels(case)
        assert levels[("deemed_acceptance", "")] == "red"
        assert ("correction", "") not in levels
        assert scan() == {"raised": 0, "escalated": 0, "cleared": 0, "lights": 0}


def test_tl04_the_licence_must_be_delivered_within_10_working_days(demo, food):
    from shenpi.cases.models import Case

    case = accepted_on(demo, food, "2026-03-02 09:00 +0800")
    with time_machine.travel("2026-03-10 09:00 +0800", tick=False):
        for key in ("first_review", "review", "second_review"):
            step = Task.objects.get(case=case, step_key=key)
            if key == "review":
                services.task_claim(actor=demo("yc_scjg_off1"), task=step)
                services.task_verify(actor=demo("yc_scjg_off2"), task=step)
            services.task_complete(actor=demo("yc_scjg_off1"), task=step, opinion="符合")
        case = services.case_decide(
            actor=demo("yc_scjg_head"), case=Case.objects.get(pk=case.pk), outcome="granted"
        )
    assert case.licence_due == date(2026, 3, 24)  # 10 working days after Tuesday 10 March
    with time_machine.travel("2026-03-24 09:00 +0800", tick=False):
        scan()
        assert open_levels(case)[("licence", "")] == "yellow"
    with time_machine.travel("2026-03-25 09:00 +0800", tick=False):
        scan()
        assert open_levels(case)[("licence", "")] == "red"
        services.case_deliver(actor=demo("yc_scjg_off1"), case=case, method="online")
        scan()
    assert ("licence", "") not in open_levels(case)


def test_a_rules_trial_matches_case_by_case_a_replay_of_the_scan_over_the_same_days(demo, food):
    """Try a stricter rule over past days, then replay the real scan day by day with it
    switched on: the same cases, with the same yellow and red days."""
    from shenpi.supervision.models import WarningRule
    from shenpi.supervision.services import rule_activate, rule_trial

    first = accepted_on(demo, food, "2026-03-02 09:00 +0800")
    second = accepted_on(demo, food, "2026-03-09 09:00 +0800")
    start, end = date(2026, 3, 2), date(2026, 3, 31)
    with time_machine.travel("2026-04-01 09:00 +0800", tick=False):
        trial = rule_trial(item_id=food.pk, yellow_left=2, yellow_ratio=0.5, start=start, end=end)
        rule_activate(actor=demo("yc_jc_sup"), item=food, yellow_left=2, yellow_ratio=0.5)
    assert WarningRule.objects.get(active=True).version == 1
    replay: dict = {}
    day = start
    while day <= end:
        with time_machine.travel(f"{day.isoformat()} 12:00 +0800", tick=False):
            scan()
            for w in Warning.objects.filter(cleared_at__isnull=True, case__in=[first, second]):
                replay.setdefault(w.case_id, {"yellow": set(), "red": set()})[w.level].add(day)
        day += timedelta(days=1)
    assert set(trial) == set(replay) == {first.pk, second.pk}
    for case_id in trial:
        assert trial[case_id] == replay[case_id], case_id


def test_the_scan_keeps_the_monitoring_counts_and_writes_them_only_when_they_change(demo, food):
    from shenpi.supervision.models import LightCount

    case = accepted_on(demo, food, "2026-02-13 10:00 +0800")
    with time_machine.travel("2026-02-24 10:00 +0800", tick=False):
        assert scan_deadlines()["counts"] >= 1
        assert LightCount.objects.get(department=case.department, light="yellow").n == 1
        assert scan_deadlines()["counts"] == 0  # nothing changed: nothing written
    with time_machine.travel("2026-02-26 10:00 +0800", tick=False):
        scan_deadlines()  # overdue: the case moves from the yellow count to the red one
        assert LightCount.objects.get(department=case.department, light="red").n == 1
        assert not LightCount.objects.filter(department=case.department, light="yellow").exists()


def test_a_breach_raised_in_the_scan_makes_its_case_red_at_once(demo, food):
    """A case whose only open card is a breach (here RCV-04's deemed acceptance, recorded
    on a case whose other lights are green) is red on the monitor after the very scan that
    raises the card: the PostgreSQL scan counts the breaches it has just raised into the
    case's light, not only the cards it judged."""
    from django.utils import timezone

    from shenpi.cases.models import CaseEvent

    case = accepted_on(demo, food, "2026-03-02 09:00 +0800")
    with time_machine.travel("2026-03-03 10:00 +0800", tick=False):
        scan()
        assert open_levels(case) == {}
        assert not CaseLight.objects.filter(case=case, light__isnull=False).exists()
        CaseEvent.objects.create(
            case=case,
            at=timezone.now(),
            kind="deemed_accepted",
            text="逾期视为受理",
            breach="RCV-04",
        )
        scan()
        assert open_levels(case) == {("deemed_acceptance", ""): "red"}
        assert CaseLight.objects.get(case=case).light == "red"


def test_one_open_card_per_light_and_a_cases_cards_found_by_its_index(demo, food):
    """one_card: a case light or a step light has at most one open card; once it is
    cleared, the light may be raised again (cleared cards differ in when)."""
    from django.db import IntegrityError, transaction
    from django.utils import timezone

    case = accepted_on(demo, food, "2026-02-13 10:00 +0800")
    step = Task.objects.filter(case=case)[0]
    card = {"case": case, "level": "yellow", "department": case.department}
    first = Warning.objects.create(kind="promised", **card)
    Warning.objects.create(kind="step", task=step, **card)
    Warning.objects.create(kind="statutory", **card)  # another light of the same case
    for kind, task in (("promised", None), ("step", step)):
        with pytest.raises(IntegrityError), transaction.atomic():
            Warning.objects.create(kind=kind, task=task, **card)
    Warning.objects.filter(pk=first.pk).update(cleared_at=timezone.now())
    again = Warning.objects.create(kind="promised", **card)
    Warning.objects.filter(pk=again.pk).update(cleared_at=timezone.now())
    Warning.objects.create(kind="promised", **card)
    assert case.warnings.filter(kind="promised").count() == 3
    assert case.warnings.filter(cleared_at__isnull=True).count() == 3
