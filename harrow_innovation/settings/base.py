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
    get_str,
)

VAR_DIR = BASE_DIR / "var"

SECRET_KEY = get_str("SECRET_KEY", "insecure-local-only-key-change-me")
DEBUG = get_bool("DEBUG", False)
ALLOWED_HOSTS = get_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"])
CSRF_TRUSTED_ORIGINS = get_list("CSRF_TRUSTED_ORIGINS")
SITE_URL = get_str("SITE_URL", "http://127.0.0.1:8000").rstrip("/")
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
    "rest_framework.authtoken",
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
    "harrow_innovation.notifications",
    "ideas",
    "board",
    "portfolio",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "harrow_innovation.core.middleware.NoStoreMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
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

# Sign-in throttling: after 5 failures for one email from one address, that
# pair waits 15 minutes. Nobody is locked out forever.
AXES_FAILURE_LIMIT = get_int("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = timedelta(minutes=get_int("AXES_COOLOFF_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_RESET_ON_SUCCESS = True
AXES_USERNAME_FORM_FIELD = "username"  # the sign-in form field that carries the email
AXES_VERBOSE = False
AXES_IPWARE_PROXY_COUNT = get_int("AXES_PROXY_COUNT", 0)

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
BOARD_PACK_STALE_MINUTES = get_int("BOARD_PACK_STALE_MINUTES", 5)  # a pack build silent this long is taken over

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
        "rest_framework.authentication.SessionAuthentication",
        "rest_framework.authentication.TokenAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
}
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
SESSION_COOKIE_AGE = 60 * 60 * 10
CSRF_FAILURE_VIEW = "harrow_innovation.core.views.csrf_failure"
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

# Optional single sign-on with Microsoft Entra ID (OpenID Connect). Off unless
# OIDC_RP_CLIENT_ID is set; see README.
OIDC_RP_CLIENT_ID = get_str("OIDC_RP_CLIENT_ID")
OIDC_ENABLED = bool(OIDC_RP_CLIENT_ID)
if OIDC_ENABLED:
    _tenant = get_str("OIDC_ENTRA_TENANT_ID", required=True)
    OIDC_RP_CLIENT_SECRET = get_str("OIDC_RP_CLIENT_SECRET", required=True)
    OIDC_RP_SIGN_ALGO = "RS256"
    OIDC_RP_SCOPES = "openid email profile"
    OIDC_OP_AUTHORIZATION_ENDPOINT = f"https://login.microsoftonline.com/{_tenant}/oauth2/v2.0/authorize"
    OIDC_OP_TOKEN_ENDPOINT = f"https://login.microsoftonline.com/{_tenant}/oauth2/v2.0/token"
    OIDC_OP_USER_ENDPOINT = "https://graph.microsoft.com/oidc/userinfo"
    OIDC_OP_JWKS_ENDPOINT = f"https://login.microsoftonline.com/{_tenant}/discovery/v2.0/keys"
    OIDC_CREATE_USER = get_bool("OIDC_CREATE_USER", True)
    INSTALLED_APPS.append("mozilla_django_oidc")
    AUTHENTICATION_BACKENDS.insert(1, "harrow_innovation.people.oidc.EntraBackend")
    LOGIN_REDIRECT_URL_FAILURE = "/accounts/login/"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": get_str("LOG_LEVEL", "INFO")},
    "loggers": {"axes": {"level": "WARNING"}},
}
