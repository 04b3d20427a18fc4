from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "shenpi.api"
    label = "api"
    verbose_name = "接口"
