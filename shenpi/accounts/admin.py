from django import forms
from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.models import Group
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from shenpi.audit.admin_mixins import AuditedModelAdmin, is_platform_admin

from . import services
from .constants import ClientAction
from .models import (
    Department,
    DepartmentKind,
    Division,
    Office,
    RoleAssignment,
    SystemClient,
    User,
    Window,
)

admin.site.site_header = "宁夏回族自治区网上审批平台 · 系统管理"
admin.site.site_title = "网上审批平台管理"
admin.site.index_title = "组织、用户与配置"


admin.site.has_permission = is_platform_admin
# Roles, not Django groups, carry permissions here.
admin.site.unregister(Group)


@admin.register(Division)
class DivisionAdmin(AuditedModelAdmin):
    list_display = ["code", "name", "level", "parent"]
    list_filter = ["level"]
    search_fields = ["code", "name"]
    ordering = ["path"]


@admin.register(DepartmentKind)
class DepartmentKindAdmin(AuditedModelAdmin):
    list_display = ["code", "name"]
    search_fields = ["code", "name"]


class OfficeInline(admin.TabularInline):
    model = Office
    extra = 0


@admin.register(Department)
class DepartmentAdmin(AuditedModelAdmin):
    list_display = ["name", "code", "kind", "division", "is_active"]
    list_filter = ["kind", "division", "is_active"]
    search_fields = ["name", "code", "short_name"]
    inlines = [OfficeInline]
    list_select_related = ["kind", "division"]


@admin.register(Office)
class OfficeAdmin(AuditedModelAdmin):
    list_display = ["name", "department"]
    list_filter = ["department__division"]
    search_fields = ["name", "department__name"]
    list_select_related = ["department"]


@admin.register(Window)
class WindowAdmin(AuditedModelAdmin):
    list_display = ["number", "name", "centre", "department"]
    list_filter = ["centre"]
    search_fields = ["name", "department__name"]
    list_select_related = ["centre", "department"]


class RoleInline(admin.TabularInline):
    model = RoleAssignment
    extra = 1
    verbose_name = _("角色")
    verbose_name_plural = _("角色")


@admin.register(User)
class UserAdmin(AuditedModelAdmin, DjangoUserAdmin):
    list_display = ["username", "display_name", "account_type", "office", "is_active", "last_login"]
    list_filter = [
        "account_type",
        "is_active",
        "role_assignments__role",
        "office__department__division",
    ]
    search_fields = [
        "username",
        "real_name",
        "enterprise_name",
        "mobile",
        "id_number",
        "credit_code",
    ]
    list_select_related = ["office__department"]
    inlines = [RoleInline]
    fieldsets = (
        (None, {"fields": ("username", "password", "account_type")}),
        (
            _("身份信息"),
            {
                "fields": (
                    "real_name",
                    "id_number",
                    "mobile",
                    "email",
                    "enterprise_name",
                    "credit_code",
                    "legal_representative",
                )
            },
        ),
        (_("组织"), {"fields": ("office", "window", "division", "title")}),
        (_("权限"), {"fields": ("is_active", "is_staff")}),
        (_("时间"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        (
            None,
            {
                "classes": ("wide",),
                "fields": (
                    "username",
                    "account_type",
                    "real_name",
                    "office",
                    "window",
                    "division",
                    "usable_password",
                    "password1",
                    "password2",
                ),
            },
        ),
    )
    readonly_fields = ["last_login", "date_joined"]
    autocomplete_fields = ["office", "window", "division"]


class SystemClientForm(forms.ModelForm):
    allowed_actions = forms.MultipleChoiceField(
        label=_("允许的操作"),
        choices=ClientAction.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    class Meta:
        model = SystemClient
        fields = ["name", "department", "division", "allowed_actions", "is_active"]


@admin.register(SystemClient)
class SystemClientAdmin(AuditedModelAdmin):
    form = SystemClientForm
    list_display = ["name", "department", "division", "prefix", "is_active", "last_used_at"]
    list_filter = ["is_active"]
    search_fields = ["name"]
    actions = ["rotate_key"]

    def save_model(self, request, obj, form, change):
        if not change:
            key = services.system_client_issue_key(obj)
            messages.warning(
                request, f"客户端“{obj.name}”的令牌（只显示这一次，请妥善保存）：{key}"
            )
        super().save_model(request, obj, form, change)

    @admin.action(description=_("重新生成令牌（旧令牌立即失效）"))
    def rotate_key(self, request, queryset):
        with transaction.atomic():
            for client in queryset.select_for_update():
                key = services.system_client_issue_key(client)
                client.save(update_fields=["key_hash", "prefix"])
                self.log_change(request, client, "重新生成令牌")
                messages.warning(request, f"“{client.name}”的新令牌（只显示这一次）：{key}")
