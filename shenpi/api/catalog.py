"""/api/v1 for the catalogue (open data) and publications; drafting for department systems."""

from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import generics, serializers
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from shenpi.accounts.constants import ClientAction
from shenpi.catalog import selectors, services
from shenpi.catalog.constants import EDITABLE, FORM_FILE_TYPES
from shenpi.catalog.models import FormFile, Item, ItemVersion
from shenpi.core.errors import NotFound
from shenpi.publishing.models import Publication, PublicationStatus

from .idempotency import idempotent
from .pagination import CodeCursorPagination, PublishedCursorPagination
from .permissions import client_action


class FormFileOut(serializers.ModelSerializer):
    download = serializers.SerializerMethodField()

    class Meta:
        model = FormFile
        fields = ["id", "title", "kind", "content_type", "size", "sha256", "download"]

    def get_download(self, obj) -> str:
        return f"/api/v1/forms/{obj.pk}/"


class MaterialOut(serializers.Serializer):
    order = serializers.IntegerField()
    name = serializers.CharField()
    required = serializers.BooleanField()
    copies_kind = serializers.CharField()
    copies = serializers.IntegerField()
    medium = serializers.CharField()
    show_original = serializers.BooleanField()
    source = serializers.CharField()
    library_type = serializers.CharField()
    lenient_allowed = serializers.BooleanField()
    notes = serializers.CharField()
    template = FormFileOut(allow_null=True)
    sample = FormFileOut(allow_null=True)


class FeeOut(serializers.Serializer):
    name = serializers.CharField()
    standard = serializers.CharField()
    legal_basis = serializers.CharField()


VERSION_OUT_FIELDS = ["id", "number", "status", "effective_from"] + [
    f.removesuffix("_id") for f in services.VERSION_FIELDS
]


class VersionOut(serializers.ModelSerializer):
    item = serializers.CharField(source="item.code")
    department = serializers.CharField(source="item.department.code")
    themes = serializers.SlugRelatedField(many=True, read_only=True, slug_field="code")
    materials = MaterialOut(many=True)
    fees = FeeOut(many=True)

    class Meta:
        model = ItemVersion
        fields = ["item", "department", "themes", "materials", "fees"] + VERSION_OUT_FIELDS


class ItemOut(serializers.ModelSerializer):
    name = serializers.CharField(source="current.name")
    kind = serializers.CharField(source="current.kind")
    department = serializers.CharField(source="department.code")
    department_name = serializers.CharField(source="department.name")
    division = serializers.CharField(source="department.division_id")
    version = serializers.IntegerField(source="current.number")
    promised_days = serializers.IntegerField(source="current.promised_days")
    statutory_days = serializers.IntegerField(source="current.statutory_days")

    class Meta:
        model = Item
        fields = [
            "id",
            "code",
            "name",
            "kind",
            "department",
            "department_name",
            "division",
            "version",
            "promised_days",
            "statutory_days",
        ]


SEARCH_PARAMS = [
    OpenApiParameter(
        "q",
        str,
        description="搜索词（事项名称、部门、材料或拼音首字母），不超过 50 字；有 q 时按相关度排序",
    ),
    OpenApiParameter("department", str, description="部门代码"),
    OpenApiParameter("division", str, description="区划代码：该区划及其下级"),
    OpenApiParameter("theme", str, description="主题代码"),
    OpenApiParameter("kind", str, enum=["instant", "time_limited"]),
    OpenApiParameter("audience", str, enum=["personal", "enterprise"]),
]


class ItemListApi(generics.ListAPIView):
    """Items in force (open data). Without `q`: cursor-paginated by code. With `q`: the best 50 matches."""

    permission_classes = [AllowAny]
    serializer_class = ItemOut
    pagination_class = CodeCursorPagination

    def get_queryset(self):
        params = {
            k: self.request.query_params.get(k, "").strip()
            for k in ("q", "department", "division", "theme", "kind", "audience")
        }
        return selectors.item_search(**params)

    @extend_schema(summary="事项列表与搜索", parameters=SEARCH_PARAMS)
    def get(self, request, *args, **kwargs):
        if request.query_params.get("q", "").strip():
            items = list(self.get_queryset()[:50])
            return Response(
                {"next": None, "previous": None, "results": ItemOut(items, many=True).data}
            )
        return super().get(request, *args, **kwargs)


class ItemDetailApi(APIView):
    permission_classes = [AllowAny]

    @extend_schema(summary="事项现行版本（办事指南）", responses=VersionOut)
    def get(self, request, code):
        item = get_object_or_404(Item, code=code, current__isnull=False)
        return Response(VersionOut(selectors.version_with_children(item.current_id)).data)


class ItemVersionsApi(APIView):
    permission_classes = [AllowAny]

    @extend_schema(
        summary="事项的已发布版本（含已替代、已废止）",
        responses=inline_serializer("ItemVersionList", {"results": VersionOut(many=True)}),
    )
    def get(self, request, code):
        item = get_object_or_404(Item, code=code)
        versions = [selectors.version_with_children(v.pk) for v in selectors.public_versions(item)]
        return Response({"results": VersionOut(versions, many=True).data})


def _visible_version(request, pk) -> ItemVersion:
    version = get_object_or_404(ItemVersion.objects.select_related("item"), pk=pk)
    if version.status in selectors.PUBLIC_STATUSES:
        return version
    user = request.user
    if user.is_authenticated:
        try:
            services.ensure_may_edit(user, version.item)
            return version
        except NotFound:
            pass
        try:
            services.ensure_may_review(user, version)
            return version
        except NotFound:
            pass
    raise Http404


class VersionIn(serializers.Serializer):
    """Any element of a draft; lists replace the draft's lists when given."""

    name = serializers.CharField(required=False, max_length=120)
    kind = serializers.ChoiceField(choices=["instant", "time_limited"], required=False)
    audience = serializers.ChoiceField(choices=["personal", "enterprise", "both"], required=False)
    legal_basis = serializers.CharField(required=False)
    conditions = serializers.CharField(required=False)
    procedure = serializers.CharField(required=False)
    quota = serializers.IntegerField(required=False, allow_null=True, min_value=0)
    quota_basis = serializers.CharField(required=False, allow_blank=True)
    handling_mode = serializers.ChoiceField(
        choices=["single", "unified", "joint", "centralised"], required=False
    )
    statutory_days = serializers.IntegerField(required=False, min_value=1, max_value=365)
    promised_days = serializers.IntegerField(required=False, min_value=1, max_value=365)
    extension_days = serializers.IntegerField(required=False, min_value=0, max_value=365)
    limit_basis = serializers.CharField(required=False, allow_blank=True)
    special_procedures = serializers.CharField(required=False, allow_blank=True)
    two_level = serializers.BooleanField(required=False)
    lower_kind = serializers.CharField(required=False, allow_null=True, allow_blank=True)
    hearing_mandatory = serializers.BooleanField(required=False)
    safety_item = serializers.BooleanField(required=False)
    in_person = serializers.BooleanField(required=False)
    lenient_acceptance = serializers.BooleanField(required=False)
    inspection = serializers.BooleanField(required=False)
    grants_public = serializers.BooleanField(required=False)
    licence_type = serializers.CharField(required=False, allow_blank=True)
    licence_name = serializers.CharField(required=False, allow_blank=True)
    validity_months = serializers.IntegerField(required=False, allow_null=True, min_value=1)
    renewal_lead_days = serializers.IntegerField(required=False, allow_null=True, min_value=1)
    supplement_days = serializers.IntegerField(required=False, min_value=1)
    where_to_apply = serializers.CharField(required=False)
    office_hours = serializers.CharField(required=False)
    online = serializers.BooleanField(required=False)
    contact_phone = serializers.CharField(required=False)
    complaint_phone = serializers.CharField(required=False)
    responsible_office = serializers.CharField(required=False)
    responsible_person = serializers.CharField(required=False, allow_blank=True)
    form_fields = serializers.ListField(child=serializers.DictField(), required=False)
    flow = serializers.DictField(required=False)
    themes = serializers.ListField(child=serializers.CharField(), required=False)
    materials = serializers.ListField(child=serializers.DictField(), required=False)
    fees = serializers.ListField(child=serializers.DictField(), required=False)


class VersionDetailApi(APIView):
    permission_classes = [AllowAny]

    @extend_schema(summary="事项版本详情（草稿仅本部门和审核机构可见）", responses=VersionOut)
    def get(self, request, pk):
        return Response(
            VersionOut(selectors.version_with_children(_visible_version(request, pk).pk)).data
        )

    @extend_schema(summary="修改草稿", request=VersionIn, responses=VersionOut)
    def patch(self, request, pk):
        if not request.user.is_authenticated:
            raise NotFound("未找到该事项版本。")
        if not client_action(ClientAction.CATALOG_WRITE)().has_permission(request, self):
            raise NotFound("未找到该事项版本。")
        version = _visible_version(request, pk)
        body = VersionIn(data=request.data, partial=True)
        body.is_valid(raise_exception=True)
        data = dict(body.validated_data)
        materials = data.pop("materials", None)
        fees = data.pop("fees", None)
        themes = data.pop("themes", None)
        if "lower_kind" in data:
            data["lower_kind_id"] = data.pop("lower_kind") or None
        if materials is None:
            materials = list(version.materials.values(*services.MATERIAL_FIELDS))
        if fees is None:
            fees = list(version.fees.values(*services.FEE_FIELDS))
        saved = services.version_update(
            actor=request.user,
            version=version,
            data=data,
            materials=materials,
            fees=fees,
            themes=themes,
        )
        return Response(VersionOut(selectors.version_with_children(saved.pk)).data)


class DraftCreateApi(APIView):
    permission_classes = [IsAuthenticated, client_action(ClientAction.CATALOG_WRITE)]

    @extend_schema(
        summary="起草事项的下一版本（复制最新版本）", request=None, responses={201: VersionOut}
    )
    @idempotent
    def post(self, request, code):
        item = get_object_or_404(Item, code=code)
        draft = services.version_draft_next(actor=request.user, item=item)
        return Response(VersionOut(selectors.version_with_children(draft.pk)).data, status=201)


class VersionSubmitApi(APIView):
    permission_classes = [IsAuthenticated, client_action(ClientAction.CATALOG_WRITE)]

    @extend_schema(summary="提交法制审核", request=None, responses=VersionOut)
    @idempotent
    def post(self, request, pk):
        version = _visible_version(request, pk)
        if version.status not in EDITABLE:
            services.ensure_may_edit(request.user, version.item)
        saved = services.version_submit(actor=request.user, version=version)
        return Response(VersionOut(selectors.version_with_children(saved.pk)).data)


class FormDownloadApi(APIView):
    permission_classes = [AllowAny]

    @extend_schema(
        summary="下载表格（免费，第五十八条）",
        # The form as it was uploaded: one of the accepted types (catalog FORM_FILE_TYPES).
        responses={(200, kind): OpenApiTypes.BINARY for kind in FORM_FILE_TYPES},
    )
    def get(self, request, pk):
        form = get_object_or_404(FormFile, pk=pk)
        public = ItemVersion.objects.filter(status__in=selectors.PUBLIC_STATUSES)
        if not (
            public.filter(materials__template=form).exists()
            or public.filter(materials__sample=form).exists()
        ):
            raise Http404
        return FileResponse(
            form.file.open("rb"),
            as_attachment=True,
            filename=f"{form.title}.{form.extension}",
            content_type=form.content_type,
        )


class PublicationOut(serializers.ModelSerializer):
    department = serializers.CharField(source="department.code")
    department_name = serializers.CharField(source="department.name")

    class Meta:
        model = Publication
        fields = [
            "id",
            "kind",
            "title",
            "document_number",
            "body",
            "department",
            "department_name",
            "published_at",
        ]


class PublicationListApi(generics.ListAPIView):
    """Published policies, regulations, notices and news (open data)."""

    permission_classes = [AllowAny]
    serializer_class = PublicationOut
    pagination_class = PublishedCursorPagination

    def get_queryset(self):
        qs = Publication.objects.filter(status=PublicationStatus.PUBLISHED).select_related(
            "department"
        )
        kind = self.request.query_params.get("kind")
        return qs.filter(kind=kind) if kind else qs

    @extend_schema(
        summary="政策法规与信息公开",
        parameters=[OpenApiParameter("kind", str, enum=["news", "notice", "policy", "regulation"])],
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)


class PublicationDetailApi(generics.RetrieveAPIView):
    permission_classes = [AllowAny]
    serializer_class = PublicationOut
    queryset = Publication.objects.filter(status=PublicationStatus.PUBLISHED).select_related(
        "department"
    )

    @extend_schema(summary="信息详情")
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)
