"""Consultation pages (issue 22): 我要问 from a guide, keeping what was typed; the
official's 在线答疑; the asker's page; the anonymous look-up. The same services as the API."""

import pytest
from django.urls import reverse

from shenpi.consult.models import Question

pytestmark = pytest.mark.django_db

ITEM = "640100-SCJG-001"


def test_the_guide_offers_ask_and_a_refusal_keeps_what_was_typed(client):
    guide = client.get(reverse("catalog:guide_detail", args=[ITEM]))
    assert f"/consult/ask/?item={ITEM}" in guide.content.decode()
    page = client.get(f"/consult/ask/?item={ITEM}")
    assert page.status_code == 200 and "银川市市场监督管理局" in page.content.decode()
    refused = client.post(
        "/consult/ask/",
        {"item": ITEM, "title": "小吃店要办什么证", "body": "我想开一家小吃店。", "mobile": "138"},
    )
    text = refused.content.decode()
    assert refused.status_code == 200 and "手机号码" in text
    assert "小吃店要办什么证" in text and "我想开一家小吃店。" in text
    assert not Question.objects.exists()


def test_anonymous_ask_then_read_and_rate_with_number_and_password(client, demo):
    asked = client.post(
        "/consult/ask/",
        {
            "item": ITEM,
            "title": "小吃店要办什么证",
            "body": "我想开一家小吃店。",
            "mobile": "13895001234",
        },
    )
    assert asked.status_code == 200
    question = Question.objects.get()
    assert question.number in asked.content.decode()
    client.force_login(demo("yc_scjg_off1"))
    inbox = client.get("/desk/questions/").content.decode()
    assert question.title in inbox
    page = reverse("consult:question", args=[question.pk])
    client.post(page, {"action": "answer", "text": "需要办理食品经营许可证。"})
    client.logout()
    read = client.post(
        "/consult/lookup/", {"number": question.number, "password": question.query_password}
    )
    assert "需要办理食品经营许可证。" in read.content.decode()
    client.post(
        "/consult/lookup/",
        {
            "number": question.number,
            "password": question.query_password,
            "action": "rate",
            "rating": "satisfied",
        },
    )
    question.refresh_from_db()
    assert question.rating == "satisfied"


def test_a_named_asker_follows_up_and_strangers_get_404(client, demo):
    client.force_login(demo("zhangsan"))
    done = client.post(
        "/consult/ask/", {"item": ITEM, "title": "需要几份材料", "body": "复印件要几份？"}
    )
    question = Question.objects.get()
    page = reverse("consult:question", args=[question.pk])
    assert done.status_code == 302 and done["Location"] == page
    assert "需要几份材料" in client.get("/my/questions/").content.decode()
    client.force_login(demo("yc_zrzy_off1"))
    assert client.get(page).status_code == 404
    assert client.get("/consult/not-a-uuid/").status_code == 404
    client.force_login(demo("lisi"))
    assert client.get(page).status_code == 404


def test_an_official_refused_keeps_the_answer_typed(client, demo):
    client.force_login(demo("zhangsan"))
    client.post("/consult/ask/", {"item": ITEM, "title": "问题", "body": "内容"})
    question = Question.objects.get()
    page = reverse("consult:question", args=[question.pk])
    client.force_login(demo("yc_scjg_off2"))
    client.post(page, {"action": "claim"})
    client.force_login(demo("yc_scjg_off1"))
    refused = client.post(page, {"action": "answer", "text": "我写好的答复"})
    text = refused.content.decode()
    assert "已由其他工作人员认领" in text and "我写好的答复" in text


def test_the_tiles_lead_to_working_pages(client, demo):
    home = client.get("/").content.decode()
    assert "/consult/ask/" in home
    client.force_login(demo("yc_scjg_off1"))
    desk = client.get(reverse("portal:role_home", args=["desk"])).content.decode()
    assert "/desk/questions/" in desk
    assert client.get("/desk/questions/").status_code == 200
    client.force_login(demo("zhangsan"))
    assert client.get("/desk/questions/").status_code == 404


def test_a_policy_page_offers_ask_and_the_question_goes_to_its_department(client, demo):
    from shenpi.publishing.models import Publication

    policy = Publication.objects.filter(status="published").select_related("department").first()
    page = client.get(reverse("publishing:detail", args=[policy.pk])).content.decode()
    assert f"/consult/ask/?policy={policy.pk}" in page
    client.force_login(demo("zhangsan"))
    client.post(
        "/consult/ask/", {"policy": str(policy.pk), "title": "适用范围", "body": "个体户适用吗？"}
    )
    assert Question.objects.get().department == policy.department
    assert client.get("/consult/ask/?policy=not-a-uuid").status_code == 200


def test_who_transfers_a_question_away_lands_on_their_inbox_not_a_404(client, demo):
    client.force_login(demo("zhangsan"))
    client.post("/consult/ask/", {"item": ITEM, "title": "问题", "body": "内容"})
    question = Question.objects.get()
    client.force_login(demo("yc_scjg_off1"))
    moved = client.post(
        reverse("consult:question", args=[question.pk]),
        {"action": "transfer", "department": "yc-zrzy", "text": "归口自然资源"},
        follow=True,
    )
    assert moved.status_code == 200 and moved.redirect_chain[-1][0] == reverse("consult:inbox")
    assert "已转办" in moved.content.decode()


def test_every_action_has_its_own_word_of_success():
    from shenpi.consult import services, views

    assert set(views.DONE) == set(services.ACTIONS)
