from django.apps import AppConfig


class PublishingConfig(AppConfig):
    name = "shenpi.publishing"
    label = "publishing"
    verbose_name = "信息发布"
