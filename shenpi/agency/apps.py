from django.apps import AppConfig


class AgencyConfig(AppConfig):
    name = "shenpi.agency"
    label = "agency"
    verbose_name = "全程代理"
