"""代理项目 (issue 24): opened under a project authorisation, the items applied for in the
order their prerequisites allow with the prerequisites' licences attached, one timeline
the investor, the agent and supervision see, and no one else."""

from datetime import timedelta

import pytest
from django.http import Http404
from django.utils import timezone

from shenpi.agency import selectors, services
from shenpi.agency.models import ProjectTemplate, TemplateStep
from shenpi.cases import services as case_services
from shenpi.cases.constants import AuthorisationScope
from shenpi.cases.demo import fill_draft
from shenpi.catalog.models import Item
from shenpi.core.errors import Conflict, InvalidInput, NotAllowed

from .conftest import grant

pytestmark = pytest.mark.django_db
YEAR = timezone.localdate().year


@pytest.fixture
def planning_then_permit(db):
    """规划许可 (银川市自然资源局) before 施工许可 (银川市住建局), whose material
    "建设工程规划许可证" is that licence."""
    template = ProjectTemplate.objects.create(name="测试：规划后施工")
    planning = TemplateStep.objects.create(
        template=template, item=Item.objects.get(code="640100-ZRZY-001"), order=0
    )
    permit = TemplateStep.objects.create(
        template=template, item=Item.objects.get(code="640100-ZJJ-001"), order=1
    )
    permit.depends_on.set([planning])
    return template


@pytest.fixture
def project(demo, planning_then_permit):
    authorisation = case_services.authorisation_sign(
        actor=demo("saishang"), agent=demo("agent"), scope=AuthorisationScope.PROJECT,
        project_name="塞上仓储中心", until=timezone.localdate() + timedelta(days=200),
        confirmed=True,
    )  # fmt: skip
    return services.project_open(
        actor=demo("agent"), authorisation=authorisation, name="塞上仓储中心",
        code=f"{YEAR}-640100-54-01-000777", location="银川市金凤区", investment="3,200",
        industry="交通运输", template=planning_then_permit,
    )  # fmt: skip


def test_a_project_item_waits_for_its_prerequisites_licence_then_carries_it(demo, project):
    agent = demo("agent")
    planning = project.items.get(item__code="640100-ZRZY-001")
    permit = project.items.get(item__code="640100-ZJJ-001")
    with pytest.raises(Conflict) as caught:
        services.project_apply(actor=agent, project_item=permit)
    assert caught.value.code == "prerequisite_not_granted"
    assert "建设工程规划许可证核发" in caught.value.message
    case = fill_draft(services.project_apply(actor=agent, project_item=planning), agent)
    case = case_services.case_submit(actor=agent, case=case, declaration=True)
    with pytest.raises(Conflict):  # twice
        services.project_apply(actor=agent, project_item=planning)
    grant(case, demo("yc_zrzy_off1"), demo("yc_zrzy_head"))
    permit_case = services.project_apply(actor=agent, project_item=permit)
    attached = permit_case.materials.get(requirement__name="建设工程规划许可证")
    assert attached.from_licence.case_id == case.pk
    assert permit_case.agent == agent and permit_case.applicant == demo("saishang")


def test_the_timeline_shows_the_path_and_the_date_to_everyone_who_may_see_it(demo, project):
    plan, items = selectors.project_timeline(project)
    assert [items[k].item.code for k in plan.critical_path] == [
        "640100-ZRZY-001", "640100-ZJJ-001",
    ]  # fmt: skip
    assert plan.completion == project.planned_completion
    for who in ("agent", "saishang", "nx_jc_sup", "yc_jc_head"):
        assert selectors.project_for(demo(who), project.pk) == project
    for who in ("lisi", "yc_zrzy_off1", "clerk_xq_scjg"):
        with pytest.raises(Http404):
            selectors.project_for(demo(who), project.pk)
    case_services.authorisation_revoke(actor=demo("saishang"), authorisation=project.authorisation)
    with pytest.raises(Http404):
        selectors.project_for(demo("agent"), project.pk)


def test_a_project_past_its_planned_date_is_red(demo, project):
    today = timezone.localdate()
    plan, _ = selectors.project_timeline(project, today)
    assert selectors.project_light(project, plan, today) == "green"
    later = project.planned_completion + timedelta(days=1)
    plan, _ = selectors.project_timeline(project, later)
    assert selectors.project_light(project, plan, later) == "red"
    rows = selectors.projects_watched(demo("nx_jc_sup"), later)
    assert (project, "red") in [(p, light) for p, _plan, light in rows]


def test_opening_a_project_checks_the_code_and_the_authorisation(demo, planning_then_permit):
    agent = demo("agent")
    items_only = case_services.authorisation_sign(
        actor=demo("saishang"), agent=agent, scope=AuthorisationScope.ITEMS,
        items=[Item.objects.get(code="640100-ZJJ-001")],
        until=timezone.localdate() + timedelta(days=30), confirmed=True,
    )  # fmt: skip
    good = dict(name="项目", location="银川", investment="100", industry="制造业",
                template=planning_then_permit)  # fmt: skip
    with pytest.raises(NotAllowed) as caught:
        services.project_open(
            actor=agent, authorisation=items_only, code=f"{YEAR}-640100-04-01-000001", **good
        )
    assert caught.value.code == "beyond_authorisation"
    whole = case_services.authorisation_sign(
        actor=demo("saishang"), agent=agent, scope=AuthorisationScope.PROJECT, project_name="项目",
        until=timezone.localdate() + timedelta(days=30), confirmed=True,
    )  # fmt: skip
    for code, why in (
        ("2026640100040100001", "格式"),
        (f"{YEAR + 1}-640100-04-01-000001", "年份"),
        (f"{YEAR}-110000-04-01-000001", "不在本区"),
    ):
        with pytest.raises(InvalidInput) as caught:
            services.project_open(actor=agent, authorisation=whole, code=code, **good)
        assert why in caught.value.errors["code"][0]
    with pytest.raises(InvalidInput) as caught:
        services.project_open(
            actor=agent, authorisation=whole, code=f"{YEAR}-640100-04-01-000001",
            **{**good, "investment": "-5", "template": None},
        )  # fmt: skip
    assert set(caught.value.errors) == {"investment", "items"}
    with pytest.raises(NotAllowed):  # another agent
        services.project_open(
            actor=demo("lisi"), authorisation=whole, code=f"{YEAR}-640100-04-01-000001", **good
        )
