from django.apps import AppConfig


class CatalogConfig(AppConfig):
    name = "shenpi.catalog"
    label = "catalog"
    verbose_name = "事项目录"

    def ready(self):
        from shenpi.audit.services import register_stream_division

        from .models import FormFile, Item

        register_stream_division(
            "item",
            lambda key: (
                Item.objects.filter(pk=key)
                .values_list("department__division_id", flat=True)
                .first()
            ),
        )
        register_stream_division(
            "form",
            lambda key: (
                FormFile.objects.filter(pk=key)
                .values_list("department__division_id", flat=True)
                .first()
            ),
        )
