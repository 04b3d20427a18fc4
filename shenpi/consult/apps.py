from django.apps import AppConfig


class ConsultConfig(AppConfig):
    name = "shenpi.consult"
    label = "consult"
    verbose_name = "咨询答疑"

    def ready(self):
        from shenpi.audit.services import register_stream_division

        from . import lights
        from .models import Question

        lights.register()  # the deadline scan lights questions too

        register_stream_division(
            "question",
            lambda key: (
                Question.objects.filter(pk=key)
                .values_list("department__division_id", flat=True)
                .first()
            ),
        )
