"""/api/v1 for supervision: warnings, monitoring counts, orders and answers."""

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from shenpi.accounts.constants import Role
from shenpi.cases.selectors import case_for_user, cases_visible_to
from shenpi.core.errors import InvalidInput, NotAllowed, NotFound
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
        responses=inline_serializer("WarningList", {"results": WarningOut(many=True)}),
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
            if level not in ("yellow", "red"):
                raise InvalidInput("level 只能是 yellow 或 red。", errors={"level": ["无效。"]})
            qs = qs.filter(level=level)
        return Response({"results": WarningOut(qs[:500], many=True).data})


class MonitorApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        summary="监控计数与大屏数据；watched：咨询答复等其他期限的红黄灯（按部门计数与亮灯列表）",
        responses={200: dict},
    )
    def get(self, request):
        _supervisor(request)
        return Response(
            {
                **selectors.screen_figures(request.user),
                "watched": selectors.watched_figures(request.user),
            }
        )


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


class ComplaintIn(serializers.Serializer):
    department = serializers.CharField(help_text="部门代码")
    subject = serializers.CharField(max_length=120)
    body = serializers.CharField()
    contact = serializers.CharField(required=False, allow_blank=True)
    official_name = serializers.CharField(required=False, allow_blank=True)
    anonymous = serializers.BooleanField(required=False, default=False)


class ComplaintOut(serializers.Serializer):
    number = serializers.CharField()
    query_password = serializers.CharField(required=False)
    status = serializers.CharField()
    reply = serializers.CharField()


class ComplaintRowOut(serializers.Serializer):
    number = serializers.CharField()
    department = serializers.CharField(source="department.code")
    subject = serializers.CharField()
    body = serializers.CharField()
    status = serializers.CharField()
    handler = serializers.CharField(source="handler.username", allow_null=True, default=None)
    decide_by = serializers.DateField()
    reply_due = serializers.DateField(allow_null=True)
    reply = serializers.CharField()
    substantiated = serializers.BooleanField(allow_null=True)
    satisfaction = serializers.CharField()
    light = serializers.SerializerMethodField(
        help_text="当前环节（decide 受理决定 / reply 答复）、期限与灯色；已答复为空"
    )

    def get_light(self, obj) -> dict | None:
        lit = getattr(obj, "lit", None)
        return {"step": lit[0], "due": lit[1], "light": lit[2]} if lit else None


class ComplaintFileApi(APIView):
    """Filing is public: named (with a session or token) or anonymous. The list is the
    complaints the caller works on (supervision's, or those transferred to them)."""

    permission_classes = []

    @extend_schema(
        summary="待办投诉（监察人员、承办人），含期限灯色",
        responses={200: ComplaintRowOut(many=True)},
    )
    def get(self, request):
        if not request.user.is_authenticated or getattr(request.user, "is_system_client", False):
            raise NotAllowed("请登录后查看。", code="login_required")
        return Response(ComplaintRowOut(selectors.complaints_for(request.user), many=True).data)

    @extend_schema(
        summary="投诉举报（公开，可匿名）", request=ComplaintIn, responses={201: ComplaintOut}
    )
    def post(self, request):
        from shenpi.accounts.models import Department
        from shenpi.supervision import feedback

        body = ComplaintIn(data=request.data)
        body.is_valid(raise_exception=True)
        d = body.validated_data
        complaint = feedback.complaint_file(
            actor=request.user
            if request.user.is_authenticated
            and not getattr(request.user, "is_system_client", False)
            else None,
            department=get_object_or_404(Department, code=d["department"]),
            subject=d["subject"],
            body=d["body"],
            contact=d.get("contact", ""),
            official_name=d.get("official_name", ""),
            anonymous=d["anonymous"],
            request=request._request,
        )
        return Response(ComplaintOut(complaint).data, status=201)


class ComplaintActionIn(serializers.Serializer):
    action = serializers.ChoiceField(
        choices=["take", "reject", "reply", "find", "rate"],
        help_text="take 受理 / reject 不予受理 / reply 答复 / find 认定是否属实 / rate 投诉人评价",
    )
    handler = serializers.CharField(required=False, allow_blank=True, help_text="转办给（用户名）")
    reason = serializers.CharField(required=False, allow_blank=True)
    reply = serializers.CharField(required=False, allow_blank=True)
    substantiated = serializers.BooleanField(required=False, allow_null=True, default=None)
    satisfaction = serializers.ChoiceField(
        choices=["满意", "基本满意", "不满意"], required=False, allow_blank=True
    )


class ComplaintActionApi(APIView):
    """The same actions as the complaints page, by the complaint's number."""

    permission_classes = [IsAuthenticated]

    @extend_schema(
        summary="投诉处理：受理或不予受理、转办、答复、认定是否属实、投诉人评价",
        request=ComplaintActionIn,
        responses={200: ComplaintRowOut},
    )
    @idempotent
    def post(self, request, number):
        from shenpi.supervision import feedback
        from shenpi.supervision.models import Complaint

        body = ComplaintActionIn(data=request.data)
        body.is_valid(raise_exception=True)
        complaint = get_object_or_404(Complaint, number=number)
        complaint = feedback.complaint_act(
            actor=request.user, complaint=complaint, **body.validated_data
        )
        return Response(ComplaintRowOut(complaint).data)


class RatingIn(serializers.Serializer):
    overall = serializers.IntegerField(min_value=1, max_value=5)
    efficiency = serializers.IntegerField(min_value=1, max_value=5)
    guide_accuracy = serializers.IntegerField(min_value=1, max_value=5)
    convenience = serializers.IntegerField(min_value=1, max_value=5)
    comment = serializers.CharField(required=False, allow_blank=True)


class RatingApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        summary="好差评（办结或不予受理后，申请人或窗口代评，一次）",
        request=RatingIn,
        responses={201: RatingIn},
    )
    @idempotent
    def post(self, request, pk):
        from shenpi.supervision import feedback

        body = RatingIn(data=request.data)
        body.is_valid(raise_exception=True)
        case = case_for_user(request.user, pk, request)
        feedback.case_rate(actor=request.user, case=case, **body.validated_data)
        return Response(body.validated_data, status=201)


class RatingConfirmIn(serializers.Serializer):
    satisfied = serializers.BooleanField(help_text="整改是否解决了问题")
    note = serializers.CharField(required=False, allow_blank=True, max_length=300)


class RatingConfirmApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        summary="申请人确认差评整改情况", request=RatingConfirmIn, responses={200: RatingConfirmIn}
    )
    @idempotent
    def post(self, request, pk):
        from shenpi.supervision import feedback
        from shenpi.supervision.models import Rating

        body = RatingConfirmIn(data=request.data)
        body.is_valid(raise_exception=True)
        case = case_for_user(request.user, pk, request)
        rating = Rating.objects.filter(case=case).first()
        if rating is None:
            raise NotFound("该办件尚未评价。")
        feedback.rating_confirm(actor=request.user, rating=rating, **body.validated_data)
        return Response(body.validated_data)


class WindowDeviceOut(serializers.Serializer):
    token = serializers.CharField()
    url = serializers.CharField(help_text="评价器页面；30 分钟内有效")


class WindowDeviceApi(APIView):
    """A window's clerk opens the evaluation device for the applicant (the clerk never rates)."""

    permission_classes = [IsAuthenticated]

    @extend_schema(
        summary="打开窗口评价器（窗口工作人员）", request=None, responses={201: WindowDeviceOut}
    )
    def post(self, request, pk):
        from django.urls import reverse

        from shenpi.supervision import feedback

        case = case_for_user(request.user, pk, request)
        token = feedback.window_rating_open(actor=request.user, case=case)
        url = reverse("supervision:window_rating", args=[token])
        return Response(WindowDeviceOut({"token": token, "url": url}).data, status=201)


class WindowDeviceRatingApi(APIView):
    """The window's evaluation device records the applicant's rating with its token."""

    permission_classes = []
    authentication_classes = []

    @extend_schema(
        summary="窗口评价器提交申请人的评价", request=RatingIn, responses={201: RatingIn}
    )
    def post(self, request, token):
        from shenpi.supervision import feedback

        body = RatingIn(data=request.data)
        body.is_valid(raise_exception=True)
        feedback.window_rating_record(token=token, **body.validated_data)
        return Response(body.validated_data, status=201)


class EvaluationApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        summary="绩效评估结果（按月、季、年）",
        responses={200: dict},
        parameters=[
            OpenApiParameter("kind", str, enum=["month", "quarter", "year"]),
            OpenApiParameter("key", str, description="2026-11、2026-Q4 或 2026"),
        ],
    )
    def get(self, request):
        from shenpi.core.errors import InvalidInput
        from shenpi.supervision.evaluation import evaluate_departments

        _supervisor(request)
        kind, key = request.query_params.get("kind", "month"), request.query_params.get("key", "")
        try:
            start, end, results, idle = evaluate_departments(request.user, kind, key)
        except (ValueError, KeyError):
            raise InvalidInput(
                "期间格式有误（如 2026-11、2026-Q4、2026）。", errors={"key": ["无效。"]}
            ) from None
        return Response(
            {
                "start": start,
                "end": end,
                "results": [
                    {
                        "department": r.unit,
                        "rank": r.rank,
                        "total": r.total,
                        "grade": r.grade,
                        "lines": [
                            {
                                "indicator": x.code,
                                "raw": x.raw,
                                "score": x.score,
                                "weight": x.weight,
                            }
                            for x in r.lines
                        ],
                    }
                    for r in results
                ],
                # Departments with nothing to evaluate in the period: listed, not ranked.
                "not_evaluated": idle,
            }
        )
