from celery import shared_task

from .services import events_forget, exchange_deliver


@shared_task(name="shenpi.exchange.tasks.exchange_deliver_task")
def exchange_deliver_task():
    return exchange_deliver()


@shared_task(name="shenpi.exchange.tasks.events_forget_task")
def events_forget_task():
    return events_forget()
