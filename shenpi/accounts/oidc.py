"""统一身份认证: staff and the public log in through the province's identity service over
OpenID Connect (mozilla-django-oidc), each mapped to their existing account by ID number or
unified credit code — never a new account made from a token. Password login stays (the
embedded default has no identity service). A person who has bound a TOTP device still
gives its code after the identity service (the same second step as a password login)."""

from __future__ import annotations

import logging

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import SuspiciousOperation
from django.http import Http404
from django.shortcuts import redirect
from mozilla_django_oidc.auth import OIDCAuthenticationBackend
from mozilla_django_oidc.views import OIDCAuthenticationCallbackView, OIDCAuthenticationRequestView

from shenpi.common import personal

from . import services
from .models import User
from .views import PENDING_KEY, PENDING_NEXT, landing  # the password login's second step

security = logging.getLogger("django.security.oidc")

# Where the identity service puts the numbers (its claims), and how they are normalised.
ID_NUMBER_CLAIM, CREDIT_CODE_CLAIM = "id_number", "credit_code"


class UnifiedIdentityBackend(OIDCAuthenticationBackend):
    def verify_claims(self, claims):
        return bool(claims.get(ID_NUMBER_CLAIM) or claims.get(CREDIT_CODE_CLAIM))

    def filter_users_by_claims(self, claims):
        active = User.objects.filter(is_active=True)
        id_number = str(claims.get(ID_NUMBER_CLAIM) or "").strip().upper()
        if id_number:
            return active.filter(id_number_digest=personal.digest(id_number))
        credit_code = str(claims.get(CREDIT_CODE_CLAIM) or "").strip().upper()
        if credit_code:
            return active.filter(credit_code=credit_code)
        return User.objects.none()

    def describe_user_by_claims(self, claims):
        return "an ID number or credit code"  # never the number itself in a log

    def create_user(self, claims):  # accounts are registered on the platform, not here
        return None


def _enabled():
    if not settings.SHENPI_OIDC:
        raise Http404


class LoginStart(OIDCAuthenticationRequestView):
    def get(self, request):
        _enabled()
        return super().get(request)


class LoginCallback(OIDCAuthenticationCallbackView):
    def get(self, request):
        _enabled()
        try:
            return super().get(request)
        except SuspiciousOperation as refused:
            # A forged or stale token, a replayed state: recorded, and the person told.
            security.warning("统一身份认证回调被拒绝：%s", refused)
            return self.login_failure()

    def login_failure(self):
        messages.error(
            self.request,
            "统一身份认证未能登录：未找到与该身份对应的本平台账户，或认证已失效。请先注册，或用密码登录。",
        )
        return redirect("accounts:login")

    @property
    def success_url(self):
        return self.request.session.get("oidc_login_next") or landing(self.user)

    def login_success(self):
        if services.totp_device_for(self.user) is not None:
            self.request.session[PENDING_KEY] = self.user.pk
            self.request.session[PENDING_NEXT] = self.request.session.get("oidc_login_next", "")
            return redirect("accounts:login_otp")
        return super().login_success()
