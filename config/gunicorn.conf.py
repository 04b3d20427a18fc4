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
# The application is imported once, in the master, before the workers are forked: a
# recycled worker is serving again at once instead of spending a second of CPU importing
# Django and the platform (which, under load, queued requests behind it: the benchmark's
# inbox at 150 requests/s went from p99 20 ms to 2.8 s during one restart). Nothing
# connects at import time; each worker opens its own database connection.
preload_app = True


def pre_fork(server, worker):
    """Before each worker is forked: the objects the master made while preloading (about
    320,000: Django, the platform, their modules) are moved out of the garbage collector's
    reach. Otherwise a worker's first full collection walks them all — 86 ms of one request,
    and a write to every page it shares with the master, each copied — and every later one
    walks them again. (The benchmark's inbox at 100 requests/s: the first 30 s after start
    went from p99 46 ms to 21 ms.)"""
    import gc

    gc.freeze()
