"""Checks made when a process that serves or works starts (the WSGI application, Celery)."""

from urllib.parse import urlsplit

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


def ensure_public_url() -> None:
    """Every notice and licence prints a QR code and a link to its verification page at
    SHENPI_PUBLIC_URL: outside DEBUG and demo mode it must be set, absolute and HTTPS, or
    the documents people hold would point at nothing (or at someone else's host)."""
    if settings.DEBUG or settings.SHENPI_DEMO:
        return
    url = settings.SHENPI_PUBLIC_URL
    parsed = urlsplit(url)
    if not settings.SHENPI_PUBLIC_URL_SET or parsed.scheme != "https" or not parsed.hostname:
        raise ImproperlyConfigured(
            f"SHENPI_PUBLIC_URL（{url or '未设置'}）须设置为平台对外的 https 地址，"
            "例如 https://zwfw.nx.gov.cn（README“Production”）：文书和证照上的二维码指向它。"
        )
