from django.contrib import admin
from django.urls import include, path
from django.views.generic import RedirectView

from shenpi.api.views import healthz

urlpatterns = [
    # The admin signs in through the platform's login (password, lockout, TOTP).
    path("admin/login/", RedirectView.as_view(pattern_name="accounts:login", query_string=True)),
    path("admin/", admin.site.urls),
    path("accounts/", include("shenpi.accounts.urls")),
    path("api/v1/", include("shenpi.api.urls")),
    path("healthz", healthz, name="healthz"),
    path("", include("shenpi.catalog.urls")),
    path("", include("shenpi.cases.urls")),
    path("", include("shenpi.notify.urls")),
    path("", include("shenpi.supervision.urls")),
    path("", include("shenpi.publishing.urls")),
    path("", include("shenpi.consult.urls")),
    path("", include("shenpi.stats.urls")),
    path("", include("shenpi.agency.urls")),
    path("", include("shenpi.hall.urls")),
    path("", include("shenpi.portal.urls")),
]

handler404 = "shenpi.portal.errors.not_found"
handler500 = "shenpi.portal.errors.server_error"
handler403 = "shenpi.portal.errors.forbidden"
