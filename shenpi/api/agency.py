"""/api/v1 for 全程代理: authorisations (signed online, revoked), project templates,
projects with their one timeline, and applying for a project's item. The pages and these
views call the same services and selectors, so who may do what is one rule
(cases.authorisations, agency.selectors). People only: a system client acts for no one."""

from __future__ import annotations

from django.http import Http404
from django.utils import timezone
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from shenpi.accounts.client_operations import ensure_client_may
from shenpi.accounts.models import User
from shenpi.agency import selectors, services
from shenpi.agency.models import ProjectTemplate
from shenpi.cases import services as case_services
from shenpi.cases.constants import AuthorisationScope
from shenpi.cases.models import Authorisation
from shenpi.catalog.models import Item
from shenpi.common.lookup import by_id, by_id_or_404

from .cases.output import CaseOut, case_response
from .idempotency import idempotent


class AuthorisationOut(serializers.Serializer):
    id = serializers.UUIDField()
    number = serializers.CharField(help_text="委托书编号")
    applicant = serializers.CharField(source="applicant.display_name", help_text="委托人")
    agent = serializers.CharField(source="agent.display_name", help_text="受托人")
    scope = serializers.ChoiceField(choices=AuthorisationScope.values)
    items = serializers.SerializerMethodField(help_text="委托事项的编码（指定事项时）")
    project_name = serializers.CharField()
    until = serializers.DateField(help_text="委托期限至（含当日）")
    method = serializers.ChoiceField(choices=["online", "window"])
    text = serializers.CharField(help_text="委托书正文")
    text_sha256 = serializers.CharField()
    signed_at = serializers.DateTimeField()
    revoked_at = serializers.DateTimeField(allow_null=True)
    live = serializers.SerializerMethodField(help_text="今日是否有效（未撤销、未到期）")

    def get_items(self, obj) -> list[str]:
        return [item.code for item in obj.items.all()]

    def get_live(self, obj) -> bool:
        return obj.revoked_at is None and obj.until >= timezone.localdate()


class AuthorisationIn(serializers.Serializer):
    agent = serializers.CharField(
        help_text="受托人：全程代理员的用户名；企业委托经办人时为其用户名"
    )
    scope = serializers.ChoiceField(choices=AuthorisationScope.values)
    items = serializers.ListField(
        child=serializers.CharField(), required=False, help_text="指定事项的编码"
    )
    project_name = serializers.CharField(required=False, allow_blank=True, max_length=100)
    until = serializers.DateField()
    confirmed = serializers.BooleanField(help_text="已阅读委托书正文并同意签署")


def _authorisations(user):
    return (
        (Authorisation.objects.filter(applicant=user) | Authorisation.objects.filter(agent=user))
        .select_related("applicant", "agent")
        .prefetch_related("items")
        .order_by("-signed_at")
    )


class AuthorisationListApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        summary="我的委托书：本人签署的和本人受托的",
        responses={200: AuthorisationOut(many=True)},
    )
    def get(self, request):
        ensure_client_may(request.user, "authorisation.act")
        return Response(AuthorisationOut(_authorisations(request.user)[:200], many=True).data)

    @extend_schema(
        summary="网上签署委托书（委托人本人）：委托全程代理员，或企业委托本单位经办人",
        request=AuthorisationIn,
        responses={201: AuthorisationOut},
    )
    @idempotent
    def post(self, request):
        ensure_client_may(request.user, "authorisation.act")
        body = AuthorisationIn(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        signed = case_services.authorisation_sign(
            actor=request.user,
            agent=User.objects.filter(username=data["agent"]).first(),
            scope=data["scope"],
            items=list(Item.objects.filter(code__in=data.get("items", []))),
            project_name=data.get("project_name", ""),
            until=data["until"],
            confirmed=data["confirmed"],
        )
        return Response(AuthorisationOut(signed).data, status=201)


class AuthorisationRevokeApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        summary="撤销委托书（委托人本人）", request=None, responses={200: AuthorisationOut}
    )
    @idempotent
    def post(self, request, pk):
        ensure_client_may(request.user, "authorisation.act")
        found = by_id_or_404(_authorisations(request.user), pk)
        done = case_services.authorisation_revoke(actor=request.user, authorisation=found)
        return Response(AuthorisationOut(done).data)


class TemplateStepOut(serializers.Serializer):
    item = serializers.CharField(source="item.code")
    name = serializers.CharField(source="item.current.name")
    depends_on = serializers.SerializerMethodField()

    def get_depends_on(self, obj) -> list[str]:
        return [step.item.code for step in obj.depends_on.all()]


class ProjectTemplateOut(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    description = serializers.CharField()
    steps = TemplateStepOut(many=True)


class ProjectTemplateListApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        summary="项目模板：一类投资项目需要的审批及其前置关系",
        responses={200: ProjectTemplateOut(many=True)},
    )
    def get(self, request):
        ensure_client_may(request.user, "project.act")
        templates = ProjectTemplate.objects.filter(is_active=True).prefetch_related(
            "steps__item__current", "steps__depends_on__item"
        )
        return Response(ProjectTemplateOut(templates, many=True).data)


class TimelineRowOut(serializers.Serializer):
    project_item = serializers.IntegerField()
    item = serializers.CharField()
    name = serializers.CharField()
    department = serializers.CharField()
    depends_on = serializers.ListField(child=serializers.IntegerField())
    state = serializers.ChoiceField(
        choices=["not_started", "draft", "correction", "running", "granted", "failed"]
    )
    case = serializers.UUIDField(allow_null=True)
    case_number = serializers.CharField(allow_null=True)
    start = serializers.DateField(allow_null=True)
    finish = serializers.DateField(allow_null=True, help_text="预计（已获批的为实际）完成日期")
    waits_on = serializers.CharField(
        help_text="agent 待代理员申请；investor 待投资者补正；department 部门办理中；prerequisite 等待前置事项"
    )
    overdue = serializers.BooleanField()
    critical = serializers.BooleanField(help_text="在关键路径上")


class ProjectOut(serializers.Serializer):
    id = serializers.UUIDField()
    code = serializers.CharField(help_text="投资项目统一代码")
    name = serializers.CharField()
    investor = serializers.CharField(source="investor.display_name")
    agent = serializers.CharField(source="agent.display_name")
    authorisation = serializers.CharField(source="authorisation.number")
    location = serializers.CharField()
    investment = serializers.DecimalField(max_digits=12, decimal_places=2, help_text="万元")
    industry = serializers.CharField()
    planned_completion = serializers.DateField(allow_null=True)


class ProjectDetailOut(ProjectOut):
    completion = serializers.DateField(allow_null=True, help_text="按工作日历推算的预计完成日期")
    light = serializers.ChoiceField(choices=["green", "yellow", "red", "done"])
    critical_path = serializers.ListField(child=serializers.IntegerField())
    timeline = TimelineRowOut(many=True)


class ProjectIn(serializers.Serializer):
    authorisation = serializers.UUIDField(help_text="投资者签署的项目委托书 id")
    name = serializers.CharField(max_length=100)
    code = serializers.CharField(max_length=24, help_text="如 2026-640100-04-01-000123")
    location = serializers.CharField(max_length=120)
    investment = serializers.CharField(help_text="总投资（万元）")
    industry = serializers.ChoiceField(choices=list(services.INDUSTRIES))
    template = serializers.IntegerField(required=False, allow_null=True)
    items = serializers.ListField(
        child=serializers.CharField(), required=False, help_text="事项编码"
    )


def _detail(project):
    today = timezone.localdate()
    plan, items = selectors.project_timeline(project, today)
    rows = []
    for row in plan.rows:
        pi = items[row.node.key]
        rows.append({
            "project_item": pi.pk, "item": pi.item.code, "name": row.node.name,
            "department": row.node.department, "depends_on": [int(k) for k in row.node.depends],
            "state": row.node.state, "case": pi.case_id,
            "case_number": pi.case.number if pi.case else None, "start": row.start,
            "finish": row.finish, "waits_on": row.waits_on, "overdue": row.overdue,
            "critical": row.critical,
        })  # fmt: skip
    data = dict(ProjectOut(project).data)
    data.update(
        completion=plan.completion,
        light=selectors.project_light(project, plan, today),
        critical_path=[int(k) for k in plan.critical_path],
        timeline=TimelineRowOut(rows, many=True).data,
    )
    return data


class ProjectListApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        summary="代理项目：代理员、投资者本人的；监察、政府负责人为辖区内的",
        responses={200: ProjectOut(many=True)},
    )
    def get(self, request):
        ensure_client_may(request.user, "project.act")
        found = selectors.projects_visible_to(request.user).order_by("-opened_at")[:200]
        return Response(ProjectOut(found, many=True).data)

    @extend_schema(
        summary="建立代理项目（全程代理员，依据投资者的项目委托书）",
        request=ProjectIn,
        responses={201: ProjectDetailOut},
    )
    @idempotent
    def post(self, request):
        ensure_client_may(request.user, "project.act")
        body = ProjectIn(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        template = (
            by_id(ProjectTemplate.objects.filter(is_active=True), data.get("template"))
            if data.get("template")
            else None
        )
        project = services.project_open(
            actor=request.user,
            authorisation=by_id(Authorisation, data["authorisation"], agent=request.user),
            name=data["name"],
            code=data["code"],
            location=data["location"],
            investment=data["investment"],
            industry=data["industry"],
            template=template,
            items=list(Item.objects.filter(code__in=data.get("items", []))),
        )
        return Response(_detail(project), status=201)


class ProjectDetailApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        summary="代理项目的时间线：各事项状态与期限、前置关系、关键路径、预计完成日期",
        responses={200: ProjectDetailOut},
    )
    def get(self, request, pk):
        ensure_client_may(request.user, "project.act")
        return Response(_detail(selectors.project_for(request.user, pk, request)))


class ProjectApplyApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        summary="代为申请项目的一个事项（前置事项须已获批；其证照自动作为相应材料）",
        request=None,
        responses={201: CaseOut},
    )
    @idempotent
    def post(self, request, pk, item_pk):
        ensure_client_may(request.user, "project.act")
        project = selectors.project_for(request.user, pk, request)
        project_item = by_id(project.items.all(), item_pk)
        if project_item is None:
            raise Http404
        case = services.project_apply(actor=request.user, project_item=project_item)
        response = case_response(request, case)
        response.status_code = 201
        return response
