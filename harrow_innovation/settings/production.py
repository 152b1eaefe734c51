"""Production: no default secret, secure cookies, HSTS and HTTPS.

Behind a proxy that terminates TLS, set SECURE_PROXY_SSL_HEADER_ENABLED=true
(trusts X-Forwarded-Proto) and leave SECURE_SSL_REDIRECT on, or turn the
redirect off where the proxy already redirects.
"""

from harrow_innovation.config import ConfigError, get_bool, get_int, get_list, get_site_url, get_str

from .base import *  # noqa: F403

SECRET_KEY = get_str("SECRET_KEY", required=True)
if len(SECRET_KEY) < 50 or len(set(SECRET_KEY)) < 5:
    raise ConfigError("SECRET_KEY is too weak: use at least 50 random characters.")
DEBUG = False
IS_PRODUCTION = True
ALLOWED_HOSTS = get_list("ALLOWED_HOSTS", required=True)
# Links in emails and calendar files: no laptop default, so they never point at 127.0.0.1:8000.
SITE_URL = get_site_url("SITE_URL", required=True, https=True)
DATABASES = {"default": get_database("DATABASE_URL", required=True)}  # noqa: F405
REDIS_URL = get_redis_url("REDIS_URL")  # noqa: F405
if not REDIS_URL:
    raise ConfigError("REDIS_URL is not set: production needs a broker for Celery.")
CELERY_BROKER_URL = REDIS_URL
CELERY_RESULT_BACKEND = REDIS_URL
CELERY_TASK_ALWAYS_EAGER = False

SECURE_SSL_REDIRECT = get_bool("SECURE_SSL_REDIRECT", True)
if get_bool("SECURE_PROXY_SSL_HEADER_ENABLED", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_HSTS_SECONDS = get_int("SECURE_HSTS_SECONDS", 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = get_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
SECURE_HSTS_PRELOAD = get_bool("SECURE_HSTS_PRELOAD", True)
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
CSRF_COOKIE_HTTPONLY = True
SESSION_COOKIE_NAME = "__Host-sessionid"
CSRF_COOKIE_NAME = "__Host-csrftoken"
