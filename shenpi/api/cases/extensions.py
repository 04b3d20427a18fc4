"""延期审批 over the API (TL-01/TL-02, Art. 42): the approver's pending requests and
their decision. The official asks through the case's review actions (`extension_ask`);
the page and this call the same selectors and service, so who may approve is one rule
(cases.access)."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from shenpi.accounts.client_operations import ensure_client_may
from shenpi.cases import selectors, services

from ..idempotency import idempotent


class ExtensionRequestOut(serializers.Serializer):
    id = serializers.UUIDField()
    case = serializers.UUIDField(source="case_id")
    number = serializers.CharField(source="case.number")
    item = serializers.CharField(source="case.version.name")
    statutory_due = serializers.DateField(
        source="case.statutory_due", help_text="法定期限：须在此日（含）前批准（第四十二条）"
    )
    days = serializers.IntegerField(help_text="申请延长的工作日")
    reasons = serializers.CharField()
    asked_by = serializers.CharField(source="asked_by.display_name")
    asked_at = serializers.DateTimeField()
    needs_leader = serializers.BooleanField(
        help_text="true：统一、联合、集中办理，由本级人民政府负责人批准（第四十二条第二款）"
    )
    status = serializers.ChoiceField(choices=["pending", "approved", "refused"])
    decided_at = serializers.DateTimeField(allow_null=True)
    answer = serializers.CharField()


class ExtensionDecisionIn(serializers.Serializer):
    decision = serializers.ChoiceField(choices=["approve", "refuse"])
    answer = serializers.CharField(
        required=False, allow_blank=True, max_length=300, help_text="审批意见；不予批准时必填"
    )


class ExtensionQueueApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        summary="延期审批：本人待批的延期申请（部门负责人或本级人民政府负责人），法定期限近者在前",
        responses={200: ExtensionRequestOut(many=True)},
    )
    def get(self, request):
        ensure_client_may(request.user, "extension.decide")
        rows = selectors.extension_queue(request.user)[:200]
        return Response(ExtensionRequestOut(rows, many=True).data)


class ExtensionDecisionApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        summary="延期审批：批准或不予批准（批准即延长期限并生成告知书）",
        request=ExtensionDecisionIn,
        responses={200: ExtensionRequestOut},
    )
    @idempotent
    def post(self, request, pk):
        ensure_client_may(request.user, "extension.decide")
        body = ExtensionDecisionIn(data=request.data)
        body.is_valid(raise_exception=True)
        found = selectors.extension_for_approver(request.user, pk)
        done = services.extension_decide(
            actor=request.user,
            request=found,
            approve=body.validated_data["decision"] == "approve",
            answer=body.validated_data.get("answer", ""),
        )
        return Response(ExtensionRequestOut(done).data)
