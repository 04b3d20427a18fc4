from django.urls import path

from . import oidc, views

app_name = "accounts"

urlpatterns = [
    path("login/", views.login_view, name="login"),
    path("login/otp/", views.login_otp_view, name="login_otp"),
    # 统一身份认证 (OpenID Connect), when the identity service is configured.
    path("oidc/login/", oidc.LoginStart.as_view(), name="oidc_login"),
    path("oidc/callback/", oidc.LoginCallback.as_view(), name="oidc_callback"),
    path("unlock/", views.unlock_view, name="unlock"),
    path("logout/", views.ShenpiLogoutView.as_view(), name="logout"),
    path("otp/setup/", views.otp_setup_view, name="otp_setup"),
    path("register/", views.register_person_view, name="register"),
    path("register/enterprise/", views.register_enterprise_view, name="register_enterprise"),
]
