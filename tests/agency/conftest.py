from datetime import timedelta

import pytest
from django.utils import timezone

from shenpi.cases import services
from shenpi.cases.constants import AuthorisationScope
from shenpi.cases.models import Task
from shenpi.catalog.models import Item
from shenpi.core.flow import parse_flow
from tests.cases.conftest import FOOD_FORM, pdf_upload


@pytest.fixture
def food(db):
    return Item.objects.get(code="640100-SCJG-001")


@pytest.fixture
def signed(demo, food):
    """zhangsan authorises the centre's agent for the food licence, for a year."""

    def sign(applicant="zhangsan", agent="agent", items=None, until=None, **more):
        return services.authorisation_sign(
            actor=demo(applicant),
            agent=demo(agent),
            scope=more.pop("scope", AuthorisationScope.ITEMS),
            items=[food] if items is None else items,
            until=until or timezone.localdate() + timedelta(days=365),
            confirmed=True,
            **more,
        )

    return sign


def fill(actor, case, form=FOOD_FORM):
    for requirement in case.version.materials.all():
        if requirement.required and not case.materials.filter(requirement=requirement).exists():
            services.case_add_material(
                actor=actor, case=case, requirement_id=requirement.pk, upload=pdf_upload()
            )
    return case


def grant(case, official, head):
    """Accept and take the case through its steps to a grant (single-department flows; a
    verification step is checked by the head as the second person)."""
    case = services.case_accept(actor=official, case=case)
    for _ in range(10):
        open_tasks = list(Task.objects.filter(case=case, status__in=["open", "claimed"]))
        if not open_tasks:
            break
        for task in open_tasks:
            if task.step_key == "decision":
                return services.case_decide(actor=head, case=case, outcome="granted")
            if parse_flow(case.version.flow).step(task.step_key).verification:
                services.task_claim(actor=official, task=task)
                services.task_verify(actor=head, task=task)
            services.task_complete(
                actor=head if task.role == "head" else official, task=task, opinion="同意"
            )
    raise AssertionError("no decision step reached")
