from django.contrib import admin

from shenpi.audit.admin_mixins import AuditedModelAdmin

from .models import CalendarDay, CalendarYear
from .services import calendar_changed
from .signals import schedule_recompute


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
    actions = ["recompute"]

    @admin.action(description="重算暂定的到期日")
    def recompute(self, request, queryset):
        from django.utils import timezone

        calendar_changed()
        moved = [
            change
            for _receiver, changes in schedule_recompute.send(sender=CalendarYear)
            for change in changes or []
        ]
        queryset.update(recomputed_at=timezone.now())
        self.message_user(
            request,
            f"已重算，{len(moved)} 件办件的期限有变化："
            + "；".join(
                f"{m['number']} 法定 {m['statutory'][0]}→{m['statutory'][1]}" for m in moved[:50]
            ),
        )
