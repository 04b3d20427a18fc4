"""Who calls the API: a person with a session or a personal token, or a system
client with its token (CONTRACTS.md). A system client acts for people, never
as one: it is not a User."""

from django.conf import settings
from django.utils import timezone
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import authentication, exceptions

from shenpi.accounts.models import ApiToken, SystemClient
from shenpi.accounts.services import api_token_lookup, system_client_lookup


class SystemClientPrincipal:
    """request.user for a system client."""

    is_authenticated = True
    is_anonymous = False
    is_active = True
    is_staff = False
    is_superuser = False
    is_system_client = True
    account_type = "system"
    roles = frozenset()
    pk = None
    id = None

    def __init__(self, client: SystemClient):
        self.client = client
        self.username = f"client:{client.name}"

    def __str__(self):
        return self.client.name

    def is_verified(self):
        return True

    def has_role(self, *roles):
        return False


class BearerTokenAuthentication(authentication.BaseAuthentication):
    keyword = "Bearer"

    def authenticate(self, request):
        header = authentication.get_authorization_header(request).split()
        if not header or header[0].lower() != self.keyword.lower().encode():
            return None
        if len(header) != 2:
            raise exceptions.AuthenticationFailed("Authorization 头格式应为：Bearer <令牌>。")
        try:
            key = header[1].decode()
        except UnicodeError:
            raise exceptions.AuthenticationFailed("令牌含有无效字符。") from None
        now = timezone.now()
        if key.startswith("sc_"):
            client = system_client_lookup(key)
            if client is None:
                raise exceptions.AuthenticationFailed("系统客户端令牌无效或已停用。")
            if not client.last_used_at or (now - client.last_used_at).total_seconds() > 60:
                SystemClient.objects.filter(pk=client.pk).update(last_used_at=now)
            return SystemClientPrincipal(client), client
        token = api_token_lookup(key)
        if token is None or not token.user.is_active:
            raise exceptions.AuthenticationFailed("令牌无效、已过期或已吊销。")
        if not token.last_used_at or (now - token.last_used_at).total_seconds() > 60:
            ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        # The token was issued only after the second factor where one is required.
        token.user.is_verified = lambda: True
        return token.user, token

    def authenticate_header(self, request):
        return self.keyword


class CsrfSessionAuthentication(authentication.SessionAuthentication):
    """The browser's session, with CSRF; a session that still owes its second factor is refused."""

    def authenticate(self, request):
        result = super().authenticate(request)
        if result is None:
            return None
        user = result[0]
        if settings.SHENPI_REQUIRE_2FA and user.requires_two_factor and not user.is_verified():
            raise exceptions.AuthenticationFailed("您的角色需要先完成动态口令验证。")
        return result


class BearerScheme(OpenApiAuthenticationExtension):
    target_class = "shenpi.api.authentication.BearerTokenAuthentication"
    name = "bearerAuth"

    def get_security_definition(self, auto_schema):
        return {
            "type": "http",
            "scheme": "bearer",
            "description": "个人令牌（sp_…，POST /api/v1/auth/token/ 获取）或系统客户端令牌（sc_…，管理员创建）。",
        }


class SessionScheme(OpenApiAuthenticationExtension):
    target_class = "shenpi.api.authentication.CsrfSessionAuthentication"
    name = "cookieAuth"

    def get_security_definition(self, auto_schema):
        return {
            "type": "apiKey",
            "in": "cookie",
            "name": "sessionid",
            "description": "浏览器会话（写操作需 X-CSRFToken 头）",
        }
