"""Region-wide settings are the region's supervisors' (issue 29, 4): a city supervisor
sets its own items' warning rules, not the default rule, a regional item's rule or the
evaluation scheme."""

import pytest
from django.urls import reverse

from shenpi.catalog.models import Item
from shenpi.core.errors import NotAllowed, NotFound
from shenpi.supervision import services
from shenpi.supervision.evaluation import scheme_save
from shenpi.supervision.models import EvaluationScheme, WarningRule

pytestmark = pytest.mark.django_db


def test_a_city_supervisor_sets_only_its_own_items_rules(demo):
    city = demo("yc_jc_sup")
    with pytest.raises(NotAllowed):
        services.rule_activate(actor=city, item=None, yellow_left=1, yellow_ratio=0.5)
    with pytest.raises(NotFound):
        services.rule_activate(
            actor=city,
            item=Item.objects.get(code="640000-FGW-001"),
            yellow_left=1,
            yellow_ratio=0.5,
        )
    services.rule_activate(
        actor=city, item=Item.objects.get(code="640100-SCJG-001"), yellow_left=2, yellow_ratio=0.7
    )
    services.rule_activate(actor=demo("nx_jc_sup"), item=None, yellow_left=1, yellow_ratio=0.9)
    assert WarningRule.objects.filter(item=None, active=True, yellow_ratio=0.9).exists()


def test_the_evaluation_scheme_is_the_regions(client, demo):
    before = EvaluationScheme.objects.count()
    with pytest.raises(NotAllowed):
        scheme_save(actor=demo("yc_jc_sup"), weights={"on_time_rate": 100}, params={})
    client.force_login(demo("yc_jc_sup"))
    client.post(reverse("supervision:evaluation"), {"w_on_time_rate": "100"})
    assert EvaluationScheme.objects.count() == before
    scheme_save(actor=demo("nx_jc_sup"), weights={"on_time_rate": 100}, params={})
    assert EvaluationScheme.objects.count() == before + 1
