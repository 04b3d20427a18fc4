import pytest
from django.urls import reverse

from shenpi.portal.roles import HOMES

pytestmark = pytest.mark.django_db

PASSWORD = "Shenpi#2026"

ROLE_USERS = {
    "applicant": "zhangsan",
    "clerk": "clerk_nx_scjg",
    "agent": "agent",
    "official": "nx_scjg_off1",
    "head": "nx_scjg_head",
    "leader": "nx_zfb_leader",
    "legal": "nx_fzb_legal",
    "supervisor": "nx_jc_sup",
    "observer": "observer",
    "admin": "admin",
}


def test_home_page_in_chinese_with_the_public_entrances(client):
    html = client.get("/").content.decode()
    assert "宁夏回族自治区网上审批平台" in html
    for label in ["办事指南", "我要申请", "进度查询", "投诉", "政策法规"]:
        assert label in html
    assert 'lang="zh-hans"' in html
    # A tile works or is not shown: consultation's leads to 我要问.
    assert "即将开放" not in html and "/consult/ask/" in html
    assert client.get("/s/consult/")["Location"] == "/consult/ask/"
    assert client.get("/s/track/")["Location"] == "/track/"


def test_every_role_has_a_demo_user_who_lands_on_its_home(client):
    assert set(ROLE_USERS) == {str(r) for r in HOMES}
    for role, username in ROLE_USERS.items():
        client.logout()
        client.post(reverse("accounts:login"), {"username": username, "password": PASSWORD})
        response = client.get(reverse("portal:workbench"), follow=True)
        assert response.status_code == 200, username
        assert f'data-role="{role}"' in response.content.decode(), username


def test_applicant_opening_a_staff_home_gets_404(client):
    client.post(reverse("accounts:login"), {"username": "zhangsan", "password": PASSWORD})
    assert client.get(reverse("portal:role_home", args=["desk"])).status_code == 404
    assert client.get(reverse("portal:role_home", args=["supervision"])).status_code == 404


def test_admin_site_is_only_for_the_admin_role(client):
    client.post(reverse("accounts:login"), {"username": "nx_scjg_head", "password": PASSWORD})
    response = client.get("/admin/")
    assert response.status_code == 302 and "/admin/login/" in response.url
    client.logout()
    client.post(reverse("accounts:login"), {"username": "admin", "password": PASSWORD})
    html = client.get("/admin/").content.decode()
    assert "系统管理" in html and "部门" in html


def test_admin_login_goes_through_the_platform_login(client):
    response = client.get("/admin/login/?next=/admin/")
    assert response.status_code == 302 and response.url.startswith(reverse("accounts:login"))


def test_admin_changes_are_audited(client, demo):
    from shenpi.accounts.models import Department
    from shenpi.audit.models import AuditRecord

    client.post(reverse("accounts:login"), {"username": "admin", "password": PASSWORD})
    dept = Department.objects.get(code="xq-scjg")
    url = reverse("admin:accounts_department_change", args=[dept.pk])
    page = client.get(url)
    form = page.context["adminform"].form
    data = {k: v for k, v in form.initial.items() if v is not None}
    data.update(
        {
            "kind": dept.kind_id,
            "division": dept.division_id,
            "phone": "0951-5550000",
            "is_active": "on",
            "offices-TOTAL_FORMS": "0",
            "offices-INITIAL_FORMS": "0",
        }
    )
    response = client.post(url, data)
    assert response.status_code == 302, (
        response.context["adminform"].form.errors if response.context else ""
    )
    record = AuditRecord.objects.get(action="admin.change", object_id=str(dept.pk))
    assert record.actor == demo("admin")
    assert record.detail["after"]["phone"] == "0951-5550000"


def test_admin_creates_a_system_client_and_sees_its_token_once(client, demo):
    from shenpi.accounts.models import Department, SystemClient

    client.post(reverse("accounts:login"), {"username": "admin", "password": PASSWORD})
    dept = Department.objects.get(code="yc-scjg")
    response = client.post(
        reverse("admin:accounts_systemclient_add"),
        {
            "name": "银川市场监管业务系统",
            "department": dept.pk,
            "allowed_actions": ["org.read"],
            "is_active": "on",
        },
        follow=True,
    )
    html = response.content.decode()
    assert "只显示这一次" in html
    token = html.split("只显示这一次，请妥善保存）：")[1].split("<")[0].strip()
    sc = SystemClient.objects.get(name="银川市场监管业务系统")
    assert token.startswith("sc_") and sc.key_hash and token not in sc.key_hash
    assert client.get("/api/v1/staff/", HTTP_AUTHORIZATION=f"Bearer {token}").status_code == 200


def test_unknown_page_is_a_chinese_404(client):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert "页面不存在" in response.content.decode()


def test_role_homes_link_to_the_pages_that_exist(client):
    """Every link a role home shows opens for that role (no dead ends)."""
    for role, username in ROLE_USERS.items():
        client.logout()
        client.post(reverse("accounts:login"), {"username": username, "password": PASSWORD})
        home = client.get(reverse("portal:role_home", args=[HOMES[role].slug])).content.decode()
        assert "即将开放" not in home, username
        for item in HOMES[role].shown_nav:
            assert client.get(item.url).status_code == 200, (username, item.url)
        urls = [item.url for item in HOMES[role].shown_nav]
        assert len(urls) == len(set(urls)), f"{username}: a tile repeats another's link"


def test_every_admin_page_opens_for_the_administrator(client):
    from django.contrib import admin

    client.post(reverse("accounts:login"), {"username": "admin", "password": PASSWORD})
    for model in admin.site._registry:
        meta = model._meta
        changelist = reverse(f"admin:{meta.app_label}_{meta.model_name}_changelist")
        assert client.get(changelist).status_code == 200, changelist
        add = client.get(reverse(f"admin:{meta.app_label}_{meta.model_name}_add"))
        assert add.status_code in (200, 403), meta.label  # 403: append-only (the audit log)
