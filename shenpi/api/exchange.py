"""/api/v1 for the information exchange: the change feed (the same events subscribers are
sent, pulled from a position), for system clients allowed to receive events."""

from drf_spectacular.utils import OpenApiExample, OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from shenpi.accounts.client_operations import ensure_client_may, is_client
from shenpi.core.errors import InvalidInput, NotAllowed
from shenpi.exchange import envelope, selectors


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
        responses=ChangesOut,
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
