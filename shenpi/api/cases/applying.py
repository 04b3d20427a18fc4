"""Applying over the API: a draft, its materials and submission step by step, or a whole
application in one request (department systems and lower platforms)."""

from __future__ import annotations

import json

from django.http import Http404
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from shenpi.accounts.client_operations import ensure_client_may, is_client
from shenpi.accounts.constants import ClientAction
from shenpi.accounts.models import Division, User
from shenpi.accounts.services import applicant_named
from shenpi.cases import services
from shenpi.cases.models import Authorisation
from shenpi.catalog.models import Item
from shenpi.common.queries import JoinedLookup
from shenpi.core.errors import InvalidInput, NotAllowed

from ..idempotency import idempotent
from ..permissions import client_action
from .output import CaseMaterialOut, CaseOut, case_for, case_response


class DraftIn(serializers.Serializer):
    item = serializers.CharField(help_text="事项编码")
    division = serializers.CharField(
        required=False, allow_blank=True, help_text="两级审批事项：所选区划代码"
    )
    authorisation = serializers.UUIDField(
        required=False,
        allow_null=True,
        help_text="代为申请：受托人所持委托书的 id（申请人即委托人，渠道为全程代理）",
    )


class CaseDraftApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        summary="创建申请草稿（申请人本人，或受托人依据委托书代为申请）",
        request=DraftIn,
        responses={201: CaseOut},
    )
    @idempotent
    def post(self, request):
        ensure_client_may(request.user, "case.draft")
        body = DraftIn(data=request.data)
        body.is_valid(raise_exception=True)
        item = get_object_or_404(Item, code=body.validated_data["item"])
        division = Division.objects.filter(code=body.validated_data.get("division") or "").first()
        authorisation = None
        if body.validated_data.get("authorisation"):
            # Another's authorisation answers as none: the service says the agent has none.
            authorisation = (
                Authorisation.objects.select_related("applicant")
                .filter(pk=body.validated_data["authorisation"], agent_id=request.user.pk)
                .first()
            )
            if authorisation is None:
                raise NotAllowed("您没有该委托书，不能代为申请。", code="no_authorisation")
        case = services.case_create_draft(
            actor=request.user,
            item=item,
            chosen_division=division,
            channel="api" if getattr(request.user, "is_system_client", False) else "online",
            applicant=authorisation.applicant if authorisation else None,
            authorisation=authorisation,
        )
        response = case_response(request, case)
        response.status_code = 201
        return response


class MaterialUploadApi(APIView):
    permission_classes = [IsAuthenticated]
    parser_classes = [MultiPartParser, FormParser]

    @extend_schema(
        summary="上传一份材料（multipart：requirement、file）",
        request={
            "multipart/form-data": {
                "type": "object",
                "properties": {
                    "requirement": {"type": "integer"},
                    "file": {"type": "string", "format": "binary"},
                },
                "required": ["requirement", "file"],
            }
        },
        responses={201: CaseMaterialOut},
    )
    def post(self, request, pk):
        ensure_client_may(request.user, "case.material")
        case = case_for(request, pk)
        upload = request.FILES.get("file")
        if upload is None:
            raise InvalidInput("请上传文件。", errors={"file": ["缺少文件。"]})
        material = services.case_add_material(
            actor=request.user,
            case=case,
            requirement_id=request.data.get("requirement"),
            upload=upload,
        )
        return Response(CaseMaterialOut(material).data, status=201)


class SubmitIn(serializers.Serializer):
    declaration = serializers.BooleanField(help_text="申请人承诺材料真实（第三十一条）")
    form = serializers.DictField(required=False, help_text="申请表字段")


class CaseSubmitApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        summary="提交申请（建议带 Idempotency-Key）", request=SubmitIn, responses=CaseOut
    )
    @idempotent
    def post(self, request, pk):
        ensure_client_may(request.user, "case.submit")
        body = SubmitIn(data=request.data)
        body.is_valid(raise_exception=True)
        case = services.case_submit(
            actor=request.user,
            case=case_for(request, pk),
            declaration=body.validated_data["declaration"],
            form_data=body.validated_data.get("form"),
        )
        return case_response(request, case)


# What every one-request submission looks up, each by one SQL statement written once per
# process (JoinedLookup): the item with its version in force and its department's division
# (the checks and the case number need them); the applicant the client names is found the
# same way (accounts.services.applicant_named).
_ITEM = JoinedLookup(Item, ("current", "department__division"), "t0.code = %s")


def _applicant_for(data) -> User:
    """A system client names its applicant (CONTRACTS.md) by code and name."""
    return applicant_named(
        code=str(data.get("applicant_code", "")),
        name=str(data.get("applicant_name", "")),
        mobile=str(data.get("applicant_mobile", "")),
        kind=str(data.get("applicant_kind", "")),
    )


class SubmittedOut(serializers.Serializer):
    """What a submitting system needs back: the case number and where to follow it (the
    whole case is at `url`, GET /api/v1/cases/{id}/)."""

    id = serializers.UUIDField()
    number = serializers.CharField()
    status = serializers.CharField()
    status_display = serializers.CharField(source="get_status_display")
    channel = serializers.CharField()
    item = serializers.CharField(source="item.code")
    department = serializers.CharField(source="department.code")
    applicant_name = serializers.CharField()
    received_at = serializers.DateTimeField()
    correction_due = serializers.DateField()
    materials = CaseMaterialOut(many=True, source="submitted_materials")
    url = serializers.SerializerMethodField()

    def get_url(self, obj) -> str:
        return f"/api/v1/cases/{obj.pk}/"

    def to_representation(self, case):
        """Written out directly, as the fields above write it (every submission answers with
        it; DRF's field-by-field writing of it and its three materials was a twentieth of a
        submission's Python). `test_the_submitted_answer_is_what_its_fields_write` holds the
        two together."""
        stamp = _STAMP.to_representation
        return {
            "id": str(case.pk),
            "number": str(case.number),
            "status": str(case.status),
            "status_display": str(case.get_status_display()),
            "channel": str(case.channel),
            "item": str(case.item.code),
            "department": str(case.department.code),
            "applicant_name": str(case.applicant_name),
            "received_at": stamp(case.received_at) if case.received_at else None,
            "correction_due": case.correction_due.isoformat() if case.correction_due else None,
            "materials": [
                {
                    "id": str(m.pk),
                    "requirement": int(m.requirement_id),
                    "requirement_name": str(m.requirement.name),
                    "name": str(m.name),
                    "content_type": str(m.content_type),
                    "size": int(m.size),
                    "sha256": str(m.sha256),
                    "round": int(m.round),
                    "original_seen_at": stamp(m.original_seen_at) if m.original_seen_at else None,
                }
                for m in case.submitted_materials
            ],
            "url": f"/api/v1/cases/{case.pk}/",
        }


_STAMP = serializers.DateTimeField()  # the API's form of a moment (ISO 8601, local time)


class OneRequestSubmitApi(APIView):
    """A department system or a lower-level platform submits a whole application in one
    multipart request: the form as JSON, one file per material (field `m_<requirement id>`).
    One transaction (`services.case_submit_whole`): all of it is received, or nothing."""

    permission_classes = [IsAuthenticated, client_action(ClientAction.CASE_SUBMIT)]
    parser_classes = [MultiPartParser, FormParser]

    @extend_schema(
        operation_id="cases_submit_one_request",
        summary="一次提交完整申请（系统接入）",
        request={
            "multipart/form-data": {
                "type": "object",
                "properties": {
                    "item": {"type": "string"},
                    "division": {"type": "string"},
                    "applicant_code": {
                        "type": "string",
                        "description": "身份证号码或统一社会信用代码",
                    },
                    "applicant_kind": {
                        "type": "string",
                        "enum": ["person", "enterprise"],
                        "description": "申请人类型（可选）：person 自然人，enterprise 法人；"
                        "不填时按号码的完整校验判断（两种校验都通过的号码按身份证号码，"
                        "除非已有企业以其为统一社会信用代码）",
                    },
                    "applicant_name": {"type": "string"},
                    "applicant_mobile": {"type": "string"},
                    "form": {"type": "string", "description": "申请表 JSON"},
                    "declaration": {"type": "boolean"},
                },
                "additionalProperties": {
                    "type": "string",
                    "format": "binary",
                    "description": "m_<材料编号>：材料文件",
                },
            }
        },
        responses={201: SubmittedOut},
    )
    @idempotent
    def post(self, request):
        if not is_client(request.user):
            raise NotAllowed("一次提交接口供系统客户端使用。", code="clients_only")
        ensure_client_may(request.user, "case.submit_whole")
        data = request.data
        try:
            form = json.loads(data.get("form") or "{}")
        except ValueError:
            raise InvalidInput(
                "form 须为 JSON 对象。", errors={"form": ["JSON 格式错误。"]}
            ) from None
        uploads = {}
        for field, upload in request.FILES.items():
            if not field.startswith("m_") or not field[2:].isdigit():
                raise InvalidInput(
                    f"未知的文件字段 {field}。", errors={field: ["应为 m_<材料编号>。"]}
                )
            uploads[field[2:]] = upload
        item = _ITEM.get([str(data.get("item", ""))])
        if item is None:
            raise Http404
        division = None
        if data.get("division"):
            division = Division.objects.filter(code=data["division"]).first()
        case = services.case_submit_whole(
            actor=request.user,
            item=item,
            applicant=_applicant_for(data),
            chosen_division=division,
            uploads=uploads,
            declaration=str(data.get("declaration", "")).lower() in ("true", "1", "on"),
            form_data=form if isinstance(form, dict) else {},
        )
        return Response(SubmittedOut(case).data, status=201)
