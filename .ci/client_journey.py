"""The generated client's journey (issue 25): a Python client generated from the platform's
OpenAPI schema with openapi-python-client drives a whole case through a live server, as
other systems would. A department system submits a case with its materials, accepts it,
completes its steps, decides and delivers in the names of its officials; a subscriber
receives the signed events in order and checks their signatures; a county's own system
pushes a case it handles itself, signed; the region's supervisor reads it.

    .venv/bin/python .ci/client_journey.py postgres://postgres@127.0.0.1:5432

Runs on a seeded throwaway PostgreSQL database behind gunicorn; the deliverer runs in this
process, as one worker would. Prints each step; exits 1 on the first that fails.
"""

from __future__ import annotations

import importlib
import io
import json
import os
import subprocess
import sys
import tempfile
import time
import urllib.request
import uuid
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PG_ROOT = sys.argv[1] if len(sys.argv) > 1 else "postgres://postgres@127.0.0.1:5432"
DB = "shenpi_client_journey"
PORT = 18767
BASE = f"http://127.0.0.1:{PORT}"
PASSWORD = "Shenpi#2026"
CHINA = timezone(timedelta(hours=8))
ENV = {**os.environ, "DATABASE_URL": f"{PG_ROOT}/{DB}", "SHENPI_DEMO": "1"}


def step(text: str) -> None:
    print(f"  · {text}", flush=True)


def check(condition, message: str) -> None:
    if not condition:
        print(f"FAILED: {message}", flush=True)
        sys.exit(1)


def prepare_database() -> None:
    run = {"cwd": ROOT, "env": ENV, "check": True}
    subprocess.run(["dropdb", "-h", "127.0.0.1", "-U", "postgres", "--if-exists", DB], **run)
    subprocess.run(["createdb", "-h", "127.0.0.1", "-U", "postgres", DB], **run)
    subprocess.run([sys.executable, "manage.py", "migrate", "-v", "0"], **run)
    subprocess.run(
        [sys.executable, "manage.py", "seed_demo"],
        **run,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def serve() -> subprocess.Popen:
    server = subprocess.Popen(
        [str(ROOT / ".venv/bin/gunicorn"), "config.wsgi:application", "-c",
         "config/gunicorn.conf.py", "--bind", f"127.0.0.1:{PORT}", "--workers", "2"],
        cwd=ROOT, env=ENV, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        start_new_session=True,
    )  # fmt: skip
    for _ in range(60):
        try:
            urllib.request.urlopen(f"{BASE}/healthz", timeout=2)
            return server
        except OSError:
            time.sleep(1)
    server.terminate()
    sys.exit("the server did not start")


def generate_client(where: Path):
    """The client generated from the live server's schema, imported."""
    schema = where / "schema.json"
    schema.write_bytes(urllib.request.urlopen(f"{BASE}/api/v1/schema/?format=json").read())
    out = where / "shenpi_client"
    generated = subprocess.run(
        [str(ROOT / ".venv/bin/openapi-python-client"), "generate", "--path", str(schema),
         "--output-path", str(out), "--meta", "none"],
        env={**os.environ, "PATH": f"{ROOT / '.venv/bin'}:{os.environ['PATH']}"},
        capture_output=True, text=True,
    )  # fmt: skip
    if generated.returncode:
        print(generated.stdout[-3000:], generated.stderr[-3000:])
        sys.exit("openapi-python-client failed")
    # The file downloads (PDF, XLSX) have no typed answer; everything else must generate.
    warned = generated.stdout.count("WARNING parsing")
    skipped = generated.stdout.count("Unsupported content_type")
    check(warned == skipped, f"the generator could not read an operation:\n{generated.stdout}")
    sys.path.insert(0, str(where))
    client = importlib.import_module("shenpi_client")
    import pkgutil

    operations = importlib.import_module("shenpi_client.api")
    modules = [m.name for m in pkgutil.walk_packages(operations.__path__, "shenpi_client.api.")]
    for name in modules:
        importlib.import_module(name)  # every operation's module imports
    client.operation_count = len([m for m in modules if m.count(".") == 3])
    return client


def api(client_module, path: str):
    return importlib.import_module(f"shenpi_client.api.{path}")


def main() -> int:
    import logging

    logging.getLogger("httpx").setLevel(logging.WARNING)
    print("the generated client's journey", flush=True)
    prepare_database()
    os.environ.update({"DATABASE_URL": ENV["DATABASE_URL"], "SHENPI_DEMO": "1"})
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from bench.run import submission_files
    from shenpi.accounts.models import Department, Division, SystemClient
    from shenpi.accounts.services import system_client_issue_key
    from shenpi.catalog.models import Item
    from shenpi.exchange import signing
    from shenpi.exchange.models import Subscriber
    from shenpi.exchange.services import exchange_deliver
    from tests.exchange.receiver import Receiver

    server = serve()
    work = Path(tempfile.mkdtemp(prefix="shenpi-client-"))
    try:
        sc = generate_client(work)
        step(f"client generated from {BASE}/api/v1/schema/: {sc.operation_count} operations")
        models = importlib.import_module("shenpi_client.models")
        from shenpi_client.types import File

        with Receiver() as receiver:
            department = SystemClient(
                name="journey-department-system",
                department=Department.objects.get(code="yc-scjg"),
                allowed_actions=["case.submit", "case.read", "case.act"],
            )
            department_key = system_client_issue_key(department)
            department.save()
            subscription = Subscriber.objects.create(client=department, url=receiver.url)
            county = SystemClient(
                name="journey-county-system",
                division=Division.objects.get(code="640104"),
                allowed_actions=["case.push", "case.read"],
            )
            county_key = system_client_issue_key(county)
            county.save()
            county_secret = Subscriber.objects.create(client=county, url="").secret

            system = sc.AuthenticatedClient(base_url=BASE, token=department_key)
            item = Item.objects.get(code="640100-SCJG-001")
            required = item.current.materials.filter(required=True).values_list("pk", flat=True)
            body = models.CasesSubmitOneRequestBody(
                item=item.code,
                applicant_code="640104199003071236",
                applicant_name="张三",
                form=json.dumps(
                    {"applicant_name": "张三餐饮", "contact": "张三", "phone": "13895000001",
                     "premises": "银川市金凤区", "business_type": "餐饮服务经营者",
                     "scope": "热食类食品制售", "area": "80"}, ensure_ascii=False),
                declaration=True,
            )  # fmt: skip
            for name, (filename, mime, content) in submission_files(list(required), 7).items():
                body[name] = File(payload=io.BytesIO(content), file_name=filename, mime_type=mime)
            answer = api(sc, "cases.cases_submit_one_request").sync_detailed(
                client=system, body=body
            )
            check(answer.status_code == 201, f"submit: {answer.status_code} {answer.content[:300]}")
            case_id = answer.parsed.id
            step(f"submitted with {len(required)} materials: {answer.parsed.number}")

            answer = api(sc, "cases.case_accept").sync_detailed(
                id=case_id, client=system, body=models.AcceptInRequest(official="yc_scjg_off1")
            )
            check(answer.status_code == 200, f"accept: {answer.status_code} {answer.content[:300]}")
            step(f"accepted: {answer.parsed.status}")
            for key in ("first_review", "review", "second_review"):
                case = api(sc, "cases.cases_retrieve").sync(id=case_id, client=system)
                task = next(t for t in case.tasks if t.step_key == key and t.status == "open")
                if key == "review":
                    # Two people (Art. 34 ¶3): claimed by one official, checked by another.
                    for operation, official in (("claim", "yc_scjg_off1"),
                                                ("verify", "yc_scjg_off2")):  # fmt: skip
                        answer = api(sc, f"tasks.task_{operation}").sync_detailed(
                            id=task.id,
                            client=system,
                            body=getattr(models, f"{operation.title()}InRequest")(
                                official=official
                            ),
                        )
                        check(answer.status_code == 200, f"{operation}: {answer.status_code}")
                answer = api(sc, "tasks.task_complete").sync_detailed(
                    id=task.id,
                    client=system,
                    body=models.CompleteInRequest(opinion="符合条件", official="yc_scjg_off1"),
                )
                check(
                    answer.status_code == 200, f"{key}: {answer.status_code} {answer.content[:300]}"
                )
                step(f"step {key} completed")
            answer = api(sc, "cases.case_decide").sync_detailed(
                id=case_id,
                client=system,
                body=models.DecideInRequest(
                    outcome=models.DecisionOutcomeEnum.GRANTED, official="yc_scjg_head"
                ),
            )
            check(answer.status_code == 200, f"decide: {answer.status_code} {answer.content[:300]}")
            answer = api(sc, "cases.case_deliver").sync_detailed(
                id=case_id,
                client=system,
                body=models.DeliverInRequest(
                    method=models.DeliverInMethodEnum.ONLINE, official="yc_scjg_off1"
                ),
            )
            check(
                answer.status_code == 200, f"deliver: {answer.status_code} {answer.content[:300]}"
            )
            step(
                f"decided and delivered: {answer.parsed.status}, licence {answer.parsed.licence['number']}"
            )

            sent = exchange_deliver(seconds=30)
            mine = [r for r in receiver.received if r["event"]["subject"] == f"cases/{case_id}"]
            types = [r["event"]["type"].removeprefix("cn.shenpi.") for r in mine]
            expected = ["case.submit", "case.accept", "task.complete", "task.claim",
                        "task.verify", "task.complete", "task.complete", "case.decide",
                        "case.deliver"]  # fmt: skip
            check(types == expected, f"events in order: {types}")
            for message in mine:
                signing.verify([subscription.secret], message["headers"], message["body"])
            sequences = [r["event"]["sequence"] for r in mine]
            check(sequences == sorted(sequences), "sequences ascend")
            step(f"{sent} events delivered, signed and in order: {', '.join(types)}")

        def sign(request):
            request.read()
            for name, value in signing.sign(
                [county_secret], uuid.uuid4().hex, request.content
            ).items():
                request.headers[name] = value

        county_system = sc.AuthenticatedClient(
            base_url=BASE, token=county_key, httpx_args={"event_hooks": {"request": [sign]}}
        )
        push = api(sc, "lower_cases.lower_case_push")
        pushed = models.LowerCaseInRequest(
            version=1, item="640104-SCJG-001", item_version=1, department="xq-scjg",
            applicant_name="李四", applicant_code="640102198512150023",
            status=models.LowerCaseInStatusEnum("processing"),
            received_at=datetime(2026, 12, 7, 9, 0, tzinfo=CHINA),
            accepted_at=datetime(2026, 12, 7, 10, 0, tzinfo=CHINA),
            statutory_due=date(2027, 1, 5), promised_due=date(2026, 12, 21),
        )  # fmt: skip
        answer = push.sync_detailed(source_id="XQ-JOURNEY-1", client=county_system, body=pushed)
        check(answer.status_code == 201, f"push: {answer.status_code} {answer.content[:300]}")
        again = push.sync_detailed(source_id="XQ-JOURNEY-1", client=county_system, body=pushed)
        check(again.status_code == 200, f"the same push again: {again.status_code}")
        step(
            f"the county pushed its own case: {answer.parsed.number}, version {answer.parsed.version}"
        )

        token = api(sc, "auth.auth_token_create").sync_detailed(
            client=sc.Client(base_url=BASE),
            body=models.TokenInRequest(username="nx_jc_sup", password=PASSWORD),
        )
        check(token.status_code in (200, 201), f"supervisor's token: {token.status_code}")
        supervisor = sc.AuthenticatedClient(base_url=BASE, token=token.parsed.token)
        seen = api(sc, "cases.cases_retrieve").sync_detailed(id=answer.parsed.id, client=supervisor)
        check(seen.status_code == 200, f"the region reads it: {seen.status_code}")
        check(seen.parsed.source_system == "journey-county-system", "marked with its system")
        listed = api(sc, "cases.cases_list").sync(
            client=supervisor, status=models.CasesListStatus("processing")
        )
        numbers = {c.number for c in listed.results}
        check(answer.parsed.number in numbers, "the region's list of cases in progress holds it")
        step("the region's supervisor sees it, marked as the county's own")
    finally:
        server.terminate()
        subprocess.run(["pkill", "-f", f"gunicorn config.wsgi:application .*127.0.0.1:{PORT}"])
        from django.db import connections

        connections.close_all()
        subprocess.run(["dropdb", "-h", "127.0.0.1", "-U", "postgres", "--if-exists", DB])
    print("the generated client's journey: passed", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
