from celery import shared_task

from .services import versions_bring_into_force


@shared_task(name="shenpi.catalog.tasks.versions_bring_into_force_task")
def versions_bring_into_force_task():
    return versions_bring_into_force()
