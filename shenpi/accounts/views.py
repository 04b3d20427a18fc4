import base64

import segno
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model, login
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import LogoutView
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from shenpi.audit.services import audit_record
from shenpi.core.errors import DomainError

from . import services
from .constants import Role
from .forms import EnterpriseRegisterForm, LoginForm, OtpForm, PersonRegisterForm

PENDING_KEY = "otp_pending_user"
PENDING_NEXT = "otp_pending_next"


def landing(user) -> str:
    """Where a login lands without a `next`: staff (any role beyond applying) on their
    workbench, the public on the home page."""
    return reverse("portal:workbench" if user.roles - {Role.APPLICANT} else "portal:home")


def _safe_next(request, candidate):
    if candidate and url_has_allowed_host_and_scheme(
        candidate, {request.get_host()}, request.is_secure()
    ):
        return candidate
    return landing(request.user)


@sensitive_post_parameters("password")
@require_http_methods(["GET", "POST"])
def login_view(request):
    """Step one: password. Users with a TOTP device go on to step two."""
    next_url = request.POST.get("next") or request.GET.get("next", "")
    form = LoginForm(request, data=request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = form.get_user()
        device = services.totp_device_for(user)
        if device is not None:
            request.session[PENDING_KEY] = user.pk
            request.session[PENDING_NEXT] = next_url
            return redirect("accounts:login_otp")
        login(request, user)
        return redirect(_safe_next(request, next_url))
    return render(
        request,
        "accounts/login.html",
        {
            "form": form,
            "next": next_url,
            "demo": settings.SHENPI_DEMO,
            "oidc": settings.SHENPI_OIDC,
        },
    )


@require_http_methods(["GET", "POST"])
def login_otp_view(request):
    user_pk = request.session.get(PENDING_KEY)
    if not user_pk:
        return redirect("accounts:login")
    user = get_user_model().objects.filter(pk=user_pk, is_active=True).first()
    device = services.totp_device_for(user) if user else None
    if device is None:
        request.session.pop(PENDING_KEY, None)
        return redirect("accounts:login")
    form = OtpForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        allowed, _info = device.verify_is_allowed()
        if allowed and device.verify_token(form.cleaned_data["token"]):
            next_url = request.session.pop(PENDING_NEXT, "")
            request.session.pop(PENDING_KEY, None)
            user.backend = "django.contrib.auth.backends.ModelBackend"
            login(request, user)
            otp_login(request, device)
            return redirect(_safe_next(request, next_url))
        audit_record(
            stream=services.user_stream(user),
            action="login.otp",
            actor=user,
            request=request,
            object_type="user",
            object_id=str(user.public_id),
            outcome="failure",
        )
        form.add_error(
            "token",
            "动态口令不正确或已过期；多次错误后需稍候再试。"
            if allowed
            else "错误次数过多，请稍候再试。",
        )
    return render(request, "accounts/login_otp.html", {"form": form})


class ShenpiLogoutView(LogoutView):
    """POST only (Django's LogoutView); back to the portal home with a notice."""

    def post(self, request, *args, **kwargs):
        response = super().post(request, *args, **kwargs)
        messages.success(request, "您已安全退出。")
        return response


@login_required
@require_http_methods(["GET", "POST"])
def otp_setup_view(request):
    """Enrol a TOTP authenticator by QR code, or re-verify an enrolled one."""
    user = request.user
    confirmed = services.totp_device_for(user)
    form = OtpForm(request.POST or None)
    if confirmed is not None and not user.is_verified():
        # Enrolled but this session has not passed the second factor.
        if request.method == "POST" and form.is_valid():
            if confirmed.verify_is_allowed()[0] and confirmed.verify_token(
                form.cleaned_data["token"]
            ):
                otp_login(request, confirmed)
                return redirect("portal:home")
            form.add_error("token", "动态口令不正确。")
        return render(request, "accounts/otp_verify.html", {"form": form})
    needs_activation = services.otp_activation_needed(user, verified=user.is_verified())
    if request.method == "POST" and request.POST.get("action") == "send_activation":
        try:
            services.otp_activation_send(user=user, request=request)
            messages.success(request, "绑定验证码已发送到您登记的手机。")
        except DomainError as exc:
            messages.error(request, exc.message)
        form = OtpForm()
    elif request.method == "POST" and form.is_valid():
        try:
            device = services.totp_enrolment_confirm(
                user=user,
                token=form.cleaned_data["token"],
                request=request,
                activation=form.cleaned_data.get("activation", ""),
                verified=user.is_verified(),
            )
        except DomainError as exc:
            form.add_error("activation" if "activation" in exc.errors else "token", exc.message)
        else:
            otp_login(request, device)
            messages.success(request, "动态口令已绑定。以后登录时需输入验证器上的6位数字。")
            return redirect("portal:home")
    pending = (
        TOTPDevice.objects.filter(user=user, confirmed=False).first()
        if request.method == "POST"
        else None
    )
    device = pending or services.totp_enrolment_start(user=user)
    qr_svg = segno.make(device.config_url, error="m").svg_inline(scale=5)
    secret = base64.b32encode(bytes.fromhex(device.key)).decode()
    return render(
        request,
        "accounts/otp_setup.html",
        {
            "form": form,
            "qr_svg": qr_svg,
            "secret": secret,
            "already": confirmed is not None,
            "needs_activation": needs_activation,
        },
    )


def _register(request, form_class, service, template, fields):
    form = form_class(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = {k: form.cleaned_data[k] for k in fields}
        try:
            user = service(password=form.cleaned_data["password"], request=request, **data)
        except DomainError as exc:
            for field, errs in exc.errors.items():
                for err in errs:
                    form.add_error(field if field in form.fields else None, err)
            if not exc.errors:
                form.add_error(None, exc.message)
        else:
            user.backend = "django.contrib.auth.backends.ModelBackend"
            login(request, user)
            messages.success(request, f"注册成功，欢迎您，{user.display_name}。")
            return redirect("portal:home")
    return render(request, template, {"form": form})


@sensitive_post_parameters("password", "password2")
@require_http_methods(["GET", "POST"])
def register_person_view(request):
    return _register(
        request,
        PersonRegisterForm,
        services.user_register_person,
        "accounts/register_person.html",
        ["username", "real_name", "id_number", "mobile", "email"],
    )


@sensitive_post_parameters("password", "password2")
@require_http_methods(["GET", "POST"])
def register_enterprise_view(request):
    return _register(
        request,
        EnterpriseRegisterForm,
        services.user_register_enterprise,
        "accounts/register_enterprise.html",
        ["username", "enterprise_name", "credit_code", "legal_representative", "mobile", "email"],
    )


@sensitive_post_parameters("code")
@require_http_methods(["GET", "POST"])
def unlock_view(request):
    """The owner of a locked account unlocks it with a code sent to their mobile."""
    username = (request.POST.get("username") or request.GET.get("username") or "").strip()
    sent = False
    if request.method == "POST" and request.POST.get("action") == "send":
        services.account_unlock_request(username=username, request=request)
        sent = True
    elif request.method == "POST" and request.POST.get("action") == "unlock":
        try:
            services.account_unlock_confirm(
                username=username, code=request.POST.get("code", ""), request=request
            )
        except DomainError as exc:
            messages.error(request, exc.message)
            sent = True
        else:
            messages.success(request, "账户已解锁，请重新登录。")
            return redirect("accounts:login")
    return render(request, "accounts/unlock.html", {"username": username, "sent": sent})
