"""/api/v1 for 站内消息: the caller's messages, newest first, and opening one (it is read
from then on) — the same selectors and service as the inbox page."""

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.generics import ListAPIView
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from shenpi.notify import selectors, services

from .pagination import CursorPagination


class MessageOut(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    body = serializers.CharField()
    case = serializers.UUIDField(source="case_id", allow_null=True)
    created_at = serializers.DateTimeField()
    read_at = serializers.DateTimeField(allow_null=True, help_text="未读为 null")


class NewestFirst(CursorPagination):
    ordering = "-created_at"


class MessageListApi(ListAPIView):
    permission_classes = [IsAuthenticated]
    serializer_class = MessageOut
    pagination_class = NewestFirst

    @extend_schema(
        operation_id="messages_list",
        summary="我的站内消息（新的在前）",
        parameters=[OpenApiParameter("unread", bool, description="只看未读")],
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        unread = self.request.query_params.get("unread") in ("1", "true")
        return selectors.messages_for(self.request.user, unread_only=unread)


class MessageReadApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        operation_id="message_read", summary="打开一条消息（标为已读）", request=None,
        responses=MessageOut,
    )  # fmt: skip
    def post(self, request, pk):
        return Response(MessageOut(services.message_read(user=request.user, pk=pk)).data)
