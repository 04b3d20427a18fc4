"""gunicorn's production configuration (used by `make run` and by the benchmark).

Sync workers: each request holds one worker, and most of a request's time is spent
in Python, so about two workers per core keep the cores busy while others wait on
PostgreSQL. WEB_CONCURRENCY overrides the count.
"""

import multiprocessing
import os

workers = int(os.environ.get("WEB_CONCURRENCY", 2 * multiprocessing.cpu_count()))
worker_class = "sync"
timeout = 60
graceful_timeout = 10
# Recycle workers now and then so that a slow leak cannot grow without bound.
max_requests = 5000
max_requests_jitter = 500
