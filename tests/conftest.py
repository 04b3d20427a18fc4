import tempfile

import pytest
from django.conf import settings
from django.contrib.auth.hashers import make_password

FAST_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def pytest_configure(config):
    # Uploaded and generated files of the suite go to a scratch folder.
    settings.MEDIA_ROOT = tempfile.mkdtemp(prefix="shenpi-test-media-")
    # The signing authority and organs' keys of the suite: made in a scratch folder.
    settings.SHENPI_SIGNING_DIR = tempfile.mkdtemp(prefix="shenpi-test-signing-")
    # The audit checkpoints' digests outside the database, for the suite: a scratch file.
    settings.AUDIT_DIGEST_FILE = f"{tempfile.mkdtemp(prefix='shenpi-test-audit-')}/digests.log"
    # Argon2 is for production; the suite hashes cheaply (tests check behaviour, not cost).
    settings.PASSWORD_HASHERS = FAST_HASHERS + settings.PASSWORD_HASHERS
    # The suite runs as the demo does; tests of the production rule turn 2FA on themselves.
    settings.SHENPI_DEMO = True
    settings.SHENPI_REQUIRE_2FA = False
    # Static files straight from the finders (the live server serves them); the
    # hashed manifest storage of production needs a collectstatic run first.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    make_password("warm-up")


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """The demo world is loaded once for the whole session (tests roll back around it)."""
    from shenpi.demo import seed_everything

    with django_db_blocker.unblock():
        seed_everything(cases=False)
    yield
    from shenpi.cases import numbering

    numbering.close()  # its own connection (PostgreSQL), before the test database is dropped


@pytest.fixture
def demo(db):
    """Look up demo accounts by user name."""
    from shenpi.accounts.models import User

    def get(username):
        return User.objects.get(username=username)

    return get


@pytest.fixture(autouse=True)
def _clear_cache():
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()
