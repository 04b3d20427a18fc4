"""Reading cases: the caller's list, one case, the applicant's numbers on record,
tracking by number and password, verifying a licence."""

from __future__ import annotations

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, serializers
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from shenpi.accounts.client_operations import ensure_client_may
from shenpi.accounts.constants import ClientAction
from shenpi.audit.services import client_ip
from shenpi.cases import selectors, services
from shenpi.cases.constants import CaseStatus, LicenceStatus
from shenpi.core.errors import InvalidInput

from ..permissions import client_action
from .output import CaseOut, EventOut, case_for, case_response


class CaseListApi(generics.ListAPIView):
    """The caller's cases: an applicant's own; staff and clients see their scope."""

    serializer_class = CaseOut
    permission_classes = [IsAuthenticated, client_action(ClientAction.CASE_READ)]

    def get_queryset(self):
        qs = (
            selectors.cases_visible_to(self.request.user)
            .prefetch_related("notices", "materials__requirement", "tasks__department")
            .order_by("pk")
        )
        status = self.request.query_params.get("status")
        if status and status not in CaseStatus.values:
            raise InvalidInput("status 不是有效的办件状态。", errors={"status": ["无效。"]})
        return qs.filter(status=status) if status else qs

    @extend_schema(
        summary="办件列表", parameters=[OpenApiParameter("status", str, enum=CaseStatus.values)]
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)


class CaseDetailApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(summary="办件详情", responses=CaseOut)
    def get(self, request, pk):
        ensure_client_may(request.user, "case.read")
        return case_response(request, case_for(request, pk))


class CasePersonalOut(serializers.Serializer):
    applicant_name = serializers.CharField()
    applicant_code = serializers.CharField(help_text="身份证号码或统一社会信用代码（明文）")
    applicant_mobile = serializers.CharField(allow_blank=True, help_text="联系电话（明文）")


class CasePersonalApi(APIView):
    """The applicant's numbers in clear for a reader whose work needs them; each read is
    audited, the answer is not cached (the same service as the page)."""

    permission_classes = [IsAuthenticated]

    @extend_schema(
        summary="申请人完整证件号码与联系电话（查看记入审计）", responses=CasePersonalOut
    )
    def get(self, request, pk):
        case = case_for(request, pk)
        numbers = services.case_personal_read(actor=request.user, case=case)
        response = Response(CasePersonalOut(numbers).data)
        response["Cache-Control"] = "no-store, private"
        return response


class TrackIn(serializers.Serializer):
    number = serializers.CharField(max_length=20)
    password = serializers.CharField(max_length=12)


class TrackOut(serializers.Serializer):
    number = serializers.CharField()
    item_name = serializers.CharField(source="version.name")
    department = serializers.CharField(source="department.name")
    status = serializers.CharField()
    status_display = serializers.CharField(source="get_status_display")
    outcome = serializers.CharField()
    promised_due = serializers.DateField(allow_null=True)
    statutory_due = serializers.DateField(allow_null=True)
    events = serializers.SerializerMethodField()

    def get_events(self, obj) -> list[dict]:
        return EventOut(obj.events.filter(public=True).select_related("department"), many=True).data


class TrackApi(APIView):
    """Anyone holding a case number and its query password (rate-limited per address)."""

    authentication_classes = []
    permission_classes = [AllowAny]

    @extend_schema(
        summary="凭办件编号和查询密码查询进度", request=TrackIn, responses=TrackOut, auth=[]
    )
    def post(self, request):
        body = TrackIn(data=request.data)
        body.is_valid(raise_exception=True)
        case = selectors.case_tracked(
            client_ip(request._request),
            body.validated_data["number"],
            body.validated_data["password"],
        )
        return Response(TrackOut(case).data)


class SignatureOut(serializers.Serializer):
    signed = serializers.BooleanField(help_text="文件是否带有电子签名")
    valid = serializers.BooleanField(help_text="签名完好且证书由本平台签发")
    signer = serializers.CharField(help_text="签名机关（证书中的名称）")
    signed_at = serializers.DateTimeField(allow_null=True)
    problem = serializers.CharField(help_text="无效时的原因")


class LicenceVerifyOut(serializers.Serializer):
    valid = serializers.BooleanField()
    signature = SignatureOut(help_text="证照文件的电子签名（PAdES），由发证机关签署")
    number = serializers.CharField()
    status = serializers.CharField()
    valid_from = serializers.DateField()
    valid_until = serializers.DateField(allow_null=True)
    deemed_renewed = serializers.BooleanField()
    public = serializers.BooleanField(
        help_text="事项的许可决定是否公开；不公开时只核验编号、状态和有效期"
    )
    name = serializers.CharField(help_text="不公开时为空")
    holder = serializers.CharField(help_text="自然人姓名脱敏（张*）；不公开时为空")
    department = serializers.CharField(help_text="不公开时为空")


class LicenceVerifyApi(APIView):
    """Verify a licence by the code of its QR link, or by its number (open to anyone; holder masked)."""

    authentication_classes = []
    permission_classes = [AllowAny]

    @extend_schema(
        summary="核验证照（凭二维码核验码或证照编号）",
        auth=[],
        responses=LicenceVerifyOut,
        parameters=[
            OpenApiParameter("code", str, description="二维码中的核验码"),
            OpenApiParameter("number", str, description="证照编号"),
        ],
    )
    def get(self, request):
        from shenpi.audit.services import client_ip
        from shenpi.cases.licences import licence_public_view, licence_verify_allowed
        from shenpi.cases.models import Licence
        from shenpi.core.errors import NotFound

        licence_verify_allowed(client_ip(request._request))
        code = request.query_params.get("code", "").strip().upper()[:32]
        number = request.query_params.get("number", "").strip()[:40]
        qs = Licence.objects.select_related("department", "holder", "case__version")
        licence = (
            qs.filter(verification_code=code).first()
            if code
            else qs.filter(number=number).first()
            if number
            else None
        )
        if licence is None:
            raise NotFound("未找到该证照。")
        view = licence_public_view(licence)
        return Response(
            LicenceVerifyOut({**view, "valid": view["status"] == LicenceStatus.VALID}).data
        )
