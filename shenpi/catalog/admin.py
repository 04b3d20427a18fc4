from django.contrib import admin

from shenpi.audit.admin_mixins import AuditedModelAdmin

from .models import Theme


@admin.register(Theme)
class ThemeAdmin(AuditedModelAdmin):
    list_display = ["code", "name", "group", "order"]
    list_filter = ["group"]
