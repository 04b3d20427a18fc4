"""The floor: a bare Django project (no middleware, no app but the search's table) under the same server and
worker count as the platform, doing the same database work in raw SQL."""

import environ

env = environ.Env()
DEBUG = False
SECRET_KEY = "bench-floor-only"
ALLOWED_HOSTS = ["*"]
# The search's synonyms table only (the FAQ search reads it through the same cache as the
# app: shenpi.search.models.synonym_map).
INSTALLED_APPS: list = ["shenpi.search"]
MIDDLEWARE: list = []
ROOT_URLCONF = "bench.floor_views"
DATABASES = {"default": env.db("DATABASE_URL")}
DATABASES["default"]["CONN_MAX_AGE"] = 60
CACHES = {"default": env.cache("CACHE_URL", default="locmemcache://floor")}
USE_TZ = True
TIME_ZONE = "Asia/Shanghai"
MEDIA_ROOT = env.str("MEDIA_ROOT")
# The same keys as the platform's: the floor seals and digests as it does.
PERSONAL_DATA_KEY_ID = "1"
PERSONAL_DATA_KEYS = {"1": env.str("PERSONAL_DATA_KEY")}
PERSONAL_DATA_DIGEST_KEY = env.str("PERSONAL_DATA_DIGEST_KEY")
DATA_UPLOAD_MAX_MEMORY_SIZE = 30 * 1024 * 1024
