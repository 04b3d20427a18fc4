"""统一身份认证 (issue 25): people log in through the identity service over OpenID Connect,
mapped to their accounts by ID number or credit code, against a local provider started by
the test; forged tokens, unknown people and a disabled service are refused."""

import pytest
from cryptography.hazmat.primitives.asymmetric import rsa
from django.test import override_settings

from .identity_provider import IdentityProvider

pytestmark = pytest.mark.django_db

BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
    "shenpi.accounts.oidc.UnifiedIdentityBackend",
]


@pytest.fixture
def provider():
    with (
        IdentityProvider() as running,
        override_settings(AUTHENTICATION_BACKENDS=BACKENDS, **running.settings()),
    ):
        yield running


def log_in(client, provider, claims):
    start = client.get("/accounts/oidc/login/?next=/my/cases/")
    assert start.status_code == 302 and start["Location"].startswith(provider.url)
    return client.get(provider.log_in(start["Location"], claims))


def signed_in(client):
    return client.get("/api/v1/me/").json()


def test_a_person_logs_in_by_id_number(client, provider):
    done = log_in(client, provider, {"sub": "p-1", "id_number": "640104199003071236"})
    assert done.status_code == 302 and done["Location"] == "/my/cases/"
    assert signed_in(client)["username"] == "zhangsan"
    assert provider.token_requests[0]["grant_type"] == "authorization_code"


def test_an_enterprise_logs_in_by_credit_code(client, provider, demo):
    code = demo("saishang").credit_code
    log_in(client, provider, {"sub": "e-1", "credit_code": code.lower()})
    assert signed_in(client)["username"] == "saishang"


def test_someone_without_an_account_is_not_made_one(client, provider):
    from shenpi.accounts.models import User

    before = User.objects.count()
    done = log_in(client, provider, {"sub": "x", "id_number": "640104198507160019"})
    assert done["Location"] == "/accounts/login/"
    assert User.objects.count() == before
    assert client.get("/api/v1/me/").status_code == 401


def test_a_token_signed_with_another_key_is_refused(client, provider):
    provider.signing_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    done = log_in(client, provider, {"sub": "p-1", "id_number": "640104199003071236"})
    assert done["Location"] == "/accounts/login/"
    assert client.get("/api/v1/me/").status_code == 401


def test_a_person_with_a_totp_device_still_gives_its_code(client, provider, demo):
    from django_otp.plugins.otp_totp.models import TOTPDevice

    TOTPDevice.objects.create(user=demo("zhangsan"), name="手机", confirmed=True)
    done = log_in(client, provider, {"sub": "p-1", "id_number": "640104199003071236"})
    assert done["Location"] == "/accounts/login/otp/"
    assert client.get("/api/v1/me/").status_code == 401


def test_the_login_page_offers_it_only_when_configured(client, provider):
    assert "统一身份认证登录" in client.get("/accounts/login/").content.decode()


def test_without_an_identity_service_it_is_not_there(client):
    assert "统一身份认证登录" not in client.get("/accounts/login/").content.decode()
    assert client.get("/accounts/oidc/login/").status_code == 404
    assert client.get("/accounts/oidc/callback/?code=x&state=y").status_code == 404


def test_a_replayed_callback_is_refused(client, provider):
    start = client.get("/accounts/oidc/login/")
    back = provider.log_in(start["Location"], {"sub": "p-1", "id_number": "640104199003071236"})
    assert client.get(back)["Location"] == "/"
    client.logout()
    replayed = client.get(back)
    assert replayed.status_code == 302 and replayed["Location"] == "/accounts/login/"
    assert client.get("/api/v1/me/").status_code == 401
