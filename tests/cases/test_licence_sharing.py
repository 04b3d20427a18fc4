"""电子证照共享: another department reads a holder's licences by the holder's consent or a
stated lawful need, every read audited on the holder's stream; pages and API alike."""

from datetime import timedelta

import pytest
from django.utils import timezone

from shenpi.accounts.models import Department
from shenpi.audit.models import AuditRecord
from shenpi.cases import services
from shenpi.core.errors import Conflict, InvalidInput, NotAllowed, NotFound
from tests.api.test_api import assert_problem, make_client, token_for
from tests.cases.test_numbering import ready_to_decide

pytestmark = pytest.mark.django_db

ZHANGSAN = ("640104199003071236", "张三")
LAW = "《食品经营许可和备案管理办法》第十五条"


@pytest.fixture
def licensed(demo):
    case = services.case_decide(
        actor=demo("yc_scjg_head"), case=ready_to_decide(demo), outcome="granted"
    )
    return case.issued_licence


def reads(user):
    return AuditRecord.objects.filter(stream=f"user:{user.public_id}", action="licence.shared_read")


def test_without_consent_or_basis_another_department_reads_nothing(demo, licensed):
    with pytest.raises(NotAllowed) as refused:
        services.licences_shared(actor=demo("nx_scjg_off1"), holder_code=ZHANGSAN[0],
                                 holder_name=ZHANGSAN[1])  # fmt: skip
    assert refused.value.code == "no_consent_or_basis"
    assert not reads(demo("zhangsan")).exists()


def test_a_stated_lawful_need_reads_and_is_recorded_for_the_holder(demo, licensed):
    shared = services.licences_shared(
        actor=demo("nx_scjg_off1"), holder_code=ZHANGSAN[0], holder_name=ZHANGSAN[1], basis=LAW
    )
    assert [one.number for one in shared.licences] == [licensed.number]
    (record,) = reads(demo("zhangsan"))
    assert record.detail["basis"] == LAW and record.detail["licences"] == [licensed.number]
    assert record.actor == demo("nx_scjg_off1")


def test_a_basis_too_short_to_name_a_law_is_refused(demo, licensed):
    with pytest.raises(NotAllowed):
        services.licences_shared(actor=demo("nx_scjg_off1"), holder_code=ZHANGSAN[0],
                                 holder_name=ZHANGSAN[1], basis="工作需要")  # fmt: skip


def test_consent_lets_a_department_read_until_its_day_or_its_revocation(demo, licensed):
    holder = demo("zhangsan")
    scjg = Department.objects.get(code="nx-scjg")
    today = timezone.localdate()
    consent = services.consent_grant(actor=holder, department=scjg, purpose="办理变更",
                                     until=today + timedelta(days=30))  # fmt: skip
    with pytest.raises(Conflict):
        services.consent_grant(actor=holder, department=scjg, purpose="再次", until=today)
    shared = services.licences_shared(
        actor=demo("nx_scjg_off1"), holder_code=ZHANGSAN[0], holder_name=ZHANGSAN[1]
    )
    assert shared.consent == consent and shared.licences
    # Another department is not covered by it.
    with pytest.raises(NotAllowed):
        services.licences_shared(actor=demo("yc_zrzy_off1"), holder_code=ZHANGSAN[0],
                                 holder_name=ZHANGSAN[1])  # fmt: skip
    services.consent_revoke(actor=holder, consent=consent)
    with pytest.raises(NotAllowed):
        services.licences_shared(actor=demo("nx_scjg_off1"), holder_code=ZHANGSAN[0],
                                 holder_name=ZHANGSAN[1])  # fmt: skip
    with pytest.raises(Conflict):
        services.consent_revoke(actor=holder, consent=consent)


def test_consent_lapses_after_its_last_day(demo, licensed):
    import time_machine

    holder = demo("zhangsan")
    today = timezone.localdate()
    services.consent_grant(actor=holder, department=Department.objects.get(code="nx-scjg"),
                           purpose="办理变更", until=today)  # fmt: skip
    assert services.licences_shared(
        actor=demo("nx_scjg_off1"), holder_code=ZHANGSAN[0], holder_name=ZHANGSAN[1]
    ).consent
    with time_machine.travel(timezone.now() + timedelta(days=1)), pytest.raises(NotAllowed):
        services.licences_shared(actor=demo("nx_scjg_off1"), holder_code=ZHANGSAN[0],
                                 holder_name=ZHANGSAN[1])  # fmt: skip


def test_a_wrong_name_or_unknown_holder_is_404_and_a_malformed_code_400(demo, licensed):
    with pytest.raises(NotFound):
        services.licences_shared(actor=demo("nx_scjg_off1"), holder_code=ZHANGSAN[0],
                                 holder_name="李四", basis=LAW)  # fmt: skip
    with pytest.raises(NotFound):
        services.licences_shared(actor=demo("nx_scjg_off1"), holder_code="640104198507160019",
                                 holder_name="无此人", basis=LAW)  # fmt: skip
    with pytest.raises(InvalidInput):
        services.licences_shared(actor=demo("nx_scjg_off1"), holder_code="123",
                                 holder_name="张三", basis=LAW)  # fmt: skip


def test_only_departments_read_and_only_holders_consent(demo, licensed):
    with pytest.raises(NotAllowed):
        services.licences_shared(actor=demo("lisi"), holder_code=ZHANGSAN[0],
                                 holder_name=ZHANGSAN[1], basis=LAW)  # fmt: skip
    with pytest.raises(NotAllowed):
        services.consent_grant(actor=demo("nx_scjg_off1"),
                               department=Department.objects.get(code="nx-scjg"), purpose="x",
                               until=timezone.localdate())  # fmt: skip


def test_a_department_system_reads_over_the_api(client, demo, licensed):
    _sc, auth = make_client(department="nx-scjg", actions=["licence.read"])
    body = {"holder_code": ZHANGSAN[0], "holder_name": ZHANGSAN[1], "basis": LAW}
    answer = client.post("/api/v1/licence-library/lookup/", body, content_type="application/json",
                         **auth)  # fmt: skip
    assert answer.status_code == 200, answer.content
    assert answer.json()["by"] == "basis"
    assert [one["number"] for one in answer.json()["licences"]] == [licensed.number]
    _sc, reading_only = make_client(department="yc-scjg", actions=["case.read"])
    refused = client.post("/api/v1/licence-library/lookup/", body,
                          content_type="application/json", **reading_only)  # fmt: skip
    assert_problem(refused, 403, "client_action_not_allowed")
    record = reads(demo("zhangsan")).get()
    assert record.client is not None and record.actor is None


def test_the_holder_grants_and_revokes_over_the_api(client, demo):
    auth = token_for(client, "zhangsan")
    until = (timezone.localdate() + timedelta(days=10)).isoformat()
    made = client.post("/api/v1/licence-consents/", {"department": "nx-scjg", "purpose": "变更",
                       "until": until}, content_type="application/json", **auth)  # fmt: skip
    assert made.status_code == 201, made.content
    listed = client.get("/api/v1/licence-consents/", **auth).json()
    assert [c["department"] for c in listed] == ["nx-scjg"]
    other = token_for(client, "lisi")
    pk = made.json()["id"]
    assert client.post(f"/api/v1/licence-consents/{pk}/revoke/", **other).status_code == 404
    assert client.post(f"/api/v1/licence-consents/{pk}/revoke/", **auth).status_code == 200
    assert client.post("/api/v1/licence-consents/not-a-uuid/revoke/", **auth).status_code == 404


def test_the_pages_grant_look_up_and_show_the_reads(client, demo, licensed):
    client.force_login(demo("zhangsan"))
    until = (timezone.localdate() + timedelta(days=10)).isoformat()
    client.post("/my/licence-consents/", {"department": "nx-scjg", "purpose": "办理变更",
                                          "until": until})  # fmt: skip
    client.force_login(demo("nx_scjg_off1"))
    page = client.post("/desk/licence-library/", {"holder_code": ZHANGSAN[0],
                                                  "holder_name": ZHANGSAN[1]})  # fmt: skip
    assert page.status_code == 200 and licensed.number in page.content.decode()
    assert ZHANGSAN[0] not in page.request["PATH_INFO"]
    client.force_login(demo("zhangsan"))
    mine = client.get("/my/cases/").content.decode()
    assert "经您授权" in mine and licensed.number in mine
    client.force_login(demo("lisi"))
    assert client.get("/desk/licence-library/").status_code == 404
