from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "shenpi.accounts"
    label = "accounts"
    verbose_name = "组织与账户"

    def ready(self):
        from . import signals  # noqa: F401  (login audit: Django's auth signals)
