"""Consultation (issue 22): asking, routing, the answer's due date in working days, claim,
answer, details, one transfer with its own term, one follow-up, rating, the head's review."""

from datetime import date

import pytest
import time_machine

from shenpi.accounts.models import Department
from shenpi.audit.models import AuditRecord
from shenpi.catalog.models import Item
from shenpi.consult import selectors, services
from shenpi.consult.models import AnswerTerm, Question
from shenpi.core.errors import Conflict, InvalidInput, NotAllowed, NotFound, TooMany
from shenpi.notify.models import Message, Outbox

pytestmark = pytest.mark.django_db


@pytest.fixture
def food(db):
    return Item.objects.get(code="640100-SCJG-001")


def ask(demo, food, **kwargs):
    values = {
        "actor": demo("zhangsan"),
        "title": "食品经营许可需要什么材料",
        "body": "个体工商户开小吃店，需要准备哪些材料？",
        "item": food,
    }
    values.update(kwargs)
    return services.question_ask(**values)


def test_a_question_on_an_item_goes_to_its_department_due_in_3_working_days(demo, food):
    with time_machine.travel("2026-03-02 10:00 +0800", tick=False):  # Monday
        question = ask(demo, food)
    assert question.department == food.department and question.version == food.current
    assert question.due_date == date(2026, 3, 5)  # counted from the next working day
    assert question.status == "open" and question.number.startswith("ZX20260302")
    assert [e.kind for e in selectors.thread(question)] == ["question"]
    assert AuditRecord.objects.filter(stream=f"question:{question.pk}", action="question.ask")


def test_the_due_date_skips_the_spring_festival_and_counts_its_make_up_day(demo, food):
    """2026: 02-14 (Saturday) is a working day, 02-16 to 02-20 and 02-23 are not."""
    with time_machine.travel("2026-02-13 16:00 +0800", tick=False):  # Friday
        question = ask(demo, food)
    assert question.due_date == date(2026, 2, 25)  # 02-14, 02-24, 02-25


def test_a_department_sets_its_own_term(demo, food):
    AnswerTerm.objects.create(department=food.department, working_days=5)
    with time_machine.travel("2026-03-02 10:00 +0800", tick=False):
        question = ask(demo, food)
    assert question.due_date == date(2026, 3, 9)


def test_bad_questions_are_refused_in_chinese_and_nothing_is_written(demo, food):
    with pytest.raises(InvalidInput) as exc:
        ask(demo, food, title=" ", body="")
    assert set(exc.value.errors) == {"title", "body"}
    with pytest.raises(InvalidInput) as exc:
        ask(demo, food, body="问" * 2001)
    assert "2000" in exc.value.message
    with pytest.raises(InvalidInput) as exc:  # anonymous: a mobile for the answer
        ask(demo, food, actor=None, mobile="12345")
    assert "mobile" in exc.value.errors
    with pytest.raises(InvalidInput):
        ask(demo, food, item=None)  # neither item, policy nor department
    assert not Question.objects.exists()


def test_an_anonymous_question_is_read_back_with_its_number_and_password(demo, food, rf):
    request = rf.post("/", REMOTE_ADDR="10.1.2.3")
    question = ask(demo, food, actor=None, mobile="13895001234", request=request)
    assert question.asker is None and question.mobile == "13895001234"
    found = selectors.question_looked_up("10.1.2.3", question.number, question.query_password)
    assert found == question
    with pytest.raises(NotFound):
        selectors.question_looked_up("10.1.2.3", question.number, "WRONGPWD")


def test_anonymous_asking_is_rate_limited_per_address(demo, food, rf):
    request = rf.post("/", REMOTE_ADDR="10.9.9.9")
    for _ in range(services.ANONYMOUS_PER_HOUR):
        ask(demo, food, actor=None, mobile="13895001234", request=request)
    with pytest.raises(TooMany) as exc:
        ask(demo, food, actor=None, mobile="13895001234", request=request)
    assert "频繁" in exc.value.message
    other = rf.post("/", REMOTE_ADDR="10.9.9.10")
    ask(demo, food, actor=None, mobile="13895001234", request=other)


def test_claim_answer_and_the_asker_is_told(demo, food):
    question = ask(demo, food)
    official, other = demo("yc_scjg_off1"), demo("yc_scjg_off2")
    services.question_claim(actor=official, question=question)
    with pytest.raises(Conflict) as exc:
        services.question_answer(actor=other, question=question, text="答复")
    assert exc.value.code == "claimed_by_another"
    services.question_answer(actor=official, question=question, text="请准备营业执照等材料。")
    question.refresh_from_db()
    assert question.status == "answered" and question.answered_at
    assert Message.objects.filter(user=demo("zhangsan"), title="您的咨询已答复").exists()
    with pytest.raises(Conflict) as exc:  # answered already
        services.question_answer(actor=official, question=question, text="再答一次")
    assert exc.value.code == "not_open"


def test_another_departments_official_cannot_see_it(demo, food):
    question = ask(demo, food)
    with pytest.raises(NotFound):
        services.question_claim(actor=demo("yc_zrzy_off1"), question=question)
    with pytest.raises(NotFound):
        services.question_answer(actor=demo("zhangsan"), question=question, text="x")


def test_asking_for_details_leaves_the_due_date_standing(demo, food):
    question = ask(demo, food)
    due = question.due_date
    services.question_request_details(
        actor=demo("yc_scjg_off1"), question=question, text="请说明经营场所所在区县。"
    )
    question.refresh_from_db()
    assert question.due_date == due and question.status == "open"
    assert [e.kind for e in selectors.thread(question)] == ["question", "details"]


def test_one_transfer_with_a_reason_and_the_new_departments_full_term(demo, food):
    with time_machine.travel("2026-02-13 16:00 +0800", tick=False):
        question = ask(demo, food)
    target = Department.objects.get(code="yc-zrzy")
    AnswerTerm.objects.create(department=target, working_days=5)
    with pytest.raises(InvalidInput):
        services.question_transfer(
            actor=demo("yc_scjg_off1"), question=question, department=target, reason=" "
        )
    with time_machine.travel("2026-02-24 09:00 +0800", tick=False):  # Tuesday after the holiday
        services.question_transfer(
            actor=demo("yc_scjg_off1"), question=question, department=target, reason="涉及用地"
        )
    question.refresh_from_db()
    assert question.department == target and question.transferred_from == food.department
    assert question.due_date == date(2026, 3, 2)  # 02-25, 26, 27, 28 (make-up), 03-02
    assert "涉及用地" in selectors.thread(question)[-1].text
    with pytest.raises(Conflict) as exc:
        services.question_transfer(
            actor=demo("yc_zrzy_off1"),
            question=question,
            department=food.department,
            reason="退回",
        )
    assert exc.value.code == "already_transferred"
    assert question in selectors.inbox(target) and question not in selectors.inbox(food.department)


def test_one_follow_up_then_rating_once_and_not_before_the_answer(demo, food):
    question = ask(demo, food)
    asker, official = demo("zhangsan"), demo("yc_scjg_off1")
    with pytest.raises(Conflict):
        services.question_rate(actor=asker, question=question, rating="satisfied")
    services.question_answer(actor=official, question=question, text="第一次答复")
    services.question_follow_up(actor=asker, question=question, text="小吃店也要吗？")
    question.refresh_from_db()
    assert question.status == "claimed" and question.followed_up
    services.question_answer(actor=official, question=question, text="也需要。")
    with pytest.raises(Conflict) as exc:
        services.question_follow_up(actor=asker, question=question, text="再问")
    assert exc.value.code == "already_followed_up"
    with pytest.raises(NotFound):  # only the asker rates
        services.question_rate(actor=demo("lisi"), question=question, rating="satisfied")
    services.question_rate(actor=asker, question=question, rating="satisfied")
    with pytest.raises(Conflict):
        services.question_rate(actor=asker, question=question, rating="unsatisfied")


def test_unsatisfied_goes_to_the_head_who_reviews_within_5_working_days(demo, food):
    with time_machine.travel("2026-03-02 10:00 +0800", tick=False):
        question = ask(demo, food)
        services.question_answer(actor=demo("yc_scjg_off1"), question=question, text="答复")
        services.question_rate(actor=demo("zhangsan"), question=question, rating="unsatisfied")
    question.refresh_from_db()
    assert question.head_review_due == date(2026, 3, 9)
    head = demo("yc_scjg_head")
    assert Message.objects.filter(user=head, title__startswith="咨询答复不满意").exists()
    with pytest.raises(NotAllowed):
        services.question_head_review(actor=demo("yc_scjg_off1"), question=question, note="看过")
    services.question_head_review(actor=head, question=question, note="已约谈经办人")
    with pytest.raises(Conflict):
        services.question_head_review(actor=head, question=question, note="again")


def test_an_anonymous_asker_rates_with_the_password_and_gets_an_sms(demo, food):
    question = ask(demo, food, actor=None, mobile="13895001234")
    services.question_answer(actor=demo("yc_scjg_off1"), question=question, text="答复")
    assert Outbox.objects.filter(channel="sms", body__contains=question.number).exists()
    with pytest.raises(NotFound):
        services.question_rate(actor=None, question=question, rating="fair", password="NOPE")
    services.question_rate(
        actor=None, question=question, rating="fair", password=question.query_password
    )
    question.refresh_from_db()
    assert question.rating == "fair" and question.status == "closed"


def test_a_head_assigns_within_the_department_only(demo, food):
    question = ask(demo, food)
    head = demo("yc_scjg_head")
    with pytest.raises(NotAllowed):
        services.question_assign(
            actor=demo("yc_scjg_off1"), question=question, official=demo("yc_scjg_off2")
        )
    with pytest.raises(InvalidInput):
        services.question_assign(actor=head, question=question, official=demo("yc_zrzy_off1"))
    services.question_assign(actor=head, question=question, official=demo("yc_scjg_off2"))
    question.refresh_from_db()
    assert question.claimed_by == demo("yc_scjg_off2")


def test_an_answer_is_kept_as_safe_html_and_shown_as_such(client, demo, food):
    question = ask(demo, food)
    services.question_answer(
        actor=demo("yc_scjg_off1"),
        question=question,
        text='见<a href="/guide/640100-SCJG-001/">办事指南</a><script>alert(1)</script>',
    )
    answer = selectors.thread(question)[-1]
    assert "<script" not in answer.text and 'href="/guide/640100-SCJG-001/"' in answer.text
    client.force_login(demo("zhangsan"))
    page = client.get(f"/consult/{question.pk}/").content.decode()
    assert '<a href="/guide/640100-SCJG-001/" rel="noopener noreferrer">办事指南</a>' in page
    assert "alert(1)" not in page


def test_a_general_question_goes_to_the_centre_whose_clerk_routes_it_once(client, demo):
    """Not a transfer: the department it is routed to may still transfer it once, and it
    has a full term from the day it was routed."""
    with time_machine.travel("2026-03-02 10:00 +0800", tick=False):  # Monday
        question = services.question_ask(
            actor=demo("zhangsan"), title="开公司去哪里问", body="不知道找哪个部门。", general=True
        )
    assert question.department.code == "nx-zwfw"
    clerk, market = demo("clerk_nx_scjg"), Department.objects.get(code="nx-scjg")
    with pytest.raises(NotFound):  # a clerk is staff of the centre's general questions only
        services.question_claim(
            actor=demo("clerk_nx_scjg"),
            question=ask(demo, Item.objects.get(code="640100-SCJG-001")),
        )
    with time_machine.travel("2026-03-04 10:00 +0800", tick=False):
        services.question_route(actor=clerk, question=question, department=market)
    question.refresh_from_db()
    assert question.department == market and question.routed and not question.transferred_from
    assert question.due_date == date(2026, 3, 9) and question.term_start == date(2026, 3, 4)
    assert [e.kind for e in selectors.thread(question)] == ["question", "route"]
    with pytest.raises(NotFound):  # now the department's, not the centre's
        services.question_route(actor=clerk, question=question, department=market)
    with time_machine.travel("2026-03-04 11:00 +0800", tick=False):
        services.question_transfer(
            actor=demo("nx_scjg_off1"),
            question=question,
            department=Department.objects.get(code="yc-scjg"),
            reason="属地管理",
        )
    assert AuditRecord.objects.filter(stream=f"question:{question.pk}", action="question.route")


def test_the_ask_page_offers_the_centre_when_unsure(client, demo):
    client.force_login(demo("zhangsan"))
    response = client.post(
        "/consult/ask/",
        {"title": "开公司去哪里问", "body": "不知道找哪个部门。", "department": "general"},
    )
    question = Question.objects.get(title="开公司去哪里问")
    assert response.status_code == 302 and question.department.code == "nx-zwfw"
