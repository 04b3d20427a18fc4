import json
from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from shenpi.accounts.constants import ClientAction
from shenpi.cases.models import Case
from shenpi.catalog.demo_forms import application_pdf
from shenpi.catalog.models import Item
from shenpi.common import personal
from tests.cases.conftest import FOOD_FORM

from .test_api import assert_problem, make_client, token_for

pytestmark = pytest.mark.django_db


def pdf(name="m.pdf"):
    return SimpleUploadedFile(
        name,
        application_pdf("材料", "测试", [("a", "b")], sample=False),
        content_type="application/pdf",
    )


def one_request(item, **extra):
    version = item.current
    data = {
        "item": item.code,
        "applicant_code": "640104199003071236",
        "applicant_name": "张三",
        "form": json.dumps(FOOD_FORM, ensure_ascii=False),
        "declaration": "true",
        **extra,
    }
    for requirement in version.materials.filter(required=True):
        data[f"m_{requirement.pk}"] = pdf()
    return data


def test_a_department_system_submits_a_whole_application_in_one_request(client):
    _sc, auth = make_client(
        department="yc-scjg", actions=[ClientAction.CASE_SUBMIT, ClientAction.CASE_READ]
    )
    item = Item.objects.get(code="640100-SCJG-001")
    data = one_request(item)
    response = client.post("/api/v1/cases/submit/", data, HTTP_IDEMPOTENCY_KEY="sub-1", **auth)
    assert response.status_code == 201, response.content
    body = response.json()
    assert (
        body["status"] == "received" and body["channel"] == "api" and "query_password" not in body
    )
    assert len(body["materials"]) == item.current.materials.filter(required=True).count()
    for upload in data.values():
        if hasattr(upload, "seek"):
            upload.seek(0)
    again = client.post("/api/v1/cases/submit/", data, HTTP_IDEMPOTENCY_KEY="sub-1", **auth)
    # The same request again (matched on its fields and files): the first answer.
    assert again.status_code == 201 and again.json()["number"] == body["number"]
    assert Case.objects.filter(item=item, channel="api").count() == 1
    assert client.get(f"/api/v1/cases/{body['id']}/", **auth).status_code == 200


def test_the_submitted_answer_is_what_its_fields_write(client):
    """SubmittedOut writes its answer directly; DRF's own field-by-field writing of the
    same case (a moment and a material seen in the original included) gives the same."""
    from django.utils import timezone
    from rest_framework import serializers

    from shenpi.api.cases import SubmittedOut

    _sc, auth = make_client(department="yc-scjg", actions=[ClientAction.CASE_SUBMIT])
    response = client.post(
        "/api/v1/cases/submit/", one_request(Item.objects.get(code="640100-SCJG-001")), **auth
    )
    assert response.status_code == 201, response.content
    case = Case.objects.select_related("item", "department").get(pk=response.json()["id"])
    case.materials.filter(pk=case.materials.first().pk).update(original_seen_at=timezone.now())
    case.submitted_materials = list(case.materials.select_related("requirement").order_by("pk"))
    written = SubmittedOut(case).data
    assert written == serializers.Serializer.to_representation(SubmittedOut(), case)
    assert sum(m["original_seen_at"] is not None for m in written["materials"]) == 1
    answered = response.json()
    assert {k: v for k, v in answered.items() if k != "materials"} == {
        k: v for k, v in written.items() if k != "materials"
    }


def test_one_request_submission_with_a_bad_file_leaves_no_case(client):
    _sc, auth = make_client(department="yc-scjg", actions=[ClientAction.CASE_SUBMIT])
    item = Item.objects.get(code="640100-SCJG-001")
    data = one_request(item)
    first = next(k for k in data if k.startswith("m_"))
    data[first] = SimpleUploadedFile("evil.pdf", b"MZ" + b"\x00" * 100)
    before = Case.objects.count()
    body = assert_problem(client.post("/api/v1/cases/submit/", data, **auth), 400, "file_type")
    assert "类型不被接受" in body["detail"]
    assert Case.objects.count() == before


def test_an_unknown_item_is_not_found_and_nothing_is_written(client):
    _sc, auth = make_client(department="yc-scjg", actions=[ClientAction.CASE_SUBMIT])
    data = {**one_request(Item.objects.get(code="640100-SCJG-001")), "item": "640100-NOPE-001"}
    before = Case.objects.count()
    assert_problem(client.post("/api/v1/cases/submit/", data, **auth), 404)
    assert Case.objects.count() == before


def test_a_system_client_outside_its_department_cannot_submit(client):
    _sc, auth = make_client(department="nx-scjg", actions=[ClientAction.CASE_SUBMIT])
    item = Item.objects.get(code="640100-SCJG-001")
    assert_problem(client.post("/api/v1/cases/submit/", one_request(item), **auth), 404)


def test_a_wrong_applicant_id_is_a_400(client):
    _sc, auth = make_client(department="yc-scjg", actions=[ClientAction.CASE_SUBMIT])
    item = Item.objects.get(code="640100-SCJG-001")
    body = assert_problem(
        client.post(
            "/api/v1/cases/submit/", one_request(item, applicant_code="110105194912310021"), **auth
        ),
        400,
    )
    assert "applicant_code" in body["errors"]


@pytest.mark.parametrize("kind", ["", "enterprise"])
def test_a_credit_code_of_seventeen_leading_digits_applies_as_an_enterprise(client, kind):
    """91110000600037341L starts with 17 digits: the full validations decide, not the shape."""
    _sc, auth = make_client(
        department="yc-scjg", actions=[ClientAction.CASE_SUBMIT, ClientAction.CASE_READ]
    )
    item = Item.objects.get(code="640100-SCJG-001")
    data = one_request(
        item,
        applicant_code="91110000600037341L",
        applicant_name="北京某某食品有限公司",
        **({"applicant_kind": kind} if kind else {}),
    )
    response = client.post("/api/v1/cases/submit/", data, **auth)
    assert response.status_code == 201, response.content
    case = Case.objects.get(pk=response.json()["id"])
    assert case.applicant.account_type == "enterprise"
    assert case.applicant_code == "91110000600037341L"


def test_a_stated_kind_that_does_not_fit_the_code_is_a_400(client):
    _sc, auth = make_client(department="yc-scjg", actions=[ClientAction.CASE_SUBMIT])
    item = Item.objects.get(code="640100-SCJG-001")
    data = one_request(item, applicant_code="91110000600037341L", applicant_kind="person")
    body = assert_problem(client.post("/api/v1/cases/submit/", data, **auth), 400)
    assert "身份证" in body["errors"]["applicant_code"][0]


def test_applicant_and_official_over_the_api(client, demo):
    citizen = token_for(client, "zhangsan")
    item = Item.objects.get(code="640100-SCJG-001")
    draft = client.post(
        "/api/v1/cases/draft/", {"item": item.code}, content_type="application/json", **citizen
    )
    assert draft.status_code == 201
    case_id = draft.json()["id"]
    for requirement in item.current.materials.filter(required=True):
        uploaded = client.post(
            f"/api/v1/cases/{case_id}/materials/",
            {"requirement": requirement.pk, "file": pdf()},
            **citizen,
        )
        assert uploaded.status_code == 201, uploaded.content
    submitted = client.post(
        f"/api/v1/cases/{case_id}/submit/",
        {"declaration": True, "form": FOOD_FORM},
        content_type="application/json",
        HTTP_IDEMPOTENCY_KEY="s-1",
        **citizen,
    )
    assert submitted.status_code == 200 and submitted.json()["status"] == "received"
    replay = client.post(
        f"/api/v1/cases/{case_id}/submit/",
        {"declaration": True, "form": FOOD_FORM},
        content_type="application/json",
        HTTP_IDEMPOTENCY_KEY="s-1",
        **citizen,
    )
    assert replay.json()["number"] == submitted.json()["number"]
    twice = client.post(
        f"/api/v1/cases/{case_id}/submit/",
        {"declaration": True},
        content_type="application/json",
        **citizen,
    )
    assert_problem(twice, 409, "already_submitted")

    official = token_for(client, "yc_scjg_off1")
    requirement = item.current.materials.get(name="食品安全管理制度")
    corrected = client.post(
        f"/api/v1/cases/{case_id}/correction-notices/",
        {"defects": [{"requirement": requirement.pk, "note": "请盖章"}]},
        content_type="application/json",
        **official,
    )
    assert corrected.json()["status"] == "correction_requested"
    # Another department's official: 404, not 403.
    other = token_for(client, "nx_scjg_off1")
    assert_problem(client.get(f"/api/v1/cases/{case_id}/", **other), 404)
    assert_problem(
        client.post(
            f"/api/v1/cases/{case_id}/acceptance/",
            {},
            content_type="application/json",
            **other,
        ),
        404,
    )

    number, password = submitted.json()["number"], submitted.json()["query_password"]
    tracked = client.post(
        "/api/v1/cases/track/",
        {"number": number, "password": password},
        content_type="application/json",
    )
    assert tracked.status_code == 200 and tracked.json()["status"] == "correction_requested"
    assert_problem(
        client.post(
            "/api/v1/cases/track/",
            {"number": number, "password": "NOPE"},
            content_type="application/json",
        ),
        404,
    )


def test_tracking_is_rate_limited(client):
    for _ in range(10):
        client.post(
            "/api/v1/cases/track/",
            {"number": "x", "password": "y"},
            content_type="application/json",
        )
    assert_problem(
        client.post(
            "/api/v1/cases/track/",
            {"number": "x", "password": "y"},
            content_type="application/json",
        ),
        429,
    )


def test_one_request_writes_what_the_three_steps_would_have_written(client):
    """One transaction, the same rows as draft → materials → submit: the case received with
    its RCV-04 correction deadline, every material, the timeline, the applicant told, and
    the case's audit stream (draft, each material, submit) chained and verifiable."""
    import time_machine

    from shenpi.audit.models import AuditRecord, AuditStream
    from shenpi.audit.verify import verify_chain
    from shenpi.core import clock
    from shenpi.notify.models import Message, Outbox
    from shenpi.workdays.services import calendar

    _sc, auth = make_client(department="yc-scjg", actions=[ClientAction.CASE_SUBMIT])
    item = Item.objects.get(code="640100-SCJG-001")
    required = item.current.materials.filter(required=True).count()
    # Friday 13 February 2026, the last working day before the Spring Festival.
    with time_machine.travel("2026-02-13 16:00 +0800", tick=False):
        first = client.post("/api/v1/cases/submit/", one_request(item), **auth)
        second = client.post("/api/v1/cases/submit/", one_request(item), **auth)
    assert first.status_code == second.status_code == 201, first.content
    body = first.json()
    assert body["url"] == f"/api/v1/cases/{body['id']}/" and len(body["materials"]) == required
    assert int(second.json()["number"]) == int(body["number"]) + 1
    case = Case.objects.get(pk=body["id"])
    assert case.number == body["number"] and case.status == "received" and case.query_password
    # RCV-04 (Art. 32(4)): 5 working days — the make-up Saturday 14 February, then 24-27
    # February after the holiday: due Friday 27 February, as the clock counts.
    assert case.correction_due == date(2026, 2, 27)
    assert case.correction_due == clock.add_working_days(calendar(), date(2026, 2, 13), 5)
    assert case.materials.count() == required and all(m.file.size for m in case.materials.all())
    assert list(case.events.values_list("kind", flat=True)) == ["received"]
    stream = f"case:{case.pk}"
    actions = list(
        AuditRecord.objects.filter(stream=stream).order_by("seq").values_list("action", flat=True)
    )
    assert actions == ["case.draft"] + ["case.material.add"] * required + ["case.submit"]
    assert AuditStream.objects.get(name=stream).head_seq == len(actions)
    assert verify_chain()[1] is None
    assert Message.objects.filter(case=case, title__contains=case.number).exists()
    assert Outbox.objects.filter(body__contains=case.number).exists()


def test_one_request_refused_whole_leaves_nothing(client):
    """Each refusal comes before anything is written: no case, no applicant account, no
    counter step."""
    from shenpi.accounts.models import User
    from shenpi.cases.models import Bar, Counter

    _sc, auth = make_client(department="yc-scjg", actions=[ClientAction.CASE_SUBMIT])
    item = Item.objects.get(code="640100-SCJG-001")
    newcomer = "64010419900307121X"
    assert not User.objects.filter(id_number_digest=personal.digest(newcomer)).exists()

    def refused(data, status, code):
        before = (
            Case.objects.count(),
            User.objects.count(),
            list(Counter.objects.values_list("key", "last")),
        )
        body = assert_problem(client.post("/api/v1/cases/submit/", data, **auth), status, code)
        after = (
            Case.objects.count(),
            User.objects.count(),
            list(Counter.objects.values_list("key", "last")),
        )
        assert after == before
        return body

    data = one_request(item, applicant_code=newcomer, applicant_name="王五", declaration="false")
    assert "declaration" in refused(data, 400, "invalid")["errors"]
    data = one_request(item, applicant_code=newcomer, applicant_name="王五")
    dropped = next(k for k in data if k.startswith("m_"))
    del data[dropped]
    assert "请上传必需材料" in refused(data, 400, "incomplete")["errors"]["materials"][0]
    data = one_request(item, applicant_code=newcomer, applicant_name="王五", form="{}")
    assert refused(data, 400, "incomplete")["errors"]
    data = one_request(item, applicant_code=newcomer, applicant_name="王五")
    data["m_999999"] = pdf()
    refused(data, 400, "unknown_material")
    data = one_request(item, applicant_code=newcomer, applicant_name="王五")
    data["scan"] = pdf()
    refused(data, 400, "invalid")

    # SAN-01 (Art. 78): a barred applicant is refused, and told until when.
    done = client.post("/api/v1/cases/submit/", one_request(item), **auth)
    assert done.status_code == 201
    Bar.objects.create(
        applicant_code="640104199003071236",
        item=item,
        until="2099-01-01",
        article="第七十八条",
        case_id=done.json()["id"],
    )
    assert "2099年01月01日" in refused(one_request(item), 403, "barred")["detail"]

    # The newcomer, once complete, is registered with the application.
    ok = client.post(
        "/api/v1/cases/submit/",
        one_request(item, applicant_code=newcomer, applicant_name="王五"),
        **auth,
    )
    assert ok.status_code == 201, ok.content
    newcomer_user = Case.objects.get(pk=ok.json()["id"]).applicant
    assert newcomer_user.id_number == newcomer
    # Registered as the submitting system's act, on the record (issue 21).
    from shenpi.audit.models import AuditRecord

    record = AuditRecord.objects.get(
        stream=f"user:{newcomer_user.public_id}", action="account.register_by_system"
    )
    assert record.client_id is not None


def test_one_request_failing_after_its_number_leaves_a_gap_not_a_repeat(client, monkeypatch):
    """The case number is drawn before the submission's transaction (so that concurrent
    submissions do not queue on the counter's lock until each commits): a failure after the
    draw writes nothing of the case, and its number is skipped, never given again."""
    from shenpi.accounts.models import User
    from shenpi.audit.models import AuditRecord
    from shenpi.cases import services
    from shenpi.cases.models import CaseMaterial, Counter

    _sc, auth = make_client(department="yc-scjg", actions=[ClientAction.CASE_SUBMIT])
    item = Item.objects.get(code="640100-SCJG-001")
    first = client.post("/api/v1/cases/submit/", one_request(item), **auth).json()["number"]
    counts = (Case.objects.count(), CaseMaterial.objects.count(), AuditRecord.objects.count())

    def broken(**kwargs):
        raise RuntimeError("audit store unavailable")

    monkeypatch.setattr(services.applying, "audit_records", broken)
    newcomer = "64010419900307121X"
    data = one_request(item, applicant_code=newcomer, applicant_name="王五")
    with pytest.raises(RuntimeError):
        client.post("/api/v1/cases/submit/", data, **auth)
    after = (Case.objects.count(), CaseMaterial.objects.count(), AuditRecord.objects.count())
    assert after == counts
    assert not User.objects.filter(id_number_digest=personal.digest(newcomer)).exists()
    monkeypatch.undo()

    third = client.post("/api/v1/cases/submit/", one_request(item), **auth).json()["number"]
    assert third[:-5] == first[:-5] and int(third[-5:]) == int(first[-5:]) + 2
    assert Counter.objects.get(key=f"case:{first[:6]}:{first[6:14]}").last == int(third[-5:])


def test_a_late_correction_notice_is_a_409_saying_the_case_is_deemed_accepted(client, demo):
    """RCV-04 (Art. 32(4)) through the API, the periodic job not yet run."""
    import time_machine

    from shenpi.cases import services
    from tests.cases.conftest import complete_draft

    item = Item.objects.get(code="640100-SCJG-001")
    with time_machine.travel("2026-02-13 16:30 +0800", tick=False):
        case = complete_draft(services, demo("zhangsan"), item)
        case = services.case_submit(
            actor=demo("zhangsan"), case=case, declaration=True, form_data=FOOD_FORM
        )
    requirement = item.current.materials.first()
    with time_machine.travel("2026-02-28 09:00 +0800", tick=False):
        official = token_for(client, "yc_scjg_off1")
        late = client.post(
            f"/api/v1/cases/{case.pk}/correction-notices/",
            {"defects": [{"requirement": requirement.pk, "note": "盖章"}]},
            content_type="application/json",
            **official,
        )
    assert_problem(late, 409, "deemed_accepted")
    case.refresh_from_db()
    assert case.status == "processing" and case.statutory_due == date(2026, 3, 19)


def test_a_resident_id_that_is_also_a_valid_credit_code_applies_as_a_person(client):
    """About 3 in 100 Ningxia ID numbers also pass the credit code's check: they apply."""
    _sc, auth = make_client(
        department="yc-scjg", actions=[ClientAction.CASE_SUBMIT, ClientAction.CASE_READ]
    )
    item = Item.objects.get(code="640100-SCJG-001")
    response = client.post(
        "/api/v1/cases/submit/", one_request(item, applicant_code="110105195001011066"), **auth
    )
    assert response.status_code == 201, response.content
    assert Case.objects.get(pk=response.json()["id"]).applicant.account_type == "person"
