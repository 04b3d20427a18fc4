from django.apps import AppConfig


class StatsConfig(AppConfig):
    name = "shenpi.stats"
    label = "stats"
    verbose_name = "统计分析"
