"""告知承诺 over the API: the applicant signs (or takes back) the commitment on a draft;
the department lists its post-checks and records a result. The same services as the
pages; a system client signs for no one and records no check."""

from __future__ import annotations

from django.utils import timezone
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from shenpi.accounts.client_operations import ensure_client_may
from shenpi.cases import services
from shenpi.cases.constants import PostCheckStatus
from shenpi.common.lookup import by_id_or_404

from ..idempotency import idempotent
from .output import CaseOut, case_for, case_response


class CommitmentIn(serializers.Serializer):
    confirmed = serializers.BooleanField(required=False, help_text="已阅读承诺书全文并确认")
    withdraw = serializers.BooleanField(required=False, help_text="撤回承诺，改为提交证明材料")


class CaseCommitmentApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        summary="告知承诺：在草稿上签署（或撤回）承诺书，承诺时限按事项的告知承诺时限",
        request=CommitmentIn,
        responses={200: CaseOut},
    )
    @idempotent
    def post(self, request, pk):
        ensure_client_may(request.user, "commitment.sign")
        body = CommitmentIn(data=request.data)
        body.is_valid(raise_exception=True)
        case = services.case_commit(
            actor=request.user,
            case=case_for(request, pk),
            confirmed=body.validated_data.get("confirmed", False),
            withdraw=body.validated_data.get("withdraw", False),
        )
        return case_response(request, case)


class PostCheckOut(serializers.Serializer):
    id = serializers.UUIDField()
    case = serializers.UUIDField(source="case_id")
    number = serializers.CharField(source="case.number")
    item = serializers.CharField(source="case.version.name")
    department = serializers.CharField(source="department.name")
    due = serializers.DateField(help_text="核查期限")
    status = serializers.ChoiceField(choices=PostCheckStatus.values)
    light = serializers.SerializerMethodField(
        help_text="green、yellow（最后两个工作日）、red（逾期）"
    )
    findings = serializers.CharField()
    checked_at = serializers.DateTimeField(allow_null=True)

    def get_light(self, obj) -> str:
        return services.post_check_light(obj, timezone.localdate())


class PostCheckResultIn(serializers.Serializer):
    result = serializers.ChoiceField(choices=["passed", "failed"])
    findings = serializers.CharField(max_length=2000)


class PostCheckListApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        summary="告知承诺事后核查：本部门的；监察机构为辖区内的（待核查、逾期在前）",
        responses={200: PostCheckOut(many=True)},
    )
    def get(self, request):
        ensure_client_may(request.user, "post_check.act")
        checks = services.post_checks_visible_to(request.user).order_by("status", "due")[:200]
        return Response(PostCheckOut(checks, many=True).data)


class PostCheckResultApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        summary="记录核查结果（一次）；承诺不实由发证部门负责人记录并撤销许可（第六十九条）",
        request=PostCheckResultIn,
        responses={200: PostCheckOut},
    )
    @idempotent
    def post(self, request, pk):
        ensure_client_may(request.user, "post_check.act")
        body = PostCheckResultIn(data=request.data)
        body.is_valid(raise_exception=True)
        check = by_id_or_404(services.post_checks_visible_to(request.user), pk)
        done = services.post_check_record(
            actor=request.user,
            check=check,
            passed=body.validated_data["result"] == "passed",
            findings=body.validated_data["findings"],
        )
        return Response(PostCheckOut(done).data)
