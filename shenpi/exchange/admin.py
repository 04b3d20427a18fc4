from django import forms
from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _

from shenpi.audit.admin_mixins import AuditedModelAdmin, ReadOnlyAdmin, is_platform_admin

from . import services
from .models import Delivery, DeliveryStatus, Event, Subscriber


class SubscriberForm(forms.ModelForm):
    url = forms.URLField(label=_("接收地址"), required=False, assume_scheme="https")

    class Meta:
        model = Subscriber
        fields = ["client", "url", "types", "divisions", "departments", "is_active"]


@admin.register(Subscriber)
class SubscriberAdmin(AuditedModelAdmin):
    form = SubscriberForm
    list_display = ["client", "url", "is_active", "previous_until"]
    list_filter = ["is_active"]
    fields = ["client", "url", "types", "divisions", "departments", "is_active"]
    actions = ["rotate_key"]

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if not change:
            messages.warning(
                request,
                f"“{obj.client}”的签名密钥（只显示这一次，请交给接收方）：{obj.secret}",
            )

    @admin.action(description=_("更换签名密钥（旧密钥继续有效7天）"))
    def rotate_key(self, request, queryset):
        for subscriber in queryset:
            key = services.subscriber_rotate_key(actor=request.user, subscriber=subscriber)
            messages.warning(request, f"“{subscriber.client}”的新签名密钥（只显示这一次）：{key}")


@admin.register(Delivery)
class DeliveryAdmin(ReadOnlyAdmin):
    """Delivery state; dead letters can be sent again."""

    list_display = [
        "event",
        "subscriber",
        "status",
        "attempts",
        "last_status",
        "last_error",
        "next_attempt_at",
        "delivered_at",
    ]
    list_filter = ["status", "subscriber"]
    list_select_related = ["event", "subscriber__client"]
    actions = ["replay"]

    @admin.action(description=_("重新投递所选死信"))
    def replay(self, request, queryset):
        count = services.deliveries_replay(
            actor=request.user, deliveries=queryset.filter(status=DeliveryStatus.DEAD)
        )
        messages.info(request, f"已重新投递 {count} 条死信。")

    def get_actions(self, request):
        # Replaying changes delivery state: an administrator's act even on a read-only list.
        actions = super().get_actions(request)
        if not is_platform_admin(request):
            actions.pop("replay", None)
        return actions


@admin.register(Event)
class EventAdmin(ReadOnlyAdmin):
    list_display = ["id", "time", "type", "subject", "division"]
    list_filter = ["type"]
    search_fields = ["subject"]
    date_hierarchy = "time"
