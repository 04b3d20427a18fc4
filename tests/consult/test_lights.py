"""Supervision's light on a question (issue 22): the answer's deadline turns yellow and red
through the same deadline scan as cases, by the consultation rule (versioned, apart from the
case rules); the head's look at an answer rated 不满意 is watched the same way; pages show
the light as of today even before the scan has run; the monitor counts and lists them."""

from datetime import date

import pytest
import time_machine

from shenpi.catalog.models import Item
from shenpi.consult import lights, services
from shenpi.consult.models import Question
from shenpi.supervision.models import RuleKind
from shenpi.supervision.scan import active_rules, scan_deadlines
from shenpi.supervision.services import rule_activate
from tests.api.test_api import token_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def food(db):
    return Item.objects.get(code="640100-SCJG-001")


def asked(demo, food, moment):
    with time_machine.travel(moment, tick=False):
        return services.question_ask(
            actor=demo("zhangsan"), title="小吃店要办证吗", body="要办哪些证？", item=food
        )


def scanned(day) -> dict:
    with time_machine.travel(f"{day} 01:00 +0800", tick=False):
        return scan_deadlines()["watched"]["consultation"]


def light(question, day):
    return lights.light_today(Question.objects.get(pk=question.pk), date.fromisoformat(day))


NOTHING = {"red": 0, "yellow": 0, "planned": 0}


def test_the_answer_turns_yellow_then_red_and_the_head_is_told_once(demo, food):
    # Asked Monday 2 March 2026, due Thursday 5 March (3 working days).
    question = asked(demo, food, "2026-03-02 10:00 +0800")
    assert question.due_date == date(2026, 3, 5)
    # Default rule: 1 working day left (Wed 4) or ceil(0.8 × 3) = 3 days used (Thu 5).
    assert question.yellow_on == date(2026, 3, 4) and light(question, "2026-03-03") is None
    assert scanned("2026-03-03") == NOTHING
    assert scanned("2026-03-04")["yellow"] == 1 and light(question, "2026-03-04") == "yellow"
    assert scanned("2026-03-04") == NOTHING  # again the same day: nothing new
    assert scanned("2026-03-05")["yellow"] == 0 and light(question, "2026-03-05") == "yellow"
    head = demo("yc_scjg_head")
    assert not head.messages.filter(title__startswith="咨询答复红牌").exists()
    assert scanned("2026-03-06")["red"] == 1 and light(question, "2026-03-06") == "red"  # TL-06
    assert head.messages.filter(title="咨询答复红牌预警 1 件").count() == 1
    scanned("2026-03-07")
    assert head.messages.filter(title__startswith="咨询答复红牌").count() == 1  # told once
    with time_machine.travel("2026-03-09 10:00 +0800", tick=False):
        services.question_answer(actor=demo("yc_scjg_off1"), question=question, text="要办。")
    assert light(question, "2026-03-09") is None  # answered: no running deadline
    assert scanned("2026-03-09") == NOTHING


def test_days_the_scan_missed_are_told_on_the_next(demo, food):
    question = asked(demo, food, "2026-03-02 10:00 +0800")  # due 5 March
    scanned("2026-03-04")
    # No scan on Friday 6 March; on Monday the head hears of the question red since then.
    assert scanned("2026-03-09")["red"] == 1
    assert demo("yc_scjg_head").messages.filter(title="咨询答复红牌预警 1 件").count() == 1
    assert light(question, "2026-03-09") == "red"


def test_the_page_shows_todays_light_before_the_scan_has_run(client, demo, food):
    question = asked(demo, food, "2026-03-02 10:00 +0800")
    client.force_login(demo("yc_scjg_off1"))
    with time_machine.travel("2026-03-06 09:00 +0800", tick=False):  # no scan since asked
        page = client.get(f"/consult/{question.pk}/").content.decode()
        assert 'data-testid="question-light">已超期' in page
        inbox = client.get("/desk/questions/").content.decode()
        assert "light-red" in inbox


def test_across_the_spring_festival_and_its_make_up_day(demo, food):
    # Asked Friday 13 Feb 2026: 14 Feb (make-up Saturday) 1, holiday to 23 Feb, 24 Feb 2,
    # 25 Feb 3 → due Wednesday 25 Feb; 1 working day left on Tuesday 24 Feb.
    question = asked(demo, food, "2026-02-13 10:00 +0800")
    assert question.due_date == date(2026, 2, 25)
    assert question.yellow_on == date(2026, 2, 24)
    scanned("2026-02-20")
    assert scanned("2026-02-23")["yellow"] == 0  # inside the holiday: 2 working days left
    assert light(question, "2026-02-23") is None
    assert scanned("2026-02-24")["yellow"] == 1
    assert scanned("2026-02-26")["red"] == 1


def test_a_transfer_gives_a_full_new_term_and_a_green_light(demo, food):
    question = asked(demo, food, "2026-03-02 10:00 +0800")
    assert scanned("2026-03-06")["red"] == 1
    target = demo("yc_zrzy_head").department
    with time_machine.travel("2026-03-06 10:00 +0800", tick=False):
        services.question_transfer(
            actor=demo("yc_scjg_off1"), question=question, department=target, reason="归口"
        )
    question.refresh_from_db()
    assert question.due_date == date(2026, 3, 11) and light(question, "2026-03-06") is None
    assert scanned("2026-03-06") == NOTHING
    assert scanned("2026-03-10")["yellow"] == 1


def test_an_answer_rated_unsatisfied_lights_the_heads_review(demo, food):
    question = asked(demo, food, "2026-03-02 10:00 +0800")
    with time_machine.travel("2026-03-03 10:00 +0800", tick=False):
        services.question_answer(actor=demo("yc_scjg_off1"), question=question, text="要办。")
        services.question_rate(actor=demo("zhangsan"), question=question, rating="unsatisfied")
    question.refresh_from_db()
    assert question.head_review_due == date(2026, 3, 10) and question.term_start == date(2026, 3, 3)
    assert scanned("2026-03-11")["red"] == 1
    with time_machine.travel("2026-03-11 10:00 +0800", tick=False):
        services.question_head_review(actor=demo("yc_scjg_head"), question=question, note="已看")
    assert light(question, "2026-03-11") is None


def test_a_consultation_rule_replans_open_questions_and_leaves_cases_alone(demo, food):
    question = asked(demo, food, "2026-03-02 10:00 +0800")
    supervisor = demo("nx_jc_sup")
    cases_before = active_rules()
    with time_machine.travel("2026-03-02 11:00 +0800", tick=False):
        rule = rule_activate(
            actor=supervisor,
            yellow_left=2,
            yellow_ratio=0.9,
            kind=RuleKind.CONSULTATION,
        )
    assert rule.kind == "consultation" and rule.version == 1
    assert active_rules() == cases_before
    assert active_rules(RuleKind.CONSULTATION) == {(None, ""): (2, 0.9)}
    assert scanned("2026-03-03")["planned"] == 1
    assert Question.objects.get(pk=question.pk).yellow_on == date(2026, 3, 3)
    assert light(question, "2026-03-03") == "yellow"  # 2 working days left on Tuesday


def test_the_monitor_counts_and_lists_them_and_a_supervisor_reads_one(client, demo, food):
    question = asked(demo, food, "2026-03-02 10:00 +0800")
    scanned("2026-03-06")
    with time_machine.travel("2026-03-06 10:00 +0800", tick=False):
        client.force_login(demo("nx_jc_sup"))
        page = client.get("/supervision/monitor/").content.decode()
        assert 'data-testid="watched-consultation"' in page and question.number in page
        assert client.get(f"/consult/{question.pk}/").status_code == 200
        client.force_login(demo("yc_scjg_off1"))
        assert client.get("/supervision/monitor/").status_code == 404
        client.force_login(demo("nx_scjg_off1"))  # the region's market regulator: not theirs
        assert client.get(f"/consult/{question.pk}/").status_code == 404
    # The API says what the page says.
    sup = token_for(client, "yc_jc_sup")
    with time_machine.travel("2026-03-06 10:00 +0800", tick=False):
        kinds = client.get("/api/v1/supervision/monitor/", **sup).json()["watched"]
    watched = next(w for w in kinds if w["name"] == "consultation")
    assert watched["totals"]["red"] == 1
    assert [row["number"] for row in watched["lit"]] == [question.number]


def test_the_evaluation_weighs_answers_on_time_and_their_satisfaction(demo, food):
    from shenpi.core.scoring import DEFAULT_WEIGHTS, indicator_score
    from shenpi.supervision.evaluation import raw_indicators

    on_time = asked(demo, food, "2026-03-02 10:00 +0800")  # due 5 March
    late = asked(demo, food, "2026-03-02 11:00 +0800")
    asked(demo, food, "2026-03-02 12:00 +0800")  # never answered: late too
    official, asker = demo("yc_scjg_off1"), demo("zhangsan")
    with time_machine.travel("2026-03-05 16:00 +0800", tick=False):
        services.question_answer(actor=official, question=on_time, text="要办。")
        services.question_rate(actor=asker, question=on_time, rating="satisfied")
    with time_machine.travel("2026-03-06 09:00 +0800", tick=False):
        services.question_answer(actor=official, question=late, text="要办。")
        services.question_rate(actor=asker, question=late, rating="unsatisfied")
    raw = raw_indicators(food.department, date(2026, 3, 1), date(2026, 3, 31))
    assert raw["consultation"] == (33.33, 50.0)
    assert indicator_score("consultation", raw["consultation"], {}) == (33.33 + 50.0) / 2
    assert DEFAULT_WEIGHTS["consultation"] == 5
    nothing = raw_indicators(food.department, date(2026, 4, 1), date(2026, 4, 30))
    assert nothing["consultation"] == (None, None)
    assert indicator_score("consultation", (None, None), {}) is None


def test_the_monitors_sql_reads_the_same_light_as_the_page(demo, food):
    """lights.level (pages, API) and red_on / yellow_on_day (the monitor's counts, in SQL)
    say the same every day of an answer's term and of a head's review."""
    answer = asked(demo, food, "2026-03-02 10:00 +0800")
    review = asked(demo, food, "2026-03-02 11:00 +0800")
    with time_machine.travel("2026-03-03 10:00 +0800", tick=False):
        services.question_answer(actor=demo("yc_scjg_off1"), question=review, text="要办。")
        services.question_rate(actor=demo("zhangsan"), question=review, rating="unsatisfied")
    department = food.department.pk
    for day in range(2, 14):
        moment = f"2026-03-{day:02d} 09:00 +0800"
        with time_machine.travel(moment, tick=False):
            figures = lights.counts(None)
            expected = {"red": 0, "yellow": 0, "green": 0}
            for question in (answer, review):
                expected[light(question, moment[:10]) or "green"] += 1
            assert {k: figures[(department, k)] for k in expected} == expected, moment
