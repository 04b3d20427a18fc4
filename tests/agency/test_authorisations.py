"""委托书 and 代为申请 (issue 24): an agent applies for an applicant only under a live
authorisation from them that covers the item; every act is recorded as for the applicant;
both are told; revocation or expiry ends the agent's access (404)."""

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import Http404
from django.utils import timezone

from shenpi.audit.models import AuditRecord
from shenpi.cases import selectors, services
from shenpi.cases.constants import AuthorisationScope, Channel
from shenpi.catalog.models import Item
from shenpi.core.errors import Conflict, InvalidInput, NotAllowed, NotFound
from shenpi.notify.models import Message
from tests.cases.conftest import pdf_upload

from .conftest import fill

pytestmark = pytest.mark.django_db


def test_the_agent_role_alone_no_longer_lets_anyone_apply_for_anyone(demo, food):
    """The hole issue 24 closes: `_ensure_may_apply_for` checked the role only."""
    with pytest.raises(NotAllowed) as caught:
        services.case_create_draft(actor=demo("agent"), item=food, applicant=demo("zhangsan"))
    assert caught.value.code == "no_authorisation"


def test_an_agent_applies_under_the_authorisation_recorded_for_the_applicant(demo, food, signed):
    authorisation = signed()
    agent, zhangsan = demo("agent"), demo("zhangsan")
    case = services.case_create_draft(
        actor=agent, item=food, applicant=zhangsan, authorisation=authorisation
    )
    assert (case.channel, case.agent, case.applicant) == (Channel.AGENT, agent, zhangsan)
    fill(agent, case)
    case = services.case_submit(actor=agent, case=case, declaration=True, form_data={
        "applicant_name": "张三", "contact": "张三", "phone": "13895000001", "premises": "金凤区",
        "business_type": "餐饮服务经营者", "scope": "热食", "area": "80",
    })  # fmt: skip
    # Every act under it names the applicant and the authorisation.
    acts = AuditRecord.objects.filter(stream=f"case:{case.pk}", actor=agent)
    assert acts.count() >= 3
    assert all(r.detail.get("authorisation") == str(authorisation.pk) for r in acts)
    assert all(r.detail.get("for_applicant") == "张三" for r in acts)
    # Notices go to both; the applicant follows it as their own.
    assert Message.objects.filter(user=zhangsan, case=case, title__startswith="申请已收件").exists()
    assert Message.objects.filter(user=agent, case=case, title__contains="代理").exists()
    assert selectors.cases_visible_to(zhangsan).filter(pk=case.pk).exists()
    assert "受委托代为申请" in case.events.get(kind="received").text


def test_an_item_outside_the_authorisation_is_refused_by_name(demo, signed):
    authorisation = signed()
    other = Item.objects.get(code="640000-WJW-002")
    with pytest.raises(NotAllowed) as caught:
        services.case_create_draft(
            actor=demo("agent"), item=other, applicant=demo("zhangsan"), authorisation=authorisation
        )
    assert caught.value.code == "beyond_authorisation" and "护士执业注册" in caught.value.message


def test_someone_elses_authorisation_does_not_count(demo, food, signed):
    authorisation = signed()
    with pytest.raises(NotAllowed):  # lisi is not who signed it
        services.case_create_draft(
            actor=demo("agent"), item=food, applicant=demo("lisi"), authorisation=authorisation
        )


def test_an_authorisation_holds_through_its_last_day_and_not_the_day_after(demo, food, signed):
    today = timezone.localdate()
    authorisation = signed(until=today)
    case = services.case_create_draft(
        actor=demo("agent"), item=food, applicant=demo("zhangsan"), authorisation=authorisation
    )
    assert selectors.cases_visible_to(demo("agent")).filter(pk=case.pk).exists()
    # The next day (no periodic job involved: the rule reads the date each time).
    type(authorisation).objects.filter(pk=authorisation.pk).update(until=today - timedelta(days=1))
    authorisation.refresh_from_db()
    with pytest.raises(NotAllowed) as caught:
        services.case_create_draft(
            actor=demo("agent"), item=food, applicant=demo("zhangsan"), authorisation=authorisation
        )
    assert caught.value.code == "authorisation_expired"
    assert not selectors.cases_visible_to(demo("agent")).filter(pk=case.pk).exists()
    with pytest.raises(NotFound):
        services.case_add_material(
            actor=demo("agent"), case=case, requirement_id=case.version.materials.first().pk,
            upload=pdf_upload(),
        )  # fmt: skip


def test_revocation_ends_the_agents_access_and_is_answered_once(demo, food, signed, client):
    authorisation = signed()
    agent, zhangsan = demo("agent"), demo("zhangsan")
    case = services.case_create_draft(
        actor=agent, item=food, applicant=zhangsan, authorisation=authorisation
    )
    with pytest.raises(NotAllowed):
        services.authorisation_revoke(actor=agent, authorisation=authorisation)
    services.authorisation_revoke(actor=zhangsan, authorisation=authorisation)
    with pytest.raises(Conflict):
        services.authorisation_revoke(actor=zhangsan, authorisation=authorisation)
    with pytest.raises(Http404):
        selectors.case_for_user(agent, case.pk)
    client.force_login(agent)
    assert client.get(f"/cases/{case.pk}/edit/").status_code == 404
    with pytest.raises(NotAllowed) as caught:
        services.case_create_draft(
            actor=agent, item=food, applicant=zhangsan, authorisation=authorisation
        )
    assert caught.value.code == "authorisation_revoked"
    # The applicant keeps the draft.
    assert selectors.case_for_user(zhangsan, case.pk) == case
    assert Message.objects.filter(user=agent, title__startswith="委托已撤销").exists()


def test_who_may_hold_an_authorisation(demo, food, signed):
    with pytest.raises(InvalidInput) as caught:  # a citizen for another citizen
        signed(applicant="zhangsan", agent="lisi")
    assert "agent" in caught.value.errors
    # An enterprise for its own staff member (a person's account): its 经办人.
    staff = signed(applicant="saishang", agent="lisi")
    case = services.case_create_draft(
        actor=demo("lisi"), item=food, applicant=demo("saishang"), authorisation=staff
    )
    assert case.agent == demo("lisi")


def test_the_form_refuses_with_every_problem_in_chinese(demo, signed):
    with pytest.raises(InvalidInput) as caught:
        signed(items=[], until=timezone.localdate() - timedelta(days=1))
    assert set(caught.value.errors) == {"items", "until"}
    with pytest.raises(InvalidInput) as caught:
        signed(scope=AuthorisationScope.PROJECT, items=[])
    assert "project_name" in caught.value.errors
    with pytest.raises(InvalidInput):
        services.authorisation_sign(
            actor=demo("zhangsan"), agent=demo("agent"), scope="items",
            items=list(Item.objects.all()[:1]), until=timezone.localdate(), confirmed=False,
        )  # fmt: skip


def test_the_window_records_a_scanned_authorisation_and_refuses_a_hostile_file(demo, food):
    clerk = demo("clerk_xq_scjg")
    common = dict(
        applicant=demo("zhangsan"), agent=demo("agent"), scope="items", items=[food],
        until=timezone.localdate() + timedelta(days=30),
    )  # fmt: skip
    with pytest.raises(InvalidInput):
        services.authorisation_record_scan(
            actor=clerk, upload=SimpleUploadedFile("委托书.pdf", b"MZ\x90\x00 not a pdf"), **common
        )
    with pytest.raises(NotFound):
        services.authorisation_record_scan(actor=demo("lisi"), upload=pdf_upload(), **common)
    recorded = services.authorisation_record_scan(actor=clerk, upload=pdf_upload(), **common)
    assert recorded.method == "window" and recorded.scan.name and recorded.recorded_by == clerk


def test_the_agent_reuses_the_applicants_licence(demo, food, signed):
    from tests.cases.test_licences import granted

    licence = granted(demo, applicant="zhangsan")
    authorisation = signed()
    agent = demo("agent")
    case = services.case_create_draft(
        actor=agent, item=food, applicant=demo("zhangsan"), authorisation=authorisation
    )
    requirement = case.version.materials.get(name="营业执照或者其他主体资格证明文件")
    material = services.case_reuse_licence(
        actor=agent, case=case, requirement_id=requirement.pk, licence=licence
    )
    assert material.from_licence == licence
