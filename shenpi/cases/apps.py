from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "shenpi.cases"
    label = "cases"
    verbose_name = "办件"

    def ready(self):
        from shenpi.audit.services import register_stream_division
        from shenpi.workdays.signals import schedule_recompute

        from .models import Case
        from .services import cases_recompute_provisional

        # Provisional due dates move when next year's schedule is published.
        schedule_recompute.connect(
            lambda **kwargs: cases_recompute_provisional(), weak=False, dispatch_uid="cases"
        )

        # Its audit stream is read by the supervisors over the case's division.
        register_stream_division(
            "case",
            lambda key: Case.objects.filter(pk=key).values_list("division_id", flat=True).first(),
        )
