from django.conf import settings
from django.contrib.auth import authenticate
from django.db import connection
from django.http import JsonResponse
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, status
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from shenpi.accounts import services as account_services
from shenpi.accounts import throttle
from shenpi.accounts.constants import ClientAction
from shenpi.accounts.lockout import lockout_response
from shenpi.accounts.models import ApiToken, Department, Division
from shenpi.accounts.scope import scope_for, visible_staff
from shenpi.core.errors import InvalidInput, NotAllowed, TooMany, Unauthenticated

from . import serializers
from .permissions import IsStaffOrClient, client_action


class MeApi(APIView):
    """The caller: a person's roles and scope, or a system client's binding and actions."""

    @extend_schema(responses=serializers.MeOut, summary="当前调用者")
    def get(self, request):
        user = request.user
        scope = scope_for(user)
        scope_out = {
            "everything": scope.everything,
            "departments": sorted(str(d) for d in scope.department_ids),
            "divisions": [p.rstrip("/").rsplit("/", 1)[-1] for p in scope.subtree_paths],
        }
        if getattr(user, "is_system_client", False):
            client = user.client
            data = {
                "kind": "system_client",
                "id": client.id,
                "username": user.username,
                "name": client.name,
                "account_type": "system",
                "roles": [],
                "department": client.department_id,
                "division": client.division_id
                or (client.department.division_id if client.department_id else None),
                "two_factor": False,
                "allowed_actions": sorted(client.allowed_actions),
                "scope": scope_out,
            }
        else:
            department = user.department
            data = {
                "kind": "person",
                "id": user.public_id,
                "username": user.username,
                "name": user.display_name,
                "account_type": user.account_type,
                "roles": sorted(user.roles),
                "department": department.pk if department else None,
                "division": user.division_id or (department.division_id if department else None),
                "two_factor": bool(account_services.totp_device_for(user)),
                "allowed_actions": [],
                "scope": scope_out,
            }
        return Response(serializers.MeOut(data).data)


class TokenCreateApi(APIView):
    """A personal token from username, password and, where the role requires 2FA, the one-time code."""

    authentication_classes = []
    permission_classes = [AllowAny]

    @extend_schema(
        request=serializers.TokenIn,
        responses={201: serializers.TokenOut},
        summary="获取个人令牌",
        auth=[],
    )
    def post(self, request):
        data = serializers.TokenIn(data=request.data)
        data.is_valid(raise_exception=True)
        wait = throttle.delay_remaining(data.validated_data["username"])
        if wait:
            raise TooMany(throttle.delayed_message(wait), code="login_delayed")
        user = authenticate(
            request._request,
            username=data.validated_data["username"],
            password=data.validated_data["password"],
        )
        if getattr(request._request, "axes_locked_out", False):
            return lockout_response(request._request)
        if user is None:
            raise Unauthenticated("用户名或密码不正确。", code="invalid_credentials")
        device = account_services.totp_device_for(user)
        if device is None and settings.SHENPI_REQUIRE_2FA and user.requires_two_factor:
            raise NotAllowed(
                "您的角色必须先在网页上绑定动态口令，才能获取令牌。", code="otp_enrolment_required"
            )
        if device is not None:
            otp = (data.validated_data.get("otp") or "").strip()
            if not otp:
                raise InvalidInput(
                    "请提供动态口令。",
                    code="otp_required",
                    errors={"otp": ["此用户须提供动态口令。"]},
                )
            if not (device.verify_is_allowed()[0] and device.verify_token(otp)):
                raise InvalidInput(
                    "动态口令不正确。", code="otp_invalid", errors={"otp": ["动态口令不正确。"]}
                )
        token, key = account_services.api_token_create(user=user, request=request._request)
        return Response(
            serializers.TokenOut({"token": key, "expires_at": token.expires_at}).data,
            status=status.HTTP_201_CREATED,
        )


class TokenRevokeApi(APIView):
    @extend_schema(request=None, responses={204: None}, summary="吊销当前使用的个人令牌")
    def delete(self, request):
        if not isinstance(request.auth, ApiToken):
            raise InvalidInput("只有用个人令牌调用时才能吊销它。", code="not_a_token")
        account_services.api_token_revoke(
            token=request.auth, actor=request.user, request=request._request
        )
        return Response(status=status.HTTP_204_NO_CONTENT)


class DivisionListApi(generics.ListAPIView):
    """Administrative divisions (open data)."""

    permission_classes = [AllowAny]
    serializer_class = serializers.DivisionOut
    queryset = Division.objects.all()
    pagination_class = None

    @extend_schema(summary="行政区划列表")
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)


class DepartmentListApi(generics.ListAPIView):
    """Departments (open data), filterable by division subtree and kind."""

    permission_classes = [AllowAny]
    serializer_class = serializers.DepartmentOut

    def get_queryset(self):
        qs = (
            Department.objects.filter(is_active=True)
            .select_related("kind", "division")
            .order_by("code")
        )
        division = self.request.query_params.get("division")
        if division:
            root = get_object_or_404(Division, code=division)
            qs = qs.filter(division__path__startswith=root.path)
        kind = self.request.query_params.get("kind")
        if kind:
            qs = qs.filter(kind_id=kind)
        return qs

    @extend_schema(
        summary="部门列表",
        parameters=[
            OpenApiParameter("division", str, description="区划代码：该区划及其下级的部门"),
            OpenApiParameter("kind", str, description="部门类别代码"),
        ],
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)


class DepartmentDetailApi(generics.RetrieveAPIView):
    permission_classes = [AllowAny]
    serializer_class = serializers.DepartmentOut
    queryset = Department.objects.filter(is_active=True).select_related("kind", "division")

    @extend_schema(summary="部门详情")
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)


class StaffListApi(generics.ListAPIView):
    """The staff directory within the caller's scope (a department system syncing its people)."""

    permission_classes = [IsAuthenticated, IsStaffOrClient, client_action(ClientAction.ORG_READ)]
    serializer_class = serializers.StaffOut

    def get_queryset(self):
        qs = visible_staff(self.request.user).order_by("pk")
        department = self.request.query_params.get("department")
        if department:
            qs = qs.filter(office__department_id=department)
        return qs

    @extend_schema(
        summary="工作人员名录（本人可见范围内）",
        parameters=[
            OpenApiParameter("department", str, description="部门标识（UUID）"),
        ],
    )
    def get(self, request, *args, **kwargs):
        department = request.query_params.get("department")
        if department:
            # Another scope's department is not revealed: 404, not an empty list.
            import uuid

            try:
                uuid.UUID(department)
            except ValueError:
                raise InvalidInput(
                    "department 应为部门标识（UUID）。",
                    errors={"department": ["不是有效的 UUID。"]},
                ) from None
            scope = scope_for(request.user)
            get_object_or_404(Department.objects.filter(scope.department_q()), pk=department)
        return super().get(request, *args, **kwargs)


class StaffDetailApi(generics.RetrieveAPIView):
    permission_classes = [IsAuthenticated, IsStaffOrClient, client_action(ClientAction.ORG_READ)]
    serializer_class = serializers.StaffOut
    lookup_field = "public_id"

    def get_queryset(self):
        return visible_staff(self.request.user)

    @extend_schema(summary="工作人员详情")
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)


def healthz(request):
    """Liveness and the database: 200 when a query answers, 503 otherwise."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as exc:  # noqa: BLE001 - any database failure is "unhealthy"
        return JsonResponse({"status": "error", "database": str(exc)[:200]}, status=503)
    return JsonResponse({"status": "ok", "database": connection.vendor})
