from celery import shared_task

from .forecast import forecast_all
from .review import reviews_due
from .rollup import compact


@shared_task(name="shenpi.stats.tasks.stats_compact_task")
def stats_compact_task():
    return compact()


@shared_task(name="shenpi.stats.tasks.stats_forecast_task")
def stats_forecast_task():
    run = forecast_all()
    return {"series": run.series, "wape": run.wape, "coverage": run.coverage}


@shared_task(name="shenpi.stats.tasks.management_reviews_task")
def management_reviews_task():
    return reviews_due()
