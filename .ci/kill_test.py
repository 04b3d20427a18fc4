"""Durability under worker kills (issue 29): one-request submissions over HTTP to gunicorn
on a throwaway PostgreSQL database while worker processes are killed (SIGKILL). Clients
retry with the same Idempotency-Key until they have an answer, as a department system
would. Afterwards every acknowledged case must be whole (its materials, their files, its
audit), no case may exist that no client learned the number of, and every key's answers
must be one number.

Usage: .venv/bin/python .ci/kill_test.py postgres://user@host:port
"""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parents[1]
DB, PORT = "shenpi_kill", 18767
URL = f"http://127.0.0.1:{PORT}"
SUBMISSIONS, CLIENTS, KILLS = 120, 8, 10
FORM = {
    "applicant_name": "张三餐饮",
    "contact": "张三",
    "phone": "13895000001",
    "premises": "银川市金凤区",
    "business_type": "餐饮服务经营者",
    "scope": "热食类食品制售",
    "area": "80",
}


def manage(env, *args, **kwargs):
    return subprocess.run(
        [str(ROOT / ".venv/bin/python"), "manage.py", *args],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
        text=True,
        **kwargs,
    ).stdout


SETUP = """
from shenpi.accounts.models import Department, SystemClient
from shenpi.accounts.services import system_client_issue_key
from shenpi.catalog.demo_forms import application_pdf
from shenpi.catalog.models import Item
import base64, json
client = SystemClient(name="kill-test", allowed_actions=["case.submit", "case.read"],
                      department=Department.objects.get(code="yc-scjg"))
key = system_client_issue_key(client)
client.save()
item = Item.objects.get(code="640100-SCJG-001")
required = [r.pk for r in item.current.materials.filter(required=True)]
pdf = base64.b64encode(application_pdf("材料", "测试", [("a", "b")], sample=False)).decode()
print(json.dumps({"key": key, "required": required, "pdf": pdf}))
"""

CHECK = """
import json, os
from shenpi.audit.models import AuditRecord
from shenpi.cases.models import Case
acknowledged = set(json.loads(os.environ["ACKNOWLEDGED"]))
required = set(json.loads(os.environ["REQUIRED"]))
cases = Case.objects.filter(submitted_by_client__name="kill-test").prefetch_related("materials")
numbers = {c.number for c in cases}
half = []
for case in cases:
    kinds = {m.requirement_id for m in case.materials.all()}
    files = all(m.file and os.path.exists(m.file.path) for m in case.materials.all())
    audited = AuditRecord.objects.filter(stream=f"case:{case.pk}", action="case.submit").exists()
    if kinds != required or not files or not audited:
        half.append(case.number)
print(json.dumps({"committed": len(numbers), "unknown": sorted(numbers - acknowledged),
                  "missing": sorted(acknowledged - numbers), "half": half}))
"""


def main(pg_root: str) -> int:
    media = tempfile.mkdtemp(prefix="shenpi-kill-media-")
    env = {
        **os.environ,
        "DATABASE_URL": f"{pg_root}/{DB}",
        "SHENPI_DEMO": "1",
        "MEDIA_ROOT": media,
        "WEB_CONCURRENCY": "4",
    }
    subprocess.run(["dropdb", "-h", "127.0.0.1", "-U", "postgres", "--if-exists", DB], check=False)
    subprocess.run(["createdb", "-h", "127.0.0.1", "-U", "postgres", DB], check=True)
    manage(env, "migrate", "-v", "0")
    manage(env, "seed_demo")
    setup = json.loads(manage(env, "shell", "-c", SETUP).strip().splitlines()[-1])
    import base64

    pdf = base64.b64decode(setup["pdf"])
    server = subprocess.Popen(
        [str(ROOT / ".venv/bin/gunicorn"), "config.wsgi:application", "-c",
         "config/gunicorn.conf.py", "--bind", f"127.0.0.1:{PORT}"],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        start_new_session=True,
    )  # fmt: skip
    try:
        for _ in range(60):
            try:
                if requests.get(f"{URL}/healthz", timeout=2).ok:
                    break
            except requests.RequestException:
                time.sleep(1)
        return run(server, setup, pdf, env)
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)
        subprocess.run(
            ["dropdb", "-h", "127.0.0.1", "-U", "postgres", "--if-exists", DB], check=False
        )


def run(server, setup, pdf, env) -> int:
    answers: dict[str, set[str]] = {}
    lost, retries, lock = [], [0], threading.Lock()
    queue = list(range(SUBMISSIONS))
    done = threading.Event()

    def submit_one():
        key = str(uuid.uuid4())
        data = {
            "item": "640100-SCJG-001",
            "applicant_code": "640104199003071236",
            "applicant_name": "张三",
            "form": json.dumps(FORM, ensure_ascii=False),
            "declaration": "true",
        }
        for attempt in range(40):
            files = {f"m_{r}": (f"材料{r}.pdf", pdf, "application/pdf") for r in setup["required"]}
            try:
                response = requests.post(
                    f"{URL}/api/v1/cases/submit/",
                    data=data,
                    files=files,
                    headers={"Authorization": f"Bearer {setup['key']}", "Idempotency-Key": key},
                    timeout=30,
                )
            except requests.RequestException:
                response = None
            if response is not None and response.status_code == 201:
                with lock:
                    answers.setdefault(key, set()).add(response.json()["number"])
                    retries[0] += attempt
                return
            time.sleep(0.2 + random.random() * 0.3)  # a connection cut by a kill, or a 5xx
        with lock:
            lost.append(key)

    def client():
        while True:
            with lock:
                if not queue:
                    return
                queue.pop()
            submit_one()

    def killer():
        # Paced by progress, not by the clock: a kill each time another eleventh of the
        # submissions has been answered, so that all KILLS land while submissions are in
        # flight however fast the machine is.
        kills = 0
        while kills < KILLS and not done.is_set():
            time.sleep(0.05 + random.random() * 0.1)
            with lock:
                answered = len(answers)
            if answered < (kills + 1) * SUBMISSIONS // (KILLS + 1):
                continue
            workers = subprocess.run(
                ["pgrep", "-P", str(server.pid)], capture_output=True, text=True
            ).stdout.split()
            if workers:
                os.kill(int(random.choice(workers)), signal.SIGKILL)
                kills += 1
        return kills

    killed = [0]
    kill_thread = threading.Thread(target=lambda: killed.__setitem__(0, killer()))
    threads = [threading.Thread(target=client) for _ in range(CLIENTS)]
    started = time.perf_counter()
    kill_thread.start()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    done.set()
    kill_thread.join()
    seconds = time.perf_counter() - started
    acknowledged = sorted(n for numbers in answers.values() for n in numbers)
    check = json.loads(
        manage(
            {
                **env,
                "ACKNOWLEDGED": json.dumps(acknowledged),
                "REQUIRED": json.dumps(setup["required"]),
            },
            "shell",
            "-c",
            CHECK,
        )
        .strip()
        .splitlines()[-1]
    )
    twice = [k for k, numbers in answers.items() if len(numbers) > 1]
    print(
        f"kill test: {SUBMISSIONS} submissions by {CLIENTS} clients in {seconds:.0f} s, "
        f"{killed[0]} workers killed, {retries[0]} retries; acknowledged {len(acknowledged)}, "
        f"committed {check['committed']}, committed but never acknowledged "
        f"{len(check['unknown'])}, acknowledged but missing {len(check['missing'])}, "
        f"half-cases {len(check['half'])}, keys answered with two numbers {len(twice)}, "
        f"gave up {len(lost)}"
    )
    bad = (
        check["unknown"] or check["missing"] or check["half"] or twice or lost
        or killed[0] < KILLS or len(acknowledged) != SUBMISSIONS
    )  # fmt: skip
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
