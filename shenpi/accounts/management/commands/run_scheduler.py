"""The embedded default's periodic jobs: the same schedule Celery beat uses in
production (config.celery.periodic_schedule), calling the same task functions."""

import signal
import time

from django.core.management.base import BaseCommand
from django.db import close_old_connections
from django.utils.module_loading import import_string

from config.celery import periodic_schedule


class Command(BaseCommand):
    help = "在嵌入式部署中按计划运行周期任务（生产环境使用 Celery beat）。"

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true", help="每个任务运行一次后退出")

    def handle(self, *args, once=False, **options):
        schedule = {
            name: (import_string(name), seconds) for name, seconds in periodic_schedule().items()
        }
        next_run = dict.fromkeys(schedule, 0.0)
        stopping = False

        def stop(*_):
            nonlocal stopping
            stopping = True

        signal.signal(signal.SIGTERM, stop)
        signal.signal(signal.SIGINT, stop)
        self.stdout.write(f"调度器已启动：{', '.join(schedule)}")
        while not stopping:
            now = time.monotonic()
            for name, (task, seconds) in schedule.items():
                if now >= next_run[name]:
                    close_old_connections()
                    try:
                        result = task.run() if hasattr(task, "run") else task()
                        self.stdout.write(f"{name}: {result}")
                    except Exception as exc:  # noqa: BLE001 - a failing job must not stop the others
                        self.stderr.write(f"{name} 失败：{exc!r}")
                    next_run[name] = now + seconds
            if once:
                break
            time.sleep(1)
