from django.contrib import admin

from shenpi.audit.admin_mixins import AuditedModelAdmin

from .models import WarningRule, Watch


@admin.register(Watch)
class WatchAdmin(AuditedModelAdmin):
    """The administrator grants observers the items or cases they watch."""

    list_display = ["observer", "item", "case", "granted_at"]
    autocomplete_fields = ["observer"]
    raw_id_fields = ["case"]


@admin.register(WarningRule)
class WarningRuleAdmin(AuditedModelAdmin):
    list_display = ["item", "step_key", "yellow_left", "yellow_ratio", "active", "version"]
