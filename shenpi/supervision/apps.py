from django.apps import AppConfig


class SupervisionConfig(AppConfig):
    name = "shenpi.supervision"
    label = "supervision"
    verbose_name = "电子监察"

    def ready(self):
        from shenpi.audit.services import register_stream_division
        from shenpi.catalog.models import Item

        from .models import Complaint

        register_stream_division(
            "complaint",
            lambda key: (
                Complaint.objects.filter(pk=key)
                .values_list("department__division_id", flat=True)
                .first()
            ),
        )
        # warning_rule:<item pk or "all">:<step or @kind>: an item's rule is its division's.
        register_stream_division(
            "warning_rule",
            lambda key: (
                Item.objects.filter(pk=key.split(":")[0])
                .values_list("department__division_id", flat=True)
                .first()
                if key.split(":")[0].isdigit()
                else ""
            ),
        )
