from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "shenpi.cases"
    label = "cases"
    verbose_name = "办件"

    def ready(self):
        from shenpi.audit.services import register_stream_division

        from .models import Case

        # Its audit stream is read by the supervisors over the case's division.
        register_stream_division(
            "case",
            lambda key: Case.objects.filter(pk=key).values_list("division_id", flat=True).first(),
        )
