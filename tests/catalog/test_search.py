import pytest

from shenpi.catalog.selectors import item_search
from shenpi.core.errors import InvalidInput

pytestmark = pytest.mark.django_db


def codes(**kwargs):
    return [i.code for i in item_search(**kwargs)]


def test_food_finds_both_food_licences_name_matches_first():
    result = codes(q="食品")
    assert set(result[:2]) == {"640100-SCJG-001", "640000-SCJG-002"}


def test_best_match_first_then_by_code():
    # "食品经营许可证核发" starts with 食品经营 (80) …
    assert codes(q="食品经营")[0] == "640100-SCJG-001"


def test_pinyin_initials():
    assert codes(q="spjy") == ["640100-SCJG-001"]
    assert codes(q="SPJY") == ["640100-SCJG-001"]


def test_department_and_material_words_match():
    assert "640000-FGW-001" in codes(q="发展改革委")
    # A material only: 水资源论证报告书 belongs to the water-abstraction licence.
    assert codes(q="水资源论证") == ["640000-SLT-001"]


def test_several_words_must_all_match():
    assert codes(q="食品 银川") == ["640100-SCJG-001"]


def test_odd_characters_are_ignored_not_fatal():
    assert codes(q="食品%_'") == codes(q="食品")  # LIKE wildcards and quotes are dropped
    assert codes(q="食品<script>") == []  # "script" matches nothing
    assert codes(q="%%%") == codes()  # nothing left to search for: the whole list


def test_too_long_a_query_is_refused_with_a_message():
    with pytest.raises(InvalidInput) as exc:
        codes(q="食" * 10_000)
    assert "搜索词过长" in exc.value.message


def test_filters():
    assert codes(kind="instant") == ["640104-SCJG-001"]
    assert set(codes(division="640100")) == {
        "640100-SCJG-001",
        "640100-ZJJ-001",
        "640100-ZRZY-001",
        "640104-SCJG-001",
    }
    assert codes(department="nx-slt") == ["640000-SLT-001"]
    assert "640100-SCJG-001" in codes(theme="open_restaurant")
    assert "640000-WJW-002" in codes(audience="personal")
    assert "640000-FGW-001" not in codes(audience="personal")
