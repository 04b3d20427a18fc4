"""Urging texts a department's heads: once per case and person per working day
(issue 29, 5)."""

import pytest
import time_machine

from shenpi.cases import services
from shenpi.cases.models import Urge
from shenpi.core.errors import Conflict
from tests.cases.test_review import accepted_project

pytestmark = pytest.mark.django_db


def test_one_urge_per_case_and_person_per_working_day(demo):
    with time_machine.travel("2026-12-04 09:00 +0800", tick=False):  # a Friday
        case = accepted_project(demo)
        services.case_urge(actor=demo("saishang"), case=case, text="请加快")
        with pytest.raises(Conflict) as exc:
            services.case_urge(actor=demo("saishang"), case=case, text="再催")
        assert exc.value.code == "urged_today"
        services.case_urge(actor=demo("nx_jc_sup"), case=case)  # someone else may
    with time_machine.travel("2026-12-05 10:00 +0800", tick=False), pytest.raises(Conflict):
        services.case_urge(actor=demo("saishang"), case=case)  # Saturday: still Friday's turn
    with time_machine.travel("2026-12-07 09:00 +0800", tick=False):  # Monday
        services.case_urge(actor=demo("saishang"), case=case)
    assert Urge.objects.filter(case=case, by=demo("saishang")).count() == 2
