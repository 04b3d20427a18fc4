"""The mixed day: every kind of request at once, arriving as people's do (Poisson), with
the deadline scan running beside them, at the region's load and at multiples of it until a
target fails.

The 1× load, from stated yearly volumes (README "The load"):

- 7.2 million people make 0.2 applications a person a year: 1.44 million a year, over 250
  working days of 8 hours, the peak hour twice the average one: 1,440 an hour, 0.4 a second.
- Each application brings, over its life, page views by its applicant (3 of the home page,
  5 of the guide, 5 of the application form, 5 of "my cases", 5 of the case page, 2
  trackings), officials' reads (10 of the inbox through the API, 4 of the intake desk, 6
  of the case page) and 3 logins (2 by the applicant, 1 by an official).

So at 1×, a second of the peak hour holds 0.4 submissions and 19.2 other requests.
"""

from __future__ import annotations

import threading
import time

from .journeys import LOGIN_PASSWORD, SLT_ITEM, address_of, csrf_pair, form_post
from .load import build_get, open_loop_mixed, percentile

SUBMISSIONS_PER_S = 1_440_000 * 2 / 250 / 8 / 3600  # 0.4
PER_APPLICATION = {
    "home": 3,
    "guide": 5,
    "apply_form": 5,
    "my_cases": 5,
    "case_page_applicant": 5,
    "tracking": 2,
    "inbox_api": 10,
    "intake_desk": 4,
    "case_page_official": 6,
    "login": 3,
}
TARGET_P99_MS = {"submission": 500}  # every other kind: PAGE_P99_MS
PAGE_P99_MS = 300


def rates(multiple: float) -> dict:
    """Requests a second of each kind at `multiple` × the region's peak-hour load."""
    out = {"submission": SUBMISSIONS_PER_S * multiple}
    for kind, per in PER_APPLICATION.items():
        out[kind] = SUBMISSIONS_PER_S * per * multiple
    return out


def make_pick(host: str, port: int, who: dict, submissions, inbox_keys: list):
    """The request picker for open_loop_mixed: each arrival's kind by its share of the load."""
    applicant = {"Cookie": f"sessionid={who['applicant']}"}
    official = {"Cookie": f"sessionid={who['official']}"}
    fixed = {
        "home": build_get(host, "/", {}),
        "guide": build_get(host, f"/guide/{SLT_ITEM}/", {}),
        "apply_form": build_get(host, f"/apply/{SLT_ITEM}/", applicant),
        "my_cases": build_get(host, "/my/cases/", applicant),
        "case_page_applicant": build_get(host, f"/cases/{who['my_case']}/", applicant),
        "intake_desk": build_get(host, "/desk/intake/", official),
        "case_page_official": build_get(host, f"/cases/{who['official_case']}/", official),
    }
    inbox = [
        build_get(host, "/api/v1/tasks/", {"Authorization": f"Bearer {k}"}) for k in inbox_keys
    ]
    track_cookie, track_token = csrf_pair(host, port, "/track/")
    login_cookie, login_token = csrf_pair(host, port, "/accounts/login/")
    number, password = who["track"]
    shares = rates(1.0)
    total = sum(shares.values())
    table, acc = [], 0.0
    for kind, rate in shares.items():
        acc += rate / total
        table.append((acc, kind))

    def pick(n: int, rng):
        x = rng.random()
        kind = next((k for edge, k in table if x <= edge), table[-1][1])
        if kind == "submission":
            return kind, submissions(n), (201,)
        if kind == "inbox_api":
            return kind, inbox[n % len(inbox)], (200,)
        if kind == "tracking":
            return kind, form_post(
                host, "/track/",
                {"csrfmiddlewaretoken": track_token, "number": number, "password": password},
                {"Cookie": f"csrftoken={track_cookie}", "X-Forwarded-For": address_of(n)},
            ), (200,)  # fmt: skip
        if kind == "login":
            return kind, form_post(
                host, "/accounts/login/",
                {"csrfmiddlewaretoken": login_token, "username": who["login"][n % len(who["login"])],
                 "password": LOGIN_PASSWORD},
                {"Cookie": f"csrftoken={login_cookie}", "X-Forwarded-For": address_of(n)},
            ), (302,)  # fmt: skip
        return kind, fixed[kind], (200,)

    return pick, sum(shares.values())


class ScanBeside:
    """The deadline scan every `every` seconds in a thread of its own (its own database
    connection) while a step runs, as the scheduler runs it beside the day's traffic."""

    def __init__(self, every: float):
        self.every, self.stop, self.runs = every, threading.Event(), []

    def _loop(self):
        from django.db import connection

        from shenpi.supervision.scan import scan_deadlines

        try:
            while not self.stop.wait(self.every):
                started = time.perf_counter()
                scan_deadlines()
                self.runs.append(round(time.perf_counter() - started, 3))
        finally:
            connection.close()

    def __enter__(self):
        self.thread = threading.Thread(target=self._loop, daemon=True)
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.stop.set()
        self.thread.join(120)
        return False


def ladder(host, port, who, submissions, inbox_keys, *, seconds, multiples, log):
    """1×, 2×, 4× … each for `seconds`: per kind p50 / p95 / p99 and errors; stops after the
    first step where a p99 target fails or any request errs, naming what broke first. When
    the first step already fails, it steps down (½×, ¼×, ⅛×) to the load that holds."""
    pick, per_second = make_pick(host, port, who, submissions, inbox_keys)
    steps, reached, broke = [], None, None
    multiples = list(multiples)
    down = [multiples[0] / 2, multiples[0] / 4, multiples[0] / 8]
    while multiples:
        multiple = multiples.pop(0)
        rate = per_second * multiple
        with ScanBeside(every=min(60.0, max(5.0, seconds / 5))) as scan:
            results, whole = open_loop_mixed(
                host, port, pick, rate=rate, seconds=seconds, seed=int(multiple * 10)
            )
        kinds = {}
        failed = []
        for kind, result in sorted(results.items()):
            summary = result.summary()
            summary["p99_target_ms"] = TARGET_P99_MS.get(kind, PAGE_P99_MS)
            kinds[kind] = summary
            if result.errors:
                failed.append(f"{kind}: {result.errors} errors ({result.first_error[:120]!r})")
            elif summary["p99_ms"] > summary["p99_target_ms"]:
                failed.append(f"{kind}: p99 {summary['p99_ms']} ms > {summary['p99_target_ms']}")
        everything = [ms for result in results.values() for ms in result.latencies_ms]
        step = {
            "multiple": multiple,
            "rate_per_s": round(rate, 1),
            "requests": sum(len(r.latencies_ms) + r.errors for r in results.values()),
            "p99_ms_all": round(percentile(everything, 99), 1),
            "loadgen_cpu_share": whole.summary()["loadgen_cpu_share"],
            "scans_s": scan.runs,
            "kinds": kinds,
            "failed": failed,
        }
        steps.append(step)
        log(f"  mixed {multiple}× ({step['rate_per_s']}/s): "
            f"{ {k: v['p99_ms'] for k, v in kinds.items()} } failed: {failed}")  # fmt: skip
        if failed:
            broke = broke or failed
            if reached is None and down:  # not even this: a lighter load, until one holds
                multiples = [down.pop(0)]
                continue
            break
        reached = multiple
        if steps[0]["failed"]:  # stepping down: the first that holds is the answer
            break
    return {"steps": steps, "held_multiple": reached, "broke_first": broke}
