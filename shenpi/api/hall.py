"""/api/v1/hall: the service hall's slots, bookings (create, cancel, check in), tickets
(take, status), the display board, a window's calls and state, the rating device, and the
live figures supervision watches. The kiosk, the phone page, the display board and the
device use these; the pages call the same services and selectors."""

from urllib.parse import quote

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from shenpi.accounts.models import Window
from shenpi.audit.services import client_ip
from shenpi.catalog.models import Item
from shenpi.core.errors import NotFound, Unauthenticated
from shenpi.hall import selectors, services
from shenpi.hall.constants import Half, TicketSource, WindowState

from .idempotency import idempotent


def _hall(code):
    return selectors.hall_by_code(code)


class GroupOut(serializers.Serializer):
    letter = serializers.CharField()
    name = serializers.CharField()


class HallOut(serializers.Serializer):
    centre = serializers.CharField(source="centre.code")
    name = serializers.CharField(source="centre.name")
    division = serializers.CharField(source="centre.division_id")
    # Local wall-clock times of a working day (Asia/Shanghai), "09:00:00": not an RFC 3339
    # time, which would need an offset.
    am_opens = serializers.CharField(help_text="上午开始（当地时间 HH:MM:SS）")
    am_closes = serializers.CharField(help_text="上午结束")
    pm_opens = serializers.CharField(help_text="下午开始")
    pm_closes = serializers.CharField(help_text="下午结束")
    wait_yellow_minutes = serializers.IntegerField(help_text="承诺等候时间（分钟）")
    wait_red_minutes = serializers.IntegerField()
    groups = GroupOut(many=True, source="groups.all")


class HallListApi(APIView):
    permission_classes = []

    @extend_schema(
        summary="服务大厅：办公时间、业务类别与承诺等候时间", responses=HallOut(many=True)
    )
    def get(self, request):
        return Response(HallOut(selectors.halls().prefetch_related("groups"), many=True).data)


class SlotOut(serializers.Serializer):
    day = serializers.DateField()
    half = serializers.ChoiceField(choices=Half.choices)
    starts = serializers.DateTimeField()
    ends = serializers.DateTimeField()
    capacity = serializers.IntegerField()
    free = serializers.IntegerField()


class SlotListApi(APIView):
    permission_classes = []

    @extend_schema(
        summary="可预约时段（明天起的工作日，按上午、下午）",
        parameters=[OpenApiParameter("item", str, required=True, description="事项编码")],
        responses=SlotOut(many=True),
    )
    def get(self, request, code):
        hall = _hall(code)
        item = selectors.hall_items(hall).filter(code=request.query_params.get("item", "")).first()
        if item is None:
            raise NotFound("该服务大厅不办理此事项。")
        return Response(SlotOut(selectors.slots_for(hall, item), many=True).data)


class BookingIn(serializers.Serializer):
    centre = serializers.CharField(help_text="政务服务中心代码，如 yc-zwfw")
    item = serializers.CharField(help_text="事项编码")
    day = serializers.DateField()
    half = serializers.CharField(help_text="am 上午，pm 下午")
    # 手机号预约 (not signed in): the person, and the code sent to the mobile.
    name = serializers.CharField(required=False, allow_blank=True, help_text="手机号预约：姓名")
    id_number = serializers.CharField(
        required=False, allow_blank=True, help_text="手机号预约：身份证号码"
    )
    mobile = serializers.CharField(
        required=False, allow_blank=True, help_text="手机号预约：手机号码"
    )
    sms_code = serializers.CharField(
        required=False, allow_blank=True, help_text="手机号预约：/hall/phone-codes/ 发送的验证码"
    )


class BookingOut(serializers.Serializer):
    id = serializers.UUIDField()
    centre = serializers.CharField(source="hall.centre.code")
    item = serializers.CharField(source="item.code")
    day = serializers.DateField()
    half = serializers.CharField()
    code = serializers.CharField(help_text="预约码：到大厅凭此或身份证号签到")
    status = serializers.CharField()
    status_display = serializers.CharField(source="get_status_display")


class PhoneCodeIn(serializers.Serializer):
    mobile = serializers.CharField(help_text="手机号码")


class PhoneCodeApi(APIView):
    permission_classes = []

    @extend_schema(
        summary="手机号预约：发送验证码（每个号码每小时至多 5 次）", request=PhoneCodeIn,
        responses={204: None},
    )  # fmt: skip
    def post(self, request):
        body = PhoneCodeIn(data=request.data)
        body.is_valid(raise_exception=True)
        services.phone_code_send(mobile=body.validated_data["mobile"], ip=client_ip(request) or "")
        return Response(status=204)


class CancelLinkIn(serializers.Serializer):
    token = serializers.CharField(help_text="预约成功短信中取消链接的最后一段")


class BookingCancelLinkApi(APIView):
    permission_classes = []

    @extend_schema(summary="凭短信中的取消链接取消手机号预约", request=CancelLinkIn,
                   responses=BookingOut)  # fmt: skip
    def post(self, request):
        body = CancelLinkIn(data=request.data)
        body.is_valid(raise_exception=True)
        token = body.validated_data["token"]
        booking = services.booking_by_cancel_token(token)
        return Response(
            BookingOut(
                services.booking_cancel(actor=request.user, booking=booking, token=token)
            ).data
        )


class BookingListApi(APIView):
    permission_classes = []

    @extend_schema(summary="我的预约", responses=BookingOut(many=True))
    def get(self, request):
        if not request.user.is_authenticated:
            raise Unauthenticated("请登录后查看。")
        return Response(BookingOut(selectors.bookings_of(request.user)[:100], many=True).data)

    @extend_schema(
        summary="预约：申请人本人登录后预约，或不登录凭手机号和短信验证码预约（预约码经短信发送）",
        request=BookingIn,
        responses={201: BookingOut},
    )
    @idempotent
    def post(self, request):
        body = BookingIn(data=request.data)
        body.is_valid(raise_exception=True)
        d = body.validated_data
        hall = _hall(d["centre"])
        phone_fields = ("name", "id_number", "mobile", "sms_code")
        booking = services.booking_create(
            actor=request.user,
            hall=hall,
            item=get_object_or_404(Item, code=d["item"]),
            day=d["day"],
            half=d["half"],
            by_phone=None
            if request.user.is_authenticated
            else {k: d.get(k, "") for k in phone_fields},
        )
        return Response(BookingOut(booking).data, status=201)


class BookingCancelApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(summary="取消预约（时段开始前）", request=None, responses=BookingOut)
    def post(self, request, pk):
        booking = selectors.booking_of(request.user, pk)
        return Response(
            BookingOut(services.booking_cancel(actor=request.user, booking=booking)).data
        )


class TicketOut(serializers.Serializer):
    id = serializers.UUIDField()
    label = serializers.CharField(help_text="号码，如 A012")
    group = serializers.CharField(source="group.letter")
    group_name = serializers.CharField(source="group.name")
    source = serializers.CharField()
    status = serializers.CharField()
    status_display = serializers.CharField(source="get_status_display")
    taken_at = serializers.DateTimeField()
    called_at = serializers.DateTimeField(allow_null=True)
    window = serializers.CharField(source="window.number", allow_null=True, default=None)
    ahead = serializers.SerializerMethodField(help_text="前面等候的人数")
    estimate = serializers.SerializerMethodField(help_text="预计等候分钟数")
    url = serializers.SerializerMethodField(help_text="号的页面（手机可随时查看）")

    def _position(self, obj):
        if not hasattr(obj, "_position"):
            obj._position = selectors.ticket_position(obj)
        return obj._position

    def get_ahead(self, obj) -> int:
        return self._position(obj)["ahead"]

    def get_estimate(self, obj) -> int:
        return self._position(obj)["estimate"]

    def get_url(self, obj) -> str:
        from django.urls import reverse

        return reverse("hall:ticket", args=[obj.pk])


class TakeIn(serializers.Serializer):
    hall_key = serializers.CharField(help_text="大厅密钥（自助机地址或大厅二维码中）")
    group = serializers.CharField(help_text="业务类别字母")
    source = serializers.ChoiceField(choices=[TicketSource.KIOSK, TicketSource.PHONE],
                                     default=TicketSource.KIOSK)  # fmt: skip


class QueueOut(serializers.Serializer):
    letter = serializers.CharField(source="group.letter")
    name = serializers.CharField(source="group.name")
    waiting = serializers.IntegerField()
    open_windows = serializers.IntegerField()
    estimate = serializers.IntegerField(help_text="现在取号的预计等候分钟数")


class TicketListApi(APIView):
    permission_classes = []

    @extend_schema(summary="各业务类别的等候人数与预计等候时间（取号机）",
                   responses=QueueOut(many=True))  # fmt: skip
    def get(self, request, code):
        return Response(QueueOut(selectors.kiosk_groups(_hall(code)), many=True).data)

    @extend_schema(summary="取号（大厅内：自助机或扫大厅二维码；办公时间内）", request=TakeIn,
                   responses={201: TicketOut})  # fmt: skip
    @idempotent
    def post(self, request, code):
        hall = _hall(code)
        body = TakeIn(data=request.data)
        body.is_valid(raise_exception=True)
        d = body.validated_data
        group = hall.groups.filter(letter=d["group"]).first()
        if group is None:
            raise NotFound("未找到该业务类别。")
        ticket = services.ticket_take(
            actor=request.user, hall=hall, group=group, hall_key=d["hall_key"], source=d["source"]
        )
        return Response(TicketOut(selectors.ticket(ticket.pk)).data, status=201)


class CheckInIn(serializers.Serializer):
    hall_key = serializers.CharField(help_text="大厅密钥（自助机地址中）")
    code = serializers.CharField(required=False, allow_blank=True, help_text="预约码")
    id_number = serializers.CharField(required=False, allow_blank=True, help_text="或身份证号码")


class CheckInApi(APIView):
    permission_classes = []

    @extend_schema(
        summary="预约签到取号（时段开始前 30 分钟起；时段结束后签到转为现场取号）",
        request=CheckInIn,
        responses={201: TicketOut},
    )
    @idempotent
    def post(self, request, code):
        body = CheckInIn(data=request.data)
        body.is_valid(raise_exception=True)
        d = body.validated_data
        ticket, _booking = services.check_in(
            hall=_hall(code), hall_key=d["hall_key"], code=d.get("code", ""),
            id_number=d.get("id_number", ""),
        )  # fmt: skip
        return Response(TicketOut(selectors.ticket(ticket.pk)).data, status=201)


class TicketDetailApi(APIView):
    permission_classes = []

    @extend_schema(summary="号的状态：前面人数、预计等候、叫号窗口", responses=TicketOut)
    def get(self, request, pk):
        return Response(TicketOut(selectors.ticket(pk)).data)


class BoardCallOut(serializers.Serializer):
    label = serializers.CharField()
    window = serializers.CharField()
    window_name = serializers.CharField()
    status = serializers.CharField()
    announced_at = serializers.DateTimeField()
    calls = serializers.IntegerField()


class BoardOut(serializers.Serializer):
    centre = serializers.CharField()
    calls = BoardCallOut(many=True)
    waiting = serializers.DictField(child=serializers.IntegerField(), help_text="{字母: 等候人数}")


class BoardApi(APIView):
    permission_classes = []

    @extend_schema(summary="叫号屏：今日最近的叫号（含再次呼叫）与各类等候人数", responses=BoardOut)
    def get(self, request, code):
        return Response(BoardOut(selectors.board(_hall(code))).data)


def _window(pk):
    window = Window.objects.select_related("centre").filter(pk=pk).first()
    if window is None:
        raise NotFound("未找到该窗口。")
    return window


class WindowOut(serializers.Serializer):
    number = serializers.CharField(source="window.number")
    state = serializers.CharField(source="duty.state", default=WindowState.CLOSED)
    reason = serializers.CharField(source="duty.reason", default="")
    waiting = serializers.IntegerField()
    served = serializers.IntegerField(help_text="今日已办结")
    current = TicketOut(allow_null=True)


class WindowApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(summary="本窗口：状态、当前号、等候人数（本窗口的受理员）", responses=WindowOut)
    def get(self, request, pk):
        window = _window(pk)
        services.window_check(actor=request.user, window=window)
        return Response(WindowOut(selectors.window_panel(window)).data)


class StateIn(serializers.Serializer):
    state = serializers.ChoiceField(choices=WindowState.choices)
    reason = serializers.CharField(
        required=False, allow_blank=True, help_text="暂停原因（暂停时必填）"
    )


class WindowStateApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        summary="开放、暂停（须说明原因）或关闭窗口", request=StateIn, responses=WindowOut
    )
    def post(self, request, pk):
        window = _window(pk)
        services.window_check(actor=request.user, window=window)
        body = StateIn(data=request.data)
        body.is_valid(raise_exception=True)
        services.window_set_state(
            actor=request.user, window=window, state=body.validated_data["state"],
            reason=body.validated_data.get("reason", ""),
        )  # fmt: skip
        return Response(WindowOut(selectors.window_panel(window)).data)


class WindowCallApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        summary="呼叫下一位（转给本窗口的号优先，其次预约号，再次现场号；同时叫号只有一个窗口得到同一个号）",
        request=None,
        responses=TicketOut,
    )
    def post(self, request, pk):
        ticket = services.call_next(actor=request.user, window=_window(pk))
        return Response(TicketOut(selectors.ticket(ticket.pk)).data)


class TransferIn(serializers.Serializer):
    window = serializers.UUIDField(required=False, help_text="转窗口：转往的窗口")


ACTIONS = {
    "recall": services.ticket_recall,
    "skip": services.ticket_skip,
    "start": services.ticket_start,
    "end": services.ticket_end,
}


class TicketActionApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        summary="窗口对当前号的操作：recall 再次呼叫、skip 过号、transfer 转窗口、start 开始办理、end 结束办理",
        request=TransferIn,
        responses=TicketOut,
    )
    def post(self, request, pk, action):
        ticket = selectors.ticket(pk)
        if action not in ACTIONS and action != "transfer":
            raise NotFound("未知的操作。")
        if action == "transfer":
            body = TransferIn(data=request.data)
            body.is_valid(raise_exception=True)
            to = Window.objects.filter(pk=body.validated_data.get("window")).first()
            services.ticket_transfer(actor=request.user, ticket=ticket, to_window=to)
        elif action in ACTIONS:
            ACTIONS[action](actor=request.user, ticket=ticket)
        else:
            raise NotFound("未知的操作。")
        return Response(TicketOut(selectors.ticket(pk)).data)


class DeviceOut(serializers.Serializer):
    rating_url = serializers.CharField(
        allow_blank=True, help_text="待评价时评价页面的地址，否则为空"
    )


class WindowDeviceApi(APIView):
    permission_classes = []

    @extend_schema(
        summary="窗口评价器：受理员是否已请申请人评价",
        parameters=[OpenApiParameter("k", str, required=True, description="大厅密钥")],
        responses=DeviceOut,
    )
    def get(self, request, pk):
        from django.urls import reverse

        window = _window(pk)
        hall = selectors.hall_of_window_or_404(window)
        services.in_the_hall(hall, request.query_params.get("k", ""))
        token = services.device_take(window)
        url = ""
        if token:
            device = reverse("hall:device", args=[window.pk])
            back = quote(f"{device}?k={hall.qr_key}", safe="/")
            url = f"{reverse('supervision:window_rating', args=[token])}?back={back}"
        return Response({"rating_url": url})


class QueueLiveOut(serializers.Serializer):
    letter = serializers.CharField(source="group.letter")
    name = serializers.CharField(source="group.name")
    waiting = serializers.IntegerField()
    longest = serializers.IntegerField(help_text="最长等候分钟数")
    light = serializers.CharField(allow_null=True)


class WindowLiveOut(serializers.Serializer):
    number = serializers.CharField(source="window.number")
    state = serializers.CharField()
    reason = serializers.CharField()
    clerk = serializers.CharField()
    current = serializers.CharField(source="current.label", allow_null=True, default=None)
    served = serializers.IntegerField()
    paused_for = serializers.IntegerField()
    light = serializers.CharField(allow_null=True)
    idle_with_queue = serializers.BooleanField()
    camera = serializers.CharField()


class LiveOut(serializers.Serializer):
    waiting = serializers.IntegerField()
    longest = serializers.IntegerField()
    called = serializers.IntegerField()
    mean_wait = serializers.FloatField(allow_null=True)
    p90_wait = serializers.FloatField(allow_null=True)
    red = serializers.IntegerField()
    yellow = serializers.IntegerField()
    queues = QueueLiveOut(many=True)
    windows = WindowLiveOut(many=True)


class HallLiveApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(summary="大厅现场监控：窗口、排队、等候时间与红黄灯（本级及下级的监察）",
                   responses=LiveOut)  # fmt: skip
    def get(self, request, code):
        return Response(
            LiveOut(selectors.hall_figures(selectors.watched_hall(request.user, code))).data
        )
