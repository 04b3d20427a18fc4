import pytest
from django.urls import reverse

from shenpi.accounts.models import User
from shenpi.accounts.services import user_register_enterprise, user_register_person
from shenpi.audit.models import AuditRecord
from shenpi.core.errors import InvalidInput

pytestmark = pytest.mark.django_db

GOOD_ID = "11010519491231002X"


def register_person(**overrides):
    data = {
        "username": "wangwu",
        "password": "Good#Pass2026",
        "real_name": "王五",
        "id_number": GOOD_ID,
        "mobile": "13912345678",
    }
    data.update(overrides)
    return user_register_person(**data)


def test_person_registers_and_the_audit_log_records_it():
    user = register_person()
    assert user.account_type == "person"
    assert user.check_password("Good#Pass2026")
    assert "applicant" in user.roles
    record = AuditRecord.objects.get(stream=f"user:{user.public_id}", action="account.register")
    assert record.actor_id == user.pk


def test_wrong_check_digit_is_refused_and_nothing_is_written():
    before = (User.objects.count(), AuditRecord.objects.count())
    with pytest.raises(InvalidInput) as exc:
        register_person(id_number="110105194912310021")
    assert "校验位" in exc.value.errors["id_number"][0]
    assert (User.objects.count(), AuditRecord.objects.count()) == before


def test_duplicate_id_number_is_refused():
    register_person()
    with pytest.raises(InvalidInput) as exc:
        register_person(username="another")
    assert "已注册" in exc.value.errors["id_number"][0]


def test_duplicate_username_is_refused_case_insensitively():
    register_person()
    with pytest.raises(InvalidInput) as exc:
        register_person(username="WangWu", id_number="440524188001010014")
    assert "username" in exc.value.errors


@pytest.mark.parametrize("password", ["short1A", "abcdefgh", "12345678901", "wangwu2026abc"])
def test_weak_passwords_are_refused(password):
    with pytest.raises(InvalidInput) as exc:
        register_person(password=password)
    assert exc.value.errors["password"]


def test_enterprise_registers_with_a_checked_credit_code():
    user = user_register_enterprise(
        username="qiye",
        password="Good#Pass2026",
        enterprise_name="宁夏测试有限公司",
        credit_code="91110000600037341L",
        legal_representative="赵六",
        mobile="13912345678",
    )
    assert user.account_type == "enterprise"
    assert user.display_name == "宁夏测试有限公司"


def test_enterprise_with_a_wrong_credit_code_is_refused():
    with pytest.raises(InvalidInput) as exc:
        user_register_enterprise(
            username="qiye",
            password="Good#Pass2026",
            enterprise_name="宁夏测试有限公司",
            credit_code="91110000600037341M",
            legal_representative="赵六",
            mobile="13912345678",
        )
    assert "credit_code" in exc.value.errors


def test_register_page_shows_the_errors_in_chinese(client):
    response = client.post(
        reverse("accounts:register"),
        {
            "real_name": "王五",
            "id_number": "110105194912310021",
            "mobile": "13912345678",
            "username": "wangwu",
            "password": "Good#Pass2026",
            "password2": "Good#Pass2026",
        },
    )
    assert response.status_code == 200
    assert "身份证号码校验位不正确" in response.content.decode()
    assert not User.objects.filter(username="wangwu").exists()


def test_register_page_logs_the_new_user_in(client):
    response = client.post(
        reverse("accounts:register"),
        {
            "real_name": "王五",
            "id_number": GOOD_ID,
            "mobile": "13912345678",
            "username": "wangwu",
            "password": "Good#Pass2026",
            "password2": "Good#Pass2026",
        },
        follow=True,
    )
    assert response.context["user"].username == "wangwu"
    assert "注册成功" in response.content.decode()
