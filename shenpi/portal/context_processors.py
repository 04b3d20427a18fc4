from django.conf import settings

from shenpi.search.terms import MAX_QUERY

from .roles import HOMES, ROLE_PRIORITY


def shenpi(request):
    user = getattr(request, "user", None)
    homes = []
    unread = 0
    if user is not None and user.is_authenticated and not getattr(user, "is_system_client", False):
        from shenpi.notify.models import Message

        homes = [HOMES[r] for r in ROLE_PRIORITY if r in user.roles]
        unread = Message.objects.filter(user=user, read_at__isnull=True).count()
    return {
        "site_name": "宁夏回族自治区网上审批平台",
        "role_homes": homes,
        "demo_mode": settings.SHENPI_DEMO,
        "unread_messages": unread,
        "search_max": MAX_QUERY,  # every search box's maxlength: the service's own limit
    }
