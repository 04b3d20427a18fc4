"""The demo's 全程代理: the industrial-project template, an investor's two projects carried
by the centre's agent (the first item of one applied for), and a citizen's authorisation
for one item with the case the agent applied for — made through the same services."""

from __future__ import annotations

from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from shenpi.accounts.models import User
from shenpi.cases import services as case_services
from shenpi.cases.constants import AuthorisationScope
from shenpi.cases.demo import fill_draft
from shenpi.catalog.models import Item

from . import services
from .models import Project, ProjectTemplate, TemplateStep

# 一般工业项目: 核准 and the water permit (its 水资源论证 goes with the project's
# application) first; planning and environment after 核准; the construction permit once
# planning and environment are granted.
INDUSTRIAL = [
    ("640000-FGW-001", []),
    ("640000-SLT-001", []),
    ("640100-ZRZY-001", ["640000-FGW-001"]),
    ("640000-STHJ-001", ["640000-FGW-001"]),
    ("640100-ZJJ-001", ["640100-ZRZY-001", "640000-STHJ-001"]),
]


def seed_templates() -> ProjectTemplate:
    template, created = ProjectTemplate.objects.get_or_create(
        name="一般工业项目",
        defaults={
            "description": "企业投资建设的工业项目：核准后办理规划、环评、取水，再办施工许可。"
        },
    )
    if created:
        steps = {}
        for order, (code, _deps) in enumerate(INDUSTRIAL):
            steps[code] = TemplateStep.objects.create(
                template=template, item=Item.objects.get(code=code), order=order
            )
        for code, deps in INDUSTRIAL:
            steps[code].depends_on.set([steps[d] for d in deps])
    return template


@transaction.atomic
def seed_demo_agency() -> int:
    template = seed_templates()
    if Project.objects.exists():
        return 0
    agent, saishang, zhangsan = (
        User.objects.get(username=name) for name in ("agent", "saishang", "zhangsan")
    )
    today = timezone.localdate()
    until = today + timedelta(days=365)
    projects = []
    for name, code in (
        ("塞上新材料产业园一期", f"{today.year}-640100-04-01-000318"),
        ("塞上中央厨房配送中心", f"{today.year}-640104-14-01-000422"),
    ):
        authorisation = case_services.authorisation_sign(
            actor=saishang, agent=agent, scope=AuthorisationScope.PROJECT, project_name=name,
            until=until, confirmed=True,
        )  # fmt: skip
        projects.append(
            services.project_open(
                actor=agent,
                authorisation=authorisation,
                name=name,
                code=code,
                location="银川经济技术开发区" if "产业园" in name else "银川市兴庆区",
                investment="126000" if "产业园" in name else "8600",
                industry="制造业",
                template=template,
            )  # fmt: skip
        )
    # The first project's first item applied for and submitted by the agent.
    first = projects[0].items.get(item__code="640000-FGW-001")
    case = services.project_apply(actor=agent, project_item=first)
    fill_draft(case, agent)
    case_services.case_submit(actor=agent, case=case, declaration=True)
    # A citizen authorises the agent for one item; the agent applies for him.
    food = Item.objects.get(code="640100-SCJG-001")
    authorisation = case_services.authorisation_sign(
        actor=zhangsan, agent=agent, scope=AuthorisationScope.ITEMS, items=[food], until=until,
        confirmed=True,
    )  # fmt: skip
    case = case_services.case_create_draft(
        actor=agent, item=food, applicant=zhangsan, authorisation=authorisation
    )
    fill_draft(case, agent)
    return Project.objects.count()
