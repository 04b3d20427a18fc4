import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.http import JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode

from .constants import AccountType

EXPIRED_MESSAGE = "由于长时间未操作，您已安全退出，请重新登录。"


class StaffSessionMiddleware:
    """Idle sessions end: staff after 30 minutes (等保), applicants after 2 hours."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and hasattr(request, "session"):
            staff = user.account_type in (AccountType.STAFF, AccountType.OBSERVER)
            idle = 60 * (
                settings.SHENPI_STAFF_IDLE_MINUTES if staff else settings.SHENPI_PUBLIC_IDLE_MINUTES
            )
            now = int(time.time())
            last = request.session.get("last_seen")
            if last is not None and now - last > idle:
                logout(request)
                if request.path.startswith("/api/"):
                    return JsonResponse(
                        {
                            "type": "about:blank",
                            "title": "未登录",
                            "status": 401,
                            "code": "session_expired",
                            "detail": EXPIRED_MESSAGE,
                        },
                        status=401,
                        content_type="application/problem+json",
                    )
                messages.warning(request, EXPIRED_MESSAGE)
                return redirect(
                    f"{reverse('accounts:login')}?{urlencode({'next': request.get_full_path()})}"
                )
            if last is None or now - last > 30:
                request.session["last_seen"] = now
                # The stored session outlives the idle limit a little, so that the
                # check above can tell the person why they were signed out.
                request.session.set_expiry(idle * 2)
        return self.get_response(request)


TWO_FACTOR_EXEMPT = ("/accounts/otp/", "/accounts/logout/", "/static/", "/healthz", "/api/")


class RequireTwoFactorMiddleware:
    """Supervisors, leaders and admins must pass TOTP when SHENPI_REQUIRE_2FA is on;
    one who has not enrolled yet is sent to enrol before anything else."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if (
            settings.SHENPI_REQUIRE_2FA
            and user is not None
            and user.is_authenticated
            and user.requires_two_factor
            and not user.is_verified()
            and not request.path.startswith(TWO_FACTOR_EXEMPT)
        ):
            messages.info(request, "您的角色需要启用动态口令（双因素认证），请先完成绑定。")
            return redirect("accounts:otp_setup")
        return self.get_response(request)
