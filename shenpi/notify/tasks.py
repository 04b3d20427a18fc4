from celery import shared_task

from .services import outbox_deliver


@shared_task(name="shenpi.notify.tasks.outbox_deliver_task")
def outbox_deliver_task():
    return outbox_deliver()
