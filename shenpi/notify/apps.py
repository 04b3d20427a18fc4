from django.apps import AppConfig


class NotifyConfig(AppConfig):
    name = "shenpi.notify"
    label = "notify"
    verbose_name = "通知"
