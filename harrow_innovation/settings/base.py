"""Settings shared by every environment.

Values that vary are read from the environment through ``harrow_innovation.config``.
With no environment at all the service runs on a laptop: SQLite under ``var/``,
Celery tasks in-process, email written to ``var/mail/``.
"""

from datetime import timedelta

from csp.constants import NONCE, NONE, SELF

from harrow_innovation.config import (
    BASE_DIR,
    get_bool,
    get_database,
    get_int,
    get_list,
    get_redis_url,
    get_site_url,
    get_str,
)

from .sso import sso_settings

VAR_DIR = BASE_DIR / "var"

SECRET_KEY = get_str("SECRET_KEY", "insecure-local-only-key-change-me")
DEBUG = get_bool("DEBUG", False)
ALLOWED_HOSTS = get_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"])
CSRF_TRUSTED_ORIGINS = get_list("CSRF_TRUSTED_ORIGINS")
SITE_URL = get_site_url("SITE_URL", "http://127.0.0.1:8000")
# True only under production settings: commands that would be dangerous there (seed_demo) refuse.
IS_PRODUCTION = False

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.postgres",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "django_celery_beat",
    "crispy_forms",
    "crispy_forms_gds",
    "axes",
    "csp",
    "simple_history",
    "harrow_innovation.people",
    "harrow_innovation.core",
    "notifications",
    "ideas",
    "board",
    "portfolio",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "harrow_innovation.core.middleware.NoStoreMiddleware",
    # Outside everything that may touch the database, so a 503 or 500 answered from a failure in
    # later middleware (loading the session, the closed-account check) still carries the policy.
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "harrow_innovation.people.closed_accounts.closed_account_middleware",
    "harrow_innovation.people.session_expiry.SessionExpiryMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "axes.middleware.AxesMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "harrow_innovation.core.middleware.DatabaseOutageMiddleware",
    "harrow_innovation.core.middleware.RequestSizeLimitMiddleware",  # last: before anything reads the body
]

ROOT_URLCONF = "harrow_innovation.urls"
WSGI_APPLICATION = "harrow_innovation.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "harrow_innovation.core.context_processors.service",
            ],
        },
    },
]

DATABASES = {"default": get_database("DATABASE_URL", f"sqlite:///{VAR_DIR / 'db.sqlite3'}")}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "people.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "harrow_innovation.people.backends.AccountBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Sign-in throttling: after 5 failures for one account (any spelling of its email)
# from one client address, that pair waits 15 minutes. Nobody is locked out forever,
# and nobody elsewhere is locked out at all; an account attacked from many addresses
# is slowed (one attempt every SIGN_IN_ACCOUNT_SLOW_SECONDS) only for devices it has never
# signed in on (people/sign_in_throttle.py).
AXES_FAILURE_LIMIT = get_int("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = timedelta(minutes=get_int("AXES_COOLOFF_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_LOCKOUT_CALLABLE = "harrow_innovation.people.sign_in_throttle.lockout_response"
AXES_RESET_ON_SUCCESS = True
AXES_USERNAME_FORM_FIELD = "username"  # the sign-in form field that carries the email
AXES_USERNAME_CALLABLE = "harrow_innovation.people.sign_in_throttle.axes_username"
AXES_VERBOSE = False
# Proxies in front that append to X-Forwarded-For; the client address is read from
# that header (people/client_address.py), for sign-in and password-reset limits.
CLIENT_PROXY_COUNT = get_int("AXES_PROXY_COUNT", 0)
AXES_CLIENT_IP_CALLABLE = "harrow_innovation.people.client_address.client_ip"
SIGN_IN_ACCOUNT_FAILURE_LIMIT = get_int("SIGN_IN_ACCOUNT_FAILURE_LIMIT", 20)
SIGN_IN_ACCOUNT_SLOW_SECONDS = get_int("SIGN_IN_ACCOUNT_SLOW_SECONDS", 30)
PASSWORD_RESET_PER_EMAIL_PER_HOUR = get_int("PASSWORD_RESET_PER_EMAIL_PER_HOUR", 3)
PASSWORD_RESET_PER_CLIENT_PER_HOUR = get_int("PASSWORD_RESET_PER_CLIENT_PER_HOUR", 10)

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = False
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_ROOT = get_str("MEDIA_ROOT", str(VAR_DIR / "media"))
STORAGES = {
    # Uploads are never served by URL: views stream them after a permission check.
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"base_url": None}},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
ATTACHMENT_MAX_BYTES = get_int("ATTACHMENT_MAX_MB", 10) * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

CRISPY_ALLOWED_TEMPLATE_PACKS = ["gds"]
CRISPY_TEMPLATE_PACK = "gds"

# Email: written to var/mail/ unless an SMTP server is configured.
EMAIL_HOST = get_str("EMAIL_HOST")
if EMAIL_HOST:
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_PORT = get_int("EMAIL_PORT", 587)
    EMAIL_HOST_USER = get_str("EMAIL_HOST_USER")
    EMAIL_HOST_PASSWORD = get_str("EMAIL_HOST_PASSWORD")
    EMAIL_USE_TLS = get_bool("EMAIL_USE_TLS", True)
    EMAIL_TIMEOUT = 10
else:
    EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    EMAIL_FILE_PATH = VAR_DIR / "mail"
DEFAULT_FROM_EMAIL = get_str("DEFAULT_FROM_EMAIL", "Harrow Innovation Pipeline <innovation@harrow.example>")

# Reminders and housekeeping.
NOTIFY_MEETING_DAYS = get_list("NOTIFY_MEETING_DAYS", ["7", "1"])  # remind members this many days before a meeting
PORTFOLIO_STALLED_DAYS = get_int("PORTFOLIO_STALLED_DAYS", 60)  # delivery with no update this long shows as stalled
PORTFOLIO_UPDATE_DAYS = get_int("PORTFOLIO_UPDATE_DAYS", 30)  # an owner's delivery update is due this long after the last
SEARCH_COUNT_CAP = get_int("SEARCH_COUNT_CAP", 1000)  # a search counts its matches up to this many, then says "more than" (ideas/capped.py)
OVERLAPS_MAX_AGE_HOURS = get_int("OVERLAPS_MAX_AGE_HOURS", 24)  # kept overlaps older than this are worked out again
OVERLAPS_REFRESH_BATCH = get_int("OVERLAPS_REFRESH_BATCH", 500)  # ideas the hourly overlaps job works out, at most
BOARD_PACK_STALE_MINUTES = get_int("BOARD_PACK_STALE_MINUTES", 5)  # a pack build silent this long is taken over
OUTBOX_RETENTION_DAYS = get_int("OUTBOX_RETENTION_DAYS", 7)  # delivered task-outbox rows are deleted after this
OUTBOX_MAX_ATTEMPTS = get_int("OUTBOX_MAX_ATTEMPTS", 10)  # an in-process task failing this often is given up

# Celery: with REDIS_URL, a real broker and separate worker and beat processes;
# without it, tasks run in-process so a laptop needs nothing else.
REDIS_URL = get_redis_url("REDIS_URL")
CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_RESULT_BACKEND = REDIS_URL or None
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BROKER_CONNECTION_TIMEOUT = 2
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 3600, "socket_connect_timeout": 2, "socket_timeout": 5}
CELERY_RESULT_EXPIRES = 3600
CELERY_TIMEZONE = TIME_ZONE
CELERY_TASK_SERIALIZER = "json"
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
CELERY_ACCEPT_CONTENT = ["json"]

# Read-only JSON API (portfolio.api): same visibility rules as the pages.
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "portfolio.api.tokens.ApiTokenAuthentication",  # first: it decides 401 (bad token) or 403
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
}
# API tokens expire this many days after they are made; admins can change one token's expiry in admin.
API_TOKEN_LIFETIME_DAYS = get_int("API_TOKEN_LIFETIME_DAYS", 365)
SPECTACULAR_SETTINGS = {
    "TITLE": "Harrow Innovation Pipeline API",
    "DESCRIPTION": "Read-only access to ideas, stages, reviews, meetings, decisions, central systems and data outputs.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
}

# Strict content security policy: only our own origin, inline script only by nonce.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "frame-ancestors": [NONE],
        "form-action": [SELF],
        "base-uri": [SELF],
        "object-src": [NONE],
    },
}

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_AGE = 60 * 60 * 10  # the absolute limit: sign in again after this, however active
SESSION_IDLE_MINUTES = get_int("SESSION_IDLE_MINUTES", 60)  # signed out after this long without a request
CSRF_FAILURE_VIEW = "harrow_innovation.core.views.csrf_failure"
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

# Optional single sign-on with Microsoft Entra ID (OpenID Connect). Off unless
# OIDC_RP_CLIENT_ID is set; see README and settings/sso.py.
globals().update(sso_settings(AUTHENTICATION_BACKENDS))

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": get_str("LOG_LEVEL", "INFO")},
    "loggers": {"axes": {"level": "WARNING"}},
}
