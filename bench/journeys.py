"""What people wait for beyond the API's hot paths: the HTML pages, logging in, an
official accepting and deciding with their PDF notices and the licence, two officials
acting on one step at once. Each through the running server, as its users reach it:
sessions and cookies, CSRF tokens, their own addresses (behind the one trusted proxy a
deployment has: README), the production password hasher."""

from __future__ import annotations

import json
import re
import time
import urllib.parse
import urllib.request

from .load import Result, build_get, build_post, closed_loop, concurrent_pair

SLT_ITEM = "640000-SLT-001"
OFFICIAL, SECOND_OFFICIAL, HEAD = "nx_slt_off1", "nx_slt_off2", "nx_slt_head"
LOGIN_PEOPLE = 16
LOGIN_PASSWORD = "Bench-login-2026"


def address_of(n: int) -> str:
    """A citizen's address (X-Forwarded-For): 10.0.0.0/8, one per request."""
    return f"10.{(n >> 16) & 255}.{(n >> 8) & 255}.{n & 255}"


def people() -> dict:
    """Sessions for an applicant with many cases and for the item's official; passwords
    (Argon2, the production hasher) for the people who log in; API tokens for acting."""
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.auth.hashers import make_password
    from django.db.models import Count
    from django.utils.module_loading import import_string

    from shenpi.accounts.models import User
    from shenpi.accounts.services import api_token_create
    from shenpi.cases.models import Case

    store = import_string(settings.SESSION_ENGINE + ".SessionStore")

    def session(user) -> str:
        one = store()
        one[SESSION_KEY] = str(user.pk)
        one[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
        one[HASH_SESSION_KEY] = user.get_session_auth_hash()
        one.create()
        return one.session_key

    # Passwords first: a session carries a hash of its user's password.
    login_people = list(
        User.objects.filter(username__startswith="bench-").order_by("pk")[:LOGIN_PEOPLE]
    )
    password = make_password(LOGIN_PASSWORD)  # one Argon2 hash for them all: the cost is per check
    User.objects.filter(pk__in=[u.pk for u in login_people]).update(password=password)
    busiest = (
        Case.objects.filter(applicant__username__startswith="bench-")
        .values("applicant")
        .annotate(n=Count("id"))
        .order_by("-n")
        .first()
    )
    applicant = User.objects.get(pk=busiest["applicant"])
    official = User.objects.get(username=OFFICIAL)
    mine = Case.objects.filter(applicant=applicant).exclude(status="draft").first()
    theirs = Case.objects.filter(department=official.department, status="processing").first()
    tracked = Case.objects.exclude(status="draft").exclude(number=None).first()
    tokens = {}
    for username in (OFFICIAL, SECOND_OFFICIAL, HEAD):
        tokens[username] = api_token_create(user=User.objects.get(username=username))[1]
    return {
        "applicant": session(applicant),
        "official": session(official),
        "my_case": str(mine.pk),
        "official_case": str(theirs.pk) if theirs else str(mine.pk),
        "track": (tracked.number, tracked.query_password),
        "login": [u.username for u in login_people],
        "tokens": tokens,
    }


def csrf_pair(host: str, port: int, path: str) -> tuple[str, str]:
    """(cookie, form token) from a GET of a form page: Django accepts the pair on every
    POST of this client (the token is masked afresh per page; the secret is the cookie's)."""
    with urllib.request.urlopen(f"http://{host}:{port}{path}") as response:
        cookie = re.search(r"csrftoken=([^;]+)", response.headers.get("Set-Cookie", "")).group(1)
        body = response.read().decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', body).group(1)
    return cookie, token


def form_post(host: str, path: str, fields: dict, headers: dict) -> bytes:
    body = urllib.parse.urlencode(fields).encode()
    return build_post(host, path, body, "application/x-www-form-urlencoded", headers)


def json_post(host: str, path: str, data: dict, token: str) -> bytes:
    body = json.dumps(data, ensure_ascii=False).encode()
    return build_post(host, path, body, "application/json", {"Authorization": f"Bearer {token}"})


def run_pages(host: str, port: int, who: dict, requests: int) -> dict:
    """Each page `requests` times, 4 clients at once: p50 / p95 / p99 per page."""
    applicant = {"Cookie": f"sessionid={who['applicant']}"}
    official = {"Cookie": f"sessionid={who['official']}"}
    pages = {
        "home": ("/", {}),
        "guide": (f"/guide/{SLT_ITEM}/", {}),
        "apply_form": (f"/apply/{SLT_ITEM}/", applicant),
        "my_cases": ("/my/cases/", applicant),
        "case_page_applicant": (f"/cases/{who['my_case']}/", applicant),
        "intake_desk": ("/desk/intake/", official),
        "case_page_official": (f"/cases/{who['official_case']}/", official),
    }
    out = {}
    for name, (path, headers) in pages.items():
        payload = build_get(host, path, headers)
        closed_loop(host, port, lambda n, p=payload: p, clients=2, total=4)  # warm-up
        result = closed_loop(host, port, lambda n, p=payload: p, clients=4, total=requests)
        out[name] = result.summary()
        if result.errors:
            out[name]["first_error"] = result.first_error[:300]
    # Public tracking: the number and query password posted from the tracking page, each
    # request from its own address (the page allows an address ten lookups in ten minutes).
    cookie, token = csrf_pair(host, port, "/track/")
    number, password = who["track"]

    def tracking(n: int) -> bytes:
        return form_post(
            host,
            "/track/",
            {"csrfmiddlewaretoken": token, "number": number, "password": password},
            {"Cookie": f"csrftoken={cookie}", "X-Forwarded-For": address_of(n)},
        )

    result = closed_loop(host, port, tracking, clients=4, total=requests)
    out["tracking"] = result.summary()
    if result.errors:
        out["tracking"]["first_error"] = result.first_error[:300]
    return out


def argon2_cost() -> tuple[float, float]:
    """One Argon2 verification in this process, the best of five: (wall ms, CPU ms). The
    hasher runs its lanes on threads (parallelism), so one check can use several cores:
    the CPU time, summed over them, is what bounds a machine's logins a second."""
    import resource

    from django.contrib.auth.hashers import check_password, make_password

    def cpu():
        usage = resource.getrusage(resource.RUSAGE_SELF)
        return usage.ru_utime + usage.ru_stime

    encoded = make_password(LOGIN_PASSWORD)
    wall, spent = float("inf"), float("inf")
    for _ in range(5):
        started, used = time.perf_counter(), cpu()
        check_password(LOGIN_PASSWORD, encoded)
        wall = min(wall, time.perf_counter() - started)
        spent = min(spent, cpu() - used)
    return round(wall * 1000, 1), round(spent * 1000, 1)


def run_login(host: str, port: int, who: dict, total: int, cores: int) -> dict:
    """Logins (password, Argon2, the lockout's bookkeeping, a new session) from many
    addresses, 8 clients at once, beside what Argon2 alone allows on this machine's cores."""
    cookie, token = csrf_pair(host, port, "/accounts/login/")
    names = who["login"]

    def login(n: int) -> bytes:
        return form_post(
            host,
            "/accounts/login/",
            {
                "csrfmiddlewaretoken": token,
                "username": names[n % len(names)],
                "password": LOGIN_PASSWORD,
            },  # fmt: skip
            {"Cookie": f"csrftoken={cookie}", "X-Forwarded-For": address_of(n)},
        )

    result = closed_loop(host, port, login, clients=8, total=total, ok=(302,))
    out = result.summary()
    if result.errors:
        out["first_error"] = result.first_error[:300]
    wall, cpu = argon2_cost()
    out["argon2_ms"], out["argon2_cpu_ms"] = wall, cpu
    out["argon2_limit_per_s"] = round(cores * 1000 / cpu, 1)
    out["ratio_argon2"] = round(out["per_s"] / out["argon2_limit_per_s"], 3)
    return out


def run_accept_decide(host: str, port: int, who: dict, limit: int) -> dict:
    """The official accepts received cases (the acceptance notice, a PDF), the steps between
    are done in process (not timed), and the head decides them (the decision, a PDF, and
    the licence): each side 4 clients at once, through the API."""
    from shenpi.accounts.models import User
    from shenpi.cases import services
    from shenpi.cases.models import Case, Task

    # The cases the app received in the submission phase (this run's or an earlier one's:
    # a re-measure makes a new client), with their materials on disk.
    cases = list(
        Case.objects.filter(
            item__code=SLT_ITEM,
            status="received",
            channel="api",
            submitted_by_client__name__startswith="bench-",
            materials__isnull=False,
        )
        .distinct()
        .values_list("pk", flat=True)[:limit]
    )
    official, head = who["tokens"][OFFICIAL], who["tokens"][HEAD]

    def accept(n: int) -> bytes:
        return json_post(host, f"/api/v1/cases/{cases[n - 1]}/acceptance/", {}, official)  # fmt: skip

    accepted = closed_loop(host, port, accept, clients=4, total=len(cases))
    actor = User.objects.get(username=OFFICIAL)
    ready = []
    for case in Case.objects.filter(pk__in=cases, status="processing"):
        for key in ("first_review", "review", "second_review"):
            task = Task.objects.get(case=case, step_key=key)
            services.task_complete(actor=actor, task=task, opinion="符合条件。")
        ready.append(case.pk)

    def decide(n: int) -> bytes:
        return json_post(host, f"/api/v1/cases/{ready[n - 1]}/decision/",
                          {"outcome": "granted"}, head)  # fmt: skip

    decided = closed_loop(host, port, decide, clients=4, total=len(ready))
    out = {"accept": accepted.summary(), "decide": decided.summary()}
    for name, result in (("accept", accepted), ("decide", decided)):
        if result.errors:
            out[name]["first_error"] = result.first_error[:300]
    a, d = out["accept"]["per_s"], out["decide"]["per_s"]
    out["accept_and_decide_per_s"] = round(1 / (1 / a + 1 / d), 1) if a and d else 0
    return out


def run_same_step(host: str, port: int, who: dict, pairs: int) -> dict:
    """Two officials complete the same step at the same moment, `pairs` times: exactly one
    may succeed and the other be told (409), never both, never a failure."""
    from shenpi.accounts.models import User
    from shenpi.cases.models import Task

    department = User.objects.get(username=OFFICIAL).department
    tasks = list(
        Task.objects.filter(
            department=department, role="official", status="open", case__status="processing"
        ).values_list("pk", flat=True)[:pairs]
    )
    first, second = who["tokens"][OFFICIAL], who["tokens"][SECOND_OFFICIAL]
    outcomes: dict = {}
    latencies = Result()
    for task in tasks:
        body = {"opinion": "同意。"}
        path = f"/api/v1/tasks/{task}/completion/"
        (s1, ms1), (s2, ms2) = concurrent_pair(
            host, port, json_post(host, path, body, first), json_post(host, path, body, second)
        )
        key = "+".join(sorted((str(s1), str(s2))))
        outcomes[key] = outcomes.get(key, 0) + 1
        latencies.latencies_ms += [ms1, ms2]
    right = outcomes.get("200+409", 0)
    return {
        "pairs": len(tasks),
        "outcomes": outcomes,
        "one_wins_each_time": right == len(tasks),
        "p50_ms": latencies.summary()["p50_ms"],
        "p99_ms": latencies.summary()["p99_ms"],
    }
