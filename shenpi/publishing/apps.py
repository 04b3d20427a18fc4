from django.apps import AppConfig


class PublishingConfig(AppConfig):
    name = "shenpi.publishing"
    label = "publishing"
    verbose_name = "信息发布"

    def ready(self):
        from shenpi.audit.services import register_stream_division

        from .models import Publication

        register_stream_division(
            "publication",
            lambda key: (
                Publication.objects.filter(pk=key)
                .values_list("department__division_id", flat=True)
                .first()
            ),
        )
