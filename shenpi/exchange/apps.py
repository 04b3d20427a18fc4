from django.apps import AppConfig


class ExchangeConfig(AppConfig):
    name = "shenpi.exchange"
    label = "exchange"
    verbose_name = "信息交换"
