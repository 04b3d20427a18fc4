"""The outbox deliverer is woken after commit; with a broker, once a second per process,
to run after every row committed until then."""

from unittest import mock

import pytest
from django.test import override_settings

from shenpi.notify import services

pytestmark = pytest.mark.django_db(transaction=True)


@override_settings(CELERY_TASK_ALWAYS_EAGER=False)
def test_a_burst_of_notices_sends_one_wake_that_runs_after_them(django_user_model):
    user = django_user_model.objects.create(username="w1", mobile="13800000000")
    services._woken_until = 0.0
    with (
        mock.patch("shenpi.notify.tasks.outbox_deliver_task.apply_async") as wake,
        mock.patch.object(services, "time") as clock,
    ):
        clock.monotonic.side_effect = [100.0, 100.4, 100.9, 101.2]
        for n in range(4):
            services.notify(user, title=f"第{n}条", body="x")  # each in its own transaction
    # 100.0 sends a wake that runs a second later; 100.4 and 100.9 commit before it runs;
    # 101.2 is after it and sends the next.
    assert wake.call_count == 2
    assert all(call.kwargs == {"countdown": services._WAKE_EVERY} for call in wake.call_args_list)


def test_without_a_broker_every_commit_delivers_at_once(django_user_model):
    user = django_user_model.objects.create(username="w2", mobile="13800000001")
    with mock.patch("shenpi.notify.tasks.outbox_deliver_task.delay") as wake:
        from django.db import transaction

        with transaction.atomic():
            services.notify(user, title="一", body="x")
            services.notify(user, title="二", body="x")  # one wake per transaction
        services.notify(user, title="三", body="x")
    assert wake.call_count == 2
