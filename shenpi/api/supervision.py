"""/api/v1 for supervision: warnings, monitoring counts, orders and answers."""

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from shenpi.accounts.constants import Role
from shenpi.cases.selectors import case_for_user, cases_visible_to
from shenpi.core.errors import NotAllowed
from shenpi.supervision import selectors, services
from shenpi.supervision.models import SupervisionOrder, Warning

from .idempotency import idempotent


def _supervisor(request):
    user = request.user
    if getattr(user, "is_system_client", False) or not user.has_role(Role.SUPERVISOR, Role.LEADER):
        raise NotAllowed("只有电子监察人员可以访问。", code="supervisors_only")


class WarningOut(serializers.Serializer):
    id = serializers.IntegerField()
    case = serializers.UUIDField(source="case_id")
    case_number = serializers.CharField(source="case.number")
    kind = serializers.CharField()
    level = serializers.CharField()
    department = serializers.CharField(source="department.code")
    due = serializers.DateField(allow_null=True)
    rule = serializers.CharField(source="rule_id")
    raised_at = serializers.DateTimeField()


class WarningListApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        summary="在办预警（本人监察范围内，最多 500 条）",
        responses=WarningOut(many=True),
        parameters=[OpenApiParameter("level", str, enum=["yellow", "red"])],
    )
    def get(self, request):
        _supervisor(request)
        qs = (
            Warning.objects.filter(cleared_at__isnull=True, case__in=cases_visible_to(request.user))
            .select_related("case", "department")
            .order_by("-level", "due")
        )
        level = request.query_params.get("level")
        if level:
            qs = qs.filter(level=level)
        return Response({"results": WarningOut(qs[:500], many=True).data})


class MonitorApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(summary="监控计数与大屏数据", responses={200: dict})
    def get(self, request):
        _supervisor(request)
        return Response(selectors.screen_figures(request.user))


class OrderIn(serializers.Serializer):
    case = serializers.UUIDField()
    text = serializers.CharField()
    answer_due = serializers.DateField()


class OrderOut(serializers.ModelSerializer):
    case = serializers.UUIDField(source="case_id")
    department = serializers.CharField(source="department.code")

    class Meta:
        model = SupervisionOrder
        fields = [
            "id",
            "case",
            "department",
            "text",
            "answer_due",
            "issued_at",
            "answer",
            "answered_at",
        ]


class OrderApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(summary="发出督办", request=OrderIn, responses={201: OrderOut})
    @idempotent
    def post(self, request):
        body = OrderIn(data=request.data)
        body.is_valid(raise_exception=True)
        case = case_for_user(request.user, body.validated_data["case"])
        order = services.order_issue(
            actor=request.user,
            case=case,
            text=body.validated_data["text"],
            answer_due=body.validated_data["answer_due"],
        )
        return Response(OrderOut(order).data, status=201)


class AnswerIn(serializers.Serializer):
    answer = serializers.CharField()


class OrderAnswerApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(summary="答复督办（部门负责人）", request=AnswerIn, responses=OrderOut)
    @idempotent
    def post(self, request, pk):
        body = AnswerIn(data=request.data)
        body.is_valid(raise_exception=True)
        order = services.order_answer(
            actor=request.user,
            order=get_object_or_404(SupervisionOrder, pk=pk),
            answer=body.validated_data["answer"],
        )
        return Response(OrderOut(order).data)
