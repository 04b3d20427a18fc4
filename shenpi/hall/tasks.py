from celery import shared_task

from .services import no_show_sweep


@shared_task(name="shenpi.hall.tasks.no_show_sweep_task")
def no_show_sweep_task():
    return no_show_sweep()
