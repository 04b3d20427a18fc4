"""/api/v1 for the information exchange: the change feed (the same events subscribers are
sent, pulled from a position), and a lower-level platform's pushes of its own cases."""

from drf_spectacular.utils import (
    OpenApiExample,
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
)
from rest_framework import serializers
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from shenpi.accounts.client_operations import ensure_client_may, is_client
from shenpi.cases import services
from shenpi.cases.constants import LicenceStatus
from shenpi.cases.models import Case
from shenpi.core.errors import InvalidInput, NotAllowed, NotFound
from shenpi.exchange import envelope, selectors, signing
from shenpi.exchange import services as exchange_services
from shenpi.exchange.models import Subscriber


class CloudEventOut(serializers.Serializer):
    specversion = serializers.CharField(help_text="1.0")
    id = serializers.CharField(help_text="事件标识：重试和重放时不变，接收方据此去重")
    source = serializers.CharField()
    type = serializers.CharField(help_text="cn.shenpi.case.accept 等")
    subject = serializers.CharField(help_text="cases/{id}：同一对象的事件按顺序送达")
    time = serializers.DateTimeField()
    datacontenttype = serializers.CharField()
    sequence = serializers.CharField(help_text="在交换平台中的位置；按字符串比较即为先后顺序")
    data = serializers.DictField()


class ChangesOut(serializers.Serializer):
    events = CloudEventOut(many=True)
    next = serializers.CharField(help_text="下次请求的 after（本页最后一个事件的位置）")
    more = serializers.BooleanField(help_text="是否还有更多事件（立即再取）")


EXAMPLE = {
    "events": [
        {
            "specversion": "1.0",
            "id": "1042",
            "source": "urn:shenpi:division:640104",
            "type": "cn.shenpi.case.accept",
            "subject": "cases/1f0c0c8e-8a55-4a39-9f0e-4e4a1e7a2c11",
            "time": "2026-12-07T02:31:05.118Z",
            "datacontenttype": "application/json",
            "sequence": "00000000000000008812-00000000000000001042",
            "data": {
                "case": "1f0c0c8e-8a55-4a39-9f0e-4e4a1e7a2c11",
                "number": "640104202612070001",
                "status": "accepted",
                "item": "640100-XK-001",
                "department": "xingqing-sjj",
                "action": "case.accept",
            },
        }
    ],
    "next": "00000000000000008812-00000000000000001042",
    "more": False,
}


class ChangeFeedApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        summary="变更订阅（拉取）：自某一位置起本系统可见的事件，按交换顺序",
        description=(
            "与推送（Webhook）相同的 CloudEvents 事件。首次不带 after；之后以上次返回的 "
            "next 作为 after，直到 more 为 false。事件保留 30 天；早于保留期的 after "
            "返回 410（cursor_expired）。"
        ),
        parameters=[
            OpenApiParameter("after", str, description="上次返回的 next；不填则从头读取"),
            OpenApiParameter("limit", int, description="每页条数，1–500，默认 100"),
        ],
        responses={
            200: ChangesOut,
            410: OpenApiResponse(description="游标早于事件保留期（cursor_expired）"),
        },
        examples=[OpenApiExample("一页事件", value=EXAMPLE, response_only=True)],
    )
    def get(self, request):
        user = request.user
        if not is_client(user):
            raise NotAllowed("事件订阅仅供系统客户端使用。", code="clients_only")
        ensure_client_may(user, "exchange.feed")
        limit = request.query_params.get("limit") or str(selectors.PAGE)
        if not limit.isdigit() or not 1 <= int(limit) <= selectors.PAGE_MAX:
            raise InvalidInput("limit 须为 1 到 500 的整数。", errors={"limit": ["无效。"]})
        page = selectors.changes_since(
            user.client, request.query_params.get("after", ""), int(limit)
        )
        return Response(
            {
                "events": [envelope.as_dict(e) for e in page.events],
                "next": page.next,
                "more": page.more,
            }
        )


class LowerLicenceIn(serializers.Serializer):
    number = serializers.RegexField(
        r"^[0-9A-Za-z-]{4,40}$", help_text="下级平台颁发的证照编号（推送后不能更改）"
    )
    valid_from = serializers.DateField(help_text="有效期自")
    valid_until = serializers.DateField(
        required=False, allow_null=True, help_text="有效期至（长期有效的不填）"
    )
    scope = serializers.CharField(
        required=False, allow_blank=True, max_length=500, help_text="许可内容"
    )
    status = serializers.ChoiceField(
        choices=LicenceStatus.choices,
        required=False,
        help_text="证照状态：在下级平台撤销、注销或延续后推送新状态",
    )

    def validate(self, attrs):
        until = attrs.get("valid_until")
        if until and until < attrs["valid_from"]:
            raise serializers.ValidationError({"valid_until": "有效期至不能早于有效期自。"})
        return attrs


class LowerCaseIn(serializers.Serializer):
    version = serializers.IntegerField(
        min_value=1,
        help_text="本办件在下级平台的版本号：每次推送递增；旧版本或重复推送不会覆盖新状态",
    )
    item = serializers.CharField(max_length=40, help_text="事项编码（本平台事项目录）")
    item_version = serializers.IntegerField(min_value=1, help_text="事项版本号")
    department = serializers.CharField(
        max_length=40, help_text="受理部门代码（须在本平台绑定的区划内）"
    )
    applicant_name = serializers.CharField(max_length=100)
    applicant_code = serializers.CharField(max_length=18, help_text="身份证号码或统一社会信用代码")
    applicant_kind = serializers.ChoiceField(
        choices=["person", "enterprise"], required=False, help_text="证件两可时写明"
    )
    status = serializers.ChoiceField(choices=services.pushing.PUSHABLE)
    outcome = serializers.ChoiceField(choices=["granted", "refused"], required=False)
    received_at = serializers.DateTimeField()
    accepted_at = serializers.DateTimeField(required=False, allow_null=True)
    statutory_due = serializers.DateField(required=False, allow_null=True)
    promised_due = serializers.DateField(required=False, allow_null=True)
    decided_at = serializers.DateTimeField(required=False, allow_null=True)
    ended_at = serializers.DateTimeField(required=False, allow_null=True)
    reason_text = serializers.CharField(required=False, allow_blank=True, max_length=2000)
    licence = LowerLicenceIn(
        required=False,
        help_text="准予许可且颁发证照的事项必填：下级平台颁发的证照（在本平台公示、可核验）",
    )


class LowerCaseOut(serializers.Serializer):
    id = serializers.UUIDField()
    number = serializers.CharField(help_text="本平台办件编号")
    source_case_id = serializers.CharField()
    version = serializers.IntegerField(source="source_version")
    status = serializers.CharField()


PUSH_EXAMPLE = {
    "version": 2,
    "item": "640104-SCJG-002",
    "item_version": 1,
    "department": "xq-scjg",
    "applicant_name": "李四",
    "applicant_code": "640102198512150023",
    "status": "processing",
    "received_at": "2026-12-07T09:12:00+08:00",
    "accepted_at": "2026-12-07T10:02:00+08:00",
    "statutory_due": "2027-01-05",
    "promised_due": "2026-12-21",
}


def _verified(request, client) -> None:
    """An incoming push is signed as outgoing events are (exchange.signing), with the
    client's exchange key; a forged or stale signature is refused and recorded."""
    subscriber = Subscriber.objects.filter(client=client, is_active=True).first()
    keys = exchange_services.signing_keys(subscriber) if subscriber else []
    try:
        if not keys:
            raise signing.BadSignature("该系统未配置信息交换签名密钥。")
        signing.verify(keys, request.headers, request.body)
    except signing.BadSignature as refused:
        exchange_services.push_refused(client=client, request=request, reason=str(refused))
        raise NotAllowed(f"推送签名无效：{refused}", code="bad_signature") from None


class LowerCaseApi(APIView):
    """两级平台: a lower-level platform's own case, by its own id."""

    permission_classes = [IsAuthenticated]

    @extend_schema(
        operation_id="lower_case_push",
        summary="下级平台推送自办办件（按其办件标识幂等更新，带版本号）",
        description=(
            "请求须按事件推送的方式签名（webhook-id、webhook-timestamp、webhook-signature，"
            "以本系统的信息交换密钥计算）。同一版本同一内容重复推送不改变任何东西；"
            "旧版本或同版本不同内容返回 409（stale_version，current_version 为当前版本）；"
            "流程不允许的状态变化返回 409（flow_forbids）。"
        ),
        request=LowerCaseIn,
        responses={200: LowerCaseOut, 201: LowerCaseOut},
        examples=[OpenApiExample("受理后推送", value=PUSH_EXAMPLE, request_only=True)],
    )
    def put(self, request, source_id):
        user = request.user
        if not is_client(user):
            raise NotAllowed("只有下级平台的系统客户端可以推送办件。", code="clients_only")
        ensure_client_may(user, "exchange.push")
        _verified(request, user.client)
        body = LowerCaseIn(data=request.data)
        body.is_valid(raise_exception=True)
        data = dict(body.validated_data)
        version = data.pop("version")
        pushed = services.case_push(
            actor=user, source_case_id=source_id, version=version, data=data
        )
        return Response(LowerCaseOut(pushed.case).data, status=201 if pushed.created else 200)

    @extend_schema(
        operation_id="lower_case_read",
        summary="下级平台读取其推送办件在本平台的当前版本",
        responses=LowerCaseOut,
    )
    def get(self, request, source_id):
        user = request.user
        if not is_client(user):
            raise NotAllowed("只有下级平台的系统客户端可以读取。", code="clients_only")
        ensure_client_may(user, "exchange.push")
        case = Case.objects.filter(source_client=user.client, source_case_id=source_id).first()
        if case is None:
            raise NotFound("未找到该办件。")
        return Response(LowerCaseOut(case).data)
