"""全程代理's projects: opened by the agent under the investor's project authorisation,
each item applied for through the case services (the same draft, the same rules) once the
items it depends on are granted, with their licences attached. One transaction each, with
its audit record on the project's stream."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal, InvalidOperation

from django.db import IntegrityError, transaction
from django.utils import timezone

from shenpi.accounts.models import Division
from shenpi.audit.services import audit_record
from shenpi.cases import authorisations
from shenpi.cases import services as case_services
from shenpi.cases.constants import AuthorisationScope, CaseStatus, LicenceStatus, Outcome
from shenpi.cases.models import Authorisation, Licence
from shenpi.catalog.constants import VersionStatus
from shenpi.core.errors import Conflict, InvalidInput, NotAllowed

from . import selectors
from .models import Project, ProjectItem, ProjectTemplate

# 投资项目统一代码 (全国投资项目在线审批监管平台): year, the division's code, the industry's
# two digits, the project's kind, and a six-digit sequence.
PROJECT_CODE = re.compile(r"^(\d{4})-(\d{6})-(\d{2})-(\d{2})-(\d{6})$")
INDUSTRIES = (
    "制造业",
    "能源",
    "交通运输",
    "水利",
    "农林牧渔",
    "房地产",
    "社会事业",
    "信息技术",
    "其他",
)


def _check_code(code: str, today: date) -> tuple[str, Division | None, dict]:
    errors = {}
    code = (code or "").strip()
    match = PROJECT_CODE.match(code)
    division = None
    if not match:
        errors["code"] = [
            "项目代码格式为“年份-区划代码-行业代码-类别-序号”，如 2026-640100-04-01-000123。"
        ]
    else:
        year = int(match.group(1))
        division = Division.objects.filter(code=match.group(2)).first()
        if not 2000 <= year <= today.year:
            errors["code"] = [f"项目代码的年份 {year} 不对：应为赋码的年份，不晚于今年。"]
        elif division is None:
            errors["code"] = [f"项目代码中的区划代码 {match.group(2)} 不在本区。"]
        elif Project.objects.filter(code=code).exists():
            errors["code"] = ["该项目代码已建有代理项目。"]
    return code, division, errors


@transaction.atomic
def project_open(
    *,
    actor,
    authorisation,
    name: str,
    code: str,
    location: str,
    investment,
    industry: str,
    template: ProjectTemplate | None = None,
    items=(),
) -> Project:
    """The agent opens the project the investor authorised them for: its items from a
    template (with which depends on which) or chosen from the catalogue."""
    today = timezone.localdate()
    if authorisation is None or authorisation.agent_id != actor.pk:
        raise NotAllowed("您没有该投资者的项目委托书，不能建立代理项目。", code="no_authorisation")
    # Held: a second request for the same authorisation (a double click) waits, then
    # finds the project; a revocation in flight lands first or waits.
    authorisation = Authorisation.objects.select_for_update().get(pk=authorisation.pk)
    if not authorisations.is_live(authorisation, today):
        raise NotAllowed(
            f"委托书 {authorisation.number} 已撤销或到期。", code="authorisation_lapsed"
        )
    if authorisation.scope != AuthorisationScope.PROJECT:
        raise NotAllowed(
            f"委托书 {authorisation.number} 是对指定事项的委托，不是投资项目委托。",
            code="beyond_authorisation",
        )
    if Project.objects.filter(authorisation=authorisation).exists():
        raise Conflict("该委托书已建立代理项目。", code="project_exists")
    code, division, errors = _check_code(code, today)
    name, location = (name or "").strip(), (location or "").strip()
    if not name:
        errors["name"] = ["请填写项目名称。"]
    if not location:
        errors["location"] = ["请填写建设地点。"]
    try:
        amount = Decimal(str(investment).replace(",", "").strip())
        if not amount.is_finite() or amount <= 0 or amount >= Decimal("1e10"):
            raise InvalidOperation
    except (InvalidOperation, ValueError):
        errors["investment"] = ["总投资须为大于 0 的金额（万元）。"]
        amount = None
    if industry not in INDUSTRIES:
        errors["industry"] = ["请选择所属行业。"]
    if template is None and not items:
        errors["items"] = ["请选择项目模板，或至少选择一个审批事项。"]
    if errors:
        raise InvalidInput("项目信息有误，请按提示修改。", code="invalid_project", errors=errors)
    try:
        with transaction.atomic():
            project = Project.objects.create(
                code=code,
                name=name[:100],
                investor=authorisation.applicant,
                agent=actor,
                authorisation=authorisation,
                division=division,
                location=location[:120],
                investment=amount,
                industry=industry,
                template=template,
            )
    except IntegrityError:
        # The same national code opened at the same moment under another authorisation.
        raise InvalidInput(
            "项目信息有误，请按提示修改。",
            code="invalid_project",
            errors={"code": ["该项目代码已建有代理项目。"]},
        ) from None
    if template is not None:
        steps = list(template.steps.select_related("item__current").prefetch_related("depends_on"))
        made = {}
        for step in steps:
            made[step.pk] = ProjectItem.objects.create(
                project=project, item=step.item, order=step.order
            )
        for step in steps:
            made[step.pk].depends_on.set([made[d.pk] for d in step.depends_on.all()])
    else:
        for order, item in enumerate(dict.fromkeys(items)):
            ProjectItem.objects.create(project=project, item=item, order=order)
    plan, _rows = selectors.project_timeline(project, today)
    project.planned_completion = plan.completion
    project.save(update_fields=["planned_completion"])
    _audit(project, "project.open", actor, {
        "code": code, "template": template.name if template else "",
        "planned_completion": plan.completion.isoformat() if plan.completion else None,
    })  # fmt: skip
    return project


def _audit(project, action, actor, detail):
    audit_record(
        stream=f"project:{project.pk}",
        action=action,
        actor=actor,
        object_type="project",
        object_id=str(project.pk),
        detail={"project": project.code, **detail},
        division=project.division_id,
    )


def _granted_licence(project_item: ProjectItem) -> Licence | None:
    case = project_item.case
    if case is None or case.outcome != Outcome.GRANTED:
        return None
    return Licence.objects.filter(case=case, status=LicenceStatus.VALID).first()


@transaction.atomic
def project_apply(*, actor, project_item: ProjectItem, chosen_division=None):
    """The agent applies for one of the project's items: a draft under the project's
    authorisation, once every item it depends on is granted; each of their licences is
    attached to the material that asks for that kind of licence."""
    project = Project.objects.select_for_update().get(pk=project_item.project_id)
    project_item = ProjectItem.objects.select_related("item__current", "case").get(
        pk=project_item.pk
    )
    if project.agent_id != actor.pk:
        raise NotAllowed("只有本项目的代理员可以代为申请。", code="not_the_agent")
    if project_item.case is not None and project_item.case.status not in (
        CaseStatus.NOT_ACCEPTED, CaseStatus.WITHDRAWN, CaseStatus.TERMINATED,
    ) and project_item.case.outcome != Outcome.REFUSED:  # fmt: skip
        raise Conflict("该事项已在办理中或已办结。", code="already_applied")
    prerequisites = list(project_item.depends_on.select_related("item", "case"))
    licences, waiting = [], []
    for prerequisite in prerequisites:
        licence = _granted_licence(prerequisite)
        if licence is None:
            waiting.append(prerequisite.item.current.name)
        else:
            licences.append(licence)
    if waiting:
        raise Conflict(
            f"须先取得前置事项的批准：{'、'.join(waiting)}。", code="prerequisite_not_granted"
        )
    version = project_item.item.current
    if version is None or version.status != VersionStatus.PUBLISHED:
        raise Conflict("该事项已废止或尚未发布，不能申请。", code="item_not_in_force")
    case = case_services.case_create_draft(
        actor=actor,
        item=project_item.item,
        applicant=project.investor,
        chosen_division=chosen_division,
        authorisation=project.authorisation,
        project=project,
    )
    by_kind = {r.library_type: r for r in version.materials.all() if r.library_type}
    for licence in licences:
        requirement = by_kind.get(licence.name)
        if requirement is not None:
            case_services.case_reuse_licence(
                actor=actor, case=case, requirement_id=requirement.pk, licence=licence
            )
    project_item.case = case
    project_item.save(update_fields=["case"])
    _audit(project, "project.apply", actor, {"item": project_item.item.code, "case": str(case.pk)})
    return case
