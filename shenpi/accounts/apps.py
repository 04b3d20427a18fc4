from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "shenpi.accounts"
    label = "accounts"
    verbose_name = "组织与账户"

    def ready(self):
        from django.db.models.functions import Coalesce

        from shenpi.audit.services import register_stream_division

        from .models import User

        # A person's stream (logins, enrolments) is their division's; an administrator
        # or anyone without a division is region-wide.
        register_stream_division(
            "user",
            lambda key: (
                User.objects.filter(public_id=key)
                .annotate(where=Coalesce("division_id", "office__department__division_id"))
                .values_list("where", flat=True)
                .first()
            ),
        )
        from . import signals  # noqa: F401  (login audit: Django's auth signals)
