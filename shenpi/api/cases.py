"""/api/v1 for cases: the same services and rules as the UI."""

from __future__ import annotations

import json

from django.http import Http404
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, serializers
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from shenpi.accounts.client_operations import ensure_client_may, is_client
from shenpi.accounts.constants import ClientAction
from shenpi.accounts.models import Division, User
from shenpi.accounts.services import applicant_named
from shenpi.audit.services import client_ip
from shenpi.cases import actions, selectors, services
from shenpi.cases.constants import CaseStatus, LicenceStatus
from shenpi.cases.licences import licence_status_on
from shenpi.cases.models import Case, Task
from shenpi.catalog.models import Item
from shenpi.common.queries import JoinedLookup
from shenpi.core.errors import InvalidInput, NotAllowed

from .idempotency import idempotent
from .pagination import KeysetPagination
from .permissions import client_action


class EventOut(serializers.Serializer):
    at = serializers.DateTimeField()
    text = serializers.CharField()
    department = serializers.CharField(source="department.name", allow_null=True)


class NoticeOut(serializers.Serializer):
    id = serializers.UUIDField()
    kind = serializers.CharField()
    number = serializers.CharField()
    issued_at = serializers.DateTimeField()
    download = serializers.SerializerMethodField()
    verify = serializers.SerializerMethodField()

    def get_download(self, obj) -> str:
        return f"/notices/{obj.pk}/"

    def get_verify(self, obj) -> str:
        return f"/verify/notice/{obj.pk}/"


class CaseMaterialOut(serializers.Serializer):
    id = serializers.UUIDField()
    requirement = serializers.IntegerField(source="requirement_id")
    requirement_name = serializers.CharField(source="requirement.name")
    name = serializers.CharField()
    content_type = serializers.CharField()
    size = serializers.IntegerField()
    sha256 = serializers.CharField()
    round = serializers.IntegerField()
    original_seen_at = serializers.DateTimeField(allow_null=True)


class TaskOut(serializers.Serializer):
    id = serializers.UUIDField()
    step_key = serializers.CharField()
    step_name = serializers.CharField()
    department = serializers.CharField(source="department.code")
    status = serializers.CharField()
    due_date = serializers.DateField()


class CaseOut(serializers.ModelSerializer):
    item = serializers.CharField(source="item.code")
    version = serializers.IntegerField(source="version.number")
    item_name = serializers.CharField(source="version.name")
    department = serializers.CharField(source="department.code")
    status_display = serializers.CharField(source="get_status_display")
    events = serializers.SerializerMethodField()
    notices = NoticeOut(many=True)
    materials = CaseMaterialOut(many=True)
    tasks = TaskOut(many=True)
    licence = serializers.SerializerMethodField()

    class Meta:
        model = Case
        fields = [
            "id",
            "number",
            "query_password",
            "kind",
            "item",
            "version",
            "item_name",
            "department",
            "status",
            "status_display",
            "outcome",
            "channel",
            "applicant_name",
            "form_data",
            "received_at",
            "correction_due",
            "supplement_due",
            "accepted_at",
            "deemed_accepted",
            "promised_due",
            "statutory_due",
            "due_provisional",
            "decided_at",
            "closed_at",
            "reason_text",
            "competent_organ",
            "events",
            "notices",
            "materials",
            "tasks",
            "licence",
        ]

    def get_events(self, obj) -> list[dict]:
        return EventOut(obj.events.filter(public=True).select_related("department"), many=True).data

    def get_licence(self, obj) -> dict | None:
        licence = getattr(obj, "issued_licence", None) if obj.outcome == "granted" else None
        if licence is None:
            return None
        return {
            "number": licence.number,
            "status": licence_status_on(licence),
            "verify": f"/verify/licence/{licence.verification_code}/",
            "valid_until": licence.valid_until,
        }

    def to_representation(self, obj):
        data = super().to_representation(obj)
        request = self.context.get("request")
        user = getattr(request, "user", None)
        if (
            user is None
            or getattr(user, "is_system_client", False)
            or (obj.applicant_id != user.pk and obj.submitted_by_id != user.pk)
        ):
            data.pop("query_password")  # only the applicant's side sees it
        return data


def _case(request, pk) -> Case:
    return selectors.case_for_user(request.user, pk, request)


def _out(request, case) -> Response:
    case = (
        Case.objects.select_related("item", "version", "department")
        .prefetch_related("notices", "materials__requirement", "tasks__department")
        .get(pk=case.pk)
    )
    return Response(CaseOut(case, context={"request": request}).data)


class DraftIn(serializers.Serializer):
    item = serializers.CharField(help_text="事项编码")
    division = serializers.CharField(
        required=False, allow_blank=True, help_text="两级审批事项：所选区划代码"
    )


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


class CaseDraftApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(summary="创建申请草稿（申请人本人）", request=DraftIn, responses={201: CaseOut})
    @idempotent
    def post(self, request):
        ensure_client_may(request.user, "case.draft")
        body = DraftIn(data=request.data)
        body.is_valid(raise_exception=True)
        item = get_object_or_404(Item, code=body.validated_data["item"])
        division = Division.objects.filter(code=body.validated_data.get("division") or "").first()
        case = services.case_create_draft(
            actor=request.user,
            item=item,
            chosen_division=division,
            channel="api" if getattr(request.user, "is_system_client", False) else "online",
        )
        response = _out(request, case)
        response.status_code = 201
        return response


class CaseDetailApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(summary="办件详情", responses=CaseOut)
    def get(self, request, pk):
        ensure_client_may(request.user, "case.read")
        return _out(request, _case(request, pk))


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
        case = _case(request, pk)
        numbers = services.case_personal_read(actor=request.user, case=case)
        response = Response(CasePersonalOut(numbers).data)
        response["Cache-Control"] = "no-store, private"
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
        case = _case(request, pk)
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
            case=_case(request, pk),
            declaration=body.validated_data["declaration"],
            form_data=body.validated_data.get("form"),
        )
        return _out(request, case)


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


class ActionIn(serializers.Serializer):
    action = serializers.ChoiceField(
        choices=[
            "supplement",
            "withdraw",
            "accept",
            "correction",
            "not_accept",
            "decide",
            "deliver",
        ]
    )
    reason = serializers.CharField(required=False, allow_blank=True)
    text = serializers.CharField(required=False, allow_blank=True)
    competent_organ = serializers.CharField(required=False, allow_blank=True)
    defects = serializers.ListField(
        child=serializers.DictField(),
        required=False,
        help_text="[{requirement: 材料编号, note: 补正要求}]",
    )
    lenient = serializers.ListField(child=serializers.CharField(), required=False)
    commitment = serializers.CharField(required=False, allow_blank=True)
    lenient_due = serializers.DateField(required=False)
    outcome = serializers.ChoiceField(choices=["granted", "refused"], required=False)
    reasons = serializers.CharField(required=False, allow_blank=True)
    method = serializers.ChoiceField(choices=["window", "post", "online"], required=False)
    tracking_number = serializers.CharField(required=False, allow_blank=True)
    official = serializers.CharField(
        required=False, help_text="系统客户端：以其名义受理、决定或送达的本部门工作人员用户名"
    )


class CaseActionApi(APIView):
    """Every transition of intake and instant decisions; each calls its one service."""

    permission_classes = [IsAuthenticated]

    @extend_schema(
        summary="办件操作：补正提交、撤回、受理、一次性告知、不予受理、决定、送达",
        request=ActionIn,
        responses=CaseOut,
    )
    @idempotent
    def post(self, request, pk):
        body = ActionIn(data=request.data)
        body.is_valid(raise_exception=True)
        d = body.validated_data
        result = actions.run(
            actions.CASE, d["action"], user=request.user, target=lambda: _case(request, pk), data=d
        )
        # The correction notice's service returns the notice: answer with its case.
        return _out(request, getattr(result, "case", result))


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


class TaskInboxOut(serializers.Serializer):
    """One open step of the inbox. The fields document the schema; a row (a dict from the
    inbox's query) is written out directly, as these fields would write it, instead of
    field by field (a page is 50 rows, and officials open it all day)."""

    id = serializers.UUIDField()
    case = serializers.UUIDField(source="case_id")
    case_number = serializers.CharField()
    item_name = serializers.CharField()
    step_key = serializers.CharField()
    step_name = serializers.CharField()
    department = serializers.CharField(source="department_code")
    role = serializers.CharField()
    status = serializers.CharField()
    claimed_by = serializers.CharField(source="claimed_by_username", allow_null=True)
    due_date = serializers.DateField()

    def to_representation(self, row):
        return {
            "id": str(row["id"]),
            "case": str(row["case_id"]),
            "case_number": row["case_number"],
            "item_name": row["item_name"],
            "step_key": row["step_key"],
            "step_name": row["step_name"],
            "department": row["department_code"],
            "role": row["role"],
            "status": row["status"],
            "claimed_by": row["claimed_by_username"],
            "due_date": row["due_date"].isoformat(),
        }


class InboxPagination(KeysetPagination):
    """Keyset pages (due date, id): the 100th page costs what the first does."""

    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200


class TaskInboxApi(generics.ListAPIView):
    """The caller's department's open steps, by due date (for a system client: its department's)."""

    serializer_class = TaskInboxOut
    permission_classes = [IsAuthenticated]
    pagination_class = InboxPagination
    queryset = Task.objects.none()  # the schema's model: the rows come from open_steps_page

    def list(self, request, *args, **kwargs):
        user = request.user
        ensure_client_may(user, "task.list")
        department = (
            user.client.department if getattr(user, "is_system_client", False) else user.department
        )
        paginator = self.paginator
        direction, key = paginator.key_from(request)
        rows, more = selectors.open_steps_page(
            department.pk if department else None,
            after=key if direction == "n" else None,
            before=key if direction == "p" else None,
            size=paginator.get_page_size(request),
        )
        # Every row's department is the one asked for: its code is known, not joined.
        out = TaskInboxOut()
        data = [out.to_representation({**row, "department_code": department.code}) for row in rows]
        return paginator.respond(request, direction, key, rows, more, data)

    @extend_schema(summary="审查任务（本部门待办，按期限排序，每页 50 条，游标分页）")
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)


class TaskActionIn(serializers.Serializer):
    action = serializers.ChoiceField(
        choices=["claim", "hand_back", "pass", "verify", "complete", "respond"]
    )
    opinion = serializers.CharField(required=False, allow_blank=True)
    verdict = serializers.ChoiceField(choices=["agree", "disagree", ""], required=False)
    response = serializers.CharField(required=False, allow_blank=True)
    to = serializers.CharField(required=False, help_text="转交给（用户名）")
    official = serializers.CharField(
        required=False, help_text="系统客户端：办理该环节的本部门工作人员用户名"
    )


class TaskActionApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        summary="办理审查环节：认领、退回、转交、复核、完成、答复不同意意见",
        request=TaskActionIn,
        responses=CaseOut,
    )
    @idempotent
    def post(self, request, pk):
        from shenpi.cases.models import Task

        body = TaskActionIn(data=request.data)
        body.is_valid(raise_exception=True)
        d = dict(body.validated_data)
        found = []

        def task():
            # Looked up once the client's permission is checked, then the colleague it names.
            visible = Task.objects.filter(case__in=selectors.cases_visible_to(request.user))
            found.append(get_object_or_404(visible, pk=pk))
            if d["action"] == "pass":
                d["to"] = get_object_or_404(User, username=d.get("to", ""))
            return found[0]

        actions.run(actions.TASK, d["action"], user=request.user, target=task, data=d)
        return _out(request, found[0].case)


class ReviewActionIn(serializers.Serializer):
    action = serializers.ChoiceField(
        choices=[
            "suspend",
            "resume",
            "extend",
            "urge",
            "hearing_notify",
            "hearing_request",
            "hearing_schedule",
            "hearing_record",
        ]
    )
    interested_parties = serializers.CharField(required=False, allow_blank=True)
    on = serializers.DateField(required=False, help_text="听证日期")
    place = serializers.CharField(required=False, allow_blank=True)
    presiding_officer = serializers.CharField(required=False, help_text="主持人用户名")
    record = serializers.CharField(required=False, allow_blank=True)
    reason = serializers.CharField(required=False, help_text="第四十五条情形")
    expected_days = serializers.IntegerField(required=False, min_value=1)
    note = serializers.CharField(required=False, allow_blank=True)
    reasons = serializers.CharField(required=False, allow_blank=True)
    text = serializers.CharField(required=False, allow_blank=True)
    official = serializers.CharField(
        required=False, help_text="系统客户端：以其名义办理的本部门工作人员用户名"
    )


class CaseReviewActionApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        summary="特别程序（暂停/恢复）、延期、催办", request=ReviewActionIn, responses=CaseOut
    )
    @idempotent
    def post(self, request, pk):
        body = ReviewActionIn(data=request.data)
        body.is_valid(raise_exception=True)
        d = dict(body.validated_data)
        found = []

        def case():
            # Looked up once the client's permission is checked, then the officer it names.
            found.append(_case(request, pk))
            if d["action"] == "hearing_schedule" and d.get("on"):
                d["presiding_officer"] = get_object_or_404(
                    User, username=d.get("presiding_officer", "")
                )
            return found[0]

        actions.run(actions.REVIEW, d["action"], user=request.user, target=case, data=d)
        return _out(request, found[0])


class LicenceVerifyOut(serializers.Serializer):
    valid = serializers.BooleanField()
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
