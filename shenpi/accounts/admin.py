from django import forms
from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.forms import UserChangeForm as DjangoUserChangeForm
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from shenpi.audit.admin_mixins import AuditedModelAdmin, is_platform_admin
from shenpi.common import personal
from shenpi.common.fields import held
from shenpi.common.personal import mask_code, mask_mobile

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
from .validators import validate_id_number, validate_mobile

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


class UserChangeForm(DjangoUserChangeForm):
    """ID and mobile numbers are sealed and never shown in clear here: the form shows them
    masked and keeps them unless a new number is typed (PIPL Art. 51)."""

    SEALED = {"id_number": validate_id_number, "mobile": validate_mobile}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in self.SEALED:
            if name not in self.fields:
                continue
            current = getattr(self.instance, name) if self.instance.pk else ""
            masked = mask_code(current) if name == "id_number" else mask_mobile(current)
            self.initial[name] = ""
            self.fields[name].required = False
            self.fields[
                name
            ].help_text = f"当前：{masked or '未登记'}。留空则保持不变，输入新号码则替换。"

    def _clean_sealed(self, name):
        typed = (self.cleaned_data.get(name) or "").strip()
        if not typed:
            return held(self.instance, name) if self.instance.pk else typed
        try:
            return self.SEALED[name](typed)
        except ValidationError as exc:
            raise forms.ValidationError(exc.messages) from None

    def clean_id_number(self):
        value = self._clean_sealed("id_number")
        if isinstance(value, str) and value:
            taken = User.objects.filter(id_number_digest=personal.digest(value))
            if taken.exclude(pk=self.instance.pk).exists():
                raise forms.ValidationError("该身份证号码已被其他账户使用。")
        return value or None

    def clean_mobile(self):
        return self._clean_sealed("mobile")


@admin.register(User)
class UserAdmin(AuditedModelAdmin, DjangoUserAdmin):
    form = UserChangeForm
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

    def get_search_results(self, request, queryset, search_term):
        """An ID number is found by its digest (the column is sealed)."""
        results, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        term = search_term.strip()
        if len(term) == 18:
            results |= queryset.filter(id_number_digest=personal.digest(term))
        return results, may_have_duplicates


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
