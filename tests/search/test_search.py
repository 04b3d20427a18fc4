"""Chinese search that finds what people type (issue 22): words cut by jieba, full pinyin
and initials, an administrator's synonyms, ranked and marked; the same answers on SQLite
(term columns) and PostgreSQL (the generated vector and its GIN index)."""

import pytest
from django.urls import reverse

from shenpi.catalog.models import Item
from shenpi.catalog.selectors import item_search
from shenpi.consult import selectors, services
from shenpi.core.errors import InvalidInput
from shenpi.publishing.selectors import publication_search
from shenpi.search.models import Synonym
from shenpi.search.terms import MAX_QUERY, highlight, index_terms, parse, query_terms

pytestmark = pytest.mark.django_db

ITEM = "640100-SCJG-001"


def _faq(demo, title, answer, *, item=None):
    item = item or Item.objects.get(code=ITEM)
    question = services.question_ask(actor=demo("zhangsan"), title=title, body=title, item=item)
    services.question_answer(actor=demo("yc_scjg_off1"), question=question, text=answer)
    faq = services.faq_propose(
        actor=demo("yc_scjg_off1"), question=question, title=title, answer=answer
    )
    return services.faq_review(actor=demo("yc_scjg_head"), faq=faq, publish=True)


def _titles(faqs):
    return [f.title for f in faqs]


def test_terms_hold_words_their_pinyin_and_the_titles_whole_pinyin():
    terms = index_terms("申请材料", whole="食品经营许可").split()
    assert {"食品", "经营", "许可", "shipin", "jingying", "申请", "材料"} <= set(terms)
    assert "shipinjingyingxuke" in terms and "spjyxk" in terms


def test_question_words_are_left_out_and_latin_words_are_prefixes():
    terms = parse("请问怎么办理营业执照？")
    assert [t.word for t in terms] == ["办理", "营业执照"]
    assert not any(t.prefix for t in terms)
    assert parse("ShiPin")[0].prefix and parse("ShiPin")[0].word == "shipin"


def test_full_pinyin_finds_what_initials_found(demo):
    item = Item.objects.get(code=ITEM)
    faq = _faq(demo, "开小吃店要办食品经营许可证吗", "需要。", item=item)
    assert faq in selectors.faq_search(parse("shipin"))
    assert faq in selectors.faq_search(parse("xiaochi"))
    assert item in item_search(q="shipin") and item in item_search(q="spjy")
    assert item in item_search(q="shipinjingying")  # the name's whole pinyin, in part


def test_every_word_must_match_and_the_title_ranks_first(demo):
    in_title = _faq(demo, "社会保险怎么转移", "到窗口办理转移手续。")
    in_body = _faq(demo, "外地工作怎么办", "社会保险可以转移到外地。")
    _faq(demo, "社会保险怎么缴纳", "每月按时缴纳。")
    found = list(selectors.faq_search(parse("社会保险 转移")))
    assert _titles(found) == ["社会保险怎么转移", "外地工作怎么办"]
    assert found[0] == in_title and found[1] == in_body


def test_a_synonym_an_administrator_adds_finds_at_once(demo):
    faq = _faq(demo, "企业登记要带什么", "带上身份证和章程。")
    assert faq not in selectors.faq_search(parse("开公司"))
    Synonym.objects.create(words="开公司 企业登记")
    assert faq in selectors.faq_search(parse("开公司"))
    Synonym.objects.filter(words="开公司 企业登记").update(active=False)
    Synonym.objects.get(words="开公司 企业登记").save()  # saved: the cache forgets
    assert faq not in selectors.faq_search(parse("开公司"))


def test_the_starting_synonyms_link_licence_words(demo):
    faq = _faq(demo, "营业执照丢了怎么办", "可以申请补领。")
    assert faq in selectors.faq_search(parse("工商登记"))
    assert faq in selectors.faq_search(parse("补办"))  # 补办 ↔ 补领


def test_policies_are_found_by_words(demo):
    found = list(publication_search(parse("食品经营 便利化")))
    assert found and "便利化" in found[0].title


def test_marks_are_escaped_and_pinyin_marks_the_chinese_word():
    marked = highlight("<b>食品</b>经营许可", parse("shipin"))
    assert marked == "&lt;b&gt;<mark>食品</mark>&lt;/b&gt;经营许可"
    assert "<mark>营业执照</mark>" in highlight("补领营业执照", parse("工商登记"))
    assert "<script" not in highlight("x", parse("<script>alert(1)</script>"))


def test_a_query_over_the_limit_is_refused_in_chinese(client):
    query_terms("食" * MAX_QUERY)  # at the limit: taken
    with pytest.raises(InvalidInput):
        query_terms("食" * (MAX_QUERY + 1))
    # One limit for every search: the site search, the guide list and their boxes.
    at_limit = client.get(reverse("portal:search"), {"q": "食" * MAX_QUERY}).content.decode()
    assert "搜索词过长" not in at_limit and f'maxlength="{MAX_QUERY}"' in at_limit
    guide = client.get(reverse("catalog:guide_list"), {"q": "食" * (MAX_QUERY + 1)})
    assert "搜索词过长" in guide.content.decode()
    response = client.get(reverse("api:search"), {"q": "食" * (MAX_QUERY + 1)})
    assert response.status_code == 400 and "搜索词过长" in response.json()["detail"]
    page = client.get(reverse("portal:search"), {"q": "食" * (MAX_QUERY + 1)})
    assert page.status_code == 200 and "搜索词过长" in page.content.decode()


def test_the_page_and_the_api_show_the_same(client, demo):
    _faq(demo, "开小吃店要办食品经营许可证吗", "需要。", item=Item.objects.get(code=ITEM))
    api = client.get(reverse("api:search"), {"q": "xiaochidian"}).json()
    assert api["words"] == ["xiaochidian"]
    assert [f["title"] for f in api["faqs"]] == ["开小吃店要办食品经营许可证吗"]
    page = client.get(reverse("portal:search"), {"q": "xiaochidian"}).content.decode()
    assert "开<mark>小吃店</mark>要办食品经营许可证吗" in page
    faqs = client.get(reverse("api:faqs"), {"q": "小吃店"}).json()
    assert [f["title"] for f in faqs] == ["开小吃店要办食品经营许可证吗"]


def test_a_page_past_the_last_says_so_and_a_bad_page_is_the_first(client, demo):
    _faq(demo, "开小吃店要办食品经营许可证吗", "需要。")
    past = client.get(reverse("portal:search"), {"q": "小吃店", "page": "5"}).content.decode()
    assert "没有更多了" in past and "没有找到匹配的常见问题" not in past
    first = client.get(reverse("portal:search"), {"q": "小吃店", "page": "x"}).content.decode()
    assert "开<mark>小吃店</mark>要办食品经营许可证吗" in first


def test_the_faq_pages_keep_the_query(client, demo):
    for n in range(11):  # one more than a page
        _faq(demo, f"小吃店问题{n}", "答。")
    first = client.get(reverse("portal:search"), {"q": "小吃店"}).content.decode()
    assert first.count('data-testid="search-faq"') == 10
    assert 'href="?q=%E5%B0%8F%E5%90%83%E5%BA%97&amp;page=2"' in first
    second = client.get(reverse("portal:search"), {"q": "小吃店", "page": "2"}).content.decode()
    assert second.count('data-testid="search-faq"') == 1 and "page=1" in second
