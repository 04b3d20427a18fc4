"""/api/v1 for 一件事一次办: the published bundles with their combined form and merged
materials, one application in one request (with an Idempotency-Key, like the one-request
submission), and its progress. The page and these views call the same services."""

from __future__ import annotations

import json

from django.http import Http404
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from shenpi.accounts.client_operations import ensure_client_may
from shenpi.accounts.constants import AccountType
from shenpi.cases import services
from shenpi.cases.constants import BundleDelivery
from shenpi.cases.models import BundleApplication
from shenpi.catalog.bundles import bundle_items, combined_form, merged_materials, published_bundles
from shenpi.common.lookup import by_id
from shenpi.core.errors import InvalidInput, NotAllowed

from .idempotency import idempotent


class BundleMaterialOut(serializers.Serializer):
    field = serializers.CharField(help_text="上传时的文件字段名")
    name = serializers.CharField()
    required = serializers.BooleanField()
    items = serializers.ListField(child=serializers.CharField(), help_text="用于哪些事项")


class BundleOut(serializers.Serializer):
    code = serializers.CharField()
    version = serializers.IntegerField(help_text="现行版本号")
    name = serializers.CharField()
    event = serializers.CharField()
    items = serializers.ListField(child=serializers.CharField(), help_text="事项编码")
    form_fields = serializers.ListField(
        child=serializers.DictField(), help_text="合并后的申请表字段"
    )
    materials = BundleMaterialOut(many=True)


def _bundle(bundle) -> dict:
    items = bundle_items(bundle)
    return {
        "code": bundle.code,
        "version": bundle.number,
        "name": bundle.name,
        "event": bundle.event,
        "items": [item.code for item in items],
        "form_fields": combined_form(items),
        "materials": [
            {"field": f"m_{n}", "name": m.name, "required": m.required, "items": m.item_names}
            for n, m in enumerate(merged_materials(items))
        ],
    }


class BundleListApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        summary="一件事一次办：已发布的套餐、合并的申请表与材料清单",
        responses={200: BundleOut(many=True)},
    )
    def get(self, request):
        return Response(BundleOut([_bundle(b) for b in published_bundles()], many=True).data)


class BundleCaseOut(serializers.Serializer):
    id = serializers.UUIDField()
    number = serializers.CharField()
    item = serializers.CharField(source="item.code")
    name = serializers.CharField(source="version.name")
    department = serializers.CharField(source="department.name")
    status = serializers.CharField()
    outcome = serializers.CharField()
    promised_due = serializers.DateField(allow_null=True)


class BundleApplicationOut(serializers.Serializer):
    id = serializers.UUIDField()
    bundle = serializers.CharField(source="bundle.code")
    delivery = serializers.ChoiceField(choices=BundleDelivery.values)
    submitted_at = serializers.DateTimeField()
    correction_sent_at = serializers.DateTimeField(allow_null=True, help_text="合并补正告知的时间")
    all_done = serializers.BooleanField()
    cases = BundleCaseOut(many=True)


def _application(application) -> dict:
    progress = services.bundle_progress(application)
    return BundleApplicationOut(
        {
            "id": application.pk,
            "bundle": application.bundle,
            "delivery": application.delivery,
            "submitted_at": application.submitted_at,
            "correction_sent_at": application.correction_sent_at,
            "all_done": progress["all_done"],
            "cases": progress["cases"],
        }
    ).data


class BundleApplyApi(APIView):
    permission_classes = [IsAuthenticated]
    parser_classes = [MultiPartParser, FormParser]

    @extend_schema(
        summary="一件事一次申请（申请人本人）：一张表、每份材料一次、一次提交，每个事项各生成一个办件",
        request={
            "multipart/form-data": {
                "type": "object",
                "properties": {
                    "form": {"type": "string", "description": "合并申请表 JSON"},
                    "declaration": {"type": "boolean"},
                    "delivery": {"type": "string", "enum": list(BundleDelivery.values)},
                },
                "additionalProperties": {
                    "type": "string",
                    "format": "binary",
                    "description": "m_<序号>：材料清单中第几份材料的文件",
                },
            }
        },
        responses={201: BundleApplicationOut},
    )
    @idempotent
    def post(self, request, code):
        ensure_client_may(request.user, "bundle.apply")
        if request.user.account_type not in (AccountType.PERSON, AccountType.ENTERPRISE):
            raise NotAllowed("只有自然人或法人可以申请。", code="not_an_applicant")
        bundle = published_bundles().filter(code=code).first()
        if bundle is None:
            raise Http404
        try:
            form = json.loads(request.data.get("form") or "{}")
        except ValueError:
            raise InvalidInput(
                "form 须为 JSON 对象。", errors={"form": ["JSON 格式错误。"]}
            ) from None
        materials = merged_materials(bundle_items(bundle))
        uploads = {}
        for name, upload in request.FILES.items():
            n = name[2:]
            if not name.startswith("m_") or not n.isdigit() or int(n) >= len(materials):
                raise InvalidInput(f"未知的文件字段 {name}。", errors={name: ["应为 m_<序号>。"]})
            uploads[materials[int(n)].key] = upload
        application = services.bundle_apply(
            actor=request.user,
            bundle=bundle,
            applicant=request.user,
            form_data=form if isinstance(form, dict) else {},
            uploads=uploads,
            declaration=str(request.data.get("declaration", "")).lower() in ("true", "1", "on"),
            delivery=request.data.get("delivery") or BundleDelivery.TOGETHER,
        )
        return Response(_application(application), status=201)


class BundleApplicationApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        summary="一件事申请的办理进度（申请人本人）", responses={200: BundleApplicationOut}
    )
    def get(self, request, pk):
        ensure_client_may(request.user, "bundle.apply")
        application = by_id(
            BundleApplication.objects.select_related("bundle"), pk, applicant_id=request.user.pk
        )
        if application is None:
            raise Http404
        return Response(_application(application))
