import os

from django.core.wsgi import get_wsgi_application
from django.urls import get_resolver

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
application = get_wsgi_application()

from config.startup import (  # noqa: E402 (needs the settings)
    ensure_personal_data_key,
    ensure_production_secret,
    ensure_public_url,
)

ensure_production_secret()
ensure_personal_data_key()
ensure_public_url()

# Import the URLconf, and with it every view, now rather than at the first request: under
# gunicorn's preload_app (config/gunicorn.conf.py) this happens once in the master before it
# forks, so a new or recycled worker does not spend its first request importing them (1.2 s
# here, where bytecode is not cached) while requests queue behind it.
get_resolver().url_patterns  # noqa: B018
