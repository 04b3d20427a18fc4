"""The scan's light sources (issue 21): a registry, so that a new kind of deadline adds
its lights to both judgements without editing the scan's core."""

import pytest

from shenpi.supervision import scan
from shenpi.supervision.models import Warning, WarningKind
from shenpi.supervision.scan.sources import SOURCES, LightSource, register

pytestmark = pytest.mark.django_db


def test_the_built_in_sources_give_the_seven_kinds_of_light():
    assert set(scan.light_kinds()) == {
        WarningKind.PROMISED, WarningKind.STATUTORY, WarningKind.STEP,
        WarningKind.CORRECTION, WarningKind.LICENCE, WarningKind.ORDER, WarningKind.EXTENSION,
    }  # fmt: skip
    with pytest.raises(ValueError, match="registered already"):
        register(SOURCES[0])


@pytest.fixture
def overdue_source(demo):
    """A source of one red light on a case of 张三's, due yesterday."""
    from datetime import timedelta

    from django.utils import timezone

    from shenpi.cases import services
    from shenpi.catalog.models import Item
    from tests.cases.conftest import FOOD_FORM, complete_draft

    food = Item.objects.get(code="640100-SCJG-001")
    case = complete_draft(services, demo("zhangsan"), food)
    case = services.case_submit(
        actor=demo("zhangsan"), case=case, declaration=True, form_data=FOOD_FORM
    )
    due = timezone.localdate() - timedelta(days=1)

    def portable(today, judge, out, *, history):
        if not history:
            out[(case.pk, None, "question")] = ("red", due, case.department_id, "")

    def sql(ctx):
        return (
            f"SELECT c.id, NULL::uuid, 'question', 'red', DATE '{due.isoformat()}', "
            f"c.department_id, '', NULL::date, false FROM scan_case c WHERE c.id = '{case.pk}'"
        )

    source = register(LightSource("questions (test)", ("question",), portable, sql))
    yield case
    SOURCES.remove(source)


def test_a_registered_source_lights_both_judgements(overdue_source):
    case = overdue_source
    assert "question" in scan.light_kinds()
    assert scan.desired_warnings(case.received_at.date())[(case.pk, None, "question")][0] == "red"
    scan.scan_deadlines()
    card = Warning.objects.get(case=case, kind="question", cleared_at__isnull=True)
    assert card.level == "red"
