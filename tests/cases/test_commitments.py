"""告知承诺 (issue 24): the commitment signed in full with its hash; decided within the
shorter limit; a grant opens a post-check due within the item's working days, with its
light; the result recorded once; a false commitment revokes the licence (Art. 69) and is
on the applicant's credit record."""

from datetime import timedelta

import pytest
from django.utils import timezone

from shenpi.cases import services
from shenpi.cases.constants import LicenceStatus
from shenpi.cases.models import Bar, PostCheck
from shenpi.catalog.models import Item
from shenpi.core import clock
from shenpi.core.errors import Conflict, InvalidInput, NotAllowed, NotFound
from shenpi.workdays.services import calendar
from tests.agency.conftest import grant

from .conftest import FOOD_FORM, complete_draft

pytestmark = pytest.mark.django_db


@pytest.fixture
def committed(demo, food):
    zhangsan = demo("zhangsan")
    case = complete_draft(services, zhangsan, food)
    with pytest.raises(InvalidInput):
        services.case_commit(actor=zhangsan, case=case, confirmed=False)
    case = services.case_commit(actor=zhangsan, case=case, confirmed=True)
    return services.case_submit(actor=zhangsan, case=case, declaration=True, form_data=FOOD_FORM)


def test_the_commitment_is_kept_in_full_with_its_hash_and_shortens_the_limit(demo, committed):
    import hashlib

    assert "经营场所远离污染源" in committed.commitment_text
    assert (
        committed.commitment_sha256
        == hashlib.sha256(committed.commitment_text.encode()).hexdigest()
    )
    case = services.case_accept(actor=demo("yc_scjg_off1"), case=committed)
    start = timezone.localdate()
    assert case.promised_due == clock.add_working_days(calendar(), start, 5)  # not 10
    assert case.promised_limit == 5


def test_an_item_that_does_not_allow_it_refuses_the_commitment(demo):
    nurse = Item.objects.get(code="640000-WJW-002")
    case = services.case_create_draft(actor=demo("zhangsan"), item=nurse)
    with pytest.raises(Conflict) as caught:
        services.case_commit(actor=demo("zhangsan"), case=case, confirmed=True)
    assert caught.value.code == "no_commitment"


def test_a_grant_opens_the_post_check_and_a_false_commitment_revokes(demo, committed):
    case = grant(committed, demo("yc_scjg_off1"), demo("yc_scjg_head"))
    check = PostCheck.objects.get(case=case)
    decided = timezone.localtime(case.decided_at).date()
    assert check.due == clock.add_working_days(calendar(), decided, 20)
    today = timezone.localdate()
    assert services.post_check_light(check, today) == "green"
    assert services.post_check_light(check, check.due + timedelta(days=1)) == "red"
    # The light's edge: due today is yellow, not red, whether or not a job has run.
    assert services.post_check_light(check, check.due) == "yellow"
    with pytest.raises(NotAllowed):  # an official may not revoke
        services.post_check_record(
            actor=demo("yc_scjg_off1"), check=check, passed=False, findings="经营场所紧邻垃圾站"
        )
    with pytest.raises(NotFound):  # another department
        services.post_check_record(
            actor=demo("xq_scjg_off1"), check=check, passed=True, findings="属实"
        )
    with pytest.raises(InvalidInput):
        services.post_check_record(
            actor=demo("yc_scjg_head"), check=check, passed=False, findings=""
        )
    services.post_check_record(
        actor=demo("yc_scjg_head"), check=check, passed=False, findings="经营场所紧邻垃圾站"
    )
    case.issued_licence.refresh_from_db()
    assert case.issued_licence.status == LicenceStatus.REVOKED
    assert [c.case_id for c in services.credit_record(demo("zhangsan"))] == [case.pk]
    # A safety item obtained by deception: barred for three years (SAN-02, Art. 79).
    assert Bar.objects.filter(case=case, article="第七十九条").exists()
    with pytest.raises(Conflict):  # recorded twice
        services.post_check_record(
            actor=demo("yc_scjg_head"), check=check, passed=True, findings="复查属实"
        )


def test_supervision_sees_the_post_checks_of_its_division_and_no_more(demo, committed):
    case = grant(committed, demo("yc_scjg_off1"), demo("yc_scjg_head"))
    check = PostCheck.objects.get(case=case)
    for who in ("yc_jc_sup", "nx_jc_sup", "yc_scjg_off1"):
        assert services.post_checks_visible_to(demo(who)).filter(pk=check.pk).exists()
    for who in ("xq_scjg_off1", "zhangsan", "nx_fgw_off1"):
        assert not services.post_checks_visible_to(demo(who)).filter(pk=check.pk).exists()


def test_a_stranger_records_nothing_and_learns_nothing(client, demo, committed):
    import uuid

    from tests.api.test_api import token_for

    case = grant(committed, demo("yc_scjg_off1"), demo("yc_scjg_head"))
    check = PostCheck.objects.get(case=case)
    client.raise_request_exception = False
    for who in ("xq_scjg_off1", "lisi", "nx_fgw_off1"):
        token = token_for(client, who)
        client.force_login(demo(who))
        for pk in (check.pk, uuid.uuid4()):
            page = client.post(f"/desk/post-checks/{pk}/", {"result": "passed", "findings": "x"})
            api = client.post(
                f"/api/v1/post-checks/{pk}/result/",
                {"result": "passed", "findings": "x"},
                content_type="application/json",
                **token,
            )
            assert (page.status_code, api.status_code) == (404, 404), who
    check.refresh_from_db()
    assert check.status == "open"
