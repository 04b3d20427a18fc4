import pytest

from shenpi.cases.demo import seed_demo_cases
from shenpi.cases.models import Case

pytestmark = pytest.mark.django_db


def test_the_demo_world_has_cases_in_many_states():
    assert seed_demo_cases() > 0
    states = set(Case.objects.values_list("status", flat=True))
    assert {
        "draft",
        "received",
        "correction_requested",
        "processing",
        "suspended",
        "decided",
        "closed",
        "not_accepted",
        "withdrawn",
    } <= states
    assert seed_demo_cases() == 0  # idempotent
