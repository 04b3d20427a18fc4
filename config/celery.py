"""Celery: Redis broker and beat in production; eager inline in the embedded default.

The periodic schedule is defined once here; Celery beat uses it in production
and `manage.py run_scheduler` (started by `make run`) uses the same entries.
"""

import os

from celery import Celery
from celery.signals import worker_init

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

app = Celery("shenpi")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@worker_init.connect
def _refuse_the_embedded_secret(**kwargs):
    from config.startup import (
        ensure_personal_data_key,
        ensure_production_secret,
        ensure_public_url,
    )

    ensure_production_secret()
    ensure_personal_data_key()
    ensure_public_url()


def periodic_schedule():
    """The periodic jobs: task name -> seconds between runs."""
    from django.conf import settings

    return {
        "shenpi.audit.tasks.audit_checkpoint_task": settings.AUDIT_CHECKPOINT_SECONDS,
        # Versions come into force on their effective day; hourly is soon enough.
        "shenpi.catalog.tasks.versions_bring_into_force_task": 3600,
        "shenpi.notify.tasks.outbox_deliver_task": 60,
        # Events to subscribers: woken after each commit with a broker; this catches the
        # retries that fall due and, without a broker, is the delivery itself.
        "shenpi.exchange.tasks.exchange_deliver_task": 10,
        # Events past the change feed's horizon (30 days).
        "shenpi.exchange.tasks.events_forget_task": 3600,
        # Rate-limit counters whose window has ended.
        "shenpi.accounts.tasks.rate_counters_sweep_task": 3600,
        # Files whose row's transaction rolled back (or whose worker was killed).
        "shenpi.cases.tasks.orphan_files_sweep_task": 3600,
        # Deemed acceptance, deemed withdrawal, 容缺 deadlines (CONTRACTS.md "Deemed events").
        "shenpi.cases.tasks.cases_deadlines_task": 300,
        "shenpi.cases.tasks.cases_recompute_provisional_task": 3600,
        "shenpi.cases.tasks.licences_expire_task": 3600,
        "shenpi.supervision.tasks.scan_deadlines_task": 900,
        # Bookings whose half-day closed without a check-in become no-shows (the block
        # counts them before this runs too).
        "shenpi.hall.tasks.no_show_sweep_task": 900,
        # Complaints' decision and reply deadlines: yellow and red, each warned once.
        "shenpi.supervision.tasks.complaints_watch_task": 3600,
        # Bad reviews not followed up by their deadline.
        "shenpi.supervision.tasks.ratings_watch_task": 3600,
        # Renewal reminders and deemed renewal at expiry (Art. 50).
        "shenpi.cases.tasks.licences_renewal_watch_task": 3600,
        # The statistics' deltas of past days folded into one row per day and key.
        "shenpi.stats.tasks.stats_compact_task": 3600,
        # Next month's and quarter's applications (决策辅助): the history moves daily.
        "shenpi.stats.tasks.stats_forecast_task": 86400,
        # Last month's 质量管理评审 on the first working day (once: it checks).
        "shenpi.stats.tasks.management_reviews_task": 3600,
    }


@app.on_after_finalize.connect
def _setup_beat(sender, **kwargs):
    for name, seconds in periodic_schedule().items():
        sender.add_periodic_task(seconds, sender.signature(name), name=name)
