from celery import shared_task

from .services import cases_deadlines, cases_recompute_provisional, licences_renewal_watch


@shared_task(name="shenpi.cases.tasks.cases_deadlines_task")
def cases_deadlines_task():
    return cases_deadlines()


@shared_task(name="shenpi.cases.tasks.cases_recompute_provisional_task")
def cases_recompute_provisional_task():
    return len(cases_recompute_provisional())


@shared_task(name="shenpi.cases.tasks.licences_expire_task")
def licences_expire_task():
    from .licences import licences_expire

    return licences_expire()


@shared_task(name="shenpi.cases.tasks.licences_renewal_watch_task")
def licences_renewal_watch_task():
    return licences_renewal_watch()


@shared_task(name="shenpi.cases.tasks.orphan_files_sweep_task")
def orphan_files_sweep_task():
    from shenpi.common.orphans import orphan_files_sweep

    return orphan_files_sweep()
