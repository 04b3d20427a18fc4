"""Personal information at rest (issue 29, finding 19): resident ID and mobile numbers are
sealed in every table that holds them, found by a keyed digest, shown masked, and read in
clear only by those whose work needs them, each read audited (PIPL Art. 51; LAW.md
PUB-01)."""

from types import SimpleNamespace

import pytest
from django.core.exceptions import FieldError
from django.db import connection
from django.urls import reverse

from shenpi.accounts.models import User
from shenpi.audit.models import AuditRecord
from shenpi.cases import services
from shenpi.cases.models import Bar, Case, Licence
from shenpi.catalog.models import Item
from shenpi.common import personal
from shenpi.common.sealing_migration import seal_columns
from shenpi.notify.models import Outbox
from shenpi.supervision import feedback
from shenpi.supervision.models import Complaint, Watch
from tests.api.test_api import token_for
from tests.cases.conftest import FOOD_FORM, complete_draft

pytestmark = pytest.mark.django_db

ZHANG_ID, ZHANG_MOBILE = "640104199003071236", "13895000001"


@pytest.fixture
def case(demo):
    food = Item.objects.get(code="640100-SCJG-001")
    draft = complete_draft(services, demo("zhangsan"), food)
    return services.case_submit(
        actor=demo("zhangsan"), case=draft, declaration=True, form_data=FOOD_FORM
    )


def _column(table, column):
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {connection.ops.quote_name(column)} FROM {connection.ops.quote_name(table)}"
        )
        return [row[0] for row in cursor.fetchall()]


def test_no_table_holds_an_id_or_mobile_number_in_clear(case, demo):
    from tests.cases.test_licences import granted

    licence = granted(demo)
    Bar.objects.create(
        applicant_code=licence.holder_code, item=licence.case.item, until="2030-01-01",
        article="Art. 78", case=licence.case,
    )  # fmt: skip
    complaint = feedback.complaint_file(
        actor=demo("zhangsan"), department=case.department, subject="办理慢", body="超时",
        contact=f"张先生 {ZHANG_MOBILE}",
    )  # fmt: skip
    clear = {ZHANG_ID, ZHANG_MOBILE, licence.holder_code, demo("lisi").mobile}
    for table, column in [
        ("accounts_user", "id_number"),
        ("accounts_user", "mobile"),
        ("accounts_user", "username"),
        ("cases_case", "applicant_code"),
        ("cases_case", "applicant_mobile"),
        ("cases_licence", "holder_code"),
        ("cases_bar", "applicant_code"),
        ("notify_outbox", "to"),
        ("supervision_complaint", "contact"),
    ]:
        values = [v for v in _column(table, column) if v]
        assert values, (table, column)
        assert not clear.intersection(values), (table, column)
        assert not any(ZHANG_ID in v or ZHANG_MOBILE in v for v in values), (table, column)
    # Through the models they read as they were given.
    case = Case.objects.get(pk=case.pk)
    assert (case.applicant_code, case.applicant_mobile) == (ZHANG_ID, ZHANG_MOBILE)
    assert User.objects.get(username="zhangsan").id_number == ZHANG_ID
    assert ZHANG_MOBILE in [o.to for o in Outbox.objects.filter(channel="sms")]
    assert Licence.objects.get(pk=licence.pk).holder_code == licence.holder_code
    assert Complaint.objects.get(pk=complaint.pk).contact == f"张先生 {ZHANG_MOBILE}"


def test_an_altered_token_is_refused_not_opened_to_garbage(case):
    token = _column("cases_case", "applicant_code")[0]
    head, body = token.split(".")
    flipped = body[:10] + ("A" if body[10] != "A" else "B") + body[11:]
    with pytest.raises(personal.SealError):
        personal.unseal(f"{head}.{flipped}")
    with pytest.raises(personal.SealError):
        personal.unseal("s9." + body)  # a key id nobody holds
    with pytest.raises(personal.SealError):
        personal.unseal(ZHANG_ID)


def test_the_same_number_seals_differently_each_time_but_has_one_digest():
    assert personal.seal(ZHANG_ID) != personal.seal(ZHANG_ID)
    assert personal.digest(ZHANG_ID) == personal.digest(" " + ZHANG_ID.lower() + " ")
    assert personal.digest(ZHANG_ID) != personal.digest("640104199003071244")


def test_a_sealed_column_refuses_an_equality_lookup_that_could_never_match():
    with pytest.raises(FieldError, match="digest"):
        User.objects.filter(id_number=ZHANG_ID).exists()
    with pytest.raises(FieldError):
        Case.objects.filter(applicant_mobile__contains="1389").exists()
    assert User.objects.filter(id_number_digest=personal.digest(ZHANG_ID)).get().username == (
        "zhangsan"
    )


def test_a_new_key_seals_while_the_old_keys_tokens_still_open(settings):
    old = personal.seal(ZHANG_ID)
    settings.PERSONAL_DATA_KEYS = {**settings.PERSONAL_DATA_KEYS, "2": "5e" * 32}
    settings.PERSONAL_DATA_KEY_ID = "2"
    new = personal.seal(ZHANG_ID)
    assert new.startswith("s2.") and old.startswith("s1.")
    assert personal.unseal(old) == personal.unseal(new) == ZHANG_ID


def test_registration_stays_unique_by_the_digest(client):
    data = {
        "username": "another", "real_name": "张三", "id_number": ZHANG_ID.lower(),
        "mobile": "13895000088", "email": "", "password": "Gd#8kq2m!xv", "password2": "Gd#8kq2m!xv",
    }  # fmt: skip
    page = client.post(reverse("accounts:register"), data).content.decode()
    assert "该身份证号码已注册" in page
    assert not User.objects.filter(username="another").exists()


def test_a_walk_in_is_found_by_id_number_and_named_without_it(client, demo):
    client.force_login(demo("clerk_yc_scjg"))
    page = client.get(reverse("cases:window") + f"?code={ZHANG_ID}").content.decode()
    assert "张三" in page and "138****0001" in page and ZHANG_MOBILE not in page
    code = "64010419900307121X"
    client.post(
        reverse("cases:window") + f"?code={code}",
        {"action": "register", "code": code, "name": "王五", "mobile": "13895000009"},
    )
    person = User.objects.get(id_number_digest=personal.digest(code))
    assert person.id_number == code and code not in person.username


# Who may read an applicant's numbers in clear, among those who see the case: the
# applicant, the department's officials and window, supervision. Not leaders nor the
# administrator, whose work does not need them.
READERS = {"zhangsan", "yc_scjg_off1", "yc_scjg_head", "clerk_yc_scjg", "yc_jc_sup", "nx_jc_sup"}
NOT_READERS = {"yc_zfb_leader", "nx_zfb_leader", "admin"}


def test_only_those_whose_work_needs_them_read_the_numbers_in_clear(client, demo, case):
    problems = []
    for username in sorted(READERS | NOT_READERS):
        auth = token_for(client, username)
        response = client.get(reverse("api:case_personal", args=[case.pk]), **auth)
        expected = 200 if username in READERS else 403
        if response.status_code != expected:
            problems.append(f"{username}: {response.status_code}, expected {expected}")
        elif expected == 200:
            assert response.json() == {
                "applicant_name": "张三", "applicant_code": ZHANG_ID, "applicant_mobile": ZHANG_MOBILE,
            }  # fmt: skip
            assert "no-store" in response["Cache-Control"]
    assert problems == [], "\n".join(problems)
    reads = AuditRecord.objects.filter(stream=f"case:{case.pk}", action="case.personal_read")
    assert sorted(r.actor.username for r in reads) == sorted(READERS)


def test_the_case_page_shows_numbers_masked_and_reveals_them_on_request_audited(client, demo, case):
    client.force_login(demo("yc_scjg_off1"))
    page = client.get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert "6401**********1236" in page and "138****0001" in page
    assert ZHANG_ID not in page and ZHANG_MOBILE not in page
    assert not AuditRecord.objects.filter(action="case.personal_read").exists()
    shown = client.post(reverse("cases:personal", args=[case.pk]))
    assert shown.status_code == 200 and "no-store" in shown["Cache-Control"]
    text = shown.content.decode()
    assert ZHANG_ID in text and ZHANG_MOBILE in text and "审计" in text
    record = AuditRecord.objects.get(stream=f"case:{case.pk}", action="case.personal_read")
    assert record.actor == demo("yc_scjg_off1")
    # A leader sees the case but not the button, and is refused by the service.
    client.force_login(demo("yc_zfb_leader"))
    page = client.get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert "查看完整信息" not in page
    refused = client.post(reverse("cases:personal", args=[case.pk]), follow=True)
    assert "无需查看" in refused.content.decode() and ZHANG_ID not in refused.content.decode()
    assert AuditRecord.objects.filter(action="case.personal_read").count() == 1
    # A GET does not read (nor audit) anything.
    client.force_login(demo("yc_scjg_off1"))
    assert client.get(reverse("cases:personal", args=[case.pk])).status_code == 405


def test_the_observer_sees_the_watched_case_masked(client, demo, case):
    Watch.objects.create(observer=demo("observer"), case=case)
    client.force_login(demo("observer"))
    page = client.get(reverse("supervision:watched"), {"case": case.pk}).content.decode()
    assert "6401**********1236" in page and "张*" in page and ZHANG_ID not in page
    assert client.get(reverse("api:case_personal", args=[case.pk])).status_code in (401, 403, 404)


def test_the_admin_never_shows_the_numbers_and_logs_them_masked(client, demo):
    client.force_login(demo("admin"))
    zhang = demo("zhangsan")
    url = reverse("admin:accounts_user_change", args=[zhang.pk])
    page = client.get(url).content.decode()
    assert ZHANG_ID not in page and ZHANG_MOBILE not in page
    assert "6401**********1236" in page and "138****0001" in page
    # Saving with the numbers left blank keeps them; the audit snapshot is masked.
    data = {
        "username": "zhangsan", "account_type": zhang.account_type, "real_name": "张三",
        "id_number": "", "mobile": "", "email": zhang.email, "enterprise_name": "",
        "legal_representative": "", "is_active": "on", "last_login_0": "", "last_login_1": "",
        "date_joined_0": "2026-01-01", "date_joined_1": "00:00:00",
        "role_assignments-TOTAL_FORMS": "0", "role_assignments-INITIAL_FORMS": "0",
        "role_assignments-MIN_NUM_FORMS": "0", "role_assignments-MAX_NUM_FORMS": "1000",
    }  # fmt: skip
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:3000]
    zhang = User.objects.get(pk=zhang.pk)
    assert (zhang.id_number, zhang.mobile) == (ZHANG_ID, ZHANG_MOBILE)
    record = AuditRecord.objects.filter(action="admin.change").latest("at")
    text = str(record.detail)
    assert ZHANG_ID not in text and ZHANG_MOBILE not in text and "6401" in text


def test_the_migration_seals_clear_rows_and_fills_the_digests(demo):
    # Rows as they were before the columns were sealed.
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE accounts_user SET id_number = %s, mobile = %s, id_number_digest = NULL "
            "WHERE username = 'zhangsan'",
            [ZHANG_ID, ZHANG_MOBILE],
        )
    # The migration's schema editor, as far as seal_columns uses it.
    editor = SimpleNamespace(connection=connection, quote_name=connection.ops.quote_name)
    seal_columns(
        editor, "accounts_user", ["id_number", "mobile"], {"id_number": "id_number_digest"}
    )
    # Run again (an interrupted migration resumes): sealed rows stay as they are.
    before = _column("accounts_user", "id_number")
    seal_columns(
        editor, "accounts_user", ["id_number", "mobile"], {"id_number": "id_number_digest"}
    )
    assert _column("accounts_user", "id_number") == before
    assert ZHANG_ID not in before
    zhang = User.objects.get(id_number_digest=personal.digest(ZHANG_ID))
    assert (zhang.username, zhang.id_number, zhang.mobile) == ("zhangsan", ZHANG_ID, ZHANG_MOBILE)


def test_a_token_copied_over_another_records_number_takes_its_digest_along(demo):
    from shenpi.common.fields import held

    zhang, li = User.objects.get(username="zhangsan"), User.objects.get(username="lisi")
    li.id_number = held(zhang, "id_number")  # copied sealed, not opened
    zhang.id_number = "11010519491231002X"
    zhang.save()
    li.save()
    assert User.objects.get(id_number_digest=personal.digest(ZHANG_ID)).username == "lisi"
