"""/api/v1 for 电子证照共享: a department's system (or official) reads a holder's licences by
consent or stated lawful need, every read audited; the holder grants and revokes consent."""

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiExample, extend_schema
from rest_framework import serializers
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from shenpi.accounts.models import Department
from shenpi.cases import services
from shenpi.cases.models import LicenceConsent
from shenpi.common.lookup import by_id_or_404

from .idempotency import idempotent


class LicenceLookupIn(serializers.Serializer):
    holder_code = serializers.CharField(max_length=18, help_text="身份证号码或统一社会信用代码")
    holder_name = serializers.CharField(max_length=100)
    basis = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=200,
        help_text="持证人未授权本部门时：依法调用的依据（法律法规名称及条款）",
    )


class SharedLicenceOut(serializers.Serializer):
    number = serializers.CharField()
    name = serializers.CharField()
    item = serializers.CharField(source="item.code")
    department = serializers.CharField(source="department.name")
    scope = serializers.CharField()
    valid_from = serializers.DateField()
    valid_until = serializers.DateField(allow_null=True)
    status = serializers.CharField()
    verify = serializers.SerializerMethodField()

    def get_verify(self, obj) -> str:
        return f"/verify/licence/{obj.verification_code}/"


class SharedLicencesOut(serializers.Serializer):
    holder_name = serializers.CharField()
    by = serializers.ChoiceField(choices=["consent", "basis"])
    consent_until = serializers.DateField(allow_null=True)
    basis = serializers.CharField(allow_blank=True)
    licences = SharedLicenceOut(many=True)


class LicenceLookupApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        operation_id="licence_library_lookup",
        summary="电子证照调用：按持证人授权或依法调用其有效证照（每次调用都记入持证人的审计记录）",
        request=LicenceLookupIn,
        responses=SharedLicencesOut,
        examples=[
            OpenApiExample(
                "依法调用",
                value={
                    "holder_code": "640104199003071236",
                    "holder_name": "张三",
                    "basis": "《食品经营许可和备案管理办法》第十五条",
                },
                request_only=True,
            )
        ],
    )
    def post(self, request):
        body = LicenceLookupIn(data=request.data)
        body.is_valid(raise_exception=True)
        shared = services.licences_shared(actor=request.user, **body.validated_data)
        return Response(
            SharedLicencesOut(
                {
                    "holder_name": shared.holder_name,
                    "by": "consent" if shared.consent else "basis",
                    "consent_until": shared.consent.until if shared.consent else None,
                    "basis": shared.basis,
                    "licences": shared.licences,
                }
            ).data
        )


class LicenceConsentIn(serializers.Serializer):
    department = serializers.CharField(max_length=40, help_text="部门代码")
    purpose = serializers.CharField(max_length=200)
    until = serializers.DateField()


class LicenceConsentOut(serializers.Serializer):
    id = serializers.UUIDField()
    department = serializers.CharField(source="department.code")
    department_name = serializers.CharField(source="department.name")
    purpose = serializers.CharField()
    until = serializers.DateField()
    granted_at = serializers.DateTimeField()
    revoked_at = serializers.DateTimeField(allow_null=True)


class ConsentListApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(summary="我的证照共享授权", responses=LicenceConsentOut(many=True))
    def get(self, request):
        mine = LicenceConsent.objects.filter(holder=request.user).select_related("department")
        return Response(LicenceConsentOut(mine.order_by("-granted_at")[:200], many=True).data)

    @extend_schema(
        summary="授权某部门调用我的电子证照",
        request=LicenceConsentIn,
        responses={201: LicenceConsentOut},
    )
    @idempotent
    def post(self, request):
        body = LicenceConsentIn(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        department = get_object_or_404(Department, code=data["department"])
        consent = services.consent_grant(
            actor=request.user, department=department, purpose=data["purpose"], until=data["until"]
        )
        return Response(LicenceConsentOut(consent).data, status=201)


class ConsentRevokeApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(summary="撤回证照共享授权", request=None, responses=LicenceConsentOut)
    @idempotent
    def post(self, request, pk):
        consent = by_id_or_404(LicenceConsent.objects.filter(holder_id=request.user.pk), pk)
        return Response(
            LicenceConsentOut(services.consent_revoke(actor=request.user, consent=consent)).data
        )
