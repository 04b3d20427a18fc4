import pytest

from shenpi.consult.demo import seed_demo_questions
from shenpi.consult.models import Faq, Question

pytestmark = pytest.mark.django_db


def test_the_demo_world_has_an_open_question_and_a_public_faq():
    assert seed_demo_questions() == 3
    assert set(Question.objects.values_list("status", flat=True)) == {"open", "answered"}
    assert Faq.objects.filter(status="published", item__code="640100-SCJG-001").count() == 1
    assert seed_demo_questions() == 0  # idempotent
