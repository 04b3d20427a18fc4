from celery import shared_task

from .scan import scan_deadlines


@shared_task(name="shenpi.supervision.tasks.scan_deadlines_task")
def scan_deadlines_task():
    return scan_deadlines()


@shared_task(name="shenpi.supervision.tasks.complaints_watch_task")
def complaints_watch_task():
    from .feedback import complaints_watch

    return complaints_watch()


@shared_task(name="shenpi.supervision.tasks.ratings_watch_task")
def ratings_watch_task():
    from .feedback import ratings_watch

    return ratings_watch()
