"""/api/v1 for consultation (在线答疑 / 政策法规咨询): ask (anonymous with a mobile, or
signed in), the asker's questions and the officials' inbox, one question's thread, the
anonymous look-up, and the actions. The pages call the same services."""

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiExample, OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from shenpi.accounts.constants import Role
from shenpi.accounts.models import Department, Division, User
from shenpi.audit.services import client_ip
from shenpi.catalog.models import Item
from shenpi.common.lookup import by_id_or_404
from shenpi.consult import lights, selectors, services
from shenpi.consult.constants import GENERAL
from shenpi.consult.models import Faq
from shenpi.core.errors import NotAllowed
from shenpi.publishing.models import Publication, PublicationStatus
from shenpi.search.terms import query_terms

from .idempotency import idempotent


def _person(request):
    """The signed-in person, or None (anonymous); a system client cannot ask."""
    user = request.user
    if not user.is_authenticated:
        return None
    if getattr(user, "is_system_client", False):
        raise NotAllowed("系统客户端不能咨询。", code="clients_cannot_ask")
    return user


class AskIn(serializers.Serializer):
    # Checked by the service (the pages' rule, one copy): empty or too long is refused there.
    title = serializers.CharField(
        required=False, allow_blank=True, help_text="标题（不超过 80 字）"
    )
    body = serializers.CharField(
        required=False, allow_blank=True, help_text="问题（不超过 2000 字）"
    )
    item = serializers.CharField(required=False, allow_blank=True, help_text="事项编码")
    division = serializers.CharField(
        required=False, allow_blank=True, help_text="两级事项：拟办理的市、县（区）代码"
    )
    policy = serializers.UUIDField(required=False, allow_null=True, help_text="政策文件编号")
    department = serializers.CharField(
        required=False,
        allow_blank=True,
        help_text="部门代码（不涉及事项或政策时）；不确定时填 general，由政务服务中心分派",
    )
    mobile = serializers.CharField(
        required=False, allow_blank=True, help_text="匿名提问：接收答复的手机号码"
    )
    attachment = serializers.FileField(required=False, help_text="附件（PDF、图片、Word、Excel）")


class EntryOut(serializers.Serializer):
    kind = serializers.CharField()
    kind_display = serializers.CharField(source="get_kind_display")
    text = serializers.CharField()
    department = serializers.CharField(source="department.name", allow_null=True, default=None)
    attachment_name = serializers.CharField()
    at = serializers.DateTimeField()


class QuestionOut(serializers.Serializer):
    id = serializers.UUIDField()
    number = serializers.CharField()
    title = serializers.CharField()
    status = serializers.CharField()
    status_display = serializers.CharField(source="get_status_display")
    item = serializers.CharField(source="item.code", allow_null=True, default=None)
    department = serializers.CharField(source="department.code")
    department_name = serializers.CharField(source="department.name")
    asked_at = serializers.DateTimeField()
    due_date = serializers.DateField()
    answered_at = serializers.DateTimeField(allow_null=True)
    transferred_from = serializers.CharField(
        source="transferred_from.name", allow_null=True, default=None
    )
    followed_up = serializers.BooleanField()
    routed = serializers.BooleanField(help_text="一般咨询已由政务服务中心分派")
    rating = serializers.CharField()
    light = serializers.SerializerMethodField(
        help_text="进行中的期限（答复或不满意复核）今天的灯：yellow、red，或 null（正常或无期限）"
    )

    def get_light(self, obj) -> str | None:
        return lights.light_today(obj)


class QuestionThreadOut(QuestionOut):
    entries = serializers.SerializerMethodField()

    def get_entries(self, obj) -> list[dict]:
        return EntryOut(selectors.thread(obj), many=True).data


class AskedOut(QuestionOut):
    query_password = serializers.CharField(help_text="匿名提问的查询密码（只在此时给出）")


class QuestionListApi(APIView):
    permission_classes = []
    parser_classes = [MultiPartParser, FormParser, JSONParser]

    @extend_schema(
        summary="我的咨询（提问人）或本部门待答复的咨询（工作人员，按答复期限）",
        responses={200: QuestionOut(many=True)},
    )
    def get(self, request):
        person = _person(request)
        if person is None:
            raise NotAllowed(
                "请登录后查看，匿名提问请用咨询编号和查询密码查询。", code="login_required"
            )
        if person.department is not None and person.has_role(Role.OFFICIAL, Role.HEAD):
            rows = selectors.inbox(person.department)[:200]
        else:
            rows = selectors.asked_by(person)[:200]
        return Response(QuestionOut(rows, many=True).data)

    @extend_schema(
        summary="我要问：咨询事项、政策或部门（登录后实名，或匿名留手机号）",
        request={"multipart/form-data": AskIn, "application/json": AskIn},
        responses={201: AskedOut},
        examples=[
            OpenApiExample(
                "匿名咨询事项",
                value={
                    "title": "食品经营许可需要什么材料",
                    "body": "开小吃店需要准备哪些材料？",
                    "item": "640100-SCJG-001",
                    "mobile": "13895001234",
                },
                request_only=True,
            )
        ],
    )
    @idempotent
    def post(self, request):
        body = AskIn(data=request.data)
        body.is_valid(raise_exception=True)
        d = body.validated_data
        policy = None
        if d.get("policy"):
            policy = get_object_or_404(
                Publication, pk=d["policy"], status=PublicationStatus.PUBLISHED
            )
        question = services.question_ask(
            actor=_person(request),
            title=d.get("title", ""),
            body=d.get("body", ""),
            item=get_object_or_404(Item, code=d["item"]) if d.get("item") else None,
            division=get_object_or_404(Division, code=d["division"]) if d.get("division") else None,
            policy=policy,
            department=(
                get_object_or_404(Department, code=d["department"], is_active=True)
                if d.get("department") and d["department"] != GENERAL
                else None
            ),
            general=d.get("department") == GENERAL,
            mobile=d.get("mobile", ""),
            attachment=d.get("attachment"),
            request=request._request,
        )
        return Response(AskedOut(question).data, status=201)


class QuestionDetailApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        summary="咨询及其往来（提问人或本部门工作人员）", responses={200: QuestionThreadOut}
    )
    def get(self, request, pk):
        return Response(QuestionThreadOut(selectors.question_for(_person(request), pk)).data)


class LookupIn(serializers.Serializer):
    number = serializers.CharField(max_length=20)
    password = serializers.CharField(max_length=12)


class QuestionLookupApi(APIView):
    """Anonymous askers read their question by its number and query password (a wrong
    password spends the address's tracking budget)."""

    permission_classes = []

    @extend_schema(summary="匿名提问查询答复", request=LookupIn, responses={200: QuestionThreadOut})
    def post(self, request):
        body = LookupIn(data=request.data)
        body.is_valid(raise_exception=True)
        question = selectors.question_looked_up(
            client_ip(request._request),
            body.validated_data["number"],
            body.validated_data["password"],
        )
        return Response(QuestionThreadOut(question).data)


class QuestionActionIn(serializers.Serializer):
    action = serializers.ChoiceField(
        choices=list(services.ACTIONS),
        help_text="route 分派（政务服务中心，一般咨询） / claim 认领 / assign 指派（负责人） / answer 答复 / details 请补充说明 / "
        "transfer 转办（一次） / follow_up 追问（一次） / rate 评价 / head_review 负责人复核 / "
        "propose_faq 推荐为常见问题（title 与 text 为改写后的问答）",
    )
    text = serializers.CharField(
        required=False, allow_blank=True, help_text="答复、说明、转办理由或追问"
    )
    department = serializers.CharField(
        required=False, allow_blank=True, help_text="转办至（部门代码）"
    )
    official = serializers.CharField(required=False, allow_blank=True, help_text="指派给（用户名）")
    rating = serializers.ChoiceField(
        choices=["satisfied", "fair", "unsatisfied"], required=False, allow_blank=True
    )
    note = serializers.CharField(required=False, allow_blank=True, help_text="复核意见")
    title = serializers.CharField(
        required=False, allow_blank=True, help_text="推荐为常见问题时的问题（改写，不含个人信息）"
    )
    password = serializers.CharField(
        required=False, allow_blank=True, help_text="匿名提问人追问、评价时的查询密码"
    )


class QuestionActionApi(APIView):
    """The same actions as the pages. Anonymous askers follow up and rate with the query
    password; everyone else is who they signed in as."""

    permission_classes = []

    @extend_schema(
        summary="咨询办理：认领、指派、答复、请补充说明、转办、追问、评价、复核",
        request=QuestionActionIn,
        responses={200: QuestionOut},
    )
    @idempotent
    def post(self, request, pk):
        from shenpi.consult.models import Question

        body = QuestionActionIn(data=request.data)
        body.is_valid(raise_exception=True)
        d = body.validated_data
        question = get_object_or_404(Question, pk=pk)
        question = services.question_act(
            actor=_person(request),
            question=question,
            action=d["action"],
            text=d.get("text", ""),
            department=(
                get_object_or_404(Department, code=d["department"]) if d.get("department") else None
            ),
            official=get_object_or_404(User, username=d["official"]) if d.get("official") else None,
            rating=d.get("rating", ""),
            note=d.get("note", ""),
            password=d.get("password", ""),
            title=d.get("title", ""),
        )
        return Response(QuestionOut(question).data)


class FaqOut(serializers.Serializer):
    id = serializers.UUIDField()
    title = serializers.CharField()
    answer = serializers.CharField()
    status = serializers.CharField()
    item = serializers.CharField(source="item.code", allow_null=True, default=None)
    department = serializers.CharField(source="department.code")
    published_at = serializers.DateTimeField(allow_null=True)
    needs_review = serializers.BooleanField(help_text="依据的事项版本已不再现行")


SEARCH_PAGE = 20


class FaqListApi(APIView):
    """Public: an item's or a policy's FAQ, as its guide shows them."""

    permission_classes = []

    @extend_schema(
        summary="常见问题（公开）：按事项、政策文件或搜索词",
        parameters=[
            OpenApiParameter("item", str, description="事项编码"),
            OpenApiParameter("policy", str, description="政策文件编号"),
            OpenApiParameter(
                "q",
                str,
                description="搜索词（不超过 50 字）：词语、同义词、全拼或首字母；有 q 时返回最相关的 20 条（问题含全部搜索词的在前）",
            ),
        ],
        responses={200: FaqOut(many=True)},
    )
    def get(self, request):
        item = policy = None
        if request.GET.get("item"):
            item = get_object_or_404(Item, code=request.GET["item"])
        if request.GET.get("policy"):
            policy = by_id_or_404(
                Publication, request.GET["policy"], status=PublicationStatus.PUBLISHED
            )
        q = request.GET.get("q", "").strip()
        if q:  # the best SEARCH_PAGE: question matches first, then answer matches
            faqs = selectors.faq_search(
                query_terms(q), item=item, policy=policy, per_page=SEARCH_PAGE
            ).rows
        else:
            faqs = selectors.published_faqs(item=item, policy=policy)[:100]
        return Response(FaqOut(faqs, many=True).data)


class FaqReviewIn(serializers.Serializer):
    publish = serializers.BooleanField(help_text="true 公开 / false 退回")


class FaqReviewApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        summary="审核常见问题（部门负责人，非推荐人）", request=FaqReviewIn, responses={200: FaqOut}
    )
    def post(self, request, pk):
        body = FaqReviewIn(data=request.data)
        body.is_valid(raise_exception=True)
        faq = services.faq_review(
            actor=_person(request),
            faq=get_object_or_404(Faq, pk=pk),
            publish=body.validated_data["publish"],
        )
        return Response(FaqOut(faq).data)
