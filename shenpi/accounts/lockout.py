"""What a locked-out login sees: a Chinese page, or problem JSON on the API."""

from django.conf import settings
from django.shortcuts import render

LOCKED_MESSAGE = "在此地址连续登录失败次数过多，为保护账户安全，该账户在此地址已锁定 {minutes} 分钟。请稍后再试，或用登记手机的验证码解锁。"


def lockout_response(request, original_response=None, credentials=None):
    from shenpi.common.problems import problem_response

    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    message = LOCKED_MESSAGE.format(minutes=minutes)
    if request.path.startswith("/api/"):
        return problem_response(429, message, code="locked_out", title="账户已临时锁定")
    return render(request, "accounts/locked_out.html", {"message": message}, status=429)
