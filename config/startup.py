"""Checks made when a process that serves or works starts (the WSGI application, Celery)."""

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured


def ensure_production_secret() -> None:
    """Refuse to serve with the embedded SECRET_KEY outside DEBUG and demo mode: sessions,
    password-reset links and signed tokens would be forgeable by anyone who read the code."""
    if (
        settings.SECRET_KEY == settings.INSECURE_DEFAULT_SECRET_KEY
        and not settings.DEBUG
        and not settings.SHENPI_DEMO
    ):
        raise ImproperlyConfigured(
            "SECRET_KEY 仍是内置的默认值：生产环境请设置一个足够长的随机值"
            "（README“Production”），或以 SHENPI_DEMO=1 运行演示。"
        )


def ensure_personal_data_key() -> None:
    """Refuse to serve outside DEBUG and demo mode with the personal-data keys derived from
    SECRET_KEY: the sealing key must live apart from everything else (PIPL Art. 51)."""
    if settings.PERSONAL_DATA_KEY_DERIVED and not settings.DEBUG and not settings.SHENPI_DEMO:
        raise ImproperlyConfigured(
            "未设置 PERSONAL_DATA_KEY：生产环境请为个人信息加密设置独立的密钥"
            "（64 位十六进制，README“Production”），或以 SHENPI_DEMO=1 运行演示。"
        )
