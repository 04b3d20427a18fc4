"""`make bench`: Shenpi against the raw-database and bare-framework limits, measured in one
run, and how its cost grows with the number of cases. See bench/README section in the
project README for what each figure means.

    python -m bench.run                 # the full benchmark (10 k, 100 k, 1 M cases)
    python -m bench.run --smoke         # a few thousand cases, short phases, no targets
"""

from __future__ import annotations

import argparse
import io
import json
import os
import platform
import random
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
from pathlib import Path

from . import exchange

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
APP_PORT, FLOOR_PORT = 8101, 8102
HOST = "127.0.0.1"
SUBMIT_ITEM = "640000-SLT-001"  # an item with five form fields and three required materials

TARGETS = {
    "submit.ratio_floor": (">=", 0.5),
    "submit.errors": ("==", 0),
    "inbox.p99_ms": ("<=", 25),
    "inbox.growth_p99": ("<=", 1.5),
    "scan.full_s": ("<=", 10),
    "scan.day_change_s": ("<=", 2),
    "scan.idle_s": ("<=", 0.5),
    "scan.idle_rows_written": ("==", 0),
    "monitor.region_p95_ms": ("<=", 200),
    "monitor.city_p95_ms": ("<=", 200),
    "monitor.screen_p95_ms": ("<=", 200),
    "storage.bytes_per_case": ("<=", 12 * 1024),
    "search.p95_ms": ("<=", 50),
    "search.errors": ("==", 0),
    "stats.department_p95_ms": ("<=", 150),
    "stats.leader_p95_ms": ("<=", 300),
    "stats.errors": ("==", 0),
    "pages.errors": ("==", 0),
    "login.errors": ("==", 0),
    "accept_decide.errors": ("==", 0),
    "accept_decide.decided": (">=", 1),
    "same_step.one_wins_each_time": ("==", True),
    # Issue 25: an event reaches its subscriber within 2 s of its commit while submissions
    # arrive at the phase's rate; none is lost; pushes all answered.
    "exchange.lag_p99_ms": ("<=", 2000),
    "exchange.lag_undelivered": ("==", 0),
    "push.errors": ("==", 0),
}


def log(*args):
    print(time.strftime("%H:%M:%S"), *args, flush=True)


# --- the database and the servers ---------------------------------------------------------------


def database_env(url: str, media: str) -> dict:
    """The production configuration (DEBUG off, no demo, Redis broker), pointed at the bench DB."""
    env = dict(os.environ)
    env.update(
        DATABASE_URL=url,
        DEBUG="0",
        SHENPI_DEMO="0",
        # Supervisors log in with a second factor in production; the sessions made below
        # stand for logged-in users, so the check is off (its middleware still runs).
        SHENPI_REQUIRE_2FA="0",
        SECRET_KEY="bench-" + "x" * 50,
        PERSONAL_DATA_KEY="b" * 64,
        PERSONAL_DATA_DIGEST_KEY="d" * 64,
        SHENPI_PUBLIC_URL="https://shenpi.bench.invalid",
        ALLOWED_HOSTS="127.0.0.1,localhost",
        CELERY_BROKER_URL=os.environ.get("BENCH_CELERY_BROKER_URL", "redis://127.0.0.1:6379/15"),
        # The cache as in a deployment of several nodes (README): Redis, so that sessions'
        # lookups, rate limits and lockouts cost what they cost there.
        CACHE_URL=os.environ.get("BENCH_CACHE_URL", "redis://127.0.0.1:6379/14"),
        # Behind the one proxy of a deployment (README "Production"): the address that
        # counts for rate limits and lockouts is the one it forwards.
        SHENPI_TRUSTED_PROXIES="1",
        MEDIA_ROOT=media,
        LOG_LEVEL="WARNING",
        PYTHONPATH=str(ROOT),
    )
    return env


def recreate_database(url: str) -> None:
    parts = urllib.parse.urlparse(url)
    name = parts.path.lstrip("/")
    admin = parts._replace(path="/postgres").geturl()
    import psycopg

    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')


def fresh_database(url: str, env: dict) -> None:
    """The bench database dropped and made again, migrated, with the demo world (no cases)."""
    log(f"bench database {url}: new, migrated, demo world (no demo cases)")
    recreate_database(url)
    for cmd in (["migrate", "--noinput", "-v0"], ["seed_demo", "--no-cases"]):
        subprocess.run(
            [sys.executable, "manage.py", *cmd],
            cwd=ROOT,
            env=dict(env, SHENPI_DEMO="1"),
            check=True,
            stdout=subprocess.DEVNULL,
        )


def wait_port(port: int, seconds: float = 60) -> None:
    deadline = time.time() + seconds
    while time.time() < deadline:
        with socket.socket() as s:
            if s.connect_ex((HOST, port)) == 0:
                return
        time.sleep(0.2)
    raise RuntimeError(f"nothing listens on {port}")


class Server:
    """gunicorn with the production configuration (config/gunicorn.conf.py)."""

    def __init__(self, app: str, port: int, env: dict, settings: str):
        self.args = [
            str(Path(sys.executable).parent / "gunicorn"),
            app,
            "-c",
            str(ROOT / "config" / "gunicorn.conf.py"),
            "--bind",
            f"{HOST}:{port}",
            "--access-logfile",
            "-" if os.environ.get("BENCH_ACCESS_LOG") else "/dev/null",
        ]
        self.env = dict(env, DJANGO_SETTINGS_MODULE=settings)
        self.port = port
        self.process = None

    def __enter__(self):
        self.process = subprocess.Popen(self.args, env=self.env, cwd=ROOT, start_new_session=True)
        wait_port(self.port)
        time.sleep(1.0)  # every worker booted
        return self

    def __exit__(self, *exc):
        os.killpg(self.process.pid, signal.SIGTERM)
        self.process.wait(30)
        return False


def workers() -> int:
    out = subprocess.run(
        [
            sys.executable,
            "-c",
            "import runpy; print(runpy.run_path('config/gunicorn.conf.py')['workers'])",
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    return int(out.stdout.strip())


# --- setup inside Django ---------------------------------------------------------------------------


def setup_django(env: dict) -> None:
    """Django in this process, with the app's settings; and the app's per-connection
    PostgreSQL settings (the planner's costs) given to the floor's server and to pgbench
    too (PGOPTIONS), so that the three run the same queries under the same planner."""
    os.environ.update({k: v for k, v in env.items() if k not in os.environ or k in DJ_KEYS})
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings"
    import django
    from django.conf import settings

    django.setup()
    options = settings.DATABASES["default"].get("OPTIONS", {}).get("options", "")
    env["PGOPTIONS"] = os.environ["PGOPTIONS"] = options


DJ_KEYS = {
    "DATABASE_URL",
    "DEBUG",
    "SHENPI_DEMO",
    "SHENPI_REQUIRE_2FA",
    "SECRET_KEY",
    "PERSONAL_DATA_KEY",
    "PERSONAL_DATA_DIGEST_KEY",
    "SHENPI_PUBLIC_URL",
    "ALLOWED_HOSTS",
    "CELERY_BROKER_URL",
    "CACHE_URL",
    "SHENPI_TRUSTED_PROXIES",
    "MEDIA_ROOT",
    "LOG_LEVEL",
}


def credentials() -> dict:
    """A system client for submissions, personal tokens for officials, supervisors' sessions."""
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.db import connection
    from django.utils.module_loading import import_string

    from shenpi.accounts.constants import ClientAction, Role
    from shenpi.accounts.models import SystemClient, User
    from shenpi.accounts.services import api_token_create, system_client_issue_key
    from shenpi.catalog.models import Item

    item = Item.objects.get(code=SUBMIT_ITEM)
    client = SystemClient(
        name=f"bench-{int(time.time())}",
        department=item.department,
        allowed_actions=[ClientAction.CASE_SUBMIT, ClientAction.CASE_READ],
    )
    key = system_client_issue_key(client)
    client.save()
    officials = []
    for user in (
        User.objects.filter(
            role_assignments__role__in=[Role.OFFICIAL, Role.HEAD], office__isnull=False
        )
        .select_related("office")
        .distinct()
    ):
        _token, token_key = api_token_create(user=user)
        officials.append((token_key, str(user.office.department_id)))
    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE IF EXISTS bench_official")
        cursor.execute("CREATE TABLE bench_official (n int PRIMARY KEY, department_id uuid)")
        for n, (_key, department) in enumerate(officials, start=1):
            cursor.execute("INSERT INTO bench_official VALUES (%s, %s)", [n, department])
    store = import_string(settings.SESSION_ENGINE + ".SessionStore")
    sessions = {}
    for username in ("nx_jc_sup", "yc_jc_sup", "nx_scjg_head", "nx_zfb_leader"):
        user = User.objects.get(username=username)
        session = store()
        session[SESSION_KEY] = str(user.pk)
        session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
        session[HASH_SESSION_KEY] = user.get_session_auth_hash()
        session.create()
        sessions[username] = session.session_key
    version = item.current
    from shenpi.catalog.bundles import bundle_items, combined_form

    from .bundle_data import bench_bundle, bundle_form

    bundle = bench_bundle()
    bundle_fields = combined_form(bundle_items(bundle))
    return {
        "bundle": bundle.code,
        "bundle_forms": [bundle_form(bundle_fields, k) for k in range(16)],
        "client_key": key,
        "client_id": str(client.pk),
        "officials": officials,
        "sessions": sessions,
        "item": item.code,
        "item_id": str(item.pk),
        "version_id": str(version.pk),
        "department_id": str(item.department_id),
        "division_id": item.department.division_id,
        "requirements": list(version.materials.filter(required=True).values_list("pk", flat=True)),
        "fields": [(f["key"], f.get("type", "text")) for f in version.form_fields],
    }


def case_count() -> int:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM cases_case")
        return cursor.fetchone()[0]


# --- workloads ---------------------------------------------------------------------------------------


def scanned_page(rng: random.Random, kind: str, target: int) -> bytes:
    """A scanned page as a phone or a scanner makes it: grey paper with noise, saved as a
    JPEG or wrapped in a PDF (Pillow embeds it as a DCT image, as scanning apps do), its
    size brought within a few per cent of `target` bytes. The upload check opens either
    whole (pypdf, Pillow), as it opens every material."""
    from PIL import Image

    side = int((target * 1.6) ** 0.5)
    for _attempt in range(6):
        pixels = bytes(160 + (b & 63) for b in rng.randbytes(side * side))
        image = Image.frombytes("L", (side, side), pixels)
        out = io.BytesIO()
        if kind == "pdf":
            image.save(out, "PDF", resolution=150.0, quality=80)
        else:
            image.save(out, "JPEG", quality=80)
        size = len(out.getvalue())
        if abs(size - target) < target * 0.05:
            break
        side = max(64, int(side * (target / size) ** 0.5))
    return out.getvalue()


def submission_files(requirements, seed: int) -> dict:
    """One submission's materials, the mix the generator models (100–300 KB): each
    required material a scanned PDF, but one in three a photo (JPEG) instead."""
    rng = random.Random(seed)
    files = {}
    for k, requirement in enumerate(requirements):
        target = rng.randrange(100, 300) * 1024
        if k % 3 == 2:
            files[f"m_{requirement}"] = (
                "photo.jpg",
                "image/jpeg",
                scanned_page(rng, "jpeg", target),
            )
        else:
            files[f"m_{requirement}"] = (
                "scan.pdf",
                "application/pdf",
                scanned_page(rng, "pdf", target),
            )
    return files


class Submissions:
    """Prepared one-request submissions for the load generator: each request built once,
    its Idempotency-Key (CONTRACTS.md; every production client sends one) fresh each time
    it is sent, so that none is answered from a replay."""

    def __init__(self, creds: dict, path: str, n: int):
        from shenpi.accounts.models import User

        from .load import build_multipart

        rng = random.Random(11)
        applicants = [
            (number.open(), name)
            for number, name in User.objects.filter(username__startswith="bench-").values_list(
                "id_number", "real_name"
            )[:200]
        ]
        self.heads, self.bodies = [], []
        for k in range(n):
            code, name = applicants[k % len(applicants)]
            form = {
                key: (
                    str(rng.randrange(1, 500))
                    if kind == "number"
                    else f"{key}-{rng.randrange(10**6)}"
                )
                for key, kind in creds["fields"]
            }
            fields = {
                "item": creds["item"],
                "applicant_code": code,
                "applicant_name": name,
                "form": json.dumps(form, ensure_ascii=False),
                "declaration": "true",
            }
            files = submission_files(creds["requirements"], seed=1000 + k)
            payload = build_multipart(
                HOST, path, fields, files, {"Authorization": f"Bearer {creds['client_key']}"}
            )
            head, body = payload.split(b"\r\n\r\n", 1)
            self.heads.append(head)
            self.bodies.append(body)
        self.sent = 0
        self.tag = os.urandom(4).hex()

    def __call__(self, n: int) -> bytes:
        self.sent += 1
        k = n % len(self.heads)
        key = f"\r\nIdempotency-Key: bench-{self.tag}-{self.sent}".encode()
        return self.heads[k] + key + b"\r\n\r\n" + self.bodies[k]


def settle(timeout: float = 180.0) -> float:
    """Before a phase that compares the app with the floor: wait until no autovacuum worker
    runs (the scan's rounds leave millions of dead rows behind them), so that its reads and
    writes do not land in one side's turn (the app's goes first: submissions at a million
    cases measured 0.41 of the floor in a full run and 0.61–0.68 in re-measures of the same
    code). No checkpoint: the first writes after one carry whole pages into the WAL, and
    that would fall on whichever side went first. Returns the seconds waited."""
    from django.db import connection

    started = time.perf_counter()
    with connection.cursor() as cursor:
        while time.perf_counter() - started < timeout:
            cursor.execute(
                "SELECT count(*) FROM pg_stat_activity WHERE backend_type = 'autovacuum worker'"
            )
            if not cursor.fetchone()[0]:
                break
            time.sleep(2)
    return round(time.perf_counter() - started, 1)


def run_submissions(creds: dict, total: int, clients: int, tmp: Path, url: str) -> dict:
    from .load import Result, closed_loop

    out = {"settled_s": settle(), "cpu_probe_ms": cpu_probe()}
    sides = {
        name: (port, Submissions(creds, path, 64), Result())
        for name, port, path in (
            ("app", APP_PORT, "/api/v1/cases/submit/"),
            ("floor", FLOOR_PORT, "/floor/submit/"),
        )
    }
    for port, payloads, _result in sides.values():
        # Warm-up, not counted (as for monitoring): each worker's first submissions load
        # what it has not needed before (image and PDF checks, the calendar, the broker's
        # connection); on this machine that took ~5 s of the app's first 40.
        closed_loop(HOST, port, payloads, clients=clients, total=40)
    # The two sides take turns, a quarter of their submissions at a time (app, floor, app,
    # floor, …), so that a drift of this shared machine during the phase falls on both.
    for turn in [total // 4] * 3 + [total - 3 * (total // 4)]:
        for port, payloads, result in sides.values():
            result.add(closed_loop(HOST, port, payloads, clients=clients, total=turn))
    for name, (_port, _payloads, result) in sides.items():
        out[name] = result.summary()
        if result.errors:
            log(f"  {name}: {result.errors} errors, first: {result.first_error[:400]}")
        log(f"  submissions {name}: {out[name]}")
    out["raw"] = pgbench_submit(creds, total, clients, tmp, url)
    log(f"  submissions raw: {out['raw']}")
    return out


class BundleSubmissions:
    """Prepared bundle applications (一件事一次办: three items, six uploads), each built once
    with its applicant's own token, a fresh Idempotency-Key each time it is sent."""

    def __init__(self, creds: dict, path: str, n: int):
        from .load import build_multipart

        self.heads, self.bodies = [], []
        for k in range(n):
            files = submission_files(range(6), seed=5000 + k)
            fields = {
                "form": json.dumps(
                    creds["bundle_forms"][k % len(creds["bundle_forms"])], ensure_ascii=False
                ),
                "declaration": "true",
            }
            files = {f"m_{n}": one for n, one in enumerate(files.values())}
            token = creds["people"][k % len(creds["people"])]
            payload = build_multipart(
                HOST, path, fields, files, {"Authorization": f"Bearer {token}"}
            )
            head, body = payload.split(b"\r\n\r\n", 1)
            self.heads.append(head)
            self.bodies.append(body)
        self.sent = 0
        self.tag = os.urandom(4).hex()

    def __call__(self, n: int) -> bytes:
        self.sent += 1
        k = n % len(self.heads)
        key = f"\r\nIdempotency-Key: bundle-{self.tag}-{self.sent}".encode()
        return self.heads[k] + key + b"\r\n\r\n" + self.bodies[k]


def run_bundles(creds: dict, total: int, clients: int) -> dict:
    """一件事一次办: the app's bundle application beside the floor writing the same rows
    (tests/bench/test_fair_rows.py), in turns, as the one-request submission is measured."""
    from shenpi.accounts.models import User
    from shenpi.accounts.services import api_token_create

    from .load import Result, closed_loop

    # The generated applicants apply for themselves, each with a personal token.
    creds["people"] = [
        api_token_create(user=person)[1]
        for person in User.objects.filter(username__startswith="bench-").order_by("pk")[:20]
    ]
    out = {"settled_s": settle(), "cpu_probe_ms": cpu_probe()}
    code = creds["bundle"]
    sides = {
        name: (port, BundleSubmissions(creds, path, 32), Result())
        for name, port, path in (
            ("app", APP_PORT, f"/api/v1/bundles/{code}/applications/"),
            ("floor", FLOOR_PORT, f"/floor/bundles/{code}/"),
        )
    }
    for port, payloads, _result in sides.values():
        closed_loop(HOST, port, payloads, clients=clients, total=16)  # warm-up, not counted
    for turn in [total // 4] * 3 + [total - 3 * (total // 4)]:
        for port, payloads, result in sides.values():
            result.add(closed_loop(HOST, port, payloads, clients=clients, total=turn))
    for name, (_port, _payloads, result) in sides.items():
        out[name] = result.summary()
        if result.errors:
            log(f"  {name}: {result.errors} errors, first: {result.first_error[:400]}")
        log(f"  bundles {name}: {out[name]}")
    return out


def exchange_figures(sub: dict, delivery: dict, pushes: dict) -> dict:
    lag = sub.get("outbox_lag") or {}
    return {
        "exchange.lag_p50_ms": lag.get("p50_ms"),
        "exchange.lag_p99_ms": lag.get("p99_ms"),
        "exchange.lag_undelivered": lag.get("undelivered"),
        "exchange.delivered_per_s": delivery["app_per_s"],
        "exchange.raw_per_s": delivery["raw_per_s"],
        "exchange.ratio_raw": delivery["ratio_raw"],
        "push.app_per_s": pushes["app"]["per_s"],
        "push.floor_per_s": pushes["floor"]["per_s"],
        "push.ratio_floor": pushes["ratio_floor"],
        "push.p99_ms": pushes["app"]["p99_ms"],
        "push.errors": pushes["app"]["errors"],
    }


def bundle_figures(bundles: dict) -> dict:
    app, floor = bundles["app"]["per_s"], bundles["floor"]["per_s"]
    return {
        "bundle.app_per_s": app,
        "bundle.floor_per_s": floor,
        "bundle.ratio_floor": round(app / floor, 3) if floor else None,
        "bundle.p50_ms": bundles["app"]["p50_ms"],
        "bundle.p99_ms": bundles["app"]["p99_ms"],
        "bundle.errors": bundles["app"]["errors"],
    }


def run_journeys(creds: dict, smoke: bool) -> dict:
    """Pages, logins, accept and decide, two officials on one step (bench/journeys.py)."""
    from . import journeys

    who = journeys.people()
    out = {"settled_s": settle(), "cpu_probe_ms": cpu_probe()}
    out["pages"] = journeys.run_pages(HOST, APP_PORT, who, 20 if smoke else 300)
    log(f"  pages p95 ms: { {k: v['p95_ms'] for k, v in out['pages'].items()} }")
    out["login"] = journeys.run_login(HOST, APP_PORT, who, 16 if smoke else 200, os.cpu_count())
    log(f"  login: {out['login']}")
    out["accept_decide"] = journeys.run_accept_decide(HOST, APP_PORT, who, 10 if smoke else 200)
    log(f"  accept and decide: {out['accept_decide']}")
    out["same_step"] = journeys.run_same_step(HOST, APP_PORT, who, 5 if smoke else 50)
    log(f"  one step, two officials: {out['same_step']}")
    return out


def run_mixed(creds: dict, *, seconds: float, multiples) -> dict:
    from . import journeys
    from .mixed import ladder

    who = journeys.people()
    submissions = Submissions(creds, "/api/v1/cases/submit/", 32)
    keys = [key for key, _department in creds["officials"]]
    return ladder(
        HOST, APP_PORT, who, submissions, keys, seconds=seconds, multiples=multiples, log=log
    )


def run_hall(database: str, *, seconds: float) -> dict:
    """The hall phase (bench/hall.py): a busy morning — 50 windows each calling the next
    ticket every 10 s on average (a window serving a person every 5 minutes is 30 times
    slower), 200 kiosks each issuing a ticket every 40 s (5 a second), and ten display
    boards on the app and ten on the floor polling as the board's page does; the board's
    update delay (target p99 ≤ 1 s) beside the floor's and the bare queries' time."""
    from . import hall

    prep = hall.prepare(windows=50, groups=5)
    out = hall.run(
        prep, host=HOST, app_port=APP_PORT, floor_port=FLOOR_PORT, database=database,
        seconds=seconds, take_rate=200 / 40, call_every_s=10.0, boards=10,
    )  # fmt: skip
    log(
        f"  hall: board delay p99 app {out['delay_app']['p99_ms']} ms, floor "
        f"{out['delay_floor']['p99_ms']} ms; board p99 app {out['board_app']['p99_ms']} ms, "
        f"floor {out['board_floor']['p99_ms']} ms, bare queries "
        f"{out['bare_board_queries']['p99_ms']} ms; take p99 {out['take']['p99_ms']} ms, "
        f"call p99 {out['call']['p99_ms']} ms; statuses {out['statuses']}"
    )
    return out


def render_hall(h: dict) -> str:
    rows = [
        ("board update delay (the call's time → a board shows it)", "delay_app", "delay_floor"),
        ("board answer", "board_app", "board_floor"),
    ]
    lines = [
        f"The hall ({h['seconds']} s): {h['windows']} windows calling every "
        f"{h['call_every_s']} s on average, kiosks taking {h['take_rate']} tickets a second, "
        f"{h['boards_each']} boards a side polling every {h['board_poll_s']} s "
        "(update delay target: p99 ≤ 1,000 ms)",
        "",
        "| measure | app p50 / p99 ms | floor p50 / p99 ms | n (app) |",
        "|---|---|---|---|",
    ]
    for label, app, floor in rows:
        lines.append(
            f"| {label} | {h[app]['p50_ms']} / {h[app]['p99_ms']} | {h[floor]['p50_ms']} / "
            f"{h[floor]['p99_ms']} | {h[app]['n']} |"
        )
    bare = h["bare_board_queries"]
    lines += [
        f"| the board's three queries, bare (psycopg) | {bare['p50_ms']} / {bare['p99_ms']} | | "
        f"{bare['n']} |",
        f"| take a ticket (kiosk) | {h['take']['p50_ms']} / {h['take']['p99_ms']} | | "
        f"{h['take']['n']} |",
        f"| call the next (window) | {h['call']['p50_ms']} / {h['call']['p99_ms']} | | "
        f"{h['call']['n']} |",
        "",
        f"Statuses: {h['statuses']}",
        "",
    ]
    return "\n".join(lines)


EXTENDED_CASES = 100_000


def extended(args) -> int:
    """`make bench-extended`: a fresh database of 100,000 cases, then the mixed day's
    ladder, five minutes a step; bench/results/extended.json and .md."""
    tmp = Path(tempfile.mkdtemp(prefix="shenpi-bench-"))
    env = database_env(args.database, str(tmp / "media"))
    started, source = time.time(), provenance()
    if not args.keep:
        fresh_database(args.database, env)
    setup_django(env)
    from .generate import generate

    if case_count() < EXTENDED_CASES:
        generate(EXTENDED_CASES - case_count(), log=log)
    from shenpi.supervision.scan import scan_deadlines

    scan_deadlines()  # today's lights, as the morning's scan leaves them
    creds = credentials()
    with (
        Server("config.wsgi:application", APP_PORT, env, "config.settings"),
        Server("bench.floor_wsgi:application", FLOOR_PORT, env, "bench.floor_settings"),
    ):
        log(f"mixed day at {case_count():,} cases, 300 s a step")
        mixed = run_mixed(creds, seconds=300, multiples=[1, 2, 4, 8, 16, 32])
        log("the hall: windows calling, kiosks taking tickets, boards polling (120 s)")
        hall = run_hall(args.database, seconds=120)
    year = simulated_year()
    report = {
        "cases": case_count(),
        "mixed": mixed,
        "hall": hall,
        "year": year,
        "machine": machine(),
        "ran_at": time.strftime("%Y-%m-%d %H:%M:%S %z"),
        "duration_s": round(time.time() - started),
        **source,
    }
    (RESULTS / "extended.json").write_text(
        json.dumps(report, indent=2, ensure_ascii=False, default=str) + "\n"
    )
    table = render_mixed(report) + "\n" + render_hall(hall)
    (RESULTS / "extended.md").write_text(table)
    print(table)
    shutil.rmtree(tmp, ignore_errors=True)
    return 0


def simulated_year() -> dict:
    """Storage before and after a year of updates (bench/year.py), the deadline scan after
    each day as the scheduler runs it; bytes a case per table."""
    from django.db import connection

    from shenpi.supervision.scan import scan_deadlines

    from .year import simulate_year

    before = storage()
    log(f"a year of updates on {before['cases']:,} cases ({before['bytes_per_case']} bytes a case)")
    with connection.cursor() as cursor:
        replay = simulate_year(cursor, each_day=scan_deadlines, log=log)
    after = storage()
    log(f"  after the year: {after['bytes_per_case']} bytes a case ({replay})")
    return {"before": before, "after": after, "replay": replay}


def render_mixed(r: dict) -> str:
    m, mixed = r["machine"], r["mixed"]
    lines = [
        f"Shenpi mixed day — {r['ran_at']} ({r['duration_s']} s) at commit {r['commit'][:12]}"
        f"{'' if r['tree_clean'] else ' (tree CHANGED)'}, {r['cases']:,} cases",
        "",
        f"Machine: {m['cpu']}, {m['cores']} cores, {m['memory']}; PostgreSQL {m['postgresql']}; "
        f"gunicorn {m['gunicorn_workers']} sync workers",
        "",
        f"Held: {mixed['held_multiple']}× the region's peak-hour load; broke first: "
        f"{mixed['broke_first'] or 'nothing (the last step held)'}",
        "",
        "| load | req/s | kind | requests | errors | p50 / p95 / p99 ms | p99 target |",
        "|---|---|---|---|---|---|---|",
    ]
    for step in mixed["steps"]:
        for kind, k in step["kinds"].items():
            lines.append(
                f"| {step['multiple']}× | {step['rate_per_s']} | {kind} | {k['requests']} | "
                f"{k['errors']} | {k['p50_ms']} / {k['p95_ms']} / {k['p99_ms']} | "
                f"{k['p99_target_ms']} |"
            )
    lines += [
        "",
        "Scans beside each step (s): "
        + "; ".join(f"{s['multiple']}×: {s['scans_s']}" for s in mixed["steps"]),
        "",
    ]
    year = r.get("year")
    if year:
        before, after = year["before"], year["after"]
        lines += [
            f"Storage after a simulated year of updates ({year['replay']['seconds']} s; rows "
            f"updated {year['replay']['updated']}): {before['bytes_per_case']} → "
            f"{after['bytes_per_case']} bytes a case (target ≤ 12,288)",
            "",
            "| table | bytes a case before | after the year |",
            "|---|---|---|",
        ]
        for table, size in after["per_table_per_case"].items():
            lines.append(f"| {table} | {before['per_table_per_case'].get(table, 0)} | {size} |")
        lines.append("")
    return "\n".join(lines)


def journey_figures(j: dict) -> dict:
    """latest.json's keys from `run_journeys`' result."""
    figures = {f"pages.{name}_p95_ms": page["p95_ms"] for name, page in j["pages"].items()}
    figures["pages.errors"] = sum(page["errors"] for page in j["pages"].values())
    login, ad = j["login"], j["accept_decide"]
    figures.update(
        {
            "login.per_s": login["per_s"],
            "login.p95_ms": login["p95_ms"],
            "login.argon2_ms": login["argon2_ms"],
            "login.ratio_argon2": login["ratio_argon2"],
            "login.errors": login["errors"],
            "accept.per_s": ad["accept"]["per_s"],
            "accept.p95_ms": ad["accept"]["p95_ms"],
            "decide.per_s": ad["decide"]["per_s"],
            "decide.p95_ms": ad["decide"]["p95_ms"],
            "accept_decide.per_s": ad["accept_and_decide_per_s"],
            "accept_decide.errors": ad["accept"]["errors"] + ad["decide"]["errors"],
            # None to act on is a failure of the phase, not a pass with no errors.
            "accept_decide.decided": ad["decide"]["requests"],
            "same_step.one_wins_each_time": j["same_step"]["one_wins_each_time"],
        }
    )
    return figures


def submit_figures(sub: dict) -> dict:
    """latest.json's submission keys from `run_submissions`' result."""
    app, floor, raw = (sub[name]["per_s"] for name in ("app", "floor", "raw"))
    return {
        "submit.app_per_s": app,
        "submit.floor_per_s": floor,
        "submit.raw_per_s": raw,
        "submit.ratio_floor": round(app / floor, 3) if floor else None,
        "submit.ratio_raw": round(app / raw, 4) if raw else None,
        "submit.p50_ms": sub["app"]["p50_ms"],
        "submit.p99_ms": sub["app"]["p99_ms"],
        "submit.errors": sub["app"]["errors"],
    }


def pgbench(args: list[str], script, tmp: Path, url: str) -> tuple[str, list[float]]:
    """Run pgbench with a script (or several, each chosen at random with the same
    weight); returns its output and every transaction's latency (ms, counted from when
    it was due, as the HTTP open loop counts)."""
    logs = tmp / f"pgbench-{time.time_ns()}"
    logs.mkdir()
    files = []
    for n, text in enumerate([script] if isinstance(script, str) else script):
        path = logs / f"script{n}.sql"
        path.write_text(text)
        files += ["-f", str(path)]
    proc = subprocess.run(
        ["pgbench", "-n", *args, *files, "-l", f"--log-prefix={logs}/log", url],
        capture_output=True,
        text=True,
    )
    if proc.returncode != 0:
        raise RuntimeError(proc.stderr[-2000:])
    # Under --rate the logged time already counts from when the transaction was due (its
    # schedule lag included), as the HTTP open loop counts.
    latencies = [
        int(line.split()[2]) / 1000
        for file in logs.glob("log*")
        for line in file.read_text().splitlines()
    ]
    return proc.stdout, latencies


def pgbench_submit(creds: dict, total: int, clients: int, tmp: Path, url: str) -> dict:
    from shenpi.accounts.models import User
    from shenpi.common import personal
    from shenpi.common.fields import held

    from .load import percentile
    from .sql import PGBENCH_SUBMIT

    applicant = User.objects.filter(username__startswith="bench-").first()
    m1, m2, m3 = creds["requirements"][:3]
    defines = {  # pgbench puts a variable's text in as it is: strings carry their quotes
        "division": f"'{creds['division_id']}'",
        "department": f"'{creds['department_id']}'",
        "item": f"'{creds['item_id']}'",
        "version": f"'{creds['version_id']}'",
        "sysclient": f"'{creds['client_id']}'",
        "applicant": applicant.pk,
        # The applicant's ID number and mobile as the app writes them: their tokens, copied;
        # the e-mail address sealed once (the app seals it for each outbox row).
        "applicant_code": f"'{held(applicant, 'id_number').token}'",
        "applicant_mobile": f"'{held(applicant, 'mobile').token}'",
        "applicant_email": f"'{personal.seal(applicant.email)}'",
        "m1": m1,
        "m2": m2,
        "m3": m3,
    }
    args = ["-c", str(clients), "-j", "2", "-t", str(max(1, total // clients))]
    for k, v in defines.items():
        args += ["-D", f"{k}={v}"]
    started = time.perf_counter()
    output, latencies = pgbench(args, PGBENCH_SUBMIT, tmp, url)
    seconds = time.perf_counter() - started
    tps = re.search(r"tps = ([\d.]+) \(without initial", output)
    failed = re.search(r"number of failed transactions: (\d+)", output)
    return {
        "requests": len(latencies),
        "errors": int(failed.group(1)) if failed else 0,
        "per_s": round(float(tps.group(1)), 1) if tps else round(len(latencies) / seconds, 1),
        "p50_ms": round(percentile(latencies, 50), 2),
        "p99_ms": round(percentile(latencies, 99), 2),
    }


def inbox_payloads(creds: dict, path: str) -> list[bytes]:
    from .load import build_get

    return [
        build_get(HOST, path, {"Authorization": f"Bearer {key}"})
        for key, _dep in creds["officials"]
    ]


def run_inbox(creds: dict, rate: float, seconds: float, tmp: Path, url: str) -> dict:
    from .load import open_loop, percentile
    from .sql import PGBENCH_INBOX

    out = {"settled_s": settle()}
    for name, port, path in (
        ("app", APP_PORT, "/api/v1/tasks/"),
        ("floor", FLOOR_PORT, "/floor/inbox/"),
    ):
        payloads = inbox_payloads(creds, path)
        rng = random.Random(5)
        order = [rng.randrange(len(payloads)) for _ in range(int(2 * rate * seconds) + 1)]
        # Warmed the same way at every size (ten seconds at the rate, not counted), so that
        # the growth figure compares warm with warm: the first size's phase follows the
        # servers' start, the later ones the previous phases.
        open_loop(HOST, port, lambda n, p=payloads: p[n % len(p)], rate=rate, seconds=10)
        result = open_loop(
            HOST,
            port,
            lambda n, p=payloads, o=order: p[o[n % len(o)]],
            rate=rate,
            seconds=seconds,
        )
        out[name] = result.summary()
        if result.errors:
            log(f"  {name}: {result.errors} errors, first: {result.first_error[:400]}")
    _out, latencies = pgbench(
        [
            "-R",
            str(rate),
            "-T",
            str(int(seconds)),
            "-c",
            "4",
            "-j",
            "1",
            "-D",
            f"officials={len(creds['officials'])}",
        ],
        PGBENCH_INBOX,
        tmp,
        url,
    )
    out["raw"] = {
        "requests": len(latencies),
        "p50_ms": round(percentile(latencies, 50), 2),
        "p99_ms": round(percentile(latencies, 99), 2),
    }
    log(f"  inbox: app {out['app']} | floor {out['floor']} | raw {out['raw']}")
    return out


MAX_RATES = [100, 150, 200, 250, 300, 400, 500]
INBOX_P99_MS = 25  # the inbox's target: the highest rate is the highest that holds it


def inbox_max_rate(creds: dict, seconds: float, rates) -> tuple[float, list]:
    from .load import open_loop

    payloads = inbox_payloads(creds, "/api/v1/tasks/")
    best, steps = 0.0, []

    def holds(rate) -> bool:
        result = open_loop(
            HOST, APP_PORT, lambda n: payloads[n % len(payloads)], rate=rate, seconds=seconds
        )
        summary = result.summary()
        steps.append({"rate": rate, **summary})
        log(f"  inbox at {rate}/s: p99 {summary['p99_ms']} ms, errors {summary['errors']}")
        return not result.errors and summary["p99_ms"] <= INBOX_P99_MS

    for rate in rates:
        if not holds(rate):
            break
        best = rate
    if not best:  # not even the first: down from it, so that the figure says what holds
        best = next((rate for rate in (rates[0] // 2, rates[0] // 4) if holds(rate)), 0.0)
    return best, steps


def run_monitor(creds: dict, requests: int) -> dict:
    from .load import build_get, closed_loop

    pages = {
        "region": ("/supervision/monitor/", creds["sessions"]["nx_jc_sup"]),
        "city": ("/supervision/monitor/", creds["sessions"]["yc_jc_sup"]),
        "screen": ("/supervision/screen/data/", creds["sessions"]["nx_jc_sup"]),
    }
    out = {}
    for name, (path, session) in pages.items():
        payload = build_get(HOST, path, {"Cookie": f"sessionid={session}"})
        closed_loop(HOST, APP_PORT, lambda n, p=payload: p, clients=2, total=4)  # warm-up
        result = closed_loop(HOST, APP_PORT, lambda n, p=payload: p, clients=4, total=requests)
        out[name] = result.summary()
        if result.errors:
            log(f"  monitor {name}: errors, first: {result.first_error[:300]}")
    log(f"  monitor: { {k: v['p95_ms'] for k, v in out.items()} }")
    return out


# What people type into the FAQ search: item words, full pinyin and initials, synonyms,
# whole questions with their question words, numbers.
SEARCH_QUERIES = (
    "食品经营许可", "shipin", "营业执照", "小吃店 延续", "怎么补办", "取水许可", "xuke",
    "建筑业企业资质", "行政复议", "网店", "需要哪些材料", "spjy", "到期了怎么延续", "药店",
    "委托他人办理", "现场核查", "餐馆", "个体工商户设立", "jianzhu", "12345",
    "开小吃店要办什么证", "食品生产许可 乳制品", "运输公司 经营许可", "养殖户", "民办学校",
)  # fmt: skip


def _inline(sql: str, params: list) -> str:
    """A statement with its parameters written in (pgbench runs it as text): the parsed
    queries (checked above) and the ids the floor fetched."""
    pieces = sql.split("%s")
    out = pieces[0]
    for value, piece in zip(params, pieces[1:], strict=True):
        if isinstance(value, list):
            literal = "ARRAY[" + ",".join(f"'{v}'" for v in value) + "]::uuid[]"
        else:
            literal = f"'{value}'"
        out += literal + piece
    return out


def run_search(rate: float, seconds: float, tmp: Path, url: str) -> dict:
    """The public FAQ search at an open-loop rate: the app's /api/v1/faqs/?q= (the first
    page of 20), the floor's bare view (the same parse, the same two statements by hand:
    floor_views.faq_search_rows) and pgbench replaying, for each query, exactly the
    statements the floor ran for it; the same queries in the same random order."""
    from urllib.parse import quote

    from django.db import connection

    from shenpi.consult.models import Faq
    from shenpi.search.terms import query_terms, tsquery

    from .floor_views import faq_search_rows
    from .load import build_get, open_loop, percentile

    out: dict = {"settled_s": settle(), "faqs": Faq.objects.filter(status="published").count()}
    scripts, found = [], {}
    with connection.cursor() as cursor:
        for q in SEARCH_QUERIES:
            tsq = tsquery(query_terms(q))
            if not re.fullmatch(r"[0-9a-z\u3400-\u9fff&|():*! ]+", tsq):
                raise ValueError(f"unexpected characters in {tsq!r}")
            executed: list = []
            found[q] = len(faq_search_rows(cursor, tsq, executed))
            scripts.append("".join(_inline(sql, params) + ";\n" for sql, params in executed))
    out["results_per_query"] = found
    rng = random.Random(9)
    order = [rng.randrange(len(SEARCH_QUERIES)) for _ in range(int(2 * rate * seconds) + 1)]
    for name, port, path in (
        ("app", APP_PORT, "/api/v1/faqs/?q="),
        ("floor", FLOOR_PORT, "/floor/faqs/?q="),
    ):
        payloads = [build_get(HOST, path + quote(q)) for q in SEARCH_QUERIES]
        open_loop(HOST, port, lambda n, p=payloads: p[n % len(p)], rate=rate, seconds=5)  # warm
        result = open_loop(
            HOST, port, lambda n, p=payloads, o=order: p[o[n % len(o)]], rate=rate, seconds=seconds
        )
        out[name] = result.summary()
        if result.errors:
            log(f"  search {name}: {result.errors} errors, first: {result.first_error[:400]}")
    _out, latencies = pgbench(
        ["-R", str(rate), "-T", str(int(seconds)), "-c", "4", "-j", "1"], scripts, tmp, url
    )
    out["raw"] = {
        "requests": len(latencies),
        "p50_ms": round(percentile(latencies, 50), 2),
        "p95_ms": round(percentile(latencies, 95), 2),
    }
    log(f"  search: app {out['app']} | floor {out['floor']} | raw {out['raw']}")
    return out


# One aggregate over the cases table giving the counts a department's statistics page
# shows per item for a period (the head's departments of one kind, a year): what the page
# would cost without the rollup. It does less than the page (no working-day figures: they
# need the calendar; no steps, no rendering), so it flatters the cases table, not the app.
CASES_AGGREGATE_SQL = """
SELECT c.department_id, c.item_id,
       count(*) FILTER (WHERE c.received_at >= %(start)s AND c.received_at < %(end)s),
       count(*) FILTER (WHERE c.accepted_at >= %(start)s AND c.accepted_at < %(end)s),
       count(*) FILTER (WHERE c.status = 'not_accepted' AND c.ended_at >= %(start)s
                        AND c.ended_at < %(end)s),
       count(*) FILTER (WHERE c.outcome = 'granted' AND c.decided_at >= %(start)s
                        AND c.decided_at < %(end)s),
       count(*) FILTER (WHERE c.outcome = 'refused' AND c.decided_at >= %(start)s
                        AND c.decided_at < %(end)s),
       count(*) FILTER (WHERE c.status = 'withdrawn' AND c.ended_at >= %(start)s
                        AND c.ended_at < %(end)s),
       count(*) FILTER (WHERE c.decided_at >= %(start)s AND c.decided_at < %(end)s
                        AND (c.decided_at AT TIME ZONE 'Asia/Shanghai')::date > c.promised_due),
       count(*) FILTER (WHERE c.decided_at >= %(start)s AND c.decided_at < %(end)s
                        AND (c.decided_at AT TIME ZONE 'Asia/Shanghai')::date > c.statutory_due)
FROM cases_case c
WHERE c.department_id = ANY(%(departments)s::uuid[])
  AND (c.received_at >= %(start)s OR c.accepted_at >= %(start)s OR c.decided_at >= %(start)s
       OR c.ended_at >= %(start)s)
GROUP BY 1, 2
"""


def run_stats(creds: dict, rate: float, seconds: float, tmp: Path, url: str) -> dict:
    """本部门统计 and 决策辅助 (issue 23) at an open-loop rate: the head of the region's
    market regulation (their department and the same kind below, side by side) and the
    region's leader (every department), each for this year; beside them, pgbench running
    one aggregate over the cases table for the head's departments and year."""
    from datetime import datetime

    from django.utils import timezone

    from shenpi.accounts.models import User
    from shenpi.stats.forecast import forecast_all
    from shenpi.stats.selectors import departments_for

    from .load import build_get, open_loop, percentile

    today = timezone.localdate()
    started = time.perf_counter()
    run = forecast_all(today)
    out: dict = {
        "forecast_s": round(time.perf_counter() - started, 2),
        "forecast_series": run.series,
        "forecast_wape": run.wape,
        "forecast_coverage": run.coverage,
        "settled_s": settle(),
    }
    year = str(today.year)
    pages = {
        "department": (f"/desk/statistics/?period={year}", creds["sessions"]["nx_scjg_head"]),
        "leader": (f"/desk/decision/?period={year}", creds["sessions"]["nx_zfb_leader"]),
    }
    for name, (path, session) in pages.items():
        payload = build_get(HOST, path, {"Cookie": f"sessionid={session}"})
        open_loop(HOST, APP_PORT, lambda n, p=payload: p, rate=rate, seconds=3)  # warm-up
        result = open_loop(HOST, APP_PORT, lambda n, p=payload: p, rate=rate, seconds=seconds)
        out[name] = result.summary()
        if result.errors:
            log(f"  stats {name}: {result.errors} errors, first: {result.first_error[:300]}")
    departments = departments_for(User.objects.get(username="nx_scjg_head"))
    tz = timezone.get_current_timezone()
    params = {
        "start": datetime(today.year, 1, 1, tzinfo=tz).isoformat(),
        "end": datetime(today.year + 1, 1, 1, tzinfo=tz).isoformat(),
        "departments": [str(d.pk) for d in departments],
    }
    sql = CASES_AGGREGATE_SQL
    for key in ("start", "end"):
        sql = sql.replace(f"%({key})s", f"'{params[key]}'")
    sql = sql.replace("%(departments)s", "'{" + ",".join(params["departments"]) + "}'").strip()
    _out, latencies = pgbench(
        ["-R", str(rate), "-T", str(int(seconds)), "-c", "2", "-j", "1"], sql + ";\n", tmp, url
    )
    out["cases_aggregate"] = {
        "requests": len(latencies),
        "p50_ms": round(percentile(latencies, 50), 2),
        "p95_ms": round(percentile(latencies, 95), 2),
    }
    # And alone, one at a time: what one reader waits for it with nobody else asking.
    _out, alone = pgbench(["-t", "10", "-c", "1", "-j", "1"], sql + ";\n", tmp, url)
    out["cases_aggregate"]["alone_p50_ms"] = round(percentile(alone, 50), 2)
    log(
        f"  stats: department {out['department']['p95_ms']} ms, leader "
        f"{out['leader']['p95_ms']} ms, one aggregate over cases {out['cases_aggregate']} "
        f"(forecast {out['forecast_s']} s for {out['forecast_series']} series)"
    )
    return out


def stats_figures(stats: dict) -> dict:
    return {
        "stats.department_p95_ms": stats["department"]["p95_ms"],
        "stats.leader_p95_ms": stats["leader"]["p95_ms"],
        "stats.cases_aggregate_p95_ms": stats["cases_aggregate"]["p95_ms"],
        "stats.cases_aggregate_alone_ms": stats["cases_aggregate"].get("alone_p50_ms"),
        "stats.errors": stats["department"]["errors"] + stats["leader"]["errors"],
        "stats.forecast_s": stats["forecast_s"],
    }


SCAN_ROUNDS = 3


def written_since(cursor, mark: dict | None = None) -> dict:
    """Rows written (inserted, updated, deleted) over every table and WAL bytes, from
    PostgreSQL's own statistics: with `mark` (an earlier call's answer), what was written
    since. This connection's counts are flushed first (pg_stat_force_next_flush)."""
    cursor.execute("SELECT pg_stat_force_next_flush()")
    cursor.execute(
        "SELECT pg_current_wal_lsn()::text, "
        "coalesce(sum(n_tup_ins + n_tup_upd + n_tup_del), 0)::bigint FROM pg_stat_user_tables"
    )
    lsn, rows = cursor.fetchone()
    now = {"lsn": lsn, "rows": rows}
    if mark is None:
        return now
    cursor.execute("SELECT pg_wal_lsn_diff(%s, %s)::bigint", [lsn, mark["lsn"]])
    return {"rows": rows - mark["rows"], "wal_bytes": cursor.fetchone()[0]}


def run_scan(rounds: int = SCAN_ROUNDS) -> dict:
    """Full (no light yet), day change (the next working day, after a day's work: bench/
    day.py), idle (again at once), `rounds` times from scratch, over a year of cleared
    cards: each figure is the median of the rounds (this shared machine's timings swing
    by a fifth between identical runs), every round's kept, with the rows and WAL bytes
    PostgreSQL counted for each scan."""
    from django.db import connection
    from django.utils import timezone

    from shenpi.core import clock
    from shenpi.supervision.scan import scan_deadlines
    from shenpi.workdays.services import calendar

    from .day import apply_day, day_volumes, warnings_history
    from .generate import Clock, load_world, working_days

    today = timezone.localdate()
    tomorrow = clock.add_working_days(calendar(today), today, 1)
    world = load_world(today, applicants=0)
    days = Clock(working_days(range(today.year - 1, today.year + 3)))
    out: dict = {"rounds": []}
    with connection.cursor() as cursor:
        out["history_cards"] = warnings_history(cursor)
        cursor.execute("SELECT count(*) FROM cases_case")
        out["day"] = volumes = day_volumes(cursor.fetchone()[0])
    for _round in range(rounds):
        with connection.cursor() as cursor:
            # From scratch: no open card, no light, no plan, no record of the last scan;
            # the year's cleared cards stay, as they do in a live database.
            cursor.execute("DELETE FROM supervision_warning WHERE cleared_at IS NULL")
            for table in ("caselight", "scanstate", "scandirty"):
                cursor.execute(f"DELETE FROM supervision_{table}")
            cursor.execute("DELETE FROM consult_lightsstate")
            # As a live database is, with autovacuum having been by: a freshly loaded
            # table's first reader would otherwise set every row's hint bits and visibility
            # map (and the last round's deleted rows are gone).
            for table in ("supervision_warning", "supervision_caselight", "cases_case",
                          "cases_task", "supervision_supervisionorder"):  # fmt: skip
                cursor.execute(f"VACUUM ANALYZE {table}")
            cursor.execute("SELECT count(*) FROM cases_case WHERE status = 'processing'")
            out["open_cases"] = cursor.fetchone()[0]
            cursor.execute(
                "SELECT count(*) FROM consult_question WHERE status IN ('open', 'claimed')"
            )
            out["open_questions"] = cursor.fetchone()[0]
        one = {}
        for name, day in (("full", today), ("day_change", tomorrow), ("idle", tomorrow)):
            with connection.cursor() as cursor:
                if name == "day_change":
                    one["day_work"] = apply_day(cursor, world, days, today, volumes)
                    cursor.execute(
                        "VACUUM ANALYZE cases_case, cases_task, supervision_supervisionorder"
                    )
                mark = written_since(cursor)
            started = time.perf_counter()
            report = scan_deadlines(day)
            one[f"{name}_s"] = round(time.perf_counter() - started, 3)
            with connection.cursor() as cursor:
                stats = written_since(cursor, mark)
            one[f"{name}_rows"] = stats["rows"]
            one[f"{name}_wal_bytes"] = stats["wal_bytes"]
            log(f"  scan {name}: {one[f'{name}_s']} s, {report}, PostgreSQL: {stats}")
        out["rounds"].append(one)
    for key in ("full_s", "day_change_s", "idle_s"):
        out[key] = statistics.median(one[key] for one in out["rounds"])
    for key in ("full_rows", "day_change_rows", "idle_rows", "day_change_wal_bytes",
                "idle_wal_bytes"):  # fmt: skip
        out[key] = max(one[key] for one in out["rounds"])  # the idle scan's, if any wrote
    out["raw_s"] = raw_classify(today)
    scan_deadlines(today)  # back to today's lights for the monitoring workload
    out["questions_day_change_s"] = questions_day_change(tomorrow)
    return out


def search_figures(search: dict) -> dict:
    return {
        "search.faqs": search["faqs"],
        "search.p95_ms": search["app"]["p95_ms"],
        "search.floor_p95_ms": search["floor"]["p95_ms"],
        "search.raw_p95_ms": search["raw"]["p95_ms"],
        "search.errors": search["app"]["errors"],
    }


def questions_day_change(tomorrow) -> float:
    """The questions' share of a day change (the scan's watched deadlines,
    shenpi.consult.lights: those turned red counted and their heads told, any planned
    again), timed alone and rolled back."""
    from django.db import transaction
    from django.utils import timezone

    from shenpi.consult.models import LightsState
    from shenpi.supervision.scan import WATCHED

    seconds = 0.0
    with transaction.atomic():
        # As the morning's scan left it: told up to today (the rounds' idle scans told up
        # to the next working day).
        LightsState.objects.update_or_create(pk=1, defaults={"told_until": timezone.localdate()})
        started = time.perf_counter()
        for watched in WATCHED:
            report = watched.scan(tomorrow)
            log(f"  {watched.name} day change: {report}")
        seconds = round(time.perf_counter() - started, 3)
        transaction.set_rollback(True)
    return seconds


def raw_classify(today) -> float:
    """The same classification (every open case's promised and statutory light, every open
    step's light) as one SQL statement over a working-day ordinal table."""
    from django.db import connection

    from shenpi.supervision.scan.engine import ordinal_rows

    with connection.cursor() as cursor:
        started = time.perf_counter()
        cursor.execute("CREATE TEMP TABLE IF NOT EXISTS bench_ord (day date PRIMARY KEY, n int)")
        cursor.execute("TRUNCATE bench_ord")
        rows = ordinal_rows(today)
        cursor.execute(
            "INSERT INTO bench_ord SELECT * FROM unnest(%s::date[], %s::int[])",
            [[r[0] for r in rows], [r[1] for r in rows]],
        )
        cursor.execute(
            """
            WITH c AS (
              SELECT c.id, s.n AS s, p.n AS p, q.n AS q
              FROM cases_case c
              JOIN bench_ord s ON s.day = (c.accepted_at AT TIME ZONE 'Asia/Shanghai')::date
              JOIN bench_ord p ON p.day = c.promised_due
              JOIN bench_ord q ON q.day = c.statutory_due
              WHERE c.status = 'processing'),
            t AS (
              SELECT t.id, s.n AS s, d.n AS d
              FROM cases_task t JOIN cases_case c ON c.id = t.case_id
              JOIN bench_ord s ON s.day = (t.opened_at AT TIME ZONE 'Asia/Shanghai')::date
              JOIN bench_ord d ON d.day = t.due_date
              WHERE t.status IN ('open', 'claimed') AND c.status = 'processing'),
            today AS (SELECT n FROM bench_ord WHERE day = %s)
            SELECT
              (SELECT count(*) FILTER (WHERE today.n > c.p OR c.p - today.n <= 1
                        OR today.n - c.s >= 0.8 * greatest(1, c.p - c.s)) FROM c, today),
              (SELECT count(*) FILTER (WHERE today.n > t.d OR t.d - today.n <= 1
                        OR today.n - t.s >= 0.8 * greatest(1, t.d - t.s)) FROM t, today)
            """,
            [today],
        )
        cursor.fetchall()
        return round(time.perf_counter() - started, 3)


# The tables that grow with cases (and their people): every row a case, its steps, files,
# notices, messages, records, cards, orders, licences and keys leave. The catalogue, the
# organisation, the calendar and the scan's per-division counts do not grow with cases.
# The tables that do not grow with cases: the catalogue, the organisation, the rules and
# settings, and what grows with something else (questions and FAQ with the public's
# questions, the hall with its visitors, sessions and login attempts with logins). Every
# other table is counted, so that a table a later change adds is counted unless it is
# named here.
NOT_GROWING_PREFIXES = (
    "auth_", "django_", "axes_", "otp_", "catalog_", "consult_", "publishing_", "search_",
    "workdays_", "hall_", "agency_", "bench_",
)  # fmt: skip
NOT_GROWING = {
    "accounts_apitoken", "accounts_department", "accounts_departmentkind",
    "accounts_division", "accounts_office", "accounts_onetimecode", "accounts_ratecounter",
    "accounts_roleassignment", "accounts_systemclient", "accounts_window",
    "accounts_user_groups", "accounts_user_user_permissions", "audit_auditcheckpoint",
    "audit_auditcheckpointentry", "exchange_horizon", "exchange_subscriber",
    "stats_forecast", "stats_forecastrun", "stats_managementreview",
    "supervision_evaluationscheme", "supervision_lightcount", "supervision_scanstate",
    "supervision_warningrule",
}  # fmt: skip


def growing_tables(cursor) -> list[str]:
    cursor.execute(
        "SELECT relname FROM pg_class WHERE relkind = 'r' "
        "AND relnamespace = 'public'::regnamespace ORDER BY relname"
    )
    return [
        name
        for (name,) in cursor.fetchall()
        if name not in NOT_GROWING and not name.startswith(NOT_GROWING_PREFIXES)
    ]


def storage() -> dict:
    """Bytes a case over every table that grows with cases (tables, indexes, TOAST), each
    reported. The generator builds the indexes after its bulk load, so they are compact;
    the extended run's simulated year (bench/year.py) loosens them as a year of updates
    does."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
        sizes = {}
        for table in growing_tables(cursor):
            cursor.execute("SELECT pg_total_relation_size(%s)", [table])
            sizes[table] = cursor.fetchone()[0]
        cursor.execute("SELECT count(*) FROM cases_case")
        cases = cursor.fetchone()[0]
    return {
        "cases": cases,
        "bytes": sum(sizes.values()),
        "bytes_per_case": round(sum(sizes.values()) / cases),
        "per_table_per_case": {t: round(b / cases) for t, b in sizes.items() if b},
    }


# --- the run -------------------------------------------------------------------------------------------


def machine() -> dict:
    info = Path("/proc/cpuinfo").read_text() if Path("/proc/cpuinfo").exists() else ""
    cpu = next(
        (x.split(":", 1)[1].strip() for x in info.splitlines() if x.startswith("model name")), ""
    )
    meminfo = Path("/proc/meminfo").read_text() if Path("/proc/meminfo").exists() else ""
    kb = next((int(x.split()[1]) for x in meminfo.splitlines() if x.startswith("MemTotal")), 0)
    mem = f"{kb / 1024 / 1024:.1f} GiB"
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        pg = cursor.fetchone()[0]
        cursor.execute("SHOW shared_buffers")
        buffers = cursor.fetchone()[0]
    return {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "memory": mem,
        "os": platform.platform(),
        "python": platform.python_version(),
        "postgresql": pg,
        "shared_buffers": buffers,
        "gunicorn_workers": workers(),
    }


def provenance() -> dict:
    """The commit the run measures and whether the tree held changes not in it."""

    def git(*args):
        return subprocess.run(
            ["git", *args], cwd=ROOT, capture_output=True, text=True
        ).stdout.strip()

    # The results the bench itself writes do not count (a re-measure runs on a tree holding
    # the full run's results).
    changed = git("status", "--porcelain", "--", ".", ":(exclude)bench/results")
    return {"commit": git("rev-parse", "HEAD"), "tree_clean": changed == ""}


def samples(report: dict) -> dict:
    """Every phase's sample count (requests, transactions, scan rounds), by phase."""
    detail = report["detail"]
    out = {f"submit.{side}": detail["submit"][side]["requests"] for side in ("app", "floor", "raw")}
    for point in detail["growth"]:
        size = point["cases"]
        for side in ("app", "floor", "raw"):
            out[f"inbox.{side}@{size}"] = point["inbox"][side]["requests"]
        for page in ("region", "city", "screen"):
            out[f"monitor.{page}@{size}"] = point["monitor"][page]["requests"]
        out[f"scan.rounds@{size}"] = len(point["scan"]["rounds"])
    for step in detail.get("inbox_max_rate_steps", []):
        out[f"inbox.max_rate@{step['rate']}"] = step["requests"]
    if "search" in detail:
        for side in ("app", "floor", "raw"):
            out[f"search.{side}"] = detail["search"][side]["requests"]
    return out


def cpu_probe() -> float:
    """Milliseconds for a fixed pure-Python loop (the best of three): taken before each
    phase, so that a reader can tell a slower run from a slower machine. Shared two-core
    hosts here have drifted by half as much again within one run."""
    best = float("inf")
    for _ in range(3):
        started, total = time.perf_counter(), 0
        for i in range(2_000_000):
            total += i
        best = min(best, time.perf_counter() - started)
    return round(best * 1000, 1)


def main(argv=None):
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--smoke", action="store_true", help="a few thousand cases, no targets")
    parser.add_argument("--sizes", default="")
    parser.add_argument(
        "--database",
        default=os.environ.get(
            "BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/shenpi_bench"
        ),
    )
    parser.add_argument("--keep", action="store_true", help="reuse the bench database as it is")
    parser.add_argument(
        "--extended",
        action="store_true",
        help="the mixed day at 1×, 2×, 4× … the region's load (5 minutes a step) at 100,000 "
        "cases (make bench-extended)",
    )
    parser.add_argument(
        "--again",
        default="",
        help="re-measure these workloads (scan,inbox,monitor,storage,submit,bundles,exchange,journeys,search; inbox with its "
        "highest rate) at the database's current size after a change, and update latest.json (marked "
        "as re-measured)",
    )
    args = parser.parse_args(argv)
    if args.again:
        return again(args)
    if args.extended:
        return extended(args)
    smoke = args.smoke
    sizes = [
        int(s)
        for s in (args.sizes or ("2000,4000" if smoke else "10000,100000,1000000")).split(",")
    ]
    inbox_seconds, inbox_rate = (5, 20) if smoke else (60, 100)
    submissions = 80 if smoke else 2000
    # The monitoring target is a p95: read from a thousand requests at the largest size
    # (a p95 of a hundred is the sixth-slowest request), three hundred at the others.
    monitor_requests = 12 if smoke else 300

    tmp = Path(tempfile.mkdtemp(prefix="shenpi-bench-"))
    media = tmp / "media"
    env = database_env(args.database, str(media))
    started = time.time()
    source = provenance()
    log(f"commit {source['commit'][:12]}, tree {'clean' if source['tree_clean'] else 'CHANGED'}")
    if not args.keep:
        fresh_database(args.database, env)
    setup_django(env)
    from .generate import TYPICAL, generate

    creds = credentials()
    from .consult_data import generate_consultation

    # Asked and answered over the region's year: the FAQ the search reads, the open
    # questions the scan lights (at every size).
    generate_consultation(
        faqs=2000 if smoke else 100_000, questions=1000 if smoke else 50_000, log=log
    )
    results: dict = {"growth": []}
    with (
        Server("config.wsgi:application", APP_PORT, env, "config.settings"),
        Server("bench.floor_wsgi:application", FLOOR_PORT, env, "bench.floor_settings"),
    ):
        for size in sizes:
            have = case_count()
            if size > have:
                log(f"generating {size - have:,} cases (to {size:,})")
                info = generate(size - have, log=log)
                log(f"  generated in {info['seconds']} s: {info['rows']}")
            point = {"cases": case_count(), "cpu_probe_ms": cpu_probe()}
            log(f"--- {point['cases']:,} cases (CPU probe {point['cpu_probe_ms']} ms)")
            point["scan"] = run_scan(1 if smoke else SCAN_ROUNDS)
            point["storage"] = storage()
            # The target's size is read for a minute a side; the smaller ones, which only
            # show the growth, for half of it (3,000 requests: a p99 from the 30th slowest).
            seconds = inbox_seconds if size == sizes[-1] else inbox_seconds / 2
            point["inbox"] = run_inbox(creds, inbox_rate, seconds, tmp, args.database)
            point["monitor"] = run_monitor(
                creds, monitor_requests if smoke or size != sizes[-1] else 1000
            )
            results["growth"].append(point)
        last = results["growth"][-1]
        log(f"inbox: the highest open-loop rate with p99 within {INBOX_P99_MS} ms")
        rates = [50, 100] if smoke else MAX_RATES
        max_rate, steps = inbox_max_rate(creds, 3 if smoke else 15, rates)
        log(f"FAQ search: open loop at {inbox_rate}/s")
        search = run_search(inbox_rate, inbox_seconds, tmp, args.database)
        log("statistics and decision support: open loop at 20/s")
        stats = run_stats(creds, 20, inbox_seconds, tmp, args.database)
        with exchange.Receiver() as receiver:
            log("submissions: closed loop, 8 clients (a worker delivering events meanwhile)")
            watcher = exchange.subscribe("bench-lag", receiver, from_start=False)
            with exchange.Deliverer(dict(env, DJANGO_SETTINGS_MODULE="config.settings")):
                sub = run_submissions(creds, submissions, 8, tmp, args.database)
                time.sleep(3)  # the last second's events, delivered
            sub["outbox_lag"] = exchange.outbox_lag(watcher)
            log(f"  outbox lag: {sub['outbox_lag']}")
            log("bundle applications (三个事项、六份材料): closed loop, 8 clients")
            bundles = run_bundles(creds, submissions // 4, 8)
            log("pages, logins, accept and decide, one step by two officials")
            jr = run_journeys(creds, smoke)
            log("the exchange: every event so far by one worker, beside the same POSTs raw")
            delivery = exchange.run_delivery(receiver)
            log(f"  delivery: {delivery}")
        log("两级平台: a lower-level platform's pushes, created then accepted; 8 clients")
        pushes = exchange.run_pushes(submissions // 4, 8)
        log(f"  pushes: {pushes}")
        if smoke:  # the mixed day's and the hall's code, briefly (make bench-extended)
            jr["mixed"] = run_mixed(creds, seconds=5, multiples=[1, 2])
            jr["hall"] = run_hall(args.database, seconds=8)

    first = results["growth"][0]
    flat = {
        **submit_figures(sub),
        **bundle_figures(bundles),
        **exchange_figures(sub, delivery, pushes),
        **journey_figures(jr),
        "inbox.p50_ms": last["inbox"]["app"]["p50_ms"],
        "inbox.p99_ms": last["inbox"]["app"]["p99_ms"],
        "inbox.floor_p99_ms": last["inbox"]["floor"]["p99_ms"],
        "inbox.raw_p99_ms": last["inbox"]["raw"]["p99_ms"],
        "inbox.max_rate": max_rate,
        "inbox.growth_p99": round(
            last["inbox"]["app"]["p99_ms"] / first["inbox"]["app"]["p99_ms"], 2
        ),
        "scan.open_cases": last["scan"]["open_cases"],
        "scan.full_s": last["scan"]["full_s"],
        "scan.day_change_s": last["scan"]["day_change_s"],
        "scan.idle_s": last["scan"]["idle_s"],
        "scan.idle_rows_written": last["scan"]["idle_rows"],
        "scan.day_change_rows": last["scan"]["day_change_rows"],
        "scan.day_change_wal_bytes": last["scan"]["day_change_wal_bytes"],
        "scan.day": last["scan"]["day"],
        "scan.raw_s": last["scan"]["raw_s"],
        "scan.open_questions": last["scan"]["open_questions"],
        "scan.questions_day_change_s": last["scan"]["questions_day_change_s"],
        **search_figures(search),
        **stats_figures(stats),
        "monitor.region_p95_ms": last["monitor"]["region"]["p95_ms"],
        "monitor.city_p95_ms": last["monitor"]["city"]["p95_ms"],
        "monitor.screen_p95_ms": last["monitor"]["screen"]["p95_ms"],
        "storage.bytes_per_case": last["storage"]["bytes_per_case"],
    }
    growth = [
        {
            "cases": p["cases"],
            "inbox.p50_ms": p["inbox"]["app"]["p50_ms"],
            "inbox.p99_ms": p["inbox"]["app"]["p99_ms"],
            "inbox.floor_p99_ms": p["inbox"]["floor"]["p99_ms"],
            "inbox.raw_p99_ms": p["inbox"]["raw"]["p99_ms"],
            "scan.open_cases": p["scan"]["open_cases"],
            "scan.full_s": p["scan"]["full_s"],
            "scan.day_change_s": p["scan"]["day_change_s"],
            "scan.idle_s": p["scan"]["idle_s"],
            "scan.idle_rows_written": p["scan"]["idle_rows"],
            "scan.raw_s": p["scan"]["raw_s"],
            "monitor.region_p95_ms": p["monitor"]["region"]["p95_ms"],
            "monitor.city_p95_ms": p["monitor"]["city"]["p95_ms"],
            "monitor.screen_p95_ms": p["monitor"]["screen"]["p95_ms"],
            "storage.bytes_per_case": p["storage"]["bytes_per_case"],
        }
        for p in results["growth"]
    ]
    checks = {} if smoke else {k: _check(flat.get(k), *t) for k, t in TARGETS.items()}
    report = {
        **flat,
        "growth": growth,
        "targets": checks,
        "smoke": smoke,
        "typical_case": TYPICAL,
        "machine": machine(),
        "loadgen_cpu_share": {
            "submit_app": sub["app"]["loadgen_cpu_share"],
            "inbox_app": last["inbox"]["app"]["loadgen_cpu_share"],
            "monitor_region": last["monitor"]["region"]["loadgen_cpu_share"],
        },
        "detail": {
            "submit": sub,
            "bundles": bundles,
            "delivery": delivery,
            "pushes": pushes,
            "journeys": jr,
            "inbox_max_rate_steps": steps,
            "search": search,
            "stats": stats,
            "growth": results["growth"],
        },
        "ran_at": time.strftime("%Y-%m-%d %H:%M:%S %z"),
        "duration_s": round(time.time() - started),
        **source,
    }
    report["samples"] = samples(report)
    RESULTS.mkdir(parents=True, exist_ok=True)
    name = "smoke" if smoke else "latest"
    (RESULTS / f"{name}.json").write_text(
        json.dumps(report, indent=2, ensure_ascii=False, default=str) + "\n"
    )
    table = render_table(report)
    (RESULTS / f"{name}.md").write_text(table)
    print(table)
    shutil.rmtree(tmp, ignore_errors=True)
    return 0


def again(args) -> int:
    """Re-measure some workloads on the kept database (migrated first) with the code as it
    is now; the figures replace those of the largest size in latest.json, which says so."""
    tmp = Path(tempfile.mkdtemp(prefix="shenpi-bench-"))
    env = database_env(args.database, str(tmp / "media"))
    subprocess.run(
        [sys.executable, "manage.py", "migrate", "--noinput", "-v0"], cwd=ROOT, env=env, check=True
    )
    setup_django(env)
    path = RESULTS / "latest.json"
    report = json.loads(path.read_text())
    last = report["detail"]["growth"][-1]
    growth = report["growth"][-1]
    creds = credentials()
    workloads = args.again.split(",")
    if "search" in workloads or "scan" in workloads:
        from .consult_data import generate_consultation

        generate_consultation(log=log)  # once: a database made before there were any
    with (
        Server("config.wsgi:application", APP_PORT, env, "config.settings"),
        Server("bench.floor_wsgi:application", FLOOR_PORT, env, "bench.floor_settings"),
    ):
        probe = cpu_probe()
        log(f"--- again at {case_count():,} cases: {workloads} (CPU probe {probe} ms)")
        if "storage" in workloads:
            last["storage"] = storage()
            report["storage.bytes_per_case"] = growth["storage.bytes_per_case"] = last["storage"][
                "bytes_per_case"
            ]
        if "submit" in workloads:
            sub = report["detail"]["submit"] = run_submissions(creds, 2000, 8, tmp, args.database)
            report.update(submit_figures(sub))
        if "bundles" in workloads:
            bundles = report["detail"]["bundles"] = run_bundles(creds, 500, 8)
            report.update(bundle_figures(bundles))
        if "exchange" in workloads:
            with exchange.Receiver() as receiver:
                watcher = exchange.subscribe("bench-lag", receiver, from_start=False)
                with exchange.Deliverer(dict(env, DJANGO_SETTINGS_MODULE="config.settings")):
                    sub = report["detail"]["submit"] = run_submissions(
                        creds, 2000, 8, tmp, args.database
                    )
                    time.sleep(3)
                sub["outbox_lag"] = exchange.outbox_lag(watcher)
                delivery = report["detail"]["delivery"] = exchange.run_delivery(receiver)
            pushes = report["detail"]["pushes"] = exchange.run_pushes(500, 8)
            report.update(submit_figures(sub))
            report.update(exchange_figures(sub, delivery, pushes))
        if "journeys" in workloads:
            jr = report["detail"]["journeys"] = run_journeys(creds, False)
            report.update(journey_figures(jr))
        if "scan" in workloads:
            last["scan"] = scan = run_scan()
            for key in ("full_s", "day_change_s", "idle_s", "raw_s", "open_cases"):
                report[f"scan.{key}"] = growth[f"scan.{key}"] = scan[key]
            for key in ("open_questions", "questions_day_change_s"):
                report[f"scan.{key}"] = scan[key]
            report["scan.idle_rows_written"] = growth["scan.idle_rows_written"] = scan["idle_rows"]
            for key in ("day_change_rows", "day_change_wal_bytes", "day"):
                report[f"scan.{key}"] = scan[key]
        if "inbox" in workloads:
            last["inbox"] = inbox = run_inbox(creds, 100, 60, tmp, args.database)
            report["inbox.p50_ms"] = growth["inbox.p50_ms"] = inbox["app"]["p50_ms"]
            report["inbox.p99_ms"] = growth["inbox.p99_ms"] = inbox["app"]["p99_ms"]
            report["inbox.floor_p99_ms"] = growth["inbox.floor_p99_ms"] = inbox["floor"]["p99_ms"]
            report["inbox.raw_p99_ms"] = growth["inbox.raw_p99_ms"] = inbox["raw"]["p99_ms"]
            first = report["growth"][0]["inbox.p99_ms"]
            report["inbox.growth_p99"] = round(inbox["app"]["p99_ms"] / first, 2)
            log(f"inbox: the highest open-loop rate with p99 within {INBOX_P99_MS} ms")
            rate, steps = inbox_max_rate(creds, 15, MAX_RATES)
            report["inbox.max_rate"] = rate
            report["detail"]["inbox_max_rate_steps"] = steps
        if "search" in workloads:
            search = report["detail"]["search"] = run_search(100, 60, tmp, args.database)
            report.update(search_figures(search))
        if "stats" in workloads:
            stats = report["detail"]["stats"] = run_stats(creds, 20, 60, tmp, args.database)
            report.update(stats_figures(stats))
        if "monitor" in workloads:
            last["monitor"] = monitor = run_monitor(creds, 1000)
            for name in ("region", "city", "screen"):
                key = f"monitor.{name}_p95_ms"
                report[key] = growth[key] = monitor[name]["p95_ms"]
    source = provenance()
    report.setdefault("remeasured", []).append(
        {
            "workloads": workloads,
            "at": time.strftime("%Y-%m-%d %H:%M:%S %z"),
            "commit": source["commit"][:12],
            "tree_clean": source["tree_clean"],
            "cpu_probe_ms": probe,
        }
    )
    report["samples"] = samples(report)
    report["targets"] = {k: _check(report.get(k), *t) for k, t in TARGETS.items()}
    path.write_text(json.dumps(report, indent=2, ensure_ascii=False, default=str) + "\n")
    table = render_table(report)
    (RESULTS / "latest.md").write_text(table)
    print(table)
    shutil.rmtree(tmp, ignore_errors=True)
    return 0


def _check(value, op, target):
    if value is None:
        return {"value": None, "target": f"{op} {target}", "met": False}
    met = {"<=": value <= target, ">=": value >= target, "==": value == target}[op]
    return {"value": value, "target": f"{op} {target}", "met": met}


def _rounds(r: dict) -> str:
    """'; median of 3 rounds: full 6.4–7.9, day change 4.7–5.2, idle 0.22–0.3' (the
    largest size's scan rounds, when there were several)."""
    rounds = r["detail"]["growth"][-1]["scan"].get("rounds", [])
    if len(rounds) < 2:
        return ""

    def spread(key):
        values = [one[key] for one in rounds]
        return f"{min(values)}–{max(values)}"

    return (
        f"; median of {len(rounds)} rounds: full {spread('full_s')}, "
        f"day change {spread('day_change_s')}, idle {spread('idle_s')}"
    )


def _probes(r: dict) -> str:
    """The CPU probe at each phase of the run ("—" for a run made before there was one)."""
    parts = [f"{p['cases']:,} cases {p.get('cpu_probe_ms', '—')}" for p in r["detail"]["growth"]]
    parts.append(f"submissions {r['detail']['submit'].get('cpu_probe_ms', '—')}")
    parts += [f"re-measured {a.get('cpu_probe_ms', '—')}" for a in r.get("remeasured", [])]
    return ", ".join(parts)


def render_table(r: dict) -> str:
    m = r["machine"]
    lines = [
        f"Shenpi benchmark — {r['ran_at']} ({'smoke, no targets' if r['smoke'] else 'full'}, {r['duration_s']} s)"
        f" at commit {r.get('commit', '?')[:12]}{'' if r.get('tree_clean') else ' (tree CHANGED)'}",
        "",
        f"Machine: {m['cpu']}, {m['cores']} cores, {m['memory']}; PostgreSQL {m['postgresql']} "
        f"(shared_buffers {m['shared_buffers']}); Python {m['python']}; gunicorn {m['gunicorn_workers']} sync workers",
        "",
        f"CPU probe (ms for a fixed pure-Python loop; lower is faster): {_probes(r)}",
        "",
        "| workload | app | floor (bare Django) | raw (PostgreSQL) | target |",
        "|---|---|---|---|---|",
    ]
    t = r.get("targets", {})

    def mark(key):
        c = t.get(key)
        return "" if not c else (f"{c['target']} {'met' if c['met'] else 'MISSED'}")

    d = r["detail"]["submit"]
    lines += [
        f"| submissions/s (8 clients) | {r['submit.app_per_s']} | {r['submit.floor_per_s']} | {r['submit.raw_per_s']} | ratio to floor {r['submit.ratio_floor']} {mark('submit.ratio_floor')} |",
        f"| submission p50 / p99 ms | {d['app']['p50_ms']} / {d['app']['p99_ms']} | {d['floor']['p50_ms']} / {d['floor']['p99_ms']} | {d['raw']['p50_ms']} / {d['raw']['p99_ms']} | errors {r['submit.errors']} {mark('submit.errors')} |",
        f"| events delivered/s by one worker to a local receiver ({r.get('detail', {}).get('delivery', {}).get('events', '—')} events) | {r.get('exchange.delivered_per_s', '—')} | | the same POSTs in a bare loop: {r.get('exchange.raw_per_s', '—')} | ratio to raw {r.get('exchange.ratio_raw', '—')} |",
        f"| outbox lag p50 / p99 ms during the submissions (commit to delivery; undelivered) | {r.get('exchange.lag_p50_ms', '—')} / {r.get('exchange.lag_p99_ms', '—')} ({r.get('exchange.lag_undelivered', '—')}) | | | {mark('exchange.lag_p99_ms')}; {mark('exchange.lag_undelivered')} |",
        f"| lower-level pushes/s (created, then accepted; 8 clients) | {r.get('push.app_per_s', '—')} | {r.get('push.floor_per_s', '—')} | | ratio to floor {r.get('push.ratio_floor', '—')}; p99 {r.get('push.p99_ms', '—')} ms; {mark('push.errors')} |",
        f"| bundle applications/s (3 items, 6 uploads, 8 materials; 8 clients) | {r.get('bundle.app_per_s', '—')} | {r.get('bundle.floor_per_s', '—')} | | ratio to floor {r.get('bundle.ratio_floor', '—')}; p50 / p99 {r.get('bundle.p50_ms', '—')} / {r.get('bundle.p99_ms', '—')} ms; errors {r.get('bundle.errors', '—')} |",
        f"| inbox p50 / p99 ms at {r['growth'][-1]['cases']:,} cases | {r['inbox.p50_ms']} / {r['inbox.p99_ms']} | — / {r['inbox.floor_p99_ms']} | — / {r['inbox.raw_p99_ms']} | {mark('inbox.p99_ms')} |",
        f"| inbox highest rate with p99 ≤ {INBOX_P99_MS} ms (Poisson arrivals) | {r['inbox.max_rate']}/s | | | |",
        f"| inbox p99 growth (largest / smallest) | {r['inbox.growth_p99']} | | | {mark('inbox.growth_p99')} |",
        f"| deadline scan full / day change / idle s ({r['scan.open_cases']:,} open{_rounds(r)}) | {r['scan.full_s']} / {r['scan.day_change_s']} / {r['scan.idle_s']} | | classify {r['scan.raw_s']} | {mark('scan.full_s')}; {mark('scan.day_change_s')}; {mark('scan.idle_s')} |",
        f"| idle scan rows written (PostgreSQL's count) | {r['scan.idle_rows_written']} | | | {mark('scan.idle_rows_written')} |",
        f"| questions' share of the day change s ({r.get('scan.open_questions', '—')} open questions, in the scan above) | {r.get('scan.questions_day_change_s', '—')} | | | |",
        f"| FAQ search p95 ms ({r.get('search.faqs', '—')} FAQ, open loop, first page of 20) | {r.get('search.p95_ms', '—')} | {r.get('search.floor_p95_ms', '—')} | {r.get('search.raw_p95_ms', '—')} | {mark('search.p95_ms')} |",
        f"| statistics p95 ms (20/s, this year): head's 本部门统计 / leader's 决策辅助 | {r.get('stats.department_p95_ms', '—')} / {r.get('stats.leader_p95_ms', '—')} | | one aggregate over cases (counts only) {r.get('stats.cases_aggregate_p95_ms', '—')} at 20/s; {r.get('stats.cases_aggregate_alone_ms', '—')} alone | {mark('stats.department_p95_ms')}; {mark('stats.leader_p95_ms')} |",
        f"| day change rows / WAL bytes written (PostgreSQL's count), after the day's work {r.get('scan.day', '—')} | {r.get('scan.day_change_rows', '—')} / {r.get('scan.day_change_wal_bytes', '—')} | | | |",
        f"| monitoring p95 ms region / city / screen | {r['monitor.region_p95_ms']} / {r['monitor.city_p95_ms']} / {r['monitor.screen_p95_ms']} | | | {mark('monitor.region_p95_ms')} |",
        f"| storage bytes per case | {r['storage.bytes_per_case']} | | | {mark('storage.bytes_per_case')} |",
    ]
    j = r["detail"].get("journeys")
    if j:
        pages = " / ".join(f"{name} {page['p95_ms']}" for name, page in j["pages"].items())
        login, ad, same = j["login"], j["accept_decide"], j["same_step"]
        lines += [
            f"| page p95 ms (4 clients): {pages} | errors {r['pages.errors']} | | | {mark('pages.errors')} |",
            f"| logins/s (8 clients; Argon2 {login['argon2_ms']} ms, {login['argon2_cpu_ms']} ms of CPU a check) | {login['per_s']} (p95 {login['p95_ms']} ms) | Argon2 alone on {r['machine']['cores']} cores: {login['argon2_limit_per_s']} | | ratio {login['ratio_argon2']}; {mark('login.errors')} |",
            f"| accept / decide per s (PDF notices, licence; 4 clients) | {ad['accept']['per_s']} / {ad['decide']['per_s']} (p95 {ad['accept']['p95_ms']} / {ad['decide']['p95_ms']} ms); both {ad['accept_and_decide_per_s']}/s | | | {mark('accept_decide.errors')} |",
            f"| one step, two officials at once ({same['pairs']} times) | {same['outcomes']} | | | {mark('same_step.one_wins_each_time')} |",
        ]
    lines += [
        "",
        "Growth:",
        "",
        "| cases | inbox p50 / p99 ms (floor p99, raw p99) | scan full / day / idle s (raw) | monitor p95 ms region / city / screen | bytes/case |",
        "|---|---|---|---|---|",
    ]
    for g in r["growth"]:
        lines.append(
            f"| {g['cases']:,} | {g['inbox.p50_ms']} / {g['inbox.p99_ms']} ({g['inbox.floor_p99_ms']}, {g['inbox.raw_p99_ms']}) "
            f"| {g['scan.full_s']} / {g['scan.day_change_s']} / {g['scan.idle_s']} ({g['scan.raw_s']}) "
            f"| {g['monitor.region_p95_ms']} / {g['monitor.city_p95_ms']} / {g['monitor.screen_p95_ms']} | {g['storage.bytes_per_case']} |"
        )
    share = r["loadgen_cpu_share"]
    for again in r.get("remeasured", []):
        lines += [
            "",
            f"Re-measured at the largest size on {again['at']} (commit {again['commit']}): "
            f"{', '.join(again['workloads'])}; the growth rows above the last keep the full run's code.",
        ]
    lines += [
        "",
        f"Load generator's share of the machine's CPU: submissions {share['submit_app']}, inbox {share['inbox_app']}, monitoring {share['monitor_region']}.",
        f"Typical generated case: {r['typical_case']}.",
        "",
    ]
    return "\n".join(lines)


if __name__ == "__main__":
    sys.exit(main())
