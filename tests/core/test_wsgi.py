import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_the_wsgi_module_imports_every_view_before_the_first_request():
    """gunicorn preloads config.wsgi in its master: with the URLconf (and so every view)
    imported there, a forked or recycled worker does not import them on its first request."""
    code = (
        "import sys, config.wsgi; "
        "print('config.urls' in sys.modules, 'shenpi.api.cases' in sys.modules)"
    )
    env = dict(
        os.environ,
        DJANGO_SETTINGS_MODULE="config.settings",
        SHENPI_DEMO="0",
        SECRET_KEY="a-test-key-that-is-not-the-embedded-default-0123456789-abcdefghij",
        PERSONAL_DATA_KEY="3f" * 32,
        PERSONAL_DATA_DIGEST_KEY="a7" * 32,
        SHENPI_PUBLIC_URL="https://shenpi.nx.gov.cn",
    )
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )
    assert out.returncode == 0, out.stderr
    assert out.stdout.split() == ["True", "True"]
