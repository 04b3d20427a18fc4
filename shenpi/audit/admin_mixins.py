"""Every administrative change lands in the audit log, in the admin's own transaction."""

from django.contrib import admin
from django.forms.models import model_to_dict

from shenpi.common.fields import SealedCharField
from shenpi.common.personal import mask_code

from .services import audit_record


def _stream(obj) -> str:
    return f"admin:{obj._meta.label_lower}:{obj.pk}"


def _snapshot(obj) -> dict:
    """The record's fields as the log keeps them: no secrets, and sealed numbers masked,
    since the log is kept for good (PIPL Art. 51)."""
    data = model_to_dict(obj)
    for field in obj._meta.concrete_fields:
        if isinstance(field, SealedCharField) and field.name in data:
            data[field.name] = mask_code(data[field.name])
    return {k: str(v) for k, v in data.items() if k not in ("password", "key_hash")}


def is_platform_admin(request) -> bool:
    user = request.user
    return bool(user.is_active and user.is_authenticated and "admin" in user.roles)


class AuditedModelAdmin(admin.ModelAdmin):
    """Managed by the `admin` role (not by Django's per-model permissions)."""

    def has_module_permission(self, request):
        return is_platform_admin(request)

    def has_view_permission(self, request, obj=None):
        return is_platform_admin(request)

    def has_add_permission(self, request):
        return is_platform_admin(request)

    def has_change_permission(self, request, obj=None):
        return is_platform_admin(request)

    def has_delete_permission(self, request, obj=None):
        return is_platform_admin(request)

    def log_addition(self, request, obj, message):
        audit_record(
            stream=_stream(obj),
            action="admin.add",
            actor=request.user,
            request=request,
            object_type=obj._meta.label_lower,
            object_id=str(obj.pk),
            detail={"after": _snapshot(obj)},
        )
        return super().log_addition(request, obj, message)

    def log_change(self, request, obj, message):
        audit_record(
            stream=_stream(obj),
            action="admin.change",
            actor=request.user,
            request=request,
            object_type=obj._meta.label_lower,
            object_id=str(obj.pk),
            detail={"after": _snapshot(obj), "message": str(message)[:2000]},
        )
        return super().log_change(request, obj, message)

    def log_deletions(self, request, queryset):
        for obj in queryset:
            audit_record(
                stream=_stream(obj),
                action="admin.delete",
                actor=request.user,
                request=request,
                object_type=obj._meta.label_lower,
                object_id=str(obj.pk),
                detail={"before": _snapshot(obj)},
            )
        return super().log_deletions(request, queryset)


class ReadOnlyAdmin(admin.ModelAdmin):
    """Seen by the `admin` role, changed by nobody (records the platform keeps)."""

    def has_module_permission(self, request):
        return is_platform_admin(request)

    def has_view_permission(self, request, obj=None):
        return is_platform_admin(request)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
