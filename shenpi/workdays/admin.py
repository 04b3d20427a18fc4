from django.contrib import admin

from shenpi.audit.admin_mixins import AuditedModelAdmin

from .models import CalendarDay, CalendarYear
from .services import calendar_changed


class CalendarAdmin(AuditedModelAdmin):
    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        calendar_changed()

    def delete_model(self, request, obj):
        super().delete_model(request, obj)
        calendar_changed()


@admin.register(CalendarDay)
class CalendarDayAdmin(CalendarAdmin):
    list_display = ["date", "kind", "note"]
    list_filter = ["kind"]
    date_hierarchy = "date"


@admin.register(CalendarYear)
class CalendarYearAdmin(CalendarAdmin):
    list_display = ["year", "official", "notice", "recomputed_at"]
    readonly_fields = ["recomputed_at"]
