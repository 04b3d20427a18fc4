"""The floor's two views: the same inserts as a one-request submission, and the same
query as the first inbox page, in raw SQL with no middleware, no ORM, no DRF."""

import hashlib
import json
import os
import secrets
import uuid
from datetime import UTC, datetime
from types import SimpleNamespace

from django.conf import settings
from django.db import connection, transaction
from django.http import HttpResponse, JsonResponse
from django.urls import path

from bench.sql import INBOX_SQL
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


def _bearer(request):
    header = request.META.get("HTTP_AUTHORIZATION", "")
    return hashlib.sha256(header[7:].encode()).hexdigest() if header.startswith("Bearer ") else ""


def _audit_row(stream, seq, at, action, case_id, detail, prev, client_id):
    """A case-stream audit row chained with the platform's own record hash."""
    record = SimpleNamespace(
        stream=stream, seq=seq, at=at, actor_id=None, actor_label="client:bench",
        client_id=client_id, ip=None, action=action, object_type="case",
        object_id=str(case_id), outcome="success", detail=detail, alg="sha256", prev_hash=prev,
    )  # fmt: skip
    digest = record_hash(record)
    detail_text = json.dumps(detail, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return (stream, seq, at, "client:bench", action, "case", str(case_id), "success",
            detail_text, "sha256", prev, digest, client_id), digest  # fmt: skip


def submit(request):
    key = _bearer(request)
    with connection.cursor() as c:
        c.execute("SELECT id FROM accounts_systemclient WHERE key_hash = %s AND is_active", [key])
        row = c.fetchone()
    if row is None:
        return JsonResponse({"detail": "令牌无效"}, status=401)
    client_id = row[0]
    form = json.loads(request.POST.get("form") or "{}")
    item_id, version_id, department_id, division_id, required = _item_rows(request.POST["item"])
    # The applicant by the keyed digest of the ID number; the case copies the sealed
    # number and mobile as they are (common/personal.py).
    code = request.POST["applicant_code"]
    with connection.cursor() as c:
        c.execute(
            "SELECT id, id_number, mobile FROM accounts_user WHERE id_number_digest = %s",
            [personal.digest(code)],
        )
        applicant_id, sealed_code, sealed_mobile = c.fetchone()
    now = datetime.now(UTC)
    case_id = uuid.uuid4()
    materials = []
    for field, upload in request.FILES.items():
        data = upload.read()
        name = f"materials/{now:%Y/%m}/{uuid.uuid4().hex}.png"
        target = os.path.join(settings.MEDIA_ROOT, name)
        os.makedirs(os.path.dirname(target), exist_ok=True)
        with open(target, "wb") as f:
            f.write(data)
        materials.append((uuid.uuid4(), name, upload.name, upload.content_type, len(data),
                          hashlib.sha256(data).hexdigest(), now, int(field[2:])))  # fmt: skip
    stream = f"case:{case_id}"
    # The number is drawn before the transaction, in a statement of its own, as the app
    # draws it (cases/numbering.py).
    with connection.cursor() as c:
        c.execute(
            "INSERT INTO cases_counter (key, last) VALUES (%s, 1) "
            "ON CONFLICT (key) DO UPDATE SET last = cases_counter.last + 1 RETURNING last",
            [f"case:{division_id}:{now:%Y%m%d}"],
        )
        number = f"{division_id}{now:%Y%m%d}{c.fetchone()[0]:05d}"
    with transaction.atomic(), connection.cursor() as c:
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
            [case_id, number, secrets.token_hex(4).upper(), request.POST["applicant_name"],
             sealed_code, sealed_mobile,
             json.dumps(form, ensure_ascii=False), now, now, now, now.date(), now, applicant_id,
             department_id, division_id, item_id, version_id, client_id],
        )  # fmt: skip
        c.executemany(
            "INSERT INTO cases_casematerial (id, file, name, content_type, size, sha256, "
            "uploaded_at, round, scanned, case_id, requirement_id) VALUES "
            "(%s, %s, %s, %s, %s, %s, %s, 0, false, %s, %s)",
            [m[:7] + (case_id, m[7]) for m in materials],
        )
        c.execute(
            "INSERT INTO cases_caseevent (at, kind, text, public, breach, case_id, department_id) "
            "VALUES (%s, 'submitted', '已提交申请，等待预审', true, '', %s, %s)",
            [now, case_id, department_id],
        )
        prev, rows = "", []
        actions = ["case.draft"] + ["case.material"] * len(materials) + ["case.submit"]
        for seq, action in enumerate(actions, start=1):
            row, prev = _audit_row(stream, seq, now, action, case_id, {"number": number}, prev,
                                   client_id)  # fmt: skip
            rows.append(row)
        c.execute(
            "INSERT INTO audit_auditstream (name, head_seq, head_hash, checkpointed_seq, "
            "division) VALUES (%s, %s, %s, 0, %s)",
            [stream, len(rows), prev, division_id],
        )
        c.executemany(
            "INSERT INTO audit_auditrecord (stream, seq, at, actor_label, action, object_type, "
            "object_id, outcome, detail, alg, prev_hash, hash, client_id) VALUES "
            "(%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s)",
            rows,
        )
        c.execute(
            "INSERT INTO notify_message (title, body, created_at, case_id, user_id) VALUES "
            "('申请已提交', %s, %s, %s, %s)",
            [f"办件 {number} 已提交", now, case_id, applicant_id],
        )
        c.executemany(
            'INSERT INTO notify_outbox (channel, "to", subject, body, created_at, attempts, '
            "last_error) VALUES (%s, %s, '申请已提交', %s, %s, 0, '')",
            [("sms", "13895000000", number, now), ("email", "a@example.cn", number, now)],
        )
    return JsonResponse({"id": str(case_id), "number": number}, status=201)


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


urlpatterns = [path("floor/submit/", submit), path("floor/inbox/", inbox)]
