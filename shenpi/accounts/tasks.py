from celery import shared_task


@shared_task(name="shenpi.accounts.tasks.rate_counters_sweep_task")
def rate_counters_sweep_task():
    from .ratelimit import sweep

    return sweep()
