"""Shenpi settings: one module, read from the environment (twelve-factor).

Every variable is documented in README.md with its default. The embedded
default (SQLite, tasks inline, no Redis) needs none of them.
"""

import hashlib
from datetime import timedelta
from pathlib import Path

import environ

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

# --- core -------------------------------------------------------------------
DEBUG = env.bool("DEBUG", default=False)
# Demo mode: demo credentials shown on the login page and by `seed_demo`.
SHENPI_DEMO = env.bool("SHENPI_DEMO", default=DEBUG)
# The embedded default is marked "django-insecure-" so that `check --deploy` flags it
# (security.W009); the WSGI application and the Celery app refuse to start with it unless
# DEBUG or demo mode is on (config/startup.py).
INSECURE_DEFAULT_SECRET_KEY = "django-insecure-embedded-default-set-SECRET_KEY-in-production"
SECRET_KEY = env.str("SECRET_KEY", default=INSECURE_DEFAULT_SECRET_KEY)
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "testserver"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
# Production behind a TLS-terminating proxy: set SHENPI_SECURE=1.
SHENPI_SECURE = env.bool("SHENPI_SECURE", default=False)
_SILENCED_FOR_TLS_PROXY: list[str] = []
if SHENPI_SECURE:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = 31536000
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=False)
    if not SECURE_SSL_REDIRECT:
        # The TLS-terminating proxy (nginx, README "Production") answers plain HTTP with a
        # redirect; behind it every request reaching Django is HTTPS already.
        _SILENCED_FOR_TLS_PROXY.append("security.W008")
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
# The number of proxies in front of the web nodes (nginx: 1); used to read the client IP.
SHENPI_TRUSTED_PROXIES = env.int("SHENPI_TRUSTED_PROXIES", default=0)

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "shenpi.accounts",
    "shenpi.audit",
    "shenpi.workdays",
    "shenpi.search",
    "shenpi.catalog",
    "shenpi.publishing",
    "shenpi.cases",
    "shenpi.notify",
    "shenpi.exchange",
    "shenpi.supervision",
    "shenpi.consult",
    "shenpi.stats",
    "shenpi.agency",
    "shenpi.hall",
    "shenpi.api",
    "shenpi.portal",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Every audit record written while serving a request says from which address.
    "shenpi.audit.middleware.RequestAddressMiddleware",
    "shenpi.common.security.ContentSecurityPolicyMiddleware",
    "shenpi.common.security.RejectNulMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "shenpi.accounts.middleware.StaffSessionMiddleware",
    "shenpi.accounts.middleware.RequireTwoFactorMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Axes last, as its documentation asks.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "shenpi" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "shenpi.portal.context_processors.shenpi",
            ],
            "builtins": ["shenpi.portal.templatetags.shenpi_tags"],
        },
    },
]

# --- database ---------------------------------------------------------------
# SQLite by default (embedded); PostgreSQL through DATABASE_URL=postgres://…
DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'var' / 'shenpi.sqlite3'}"),
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL + IMMEDIATE transactions + a busy timeout let several server workers
    # share the file: writers queue instead of failing with "database is locked".
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": (
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;"
        ),
    }
else:
    DATABASES["default"].setdefault("CONN_MAX_AGE", env.int("CONN_MAX_AGE", default=60))
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
    # The planner's price of a random page read (PostgreSQL's default, 4, is for spinning
    # disks). A database server on SSD with its working set in memory reads a random page
    # at nearly the price of a sequential one; at 4, an official's inbox page at ten
    # thousand cases was planned as a hash join over every case in processing (4.8 ms)
    # instead of 51 index probes along the inbox's index (1.7 ms). Set per connection, so
    # that it holds on any server; PG_RANDOM_PAGE_COST overrides it.
    _random_page_cost = env.float("PG_RANDOM_PAGE_COST", default=1.1)
    # Room for the deadline scan's temporary tables in the session's own buffers (the
    # default, 8 MB, is less than one of them at a million cases, so each read of one went
    # back to the operating system; 64 MB took a tenth off the scan's judging). Only a
    # session that uses temporary tables takes the memory, as it needs it; it can be set
    # only before the first, hence here.
    _db_options = DATABASES["default"].setdefault("OPTIONS", {})
    _db_options["options"] = " ".join(
        filter(
            None,
            [
                _db_options.get("options"),
                f"-c random_page_cost={_random_page_cost}",
                "-c temp_buffers=64MB",
            ],
        )
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

CACHES = {"default": env.cache("CACHE_URL", default="locmemcache://shenpi")}

# --- accounts and login security (等保 level 3) --------------------------------
AUTH_USER_MODEL = "accounts.User"
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 8},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    {"NAME": "shenpi.accounts.validators.CharacterClassValidator"},
]
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# 统一身份认证: the province's identity service over OpenID Connect (accounts/oidc.py),
# on when its client id is set; password login stays either way.
OIDC_RP_CLIENT_ID = env.str("OIDC_RP_CLIENT_ID", default="")
OIDC_RP_CLIENT_SECRET = env.str("OIDC_RP_CLIENT_SECRET", default="")
OIDC_OP_AUTHORIZATION_ENDPOINT = env.str("OIDC_OP_AUTHORIZATION_ENDPOINT", default="")
OIDC_OP_TOKEN_ENDPOINT = env.str("OIDC_OP_TOKEN_ENDPOINT", default="")
OIDC_OP_USER_ENDPOINT = env.str("OIDC_OP_USER_ENDPOINT", default="")
OIDC_OP_JWKS_ENDPOINT = env.str("OIDC_OP_JWKS_ENDPOINT", default="")
OIDC_RP_SIGN_ALGO = env.str("OIDC_RP_SIGN_ALGO", default="RS256")
OIDC_RP_SCOPES = "openid profile"
OIDC_CREATE_USER = False
OIDC_TIMEOUT = 5
OIDC_AUTHENTICATION_CALLBACK_URL = "accounts:oidc_callback"
LOGIN_REDIRECT_URL_FAILURE = "/accounts/login/"
SHENPI_OIDC = bool(OIDC_RP_CLIENT_ID)
if SHENPI_OIDC:
    AUTHENTICATION_BACKENDS.append("shenpi.accounts.oidc.UnifiedIdentityBackend")
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "portal:home"
LOGOUT_REDIRECT_URL = "portal:home"

# Lockout after 5 failures for the same user name, for 30 minutes.
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("AXES_COOLOFF_MINUTES", default=30))
# Locked by the user name together with the address the guesses come from, so nobody can
# lock another person's account by failing its password on purpose; guessing one name from
# many addresses is slowed by accounts.throttle instead, and the owner can unlock with a
# code sent to their mobile (accounts/unlock/).
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "shenpi.accounts.lockout.lockout_response"
AXES_IPWARE_PROXY_COUNT = SHENPI_TRUSTED_PROXIES or None
AXES_VERBOSE = False

# Staff sessions expire after 30 idle minutes; applicants' after 2 hours.
SHENPI_STAFF_IDLE_MINUTES = env.int("SHENPI_STAFF_IDLE_MINUTES", default=30)
SHENPI_PUBLIC_IDLE_MINUTES = env.int("SHENPI_PUBLIC_IDLE_MINUTES", default=120)
SESSION_COOKIE_AGE = SHENPI_PUBLIC_IDLE_MINUTES * 60
# TOTP second factor required for supervisor, leader and admin when on.
SHENPI_REQUIRE_2FA = env.bool("SHENPI_REQUIRE_2FA", default=not SHENPI_DEMO)
OTP_TOTP_ISSUER = "宁夏网上审批平台"

# --- i18n -------------------------------------------------------------------
LANGUAGE_CODE = "zh-hans"
# Only Simplified Chinese until another locale file exists; the browser's
# Accept-Language must not switch Django's own messages to another language.
LANGUAGES = [("zh-hans", "简体中文")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

# --- static and media files -------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "var" / "static"
# Front-end libraries come from npm (package-lock.json) and are served locally.
STATICFILES_DIRS = [
    BASE_DIR / "shenpi" / "static",
    ("vendor/bootstrap", BASE_DIR / "node_modules" / "bootstrap" / "dist"),
    ("vendor/bootstrap-icons", BASE_DIR / "node_modules" / "bootstrap-icons" / "font"),
    ("vendor/htmx", BASE_DIR / "node_modules" / "htmx.org" / "dist"),
    ("vendor/echarts", BASE_DIR / "node_modules" / "echarts" / "dist"),
]
# Files of npm packages too big to collect whole (shenpi.common.vendorfiles).
SHENPI_VENDOR_FILES = {
    "vendor/hls/hls.min.js": BASE_DIR / "node_modules" / "hls.js" / "dist" / "hls.min.js",
    "vendor/hls/hls.min.js.map": BASE_DIR / "node_modules" / "hls.js" / "dist" / "hls.min.js.map",
}
STATICFILES_FINDERS = [
    "django.contrib.staticfiles.finders.FileSystemFinder",
    "django.contrib.staticfiles.finders.AppDirectoriesFinder",
    "shenpi.common.vendorfiles.VendorFileFinder",
]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": env.str(
            "STATICFILES_BACKEND",
            default="whitenoise.storage.CompressedManifestStaticFilesStorage",
        )
    },
}
MEDIA_ROOT = env.path("MEDIA_ROOT", default=BASE_DIR / "var" / "media")
MEDIA_URL = "/media/"

# --- REST API ---------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "shenpi.api.authentication.BearerTokenAuthentication",
        "shenpi.api.authentication.CsrfSessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_SCHEMA_CLASS": "shenpi.api.schema.OneBodyTypeSchema",
    "DEFAULT_PAGINATION_CLASS": "shenpi.api.pagination.CursorPagination",
    "PAGE_SIZE": 50,
    "EXCEPTION_HANDLER": "shenpi.api.errors.problem_exception_handler",
    "DEFAULT_RENDERER_CLASSES": [
        "rest_framework.renderers.JSONRenderer",
        "rest_framework.renderers.BrowsableAPIRenderer",
    ],
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Shenpi 网上审批平台 API",
    "DESCRIPTION": (
        "宁夏回族自治区网上审批平台的 REST API。错误以 RFC 7807 application/problem+json 返回；"
        "列表用游标分页；改变状态的 POST 接受 Idempotency-Key。"
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "SCHEMA_PATH_PREFIX": r"/api/v1",
    "COMPONENT_SPLIT_REQUEST": True,
    # A decision's outcome (granted or refused) and a case's (which may be none yet).
    "ENUM_NAME_OVERRIDES": {
        "DecisionOutcomeEnum": ["granted", "refused"],
        "CaseOutcomeEnum": "shenpi.cases.constants.Outcome",
    },
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "shenpi.api.schema.add_problem_responses",
    ],
}
# Personal API tokens live this many days.
SHENPI_TOKEN_DAYS = env.int("SHENPI_TOKEN_DAYS", default=30)

# --- background work --------------------------------------------------------
# Embedded default: tasks run inline (eager) and `make run` starts the
# scheduler beside the web server. Production: Redis broker, workers and beat.
CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default="")
CELERY_RESULT_BACKEND = env.str("CELERY_RESULT_BACKEND", default=CELERY_BROKER_URL or None)
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TIMEZONE = TIME_ZONE
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1

# --- audit ------------------------------------------------------------------
AUDIT_HASH = env.str("AUDIT_HASH", default="sha256")  # or "sm3" (国密, through gmssl)
# Checkpoints are signed (HMAC) with a key held outside the database, and each checkpoint's
# digest is also appended to a file outside it (send or copy it to the supervision body):
# a rewrite of the log, checkpoints included, is caught against either.
AUDIT_SIGNING_KEY = env.str("AUDIT_SIGNING_KEY", default=SECRET_KEY)
# Written notices and licences are signed (PAdES) by their organ's key, issued by the
# platform's certificate authority; keys are kept in this folder, outside the database
# (shenpi/common/pdfsigning.py). The backend is the algorithm's (an SM2 one can replace it).
SHENPI_SIGNING_DIR = env.str("SHENPI_SIGNING_DIR", default=str(BASE_DIR / "var" / "signing"))
SHENPI_PDF_SIGNER = env.str("SHENPI_PDF_SIGNER", default="shenpi.common.pdfsigning.PadesBackend")
AUDIT_DIGEST_FILE = env.str(
    "AUDIT_DIGEST_FILE", default=str(BASE_DIR / "var" / "audit-digests.log")
)
# Seconds between checkpoints that chain the heads of every audit stream.
AUDIT_CHECKPOINT_SECONDS = env.int("AUDIT_CHECKPOINT_SECONDS", default=600)

# --- personal information at rest (common/personal.py) ----------------------------
# Resident ID and mobile numbers are sealed with SM4 under a key from the environment, never
# from the database: PERSONAL_DATA_KEY, 64 hex digits (32 bytes). A new key gets a new
# PERSONAL_DATA_KEY_ID; the old ones stay in PERSONAL_DATA_OLD_KEYS ("id:hex,id:hex") so the
# tokens they sealed still open. The look-up digest has a key of its own that never rotates.
# Without them (DEBUG, demo, tests) both are derived from SECRET_KEY; a production process
# refuses to start that way (config/startup.py).


def _derived_key(purpose: str) -> str:
    return hashlib.sha256(f"{SECRET_KEY}|shenpi|{purpose}".encode()).hexdigest()


PERSONAL_DATA_KEY_ID = env.str("PERSONAL_DATA_KEY_ID", default="1")
PERSONAL_DATA_KEY_DERIVED = not (
    env.str("PERSONAL_DATA_KEY", default="") and env.str("PERSONAL_DATA_DIGEST_KEY", default="")
)
PERSONAL_DATA_KEYS = {
    **dict(pair.split(":", 1) for pair in env.list("PERSONAL_DATA_OLD_KEYS", default=[]) if pair),
    PERSONAL_DATA_KEY_ID: env.str("PERSONAL_DATA_KEY", default="") or _derived_key("seal"),
}
PERSONAL_DATA_DIGEST_KEY = env.str("PERSONAL_DATA_DIGEST_KEY", default="") or _derived_key("digest")

# --- notices and uploads ---------------------------------------------------------
# The SMS gateway: a class with send(to, text); the default only logs.
# The exchange's POSTs to subscribers: (connect, read) seconds. A slow receiver is retried
# later, never waited on for long: the worker has others to serve.
EXCHANGE_TIMEOUT = (2, env.float("EXCHANGE_READ_TIMEOUT", default=5.0))
SHENPI_SMS_BACKEND = env.str("SHENPI_SMS_BACKEND", default="shenpi.notify.sms.LoggingSmsBackend")
# A TrueType CJK font to embed in written notices; default: the STSong-Light CID font.
SHENPI_PDF_FONT = env.str("SHENPI_PDF_FONT", default="")
# Upload limits for case materials.
SHENPI_MAX_FILE_MB = env.int("SHENPI_MAX_FILE_MB", default=20)
SHENPI_MAX_CASE_MB = env.int("SHENPI_MAX_CASE_MB", default=100)
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
# A bad rating's rectification deadline in working days (好差评; local rules differ: 5 to 15).
SHENPI_BAD_RATING_DAYS = env.int("SHENPI_BAD_RATING_DAYS", default=15)
# The service hall: three no-shows within a month block online booking for 30 days.
SHENPI_NO_SHOW_LIMIT = env.int("SHENPI_NO_SHOW_LIMIT", default=3)
SHENPI_NO_SHOW_BLOCK_DAYS = env.int("SHENPI_NO_SHOW_BLOCK_DAYS", default=30)
# Public site address used in QR codes and links on notices and licences; `make run` sets it
# from its PORT, production must set it (checked at start-up, config/startup.py).
SHENPI_PUBLIC_URL = env.str("SHENPI_PUBLIC_URL", default="")
SHENPI_PUBLIC_URL_SET = bool(SHENPI_PUBLIC_URL)
SHENPI_PUBLIC_URL = SHENPI_PUBLIC_URL or "http://127.0.0.1:8000"

# --- mail -------------------------------------------------------------------
# Embedded default: e-mails are written as files under var/mail (set SMTP in production).
EMAIL_BACKEND = env.str("EMAIL_BACKEND", default="django.core.mail.backends.filebased.EmailBackend")
EMAIL_FILE_PATH = env.str("EMAIL_FILE_PATH", default=str(BASE_DIR / "var" / "mail"))
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="noreply@shenpi.nx.gov.cn")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {"axes": {"level": "WARNING"}},
}

# The deadline scan's covering indexes (cases.Case/Task) are for PostgreSQL, where the scan
# reads them index-only; SQLite makes them without their included columns, and says so.
SILENCED_SYSTEM_CHECKS = ["models.W040", *_SILENCED_FOR_TLS_PROXY]
# 信息时效: an item's guide not reviewed (a new version's legal review, or the
# department's confirmation) for this many months is listed for its department.
SHENPI_GUIDE_REVIEW_MONTHS = env.int("SHENPI_GUIDE_REVIEW_MONTHS", default=12)
