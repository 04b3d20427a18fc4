from django.apps import AppConfig


class WorkdaysConfig(AppConfig):
    name = "shenpi.workdays"
    label = "workdays"
    verbose_name = "工作日历"
