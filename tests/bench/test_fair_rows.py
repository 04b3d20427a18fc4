"""The benchmark's floor and raw limit write exactly the rows the application writes for a
one-request submission (issue: a comparison that flatters the app is a bug): the same
tables, the same number of rows in each."""

import json
import re

import pytest
from django.db import connection
from django.test import RequestFactory
from django.utils import timezone

from bench import floor_views
from bench.run import SUBMIT_ITEM, submission_files
from bench.sql import PGBENCH_SUBMIT
from shenpi.accounts.constants import AccountType, ClientAction
from shenpi.accounts.models import User
from shenpi.cases import numbering, records
from shenpi.catalog.models import Item
from shenpi.common import personal
from shenpi.common.fields import held
from tests.api.test_api import make_client

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="the floor and pgbench speak PostgreSQL"
    ),
]


def row_counts() -> dict:
    tables = connection.introspection.table_names()
    with connection.cursor() as cursor:
        out = {}
        for table in tables:
            cursor.execute(f'SELECT count(*) FROM "{table}"')
            out[table] = cursor.fetchone()[0]
    return out


def written(before: dict) -> dict:
    after = row_counts()
    return {t: after[t] - before.get(t, 0) for t in after if after[t] != before.get(t, 0)}


def run_pgbench_script(script: str, variables: dict) -> None:
    """The pgbench script's statements on this test's connection (inside its transaction,
    so they roll back with it): meta-commands done by hand, BEGIN/COMMIT left to the test."""
    values = dict(variables, r=7)
    statements, lines = [], []
    for line in script.splitlines():
        if line.startswith("\\set"):
            continue
        lines.append(line)
        if line.rstrip().endswith((";", "\\gset")):
            statements.append("\n".join(lines).strip())
            lines = []
    with connection.cursor() as cursor:
        for statement in statements:
            gset = statement.endswith("\\gset")
            statement = statement.removesuffix("\\gset").strip().rstrip(";")
            if statement in ("BEGIN", "COMMIT"):
                continue
            sql = re.sub(
                r"(?<!:):([a-z_][a-z0-9_]*)",
                # As pgbench does: a name it does not know is left as written.
                lambda m: str(values.get(m.group(1), m.group(0))).replace("%", "%%"),
                statement,
            )
            cursor.execute(sql)
            if gset:
                names = [d[0] for d in cursor.description]
                values.update(zip(names, cursor.fetchone(), strict=True))


@pytest.fixture
def bench_setup():
    item = Item.objects.get(code=SUBMIT_ITEM)
    client, auth = make_client(
        department=item.department.code,
        actions=[ClientAction.CASE_SUBMIT, ClientAction.CASE_READ],
    )
    applicant = User.objects.create(
        username="bench-fair",
        real_name="申请人甲",
        id_number="640104198507160019",
        mobile="13895001234",
        email="fair@example.cn",
        account_type=AccountType.PERSON,
    )
    applicant = User.objects.get(pk=applicant.pk)  # its sealed numbers as stored
    version = item.current
    requirements = list(version.materials.filter(required=True).values_list("pk", flat=True))
    fields = {
        "item": item.code,
        "applicant_code": "640104198507160019",
        "applicant_name": "申请人甲",
        "form": json.dumps(
            {f["key"]: "12" if f.get("type") == "number" else "黄河" for f in version.form_fields},
            ensure_ascii=False,
        ),
        "declaration": "true",
    }
    return item, client, auth, applicant, requirements, fields


def test_floor_and_raw_write_the_rows_the_app_writes(client, bench_setup, settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)
    item, system_client, auth, applicant, requirements, fields = bench_setup
    files = submission_files(requirements, seed=3)

    def multipart():
        data = dict(fields)
        for name, (filename, content_type, content) in files.items():
            from django.core.files.uploadedfile import SimpleUploadedFile

            data[name] = SimpleUploadedFile(filename, content, content_type=content_type)
        return data

    # The day's counter exists already (the day's first submission makes it, whichever side
    # sends it): each of the three then draws by updating it.
    numbering.case_number(item.department.division, records.local_date(timezone.now()))
    before = row_counts()
    response = client.post(
        "/api/v1/cases/submit/", multipart(), HTTP_IDEMPOTENCY_KEY="fair-app", **auth
    )
    assert response.status_code == 201, response.content
    app = written(before)

    before = row_counts()
    request = RequestFactory().post(
        "/floor/submit/", multipart(), HTTP_IDEMPOTENCY_KEY="fair-floor", **auth
    )
    response = floor_views.submit(request)
    assert response.status_code == 201, response.content
    floor = written(before)

    before = row_counts()
    version = item.current
    run_pgbench_script(
        PGBENCH_SUBMIT,
        {
            "division": f"'{item.department.division_id}'",
            "department": f"'{item.department_id}'",
            "item": f"'{item.pk}'",
            "version": f"'{version.pk}'",
            "applicant": applicant.pk,
            "applicant_code": f"'{held(applicant, 'id_number').token}'",
            "applicant_mobile": f"'{held(applicant, 'mobile').token}'",
            "applicant_email": f"'{personal.seal(applicant.email)}'",
            "client_id": 0,
            "sysclient": f"'{system_client.pk}'",
            "m1": requirements[0],
            "m2": requirements[1],
            "m3": requirements[2],
        },
    )
    raw = written(before)

    assert len(requirements) == 3
    assert app["cases_case"] == 1 and app["cases_casematerial"] == 3
    assert "cases_counter" not in app
    assert floor == app
    assert raw == app


def test_the_bundle_floor_writes_the_rows_the_app_writes(client, settings, tmp_path):
    """一件事一次办: three items, six merged uploads, eight materials — the app's bundle
    application and the floor's, the same tables and the same number of rows in each."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from bench.bundle_data import bench_bundle, bundle_form
    from shenpi.catalog.bundles import bundle_items, combined_form, merged_materials
    from tests.api.test_api import token_for

    settings.MEDIA_ROOT = str(tmp_path)
    bundle = bench_bundle()
    items = bundle_items(bundle)
    assert len(items) == 3 and len(merged_materials(items)) == 6
    files = submission_files(range(6), seed=5)
    form = json.dumps(bundle_form(combined_form(items), 1), ensure_ascii=False)

    def multipart():
        data = {"form": form, "declaration": "true"}
        for n, (filename, content_type, content) in enumerate(files.values()):
            data[f"m_{n}"] = SimpleUploadedFile(filename, content, content_type=content_type)
        return data

    token = token_for(client, "zhangsan")
    for division in {item.department.division for item in items}:
        numbering.case_number(division, records.local_date(timezone.now()))
    before = row_counts()
    path = f"/api/v1/bundles/{bundle.code}/applications/"
    response = client.post(path, multipart(), HTTP_IDEMPOTENCY_KEY="fair-bundle-app", **token)
    assert response.status_code == 201, response.content
    app = written(before)

    before = row_counts()
    request = RequestFactory().post(
        f"/floor/bundles/{bundle.code}/", multipart(), HTTP_IDEMPOTENCY_KEY="fair-bundle-floor",
        **token,
    )  # fmt: skip
    response = floor_views.bundle(request, bundle.code)
    assert response.status_code == 201, response.content
    floor = written(before)
    assert app == floor
    assert app["cases_case"] == 3 and app["cases_casematerial"] == 8


def test_the_push_floor_writes_the_rows_the_app_writes(client):
    """两级平台: a lower-level platform's push creating a case, then bringing it to accepted —
    the app's and the floor's, the same tables and the same number of rows in each."""
    from bench.exchange import push_body, signed_headers
    from shenpi.accounts.models import Division
    from shenpi.exchange.models import Subscriber

    sides = {}
    for side in ("app", "floor"):
        system, auth = make_client(division="640104", actions=["case.push"])
        system.name = f"fair-push-{side}"
        system.save()
        sides[side] = (auth, Subscriber.objects.create(client=system, url="").secret)
    numbering.case_number(Division.objects.get(code="640104"), records.local_date(timezone.now()))
    counts = {}
    for side, (auth, secret) in sides.items():
        for version in (1, 2):
            raw = push_body(f"{side}-1", version)
            headers = {
                f"HTTP_{k.upper().replace('-', '_')}": v
                for k, v in signed_headers(secret, raw).items()
            }
            before = row_counts()
            if side == "app":
                response = client.put(
                    f"/api/v1/lower-cases/{side}-1/",
                    raw,
                    content_type="application/json",
                    **auth,
                    **headers,
                )
            else:
                request = RequestFactory().put(
                    f"/floor/lower-cases/{side}-1/",
                    raw,
                    content_type="application/json",
                    **auth,
                    **headers,
                )
                response = floor_views.push(request, f"{side}-1")
            assert response.status_code == (201 if version == 1 else 200), response.content
            counts[(side, version)] = written(before)
    assert counts[("app", 1)]["cases_case"] == 1 and counts[("app", 1)]["exchange_event"] == 1
    assert counts[("app", 2)]["cases_caseevent"] == 1
    assert counts[("floor", 1)] == counts[("app", 1)]
    assert counts[("floor", 2)] == counts[("app", 2)]
