"""Production settings (issue 29, 10, 28): the embedded SECRET_KEY is flagged by
`check --deploy` and refused at start; the README's production variables pass it clean."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
KEY = "pV8rN3x-Qm2sT7wK9yZ4bL6cF1hJ5dG0aE8uR3iO7pS2tY6vX4nM9qW1eB5zC0lH"
PRODUCTION = {
    "SECRET_KEY": KEY,
    "ALLOWED_HOSTS": "shenpi.nx.gov.cn",
    "CSRF_TRUSTED_ORIGINS": "https://shenpi.nx.gov.cn",
    "SHENPI_SECURE": "1",
    "SHENPI_TRUSTED_PROXIES": "1",
    "SHENPI_DEMO": "0",
    "DEBUG": "0",
    "PERSONAL_DATA_KEY": "3f" * 32,
    "PERSONAL_DATA_DIGEST_KEY": "a7" * 32,
    "SHENPI_PUBLIC_URL": "https://shenpi.nx.gov.cn",
}


def run(code_or_args, **env):
    # The browser journeys set DJANGO_ALLOW_ASYNC_UNSAFE in this process; a deployment does not.
    dropped = {*PRODUCTION, "DJANGO_ALLOW_ASYNC_UNSAFE"}
    clean = {k: v for k, v in os.environ.items() if k not in dropped}
    return subprocess.run(
        [sys.executable, *code_or_args],
        cwd=ROOT,
        env={**clean, "DJANGO_SETTINGS_MODULE": "config.settings", **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_the_readmes_production_variables_pass_check_deploy_clean():
    out = run(["manage.py", "check", "--deploy"], **PRODUCTION)
    assert out.returncode == 0, out.stderr
    assert "System check identified no issues" in out.stdout, out.stdout + out.stderr


def test_check_deploy_flags_the_embedded_key():
    env = {k: v for k, v in PRODUCTION.items() if k != "SECRET_KEY"}
    out = run(["manage.py", "check", "--deploy"], **env)
    assert "security.W009" in out.stdout + out.stderr


def test_the_application_refuses_to_start_with_the_embedded_key():
    env = {k: v for k, v in PRODUCTION.items() if k != "SECRET_KEY"}
    out = run(["-c", "import config.wsgi"], **env)
    assert out.returncode != 0 and "ImproperlyConfigured" in out.stderr
    assert run(["-c", "import config.wsgi"], **PRODUCTION).returncode == 0
    demo = run(["-c", "import config.wsgi"], **{**env, "SHENPI_DEMO": "1"})
    assert demo.returncode == 0, demo.stderr


def test_the_application_refuses_to_start_without_its_own_personal_data_keys():
    """Finding 19: the key that seals ID and mobile numbers lives apart from SECRET_KEY."""
    for missing in ("PERSONAL_DATA_KEY", "PERSONAL_DATA_DIGEST_KEY"):
        env = {k: v for k, v in PRODUCTION.items() if k != missing}
        out = run(["-c", "import config.wsgi"], **env)
        assert out.returncode != 0 and "PERSONAL_DATA_KEY" in out.stderr, missing
        worker = run(["-c", "import config.celery as c; c._refuse_the_embedded_secret()"], **env)
        assert worker.returncode != 0 and "PERSONAL_DATA_KEY" in worker.stderr, missing
    demo = run(
        ["-c", "import config.wsgi"], **{**PRODUCTION, "PERSONAL_DATA_KEY": "", "SHENPI_DEMO": "1"}
    )
    assert demo.returncode == 0, demo.stderr


def test_the_application_refuses_to_start_without_its_public_https_address():
    """Issue 28: the QR codes on notices and licences point at SHENPI_PUBLIC_URL."""
    unset = {k: v for k, v in PRODUCTION.items() if k != "SHENPI_PUBLIC_URL"}
    for env in (unset, {**PRODUCTION, "SHENPI_PUBLIC_URL": "http://shenpi.nx.gov.cn"}):
        out = run(["-c", "import config.wsgi"], **env)
        assert out.returncode != 0 and "SHENPI_PUBLIC_URL" in out.stderr, out.stderr
        worker = run(["-c", "import config.celery as c; c._refuse_the_embedded_secret()"], **env)
        assert worker.returncode != 0 and "SHENPI_PUBLIC_URL" in worker.stderr
    assert run(["-c", "import config.wsgi"], **{**unset, "SHENPI_DEMO": "1"}).returncode == 0
