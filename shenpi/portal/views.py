from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse

from shenpi.accounts.models import Department
from shenpi.cases.selectors import extension_queue
from shenpi.core.errors import InvalidInput

from .roles import BY_SLUG, HOMES, primary_role
from .search import site_search

# (slug, title, icon, text, URL name when the page exists)
PUBLIC_ENTRANCES = [
    (
        "guide",
        "办事指南",
        "bi-journal-text",
        "查询每个审批事项的法律依据、条件、材料、时限、收费和表格",
        "catalog:guide_list",
    ),
    (
        "apply",
        "我要申请",
        "bi-pencil-square",
        "在线填写申请、上传材料，提交后获得办件编号和查询密码",
        "catalog:guide_list",
    ),
    ("track", "进度查询", "bi-search", "凭办件编号和查询密码查看办理进度，无需登录", "cases:track"),
    ("consult", "咨询", "bi-chat-dots", "向部门提问，凭编号查询答复", "consult:ask"),
    (
        "complain",
        "投诉",
        "bi-megaphone",
        "对办件、事项、部门或工作人员投诉举报，可实名或匿名",
        "supervision:complaint_new",
    ),
    ("policies", "政策法规", "bi-bank", "法律法规、政策文件、通知公告与新闻", "publishing:list"),
]


def home(request):
    departments = (
        Department.objects.filter(is_active=True, division__level="region")
        .select_related("kind")
        .order_by("code")
    )
    # A tile works or is not shown: an entrance whose page is not built yet is left out.
    entrances = [
        (reverse(url), title, icon, text)
        for _key, title, icon, text, url in PUBLIC_ENTRANCES
        if url
    ]
    return render(request, "portal/home.html", {"entrances": entrances, "departments": departments})


def entrance(request, slug):
    """An entrance's short address (/s/<slug>/): its page, or 404 while it has none."""
    for key, _title, _icon, _text, url in PUBLIC_ENTRANCES:
        if key == slug and url:
            return redirect(url)
    raise Http404


@login_required
def workbench(request):
    """Each user lands on the home of their primary role."""
    return redirect("portal:role_home", slug=HOMES[primary_role(request.user)].slug)


# What waits for the person on a tile (roles.NavItem.count), counted when the home is shown.
TILE_COUNTS = {"extensions": lambda user: extension_queue(user).count()}


@login_required
def role_home(request, slug):
    home = BY_SLUG.get(slug)
    if home is None or home.role not in request.user.roles:
        raise Http404
    alert = None
    if home.role == "admin":
        from shenpi.workdays.services import next_year_alert

        alert = next_year_alert()
    tiles = [
        (item, TILE_COUNTS[item.count](request.user) if item.count else None)
        for item in home.shown_nav
    ]
    return render(
        request, "portal/role_home.html", {"home": home, "tiles": tiles, "calendar_alert": alert}
    )


def search(request):
    """站内搜索: items, FAQ and policies by words, synonyms and pinyin."""
    q = request.GET.get("q", "").strip()
    error, found = None, {"terms": [], "items": [], "faqs": None, "policies": []}
    try:
        found = site_search(q, request.GET.get("page"))
    except InvalidInput as exc:
        error = exc.message
    return render(request, "portal/search.html", {"q": q, "error": error, **found})
