from django.urls import path

from . import views

app_name = "accounts"

urlpatterns = [
    path("login/", views.login_view, name="login"),
    path("login/otp/", views.login_otp_view, name="login_otp"),
    path("unlock/", views.unlock_view, name="unlock"),
    path("logout/", views.ShenpiLogoutView.as_view(), name="logout"),
    path("otp/setup/", views.otp_setup_view, name="otp_setup"),
    path("register/", views.register_person_view, name="register"),
    path("register/enterprise/", views.register_enterprise_view, name="register_enterprise"),
]
