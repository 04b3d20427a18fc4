from django.contrib import admin

from shenpi.audit.admin_mixins import AuditedModelAdmin

from .models import Hall, ItemGroup, WindowDuty


class ItemGroupInline(admin.TabularInline):
    model = ItemGroup
    extra = 0
    filter_horizontal = ["windows"]


@admin.register(Hall)
class HallAdmin(AuditedModelAdmin):
    list_display = ["centre", "am_opens", "am_closes", "pm_opens", "pm_closes",
                    "wait_yellow_minutes", "wait_red_minutes"]  # fmt: skip
    inlines = [ItemGroupInline]


@admin.register(WindowDuty)
class WindowDutyAdmin(AuditedModelAdmin):
    """The window's camera; its state is the clerk's (the hall's window page)."""

    list_display = ["window", "state", "reason", "clerk", "since", "camera_url"]
    fields = ["window", "camera_url"]
    readonly_fields = ["window"]

    def has_add_permission(self, request):
        return False
