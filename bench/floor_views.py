"""The floor's two views: the same inserts as a one-request submission, and the same
query as the first inbox page, in raw SQL with no middleware, no ORM, no DRF."""

import hashlib
import json
import os
import secrets
import uuid
from datetime import UTC, datetime, timedelta
from types import SimpleNamespace

from django.conf import settings
from django.db import connection, transaction
from django.http import HttpResponse, JsonResponse
from django.urls import path
from django.utils import timezone

from bench.sql import (
    FAQ_BY_IDS,
    FAQ_ELSEWHERE,
    FAQ_IN_TITLE,
    FAQ_SEARCH_SQL,
    FAQ_WINDOW,
    FAQ_WINDOW_ELSEWHERE,
    FAQ_WINDOW_IN_TITLE,
    HALL_BOARD_SQL,
    INBOX_SQL,
)
from shenpi.audit.hashing import record_hash
from shenpi.common import personal

_item: dict = {}


def _item_rows(code):
    if code not in _item:
        with connection.cursor() as c:
            c.execute(
                "SELECT i.id, v.id, d.id, d.division_id FROM catalog_item i "
                "JOIN catalog_itemversion v ON v.item_id = i.id AND v.status = 'published' "
                "JOIN accounts_department d ON d.id = i.department_id WHERE i.code = %s",
                [code],
            )
            item_id, version_id, department_id, division_id = c.fetchone()
            c.execute(
                "SELECT id FROM catalog_materialrequirement WHERE version_id = %s AND required",
                [version_id],
            )
            required = {str(r[0]) for r in c.fetchall()}
        _item[code] = (item_id, version_id, department_id, division_id, required)
    return _item[code]


_codes: dict = {}


def _event_row(case_id, number, now, item_id, version_id, department_id, division_id, channel):
    """The exchange's event of a submission (cases/published.py), as the app writes it."""
    if item_id not in _codes:
        with connection.cursor() as c:
            c.execute(
                "SELECT i.code, v.number, d.code FROM catalog_item i "
                "JOIN catalog_itemversion v ON v.id = %s "
                "JOIN accounts_department d ON d.id = %s WHERE i.id = %s",
                [version_id, department_id, item_id],
            )
            _codes[item_id] = c.fetchone()
    item_code, version_number, department_code = _codes[item_id]
    data = {
        "case": str(case_id), "number": number, "status": "received", "outcome": None,
        "item": item_code, "item_version": version_number, "department": department_code,
        "division": division_id, "channel": channel, "received_at": now.isoformat(),
        "accepted_at": None, "statutory_due": None, "promised_due": None,
        "action": "case.submit",
    }  # fmt: skip
    return ("case.submit", f"cases/{case_id}", division_id, department_id, now,
            json.dumps(data, ensure_ascii=False))  # fmt: skip


EVENT_INSERT = (
    "INSERT INTO exchange_event (type, subject, division, department, time, data) "
    "VALUES (%s, %s, %s, %s, %s, %s)"
)


def _bearer(request):
    header = request.META.get("HTTP_AUTHORIZATION", "")
    return hashlib.sha256(header[7:].encode()).hexdigest() if header.startswith("Bearer ") else ""


def _audit_row(stream, seq, at, action, case_id, detail, prev, client_id, label):
    """A case-stream audit row chained with the platform's own record hash."""
    record = SimpleNamespace(
        stream=stream, seq=seq, at=at, actor_id=None, actor_label=label,
        client_id=client_id, ip=None, action=action, object_type="case",
        object_id=str(case_id), outcome="success", detail=detail, alg="sha256",
    )  # fmt: skip
    digest = record_hash(record, prev)
    detail_text = json.dumps(detail, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return (stream, seq, at, label, action, "case", str(case_id), "success",
            detail_text, "sha256", bytes.fromhex(digest), client_id), digest  # fmt: skip


IDEMPOTENCY_WINDOW = timedelta(hours=24)


def submit(request):
    """What the app's one-request submission writes, row for row (tests/bench/
    test_fair_rows.py holds the two together): the key's record, the case, its materials
    and files, the timeline entry, the audit stream and its records, the exchange's event,
    the applicant's message and the SMS and e-mail of it. The number is drawn before the transaction, in a
    statement of its own, as the app draws it (cases/numbering.py)."""
    key = _bearer(request)
    with connection.cursor() as c:
        c.execute(
            "SELECT id, name FROM accounts_systemclient WHERE key_hash = %s AND is_active", [key]
        )
        row = c.fetchone()
    if row is None:
        return JsonResponse({"detail": "令牌无效"}, status=401)
    client_id, client_name = row
    principal, label = f"client:{client_id}", f"client:{client_name}"
    idempotency_key = request.META.get("HTTP_IDEMPOTENCY_KEY", "")
    form = json.loads(request.POST.get("form") or "{}")
    item_id, version_id, department_id, division_id, required = _item_rows(request.POST["item"])
    # The applicant by the keyed digest of the ID number; the case copies the sealed
    # number and mobile as they are (common/personal.py).
    code = request.POST["applicant_code"]
    with connection.cursor() as c:
        c.execute(
            "SELECT id, id_number, mobile, email FROM accounts_user WHERE id_number_digest = %s",
            [personal.digest(code)],
        )
        applicant_id, sealed_code, sealed_mobile, email = c.fetchone()
    now = datetime.now(UTC)
    today = timezone.localdate(now)  # case numbers carry the local day (TIME_ZONE)
    case_id = uuid.uuid4()
    materials = []
    for field, upload in request.FILES.items():
        data = upload.read()
        extension = "pdf" if upload.content_type == "application/pdf" else "jpg"
        name = f"materials/{now:%Y/%m}/{uuid.uuid4().hex}.{extension}"
        target = os.path.join(settings.MEDIA_ROOT, name)
        os.makedirs(os.path.dirname(target), exist_ok=True)
        with open(target, "wb") as f:
            f.write(data)
        materials.append((uuid.uuid4(), name, upload.name, upload.content_type, len(data),
                          hashlib.sha256(data).hexdigest(), now, int(field[2:])))  # fmt: skip
    stream = f"case:{case_id}"
    with connection.cursor() as c:
        c.execute(
            "INSERT INTO cases_counter (key, last) VALUES (%s, 1) "
            "ON CONFLICT (key) DO UPDATE SET last = cases_counter.last + 1 RETURNING last",
            [f"case:{division_id}:{today:%Y%m%d}"],
        )
        number = f"{division_id}{today:%Y%m%d}{c.fetchone()[0]:05d}"
    password = secrets.token_hex(4).upper()
    title = f"申请已收件（{number}）"
    body = f"您申请的事项已收件，办件编号 {number}，查询密码 {password}。"
    answer = {"id": str(case_id), "number": number}
    with transaction.atomic(), connection.cursor() as c:
        if idempotency_key:
            # The key claimed as the app claims it (api/idempotency.py): one upsert that
            # takes over a record older than the window.
            c.execute(
                "INSERT INTO api_idempotencyrecord (principal, key, method, path, body_hash, "
                "status_code, response_body, created_at) VALUES (%s, %s, 'POST', %s, %s, 0, '', "
                "%s) ON CONFLICT (principal, key) DO UPDATE SET method = excluded.method, "
                "path = excluded.path, body_hash = excluded.body_hash, status_code = 0, "
                "response_body = '', created_at = excluded.created_at "
                "WHERE api_idempotencyrecord.created_at < %s RETURNING id",
                [principal, idempotency_key, request.path,
                 hashlib.sha256(request.POST.urlencode().encode()).hexdigest(), now,
                 now - IDEMPOTENCY_WINDOW],
            )  # fmt: skip
            record_id = c.fetchone()[0]
        c.execute(
            "INSERT INTO cases_case (id, number, query_password, kind, applicant_name, "
            "applicant_code, applicant_mobile, channel, status, outcome, form_data, declaration_at, "
            "received_at, round_received_at, correction_round, correction_due, deemed_accepted, "
            "due_provisional, suspended_days, extension_days, lenient_commitment, "
            "not_accepted_reason, reason_text, competent_organ, delivery_method, tracking_number, "
            "created_at, applicant_id, department_id, division_id, item_id, version_id, "
            "submitted_by_client_id) VALUES "
            "(%s, %s, %s, 'new', %s, %s, %s, 'api', 'received', '', %s, %s, %s, %s, 0, %s, false, "
            "false, 0, 0, '', '', '', '', '', '', %s, %s, %s, %s, %s, %s, %s)",
            [case_id, number, password, request.POST["applicant_name"],
             sealed_code, sealed_mobile,
             json.dumps(form, ensure_ascii=False), now, now, now, today, now, applicant_id,
             department_id, division_id, item_id, version_id, client_id],
        )  # fmt: skip
        c.executemany(
            "INSERT INTO cases_casematerial (id, file, name, content_type, size, sha256, "
            "uploaded_at, round, scanned, case_id, requirement_id) VALUES "
            "(%s, %s, %s, %s, %s, decode(%s, 'hex'), %s, 0, false, %s, %s)",
            [m[:7] + (case_id, m[7]) for m in materials],
        )
        c.execute(
            "INSERT INTO cases_caseevent (at, kind, text, public, breach, case_id, department_id) "
            "VALUES (%s, 'received', '已收件（系统接入），等待预审', true, '', %s, %s)",
            [now, case_id, department_id],
        )
        c.execute(
            "INSERT INTO stats_tally (day, division_id, department_id, item_id, measure, step, "
            "bucket, n, compacted) VALUES (%s, %s, %s, %s, 'received', '', 0, 1, false)",
            [today, division_id, department_id, item_id],
        )
        prev, rows = "", []
        numbered = {"number": number}
        entries = (
            [("case.draft", numbered)]
            + [
                ("case.material.add", {**numbered, "material": m[2], "sha256": m[5]})
                for m in materials
            ]  # fmt: skip
            + [("case.submit", {**numbered, "channel": "api"})]
        )
        for seq, (action, detail) in enumerate(entries, start=1):
            row, prev = _audit_row(stream, seq, now, action, case_id, detail, prev, client_id,
                                   label)  # fmt: skip
            rows.append(row)
        c.execute(
            "INSERT INTO audit_auditstream (name, head_seq, head_hash, checkpointed_seq, "
            "division) VALUES (%s, %s, %s, 0, %s)",
            [stream, len(rows), prev, division_id],
        )
        c.executemany(
            "INSERT INTO audit_auditrecord (stream, seq, at, actor_label, action, object_type, "
            "object_id, outcome, detail, alg, hash, client_id) VALUES "
            "(%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s)",
            rows,
        )
        c.execute(
            EVENT_INSERT,
            _event_row(case_id, number, now, item_id, version_id, department_id, division_id,
                       "api"),
        )  # fmt: skip
        c.execute(
            "INSERT INTO notify_message (title, body, created_at, case_id, user_id) VALUES "
            "(%s, %s, %s, %s, %s)",
            [title, body, now, case_id, applicant_id],
        )
        # The SMS to the sealed mobile as it is; the e-mail address sealed here, as the
        # outbox's field seals it.
        outgoing = []
        if sealed_mobile:
            outgoing.append(("sms", sealed_mobile, "", f"【宁夏网上审批】{title}：{body}"[:300]))
        if email:
            outgoing.append(("email", personal.seal(email), f"宁夏网上审批平台：{title}", body))
        c.executemany(
            'INSERT INTO notify_outbox (channel, "to", subject, body, created_at, attempts, '
            "last_error) VALUES (%s, %s, %s, %s, %s, 0, '')",
            [(*one, now) for one in outgoing],
        )
        if idempotency_key:
            c.execute(
                "UPDATE api_idempotencyrecord SET status_code = 201, response_body = %s "
                "WHERE id = %s",
                [json.dumps(answer), record_id],
            )
    return JsonResponse(answer, status=201)


def inbox(request):
    key = _bearer(request)
    with connection.cursor() as c:
        c.execute(
            "SELECT u.id, o.department_id FROM accounts_apitoken t "
            "JOIN accounts_user u ON u.id = t.user_id "
            "JOIN accounts_office o ON o.id = u.office_id "
            "WHERE t.key_hash = %s AND t.revoked_at IS NULL AND t.expires_at > now()",
            [key],
        )
        row = c.fetchone()
        if row is None:
            return JsonResponse({"detail": "令牌无效"}, status=401)
        c.execute(INBOX_SQL, [row[1]])
        columns = [d[0] for d in c.description]
        results = [dict(zip(columns, r, strict=True)) for r in c.fetchall()]
    body = json.dumps({"next": None, "results": results}, default=str, ensure_ascii=False)
    return HttpResponse(body, content_type="application/json")


FAQ_PAGE = 20  # the app's first page of a FAQ search (shenpi.api.consult.SEARCH_PAGE)


def _faq_part(cursor, tsq, count, *, title, statements) -> list:
    """One part of the page, as the app reads it: its ids among the newest 2,000 FAQ and
    then their rows, or, when those hold fewer than `count`, through the GIN index."""
    where = FAQ_WINDOW_IN_TITLE if title else FAQ_WINDOW_ELSEWHERE
    window = (
        FAQ_WINDOW.format(
            more="" if title else ", f.search_vector AS sv",
            where=where.format(tsq="%s"),
            limit=count,
        ),
        [tsq] * (1 if title else 2),
    )
    statements.append(window)
    cursor.execute(*window)
    ids = [row[0] for row in cursor.fetchall()]
    if len(ids) == count:
        fetch = (FAQ_BY_IDS, [ids])
        statements.append(fetch)
        cursor.execute(*fetch)
        found = {row[0]: row for row in cursor.fetchall()}
        return [found[pk] for pk in ids if pk in found]
    where = FAQ_IN_TITLE if title else FAQ_ELSEWHERE
    full = (
        FAQ_SEARCH_SQL.format(where=where.format(tsq="%s"), limit=count),
        [tsq] * (1 if title else 2),
    )
    statements.append(full)
    cursor.execute(*full)
    return cursor.fetchall()


FAQ_FIELDS = ("id", "title", "answer", "status", "item", "department", "published_at",
              "needs_review")  # fmt: skip


def faq_search_rows(cursor, tsq: str, executed: list | None = None) -> list[dict]:
    """The app's first page for the parsed query `tsq` (shenpi.search.terms.title_first):
    the title matches, then, when they leave room, the others. Each statement run is
    added to `executed` (the raw limit replays them)."""
    statements: list = []
    rows = _faq_part(cursor, tsq, FAQ_PAGE + 1, title=True, statements=statements)
    if len(rows) <= FAQ_PAGE:
        rows += _faq_part(cursor, tsq, FAQ_PAGE - len(rows) + 1, title=False, statements=statements)
    if executed is not None:
        executed.extend(statements)
    return [dict(zip(FAQ_FIELDS, r, strict=True)) for r in rows[:FAQ_PAGE]]


def faqs(request):
    """The FAQ search's first page: the query parsed by the app's own function (jieba, the
    synonyms), then the app's two statements by hand."""
    from shenpi.search.terms import query_terms, tsquery

    terms = query_terms(request.GET.get("q", ""))
    results = []
    if terms:
        with connection.cursor() as c:
            results = faq_search_rows(c, tsquery(terms))
    body = json.dumps(results, default=str, ensure_ascii=False)
    return HttpResponse(body, content_type="application/json")


_bundle: dict = {}


def _bundle_rows(code):
    """The bundle's items as the floor writes them: (item, version, department, division)
    and, for each, its requirements with the merged upload that supplies each."""
    if code not in _bundle:
        with connection.cursor() as c:
            c.execute(
                "SELECT b.id, b.division_id, i.id, v.id, d.id, d.division_id, v.form_fields "
                "FROM catalog_bundle b JOIN catalog_bundleitem bi ON bi.bundle_id = b.id "
                "JOIN catalog_item i ON i.id = bi.item_id "
                "JOIN catalog_itemversion v ON v.id = i.current_id "
                "JOIN accounts_department d ON d.id = i.department_id "
                "WHERE b.code = %s AND b.status = 'published' ORDER BY bi.order, bi.id",
                [code],
            )
            rows = c.fetchall()
            bundle_id, bundle_division = rows[0][:2]
            items, keys = [], []
            for _b, _d, item_id, version_id, dep, division, fields in rows:
                c.execute(
                    "SELECT id, name, library_type FROM catalog_materialrequirement "
                    'WHERE version_id = %s ORDER BY "order", id',
                    [version_id],
                )
                requirements = []
                for requirement_id, name, kind in c.fetchall():
                    key = kind or name  # merged as the catalogue merges (catalog/bundles.py)
                    if key not in keys:
                        keys.append(key)
                    requirements.append((requirement_id, name, keys.index(key)))
                form_keys = [
                    f["key"] for f in (json.loads(fields) if isinstance(fields, str) else fields)
                ]
                items.append((item_id, version_id, dep, division, requirements, form_keys))
        _bundle[code] = (bundle_id, bundle_division, items)
    return _bundle[code]


def _person_audit_row(
    stream, seq, at, action, object_type, object_id, detail, prev, user_id, label
):
    record = SimpleNamespace(
        stream=stream, seq=seq, at=at, actor_id=user_id, actor_label=label, client_id=None,
        ip=None, action=action, object_type=object_type, object_id=str(object_id),
        outcome="success", detail=detail, alg="sha256",
    )  # fmt: skip
    digest = record_hash(record, prev)
    detail_text = json.dumps(detail, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return (stream, seq, at, user_id, label, action, object_type, str(object_id), "success",
            detail_text, "sha256", bytes.fromhex(digest)), digest  # fmt: skip


def bundle(request, code):
    """What the app's bundle application writes (一件事一次办), row for row (tests/bench/
    test_fair_rows.py): the key's record, the application, and for each item its case,
    materials and files (a merged upload written once per case that uses it, as the app
    writes it), timeline entry, rollup row, audit stream and records, message, SMS and
    e-mail; the application's own audit stream and record. A person's token, as the app
    takes it; the numbers drawn before the transaction, each in a statement of its own."""
    key = _bearer(request)
    now = datetime.now(UTC)
    with connection.cursor() as c:
        c.execute(
            "SELECT t.id, t.last_used_at, u.id, u.username, u.real_name, u.id_number, u.mobile, "
            "u.email FROM accounts_apitoken t JOIN accounts_user u ON u.id = t.user_id "
            "WHERE t.key_hash = %s AND t.revoked_at IS NULL AND t.expires_at > %s "
            "AND u.is_active",
            [key, now],
        )
        row = c.fetchone()
        if row is None:
            return JsonResponse({"detail": "令牌无效"}, status=401)
        token_id, last_used, user_id, username, name, sealed_code, sealed_mobile, email = row
        if last_used is None or (now - last_used).total_seconds() > 60:
            c.execute(
                "UPDATE accounts_apitoken SET last_used_at = %s WHERE id = %s", [now, token_id]
            )
    principal = f"user:{user_id}"
    idempotency_key = request.META.get("HTTP_IDEMPOTENCY_KEY", "")
    form = json.loads(request.POST.get("form") or "{}")
    bundle_id, bundle_division, items = _bundle_rows(code)
    today = timezone.localdate(now)
    uploads = {}
    for field, upload in request.FILES.items():
        uploads[int(field[2:])] = (upload.name, upload.content_type, upload.read())
    cases = []
    for item_id, version_id, department_id, division_id, requirements, form_keys in items:
        case_id = uuid.uuid4()
        materials = []
        for requirement_id, requirement_name, merged in requirements:
            original, content_type, data = uploads[merged]
            extension = "pdf" if content_type == "application/pdf" else "jpg"
            name = f"materials/{now:%Y/%m}/{uuid.uuid4().hex}.{extension}"
            target = os.path.join(settings.MEDIA_ROOT, name)
            os.makedirs(os.path.dirname(target), exist_ok=True)
            with open(target, "wb") as f:
                f.write(data)
            materials.append((uuid.uuid4(), name, original, content_type, len(data),
                              hashlib.sha256(data).hexdigest(), now, requirement_id,
                              requirement_name))  # fmt: skip
        with connection.cursor() as c:
            c.execute(
                "INSERT INTO cases_counter (key, last) VALUES (%s, 1) "
                "ON CONFLICT (key) DO UPDATE SET last = cases_counter.last + 1 RETURNING last",
                [f"case:{division_id}:{today:%Y%m%d}"],
            )
            number = f"{division_id}{today:%Y%m%d}{c.fetchone()[0]:05d}"
        own_form = {k: v for k, v in form.items() if k in form_keys}
        cases.append((case_id, number, item_id, version_id, department_id, division_id,
                      materials, own_form))  # fmt: skip
    application_id = uuid.uuid4()
    answer = {"id": str(application_id), "cases": [c[1] for c in cases]}
    with transaction.atomic(), connection.cursor() as c:
        if idempotency_key:
            c.execute(
                "INSERT INTO api_idempotencyrecord (principal, key, method, path, body_hash, "
                "status_code, response_body, created_at) VALUES (%s, %s, 'POST', %s, %s, 0, '', "
                "%s) ON CONFLICT (principal, key) DO UPDATE SET method = excluded.method, "
                "path = excluded.path, body_hash = excluded.body_hash, status_code = 0, "
                "response_body = '', created_at = excluded.created_at "
                "WHERE api_idempotencyrecord.created_at < %s RETURNING id",
                [principal, idempotency_key, request.path,
                 hashlib.sha256(request.POST.urlencode().encode()).hexdigest(), now,
                 now - IDEMPOTENCY_WINDOW],
            )  # fmt: skip
            record_id = c.fetchone()[0]
        c.execute(
            "INSERT INTO cases_bundleapplication (id, delivery, submitted_at, submission_key, "
            "bundle_id, applicant_id) VALUES (%s, 'together', %s, '', %s, %s)",
            [application_id, now, bundle_id, user_id],
        )
        messages, outgoing, streams, audit, events = [], [], [], [], []
        for (
            case_id,
            number,
            item_id,
            version_id,
            department_id,
            division_id,
            materials,
            own_form,
        ) in cases:
            password = secrets.token_hex(4).upper()
            c.execute(
                "INSERT INTO cases_case (id, number, query_password, kind, applicant_name, "
                "applicant_code, applicant_mobile, channel, status, outcome, form_data, "
                "declaration_at, received_at, round_received_at, correction_round, correction_due, "
                "deemed_accepted, due_provisional, suspended_days, extension_days, "
                "lenient_commitment, not_accepted_reason, reason_text, competent_organ, "
                "delivery_method, tracking_number, created_at, applicant_id, department_id, "
                "division_id, item_id, version_id, submitted_by_id, bundle_application_id) VALUES "
                "(%s, %s, %s, 'new', %s, %s, %s, 'online', 'received', '', %s, %s, %s, %s, 0, %s, "
                "false, false, 0, 0, '', '', '', '', '', '', %s, %s, %s, %s, %s, %s, %s, %s)",
                [case_id, number, password, name, sealed_code, sealed_mobile,
                 json.dumps(own_form, ensure_ascii=False), now, now, now, today, now, user_id,
                 department_id, division_id, item_id, version_id, user_id, application_id],
            )  # fmt: skip
            c.executemany(
                "INSERT INTO cases_casematerial (id, file, name, content_type, size, sha256, "
                "uploaded_at, round, scanned, case_id, requirement_id, uploaded_by_id) VALUES "
                "(%s, %s, %s, %s, %s, decode(%s, 'hex'), %s, 0, false, %s, %s, %s)",
                [m[:7] + (case_id, m[7], user_id) for m in materials],
            )
            c.execute(
                "INSERT INTO cases_caseevent (at, kind, text, public, breach, case_id, "
                "department_id, actor_id) VALUES (%s, 'received', '已收件（网上申请），等待预审', "
                "true, '', %s, %s, %s)",
                [now, case_id, department_id, user_id],
            )
            c.execute(
                "INSERT INTO stats_tally (day, division_id, department_id, item_id, measure, "
                "step, bucket, n, compacted) VALUES (%s, %s, %s, %s, 'received', '', 0, 1, false)",
                [today, division_id, department_id, item_id],
            )
            stream, prev = f"case:{case_id}", ""
            numbered = {"number": number}
            entries = (
                [("case.draft", numbered)]
                + [("case.material.add", {**numbered, "material": m[8], "sha256": m[5]})
                   for m in materials]
                + [("case.submit", {**numbered, "channel": "online"})]
            )  # fmt: skip
            for seq, (action, detail) in enumerate(entries, start=1):
                row, prev = _person_audit_row(stream, seq, now, action, "case", case_id, detail,
                                              prev, user_id, username)  # fmt: skip
                audit.append(row)
            streams.append((stream, len(entries), prev, division_id))
            events.append(
                _event_row(case_id, number, now, item_id, version_id, department_id, division_id,
                           "online")
            )  # fmt: skip
            title = f"申请已收件（{number}）"
            body = f"您申请的事项已收件，办件编号 {number}，查询密码 {password}。"
            messages.append((title, body, now, case_id, user_id))
            if sealed_mobile:
                outgoing.append(
                    ("sms", sealed_mobile, "", f"【宁夏网上审批】{title}：{body}"[:300], now)
                )
            if email:
                outgoing.append(
                    ("email", personal.seal(email), f"宁夏网上审批平台：{title}", body, now)
                )
        stream = f"bundle_application:{application_id}"
        row, prev = _person_audit_row(stream, 1, now, "bundle.apply", "bundle_application",
                                      application_id, {"bundle": code, "cases": answer["cases"]},
                                      "", user_id, username)  # fmt: skip
        audit.append(row)
        streams.append((stream, 1, prev, bundle_division))
        c.executemany(
            "INSERT INTO audit_auditstream (name, head_seq, head_hash, checkpointed_seq, "
            "division) VALUES (%s, %s, %s, 0, %s)",
            streams,
        )
        c.executemany(
            "INSERT INTO audit_auditrecord (stream, seq, at, actor_id, actor_label, action, "
            "object_type, object_id, outcome, detail, alg, hash) VALUES "
            "(%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s)",
            audit,
        )
        c.executemany(EVENT_INSERT, events)
        c.executemany(
            "INSERT INTO notify_message (title, body, created_at, case_id, user_id) VALUES "
            "(%s, %s, %s, %s, %s)",
            messages,
        )
        c.executemany(
            'INSERT INTO notify_outbox (channel, "to", subject, body, created_at, attempts, '
            "last_error) VALUES (%s, %s, %s, %s, %s, 0, '')",
            outgoing,
        )
        if idempotency_key:
            c.execute(
                "UPDATE api_idempotencyrecord SET status_code = 201, response_body = %s "
                "WHERE id = %s",
                [json.dumps(answer), record_id],
            )
    return JsonResponse(answer, status=201)


# --- 两级平台: a lower-level platform's push (cases/services/pushing.py), row for row -------

PUSH_KINDS = {"received": ("received", "下级平台收件"), "accepted": ("accepted", "已受理")}


def _push_rows(source, version):
    """The department and the item's version a push names (looked up once, as _item_rows)."""
    key = (source["department"], source["item"], source["item_version"])
    if key not in _item:
        with connection.cursor() as c:
            c.execute(
                "SELECT d.id, d.division_id, v.id, i.id, i.code, v.number, d.code "
                "FROM accounts_department d, catalog_itemversion v "
                "JOIN catalog_item i ON i.id = v.item_id "
                "WHERE d.code = %s AND i.code = %s AND v.number = %s",
                list(key),
            )
            _item[key] = c.fetchone()
    return _item[key]


def _push_event(case_id, number, status, data, department, division, item, at):
    event = {
        "case": str(case_id), "number": number, "status": status, "outcome": None,
        "item": item[0], "item_version": item[1], "department": item[2], "division": division,
        "channel": "lower", "received_at": data["received_at"],
        "accepted_at": data.get("accepted_at"), "statutory_due": data.get("statutory_due"),
        "promised_due": data.get("promised_due"), "action": "case.push",
    }  # fmt: skip
    return ("case.push", f"cases/{case_id}", division, department, at,
            json.dumps(event, ensure_ascii=False))  # fmt: skip


def push(request, source_id):
    """What the app writes for a lower-level platform's push: the signature checked under
    the client's exchange key, the case created (number drawn) or brought up to date, a
    timeline entry and rollup row for each milestone first reported, the audit record
    (its stream made with a new case) and the exchange's event."""
    key = _bearer(request)
    with connection.cursor() as c:
        c.execute(
            "SELECT c.id, c.name, s.secret FROM accounts_systemclient c "
            "JOIN exchange_subscriber s ON s.client_id = c.id AND s.is_active "
            "WHERE c.key_hash = %s AND c.is_active",
            [key],
        )
        row = c.fetchone()
    if row is None:
        return JsonResponse({"detail": "令牌无效"}, status=401)
    client_id, client_name, sealed_secret = row
    body = request.body
    if not _verified(personal.unseal(sealed_secret), request.headers, body):
        return JsonResponse({"detail": "签名无效"}, status=403)
    data = json.loads(body)
    version = data.pop("version")
    department, division, version_id, item_id, *item = _push_rows(data, version)
    fingerprint = hashlib.sha256(
        json.dumps({**data, "version": version}, sort_keys=True, ensure_ascii=False).encode()
    ).hexdigest()
    now = datetime.now(UTC)
    label = f"client:{client_name}"
    with connection.cursor() as c:
        c.execute(
            "SELECT id, number, source_version, status, accepted_at FROM cases_case "
            "WHERE source_client_id = %s AND source_case_id = %s",
            [client_id, source_id],
        )
        found = c.fetchone()
    number = found[1] if found else None
    if found is None:
        with connection.cursor() as c:
            c.execute(
                "SELECT id FROM accounts_user WHERE id_number_digest = %s",
                [personal.digest(data["applicant_code"])],
            )
            applicant_id = c.fetchone()[0]
            today = timezone.localdate(now)
            c.execute(
                "INSERT INTO cases_counter (key, last) VALUES (%s, 1) "
                "ON CONFLICT (key) DO UPDATE SET last = cases_counter.last + 1 RETURNING last",
                [f"case:{division}:{today:%Y%m%d}"],
            )
            number = f"{division}{today:%Y%m%d}{c.fetchone()[0]:05d}"
    with transaction.atomic(), connection.cursor() as c:
        if found is None:
            case_id = uuid.uuid4()
            c.execute(
                "INSERT INTO cases_case (id, number, query_password, kind, applicant_name, "
                "applicant_code, applicant_mobile, channel, status, outcome, form_data, "
                "received_at, round_received_at, accepted_at, statutory_due, promised_due, "
                "correction_round, deemed_accepted, due_provisional, suspended_days, "
                "extension_days, lenient_commitment, not_accepted_reason, reason_text, "
                "competent_organ, delivery_method, tracking_number, created_at, applicant_id, "
                "department_id, division_id, item_id, version_id, submitted_by_client_id, "
                "source_client_id, source_case_id, source_version, source_fingerprint) VALUES "
                "(%s, %s, '', 'new', %s, %s, '', 'lower', %s, '', '{}', %s, %s, %s, %s, %s, 0, "
                "false, false, 0, 0, '', '', '', '', '', '', %s, %s, %s, %s, %s, %s, %s, %s, %s, "
                "%s, %s)",
                [case_id, number, data["applicant_name"], personal.seal(data["applicant_code"]),
                 data["status"], data["received_at"], data["received_at"],
                 data.get("accepted_at"), data.get("statutory_due"), data.get("promised_due"),
                 now, applicant_id, department, division, item_id, version_id, client_id,
                 client_id, source_id, version, fingerprint],
            )  # fmt: skip
            milestones = ["received"] + (["accepted"] if data.get("accepted_at") else [])
        else:
            case_id, _number, stored, _status, accepted_at = found
            c.execute("SELECT id FROM cases_case WHERE id = %s FOR UPDATE", [case_id])
            if version <= stored:
                return JsonResponse({"current_version": stored}, status=409)
            c.execute(
                "UPDATE cases_case SET status = %s, accepted_at = %s, statutory_due = %s, "
                "promised_due = %s, source_version = %s, source_fingerprint = %s WHERE id = %s",
                [data["status"], data.get("accepted_at"), data.get("statutory_due"),
                 data.get("promised_due"), version, fingerprint, case_id],
            )  # fmt: skip
            milestones = ["accepted"] if data.get("accepted_at") and not accepted_at else []
        for milestone in milestones:
            kind, text = PUSH_KINDS[milestone]
            at = data["accepted_at"] if milestone == "accepted" else data["received_at"]
            c.execute(
                "INSERT INTO cases_caseevent (at, kind, text, public, breach, case_id, "
                "department_id) VALUES (%s, %s, %s, true, '', %s, %s)",
                [at, kind, text, case_id, department],
            )
            c.execute(
                "INSERT INTO stats_tally (day, division_id, department_id, item_id, measure, "
                "step, bucket, n, compacted) VALUES "
                "((%s::timestamptz AT TIME ZONE 'Asia/Shanghai')::date, %s, %s, %s, %s, '', 0, "
                "1, false)",
                [at, division, department, item_id, kind],
            )
        stream = f"case:{case_id}"
        c.execute(
            "SELECT head_seq, head_hash FROM audit_auditstream WHERE name = %s FOR UPDATE",
            [stream],
        )
        head = c.fetchone()
        if head is None:
            c.execute(
                "INSERT INTO audit_auditstream (name, head_seq, head_hash, checkpointed_seq, "
                "division) VALUES (%s, 0, '', 0, %s)",
                [stream, division],
            )
            head = (0, "")
        detail = {"number": number, "source_case_id": source_id, "source_version": version,
                  "status": data["status"]}  # fmt: skip
        row, digest = _audit_row(stream, head[0] + 1, now, "case.push", case_id, detail,
                                 head[1], client_id, label)  # fmt: skip
        c.execute(
            "UPDATE audit_auditstream SET head_seq = %s, head_hash = %s WHERE name = %s",
            [head[0] + 1, digest, stream],
        )
        c.execute(
            "INSERT INTO audit_auditrecord (stream, seq, at, actor_label, action, object_type, "
            "object_id, outcome, detail, alg, hash, client_id) VALUES "
            "(%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s)",
            row,
        )
        c.execute(
            EVENT_INSERT,
            _push_event(case_id, number, data["status"], data, department, division, item, now),
        )
    answer = {"id": str(case_id), "number": number, "source_case_id": source_id,
              "version": version, "status": data["status"]}  # fmt: skip
    return JsonResponse(answer, status=201 if found is None else 200)


def _verified(key: str, headers, body: bytes) -> bool:
    """The exchange's signature scheme (shenpi/exchange/signing.py), checked as it checks."""
    import base64
    import hmac
    import time

    message_id, stamp = headers.get("webhook-id", ""), headers.get("webhook-timestamp", "")
    if not (message_id and stamp.isdigit()) or abs(time.time() - int(stamp)) > 300:
        return False
    signed = f"{message_id}.{stamp}.".encode() + body
    expected = "v1," + base64.b64encode(hmac.new(key.encode(), signed, "sha256").digest()).decode()
    return any(
        hmac.compare_digest(given, expected)
        for given in headers.get("webhook-signature", "").split()
    )


def hall_board(request, code):
    """The display board's answer: the same three queries as the app's, the same JSON."""
    day = timezone.localdate()
    with connection.cursor() as c:
        c.execute(HALL_BOARD_SQL[0], {"code": code})
        hall = c.fetchone()
        c.execute(HALL_BOARD_SQL[1], {"day": day, "hall": hall[0]})
        calls = c.fetchall()
        c.execute(HALL_BOARD_SQL[2], {"day": day, "hall": hall[0]})
        waiting = dict(c.fetchall())
    return JsonResponse(
        {
            "centre": hall[15],
            "calls": [
                {
                    "label": label,
                    "window": number,
                    "window_name": name,
                    "status": status,
                    "announced_at": timezone.localtime(at).isoformat(),
                    "calls": n,
                }
                for label, number, name, status, at, n in calls
            ],  # fmt: skip
            "waiting": waiting,
        },
        json_dumps_params={"ensure_ascii": False},
    )


urlpatterns = [
    path("floor/hall-board/<str:code>/", hall_board),
    path("floor/submit/", submit),
    path("floor/inbox/", inbox),
    path("floor/faqs/", faqs),
    path("floor/bundles/<str:code>/", bundle),
    path("floor/lower-cases/<str:source_id>/", push),
]
