"""常见问题 (issue 22): proposed from an answered question, published by a head other than
the proposer, shown on the item's guide; flagged once another version is in force."""

import pytest
from django.urls import reverse

from shenpi.catalog.models import Item
from shenpi.consult import selectors, services
from shenpi.consult.models import Faq
from shenpi.core.errors import Conflict, NotAllowed, NotFound

pytestmark = pytest.mark.django_db

ITEM = "640100-SCJG-001"


@pytest.fixture
def answered(demo):
    item = Item.objects.get(code=ITEM)
    question = services.question_ask(
        actor=demo("zhangsan"), title="小吃店要办证吗", body="我叫张三，电话…", item=item
    )
    return services.question_answer(
        actor=demo("yc_scjg_off1"), question=question, text="需要办理食品经营许可证。"
    )


def test_a_head_other_than_the_proposer_publishes_it_on_the_guide(client, demo, answered):
    official, head = demo("yc_scjg_off1"), demo("yc_scjg_head")
    faq = services.faq_propose(
        actor=official,
        question=answered,
        title="开小吃店要办食品经营许可证吗",
        answer="需要。材料见本事项办事指南。",
    )
    assert faq.version == answered.item.current and faq.status == "proposed"
    guide = reverse("catalog:guide_detail", args=[ITEM])
    assert "开小吃店要办食品经营许可证吗" not in client.get(guide).content.decode()
    with pytest.raises(NotAllowed):
        services.faq_review(actor=official, faq=faq, publish=True)
    with pytest.raises(NotFound):
        services.faq_review(actor=demo("yc_zrzy_head"), faq=faq, publish=True)
    services.faq_review(actor=head, faq=faq, publish=True)
    page = client.get(guide).content.decode()
    assert "开小吃店要办食品经营许可证吗" in page and "我叫张三" not in page
    with pytest.raises(Conflict):
        services.faq_review(actor=head, faq=faq, publish=False)
    assert list(selectors.published_faqs(item=answered.item)) == [faq]


def test_a_head_cannot_publish_their_own_proposal(demo, answered):
    head = demo("yc_scjg_head")
    faq = services.faq_propose(actor=head, question=answered, title="问", answer="答")
    with pytest.raises(NotAllowed) as exc:
        services.faq_review(actor=head, faq=faq, publish=True)
    assert exc.value.code == "own_proposal"


def test_an_open_question_cannot_become_a_faq(demo):
    item = Item.objects.get(code=ITEM)
    question = services.question_ask(actor=demo("zhangsan"), title="问", body="问", item=item)
    with pytest.raises(Conflict):
        services.faq_propose(actor=demo("yc_scjg_off1"), question=question, title="问", answer="答")


def test_a_faq_of_a_superseded_version_is_marked_for_review(demo, answered):
    faq = services.faq_propose(
        actor=demo("yc_scjg_off1"), question=answered, title="问", answer="答"
    )
    assert not faq.needs_review
    other = answered.item.versions.exclude(pk=answered.item.current_id).first()
    if other is None:
        pytest.skip("the demo item has one version")
    Item.objects.filter(pk=answered.item_id).update(current=other)
    assert Faq.objects.select_related("item").get(pk=faq.pk).needs_review


def test_the_pages_propose_and_publish(client, demo, answered):
    client.force_login(demo("yc_scjg_off1"))
    client.post(
        reverse("consult:question", args=[answered.pk]),
        {"action": "propose_faq", "title": "小吃店办证", "text": "需要食品经营许可证。"},
    )
    faq = Faq.objects.get()
    client.force_login(demo("yc_scjg_head"))
    inbox = client.get("/desk/questions/").content.decode()
    assert "小吃店办证" in inbox
    client.post(reverse("consult:faq_review", args=[faq.pk]), {"publish": "1"})
    faq.refresh_from_db()
    assert faq.status == "published" and faq.approved_by == demo("yc_scjg_head")
    assert client.get("/desk/faqs/not-a-uuid/review/").status_code == 404


def test_matching_answers_are_offered_while_typing(client, demo, answered):
    faq = services.faq_propose(
        actor=demo("yc_scjg_off1"),
        question=answered,
        title="开小吃店要办食品经营许可证吗",
        answer="需要。",
    )
    services.faq_review(actor=demo("yc_scjg_head"), faq=faq, publish=True)
    found = client.get("/consult/suggest/", {"title": "小吃店需要什么许可", "item": ITEM})
    assert "开小吃店要办食品经营许可证吗" in found.content.decode()
    assert selectors.similar_faqs("完全无关的话题") == []
    assert selectors.similar_faqs("") == []
