from django.apps import AppConfig


class HallConfig(AppConfig):
    name = "shenpi.hall"
    label = "hall"
    verbose_name = "服务大厅"

    def ready(self):
        from shenpi.audit.services import register_stream_division

        from . import lights
        from .models import Booking, Ticket

        lights.register()  # the deadline scan lights the halls' waits and pauses too

        register_stream_division(
            "ticket",
            lambda key: (
                Ticket.objects.filter(pk=key)
                .values_list("hall__centre__division_id", flat=True)
                .first()
            ),
        )
        register_stream_division(
            "booking",
            lambda key: (
                Booking.objects.filter(pk=key)
                .values_list("hall__centre__division_id", flat=True)
                .first()
            ),
        )
