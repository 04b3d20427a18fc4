from django.contrib import admin

from shenpi.audit.admin_mixins import AuditedModelAdmin

from .models import Synonym


@admin.register(Synonym)
class SynonymAdmin(AuditedModelAdmin):
    list_display = ["words", "active"]
    list_filter = ["active"]
    search_fields = ["words"]
