"""The one scoping function (CONTRACTS.md "who sees a case"), on the demo world."""

import pytest

from shenpi.accounts.models import Department, SystemClient
from shenpi.accounts.scope import scope_for, visible_departments, visible_staff
from shenpi.api.authentication import SystemClientPrincipal

pytestmark = pytest.mark.django_db


def codes(user):
    return set(visible_departments(user).values_list("code", flat=True))


def test_region_supervisor_sees_every_department_below_the_region(demo):
    seen = codes(demo("nx_jc_sup"))
    assert {"nx-scjg", "yc-scjg", "xq-scjg"} <= seen
    assert seen == set(Department.objects.values_list("code", flat=True))


def test_city_supervisor_sees_the_city_and_its_districts_only(demo):
    seen = codes(demo("yc_jc_sup"))
    assert {"yc-scjg", "yc-zrzy", "xq-scjg"} <= seen
    assert not any(code.startswith("nx-") for code in seen)


def test_official_sees_their_own_department_only(demo):
    assert codes(demo("yc_scjg_off1")) == {"yc-scjg"}
    assert codes(demo("xq_scjg_head")) == {"xq-scjg"}


def test_clerk_sees_the_department_their_window_acts_for(demo):
    assert codes(demo("clerk_nx_scjg")) == {"nx-zwfw", "nx-scjg"}


def test_admin_sees_everything(demo):
    assert scope_for(demo("admin")).everything


def test_applicants_and_observers_see_no_department(demo):
    assert codes(demo("zhangsan")) == set()
    assert codes(demo("observer")) == set()


def test_staff_directory_follows_the_scope(demo):
    names = set(visible_staff(demo("yc_scjg_off1")).values_list("username", flat=True))
    assert names == {"yc_scjg_head", "yc_scjg_off1", "yc_scjg_off2"}


def test_system_client_is_bound_to_its_department():
    client = SystemClient(
        name="x", department=Department.objects.get(code="yc-scjg"), allowed_actions=[]
    )
    assert set(
        visible_departments(SystemClientPrincipal(client)).values_list("code", flat=True)
    ) == {"yc-scjg"}


def test_lower_platform_client_is_bound_to_its_division_subtree():
    from shenpi.accounts.models import Division

    client = SystemClient(
        name="y", division=Division.objects.get(code="640100"), allowed_actions=[]
    )
    seen = set(visible_departments(SystemClientPrincipal(client)).values_list("code", flat=True))
    assert "xq-scjg" in seen and "yc-scjg" in seen and "nx-scjg" not in seen
