from django.apps import AppConfig


class SupervisionConfig(AppConfig):
    name = "shenpi.supervision"
    label = "supervision"
    verbose_name = "电子监察"
