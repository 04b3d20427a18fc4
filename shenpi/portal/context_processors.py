from django.conf import settings

from .roles import HOMES, ROLE_PRIORITY


def shenpi(request):
    user = getattr(request, "user", None)
    homes = []
    if user is not None and user.is_authenticated and not getattr(user, "is_system_client", False):
        homes = [HOMES[r] for r in ROLE_PRIORITY if r in user.roles]
    return {
        "site_name": "宁夏回族自治区网上审批平台",
        "role_homes": homes,
        "demo_mode": settings.SHENPI_DEMO,
    }
