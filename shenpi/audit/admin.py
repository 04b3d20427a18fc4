from django.contrib import admin

from .admin_mixins import ReadOnlyAdmin
from .models import AuditRecord


@admin.register(AuditRecord)
class AuditRecordAdmin(ReadOnlyAdmin):
    """Read-only: the log is append-only, even for administrators."""

    list_display = ["at", "actor_label", "ip", "action", "object_type", "object_id", "outcome"]
    list_filter = ["outcome", "action"]
    search_fields = ["actor_label", "object_id", "action", "stream"]
    date_hierarchy = "at"
    ordering = ["-at"]
