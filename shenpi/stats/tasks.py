from celery import shared_task

from .rollup import compact


@shared_task(name="shenpi.stats.tasks.stats_compact_task")
def stats_compact_task():
    return compact()
