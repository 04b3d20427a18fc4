"""JoinedLookup: the same objects as select_related, from SQL written once."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from shenpi.accounts.models import ApiToken, Department, Division, SystemClient
from shenpi.accounts.services import (
    _hash_key,
    api_token_create,
    api_token_lookup,
    system_client_issue_key,
    system_client_lookup,
)
from shenpi.common.queries import JoinedLookup

pytestmark = pytest.mark.django_db


def fields_of(obj):
    return {f.attname: getattr(obj, f.attname) for f in obj._meta.concrete_fields}


@pytest.mark.parametrize("username", ["yc_scjg_off1", "zhangsan"])  # with an office, without
def test_a_token_comes_with_the_same_user_office_and_department_as_select_related(demo, username):
    user = demo(username)
    _token, key = api_token_create(user=user)
    expected = ApiToken.objects.select_related("user__office__department").get(
        key_hash=_hash_key(key)
    )
    with CaptureQueriesContext(connection) as queries:
        token = api_token_lookup(key)
        # The relations are cached on the instances, a missing office included.
        office = token.user.office
        department = office.department if office else None
    assert len(queries) == 1
    assert fields_of(token) == fields_of(expected)
    assert fields_of(token.user) == fields_of(expected.user)
    assert token.user.roles == expected.user.roles
    if expected.user.office is None:
        assert office is None
    else:
        assert fields_of(office) == fields_of(expected.user.office)
        assert fields_of(department) == fields_of(expected.user.office.department)
    assert token._state.db == "default" and not token._state.adding


def test_a_revoked_expired_or_unknown_token_finds_nothing(demo):
    token, key = api_token_create(user=demo("yc_scjg_off1"))
    assert api_token_lookup(key) is not None
    assert api_token_lookup(key + "x") is None
    ApiToken.objects.filter(pk=token.pk).update(expires_at=timezone.now())
    assert api_token_lookup(key) is None
    ApiToken.objects.filter(pk=token.pk).update(
        expires_at=timezone.now() + timezone.timedelta(days=1), revoked_at=timezone.now()
    )
    assert api_token_lookup(key) is None


@pytest.mark.parametrize("bound", ["department", "division"])
def test_a_system_client_comes_with_its_department_or_division(bound):
    client = SystemClient(
        name=f"sys-{bound}",
        department=Department.objects.get(code="yc-scjg") if bound == "department" else None,
        division=Division.objects.get(code="640100") if bound == "division" else None,
    )
    key = system_client_issue_key(client)
    client.save()
    with CaptureQueriesContext(connection) as queries:
        found = system_client_lookup(key)
        department, division = found.department, found.division
    assert len(queries) == 1
    assert fields_of(found) == fields_of(SystemClient.objects.get(pk=client.pk))
    assert (department and department.code, division and division.code) == (
        ("yc-scjg", None) if bound == "department" else (None, "640100")
    )
    SystemClient.objects.filter(pk=client.pk).update(is_active=False)
    assert system_client_lookup(key) is None


def test_the_sql_is_written_once_per_database():
    lookup = JoinedLookup(SystemClient, ("department__division",), "t0.name = %s")
    assert lookup.get(["nobody"]) is None
    assert lookup.get(["nobody"]) is None
    assert list(lookup._plan) == ["default"]
    sql = lookup._plan["default"][0]
    assert sql.count("LEFT OUTER JOIN") == 2  # a client's department is optional
