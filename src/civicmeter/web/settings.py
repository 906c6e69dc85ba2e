"""Civicmeter's only settings module.

Everything comes from environment variables with safe defaults: DEBUG is off, ALLOWED_HOSTS is empty
and SECRET_KEY is required unless DEBUG is on or the demo runs (the demo generates a key into
CIVICMETER_HOME). ``civicmeter serve`` bound to a loopback address sets CIVICMETER_LOCAL_HTTP, which
allows the loopback host names over plain HTTP; every other deployment keeps the HTTPS-only defaults.
No library module reads settings at import time.
"""

from __future__ import annotations

import os
import secrets
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured


def _env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def _env_list(name: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, "").split(",") if item.strip()]


PACKAGE_DIR = Path(__file__).resolve().parent.parent
HOME = Path(os.environ.get("CIVICMETER_HOME", "var")).resolve()
HOME.mkdir(parents=True, exist_ok=True)

DEBUG = _env_bool("DEBUG")
TESTING = _env_bool("CIVICMETER_TESTING")
DEMO = _env_bool("CIVICMETER_DEMO")  # set by `civicmeter demo`: generated key, e-mail to files
#: Set by `civicmeter serve` when it listens on a loopback address without BEHIND_TLS_PROXY: the only
#: clients are on this machine, over plain HTTP, so cookies cannot be Secure-only there.
LOCAL_HTTP = _env_bool("CIVICMETER_LOCAL_HTTP") and not _env_bool("BEHIND_TLS_PROXY")
PLAIN_HTTP = DEBUG or TESTING or LOCAL_HTTP
LOOPBACK_HOSTS = ["127.0.0.1", "localhost", "[::1]"]


def _secret_key() -> str:
    """SECRET_KEY from the environment, else the key file the demo generated in CIVICMETER_HOME."""
    key = os.environ.get("SECRET_KEY")
    if key:
        return key
    key_file = HOME / "secret_key"
    if not key_file.exists() and not (DEBUG or TESTING or DEMO):
        raise ImproperlyConfigured(
            "SECRET_KEY is not set. Set the SECRET_KEY environment variable to a long random string "
            "(for example: python -c 'import secrets; print(secrets.token_urlsafe(50))'), "
            f"or run `civicmeter demo` once to generate one into {key_file}."
        )
    if not key_file.exists():
        key_file.write_text(secrets.token_urlsafe(50))
        key_file.chmod(0o600)
    return key_file.read_text().strip()


SECRET_KEY = _secret_key()
ALLOWED_HOSTS = _env_list("ALLOWED_HOSTS") or (
    ["127.0.0.1", "localhost", "testserver"] if DEBUG or TESTING else []
)
if LOCAL_HTTP:
    ALLOWED_HOSTS += [host for host in LOOPBACK_HOSTS if host not in ALLOWED_HOSTS]
CSRF_TRUSTED_ORIGINS = _env_list("CSRF_TRUSTED_ORIGINS")
LOCAL_PORT = os.environ.get("CIVICMETER_LOCAL_PORT", "")  # set by `serve` with CIVICMETER_LOCAL_HTTP
if LOCAL_HTTP and LOCAL_PORT.isdigit():
    # Each loopback name is this same server on its own port: a form read from http://localhost:PORT
    # may post to http://127.0.0.1:PORT. Django compares a post's Origin with its Host, so without
    # these a sign-in was refused (403) when a client named the server both ways.
    CSRF_TRUSTED_ORIGINS += [f"http://{host}:{LOCAL_PORT}" for host in LOOPBACK_HOSTS]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django_htmx",
    "django_tasks",
    "django_tasks_db",
    "axes",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",  # Swagger UI files, served by WhiteNoise like our own
    "civicmeter.web.core",
    "civicmeter.web.mail",
    "civicmeter.web.accounts",
    "civicmeter.web.programmes",
    "civicmeter.web.collection",
    "civicmeter.web.results",
    "civicmeter.web.explorer",
    "civicmeter.web.wellbeing",
    "civicmeter.web.api",
    "civicmeter.web.cityhome",
    "civicmeter.web.recommendations",
    "civicmeter.web.agenda",
    "civicmeter.web.goals",
    "civicmeter.web.assessment",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "civicmeter.web.core.signin_csrf.CookielessSignInMiddleware",  # a cookieless sign-in, then Django's:
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "civicmeter.web.core.middleware.ContentSecurityPolicyMiddleware",
    "axes.middleware.AxesMiddleware",  # last: turns a locked-out sign-in into the lock-out page
]

ROOT_URLCONF = "civicmeter.web.urls"
WSGI_APPLICATION = "civicmeter.web.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{HOME / 'civicmeter.sqlite3'}"),
        # Each server thread keeps its connection between requests: opening one per request cost
        # PostgreSQL a new backend process and this process 2-4 ms of CPU on every page. The health
        # check (a "SELECT 1" when a request first uses a kept connection) replaces one that the
        # database closed (a restart) instead of failing that request.
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "60")),
        conn_health_checks=_env_bool("CONN_HEALTH_CHECKS", default=True),
    )
}
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    # WAL lets the background worker write while the web tier reads.
    DATABASES["default"].setdefault("OPTIONS", {})["init_command"] = "PRAGMA journal_mode=WAL;"
    DATABASES["default"]["OPTIONS"]["transaction_mode"] = "IMMEDIATE"

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Long work (analysis reports, big imports, e-mail) runs as database-backed tasks; `civicmeter serve`
# (and the demo) starts and stops a worker beside the web server. Tests run tasks immediately.
TASKS = {
    "default": {
        "BACKEND": "django_tasks.backends.immediate.ImmediateBackend"
        if TESTING
        else "django_tasks_db.DatabaseBackend",
    }
}
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
if TESTING:
    # Tests create many users; the real hasher's cost is deliberate and would dominate run time.
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",  # first: refuses a locked-out account or address
    "django.contrib.auth.backends.ModelBackend",
]
# Sign-in throttling (django-axes): after AXES_FAILURE_LIMIT failed sign-ins for one account, or from
# one address, further attempts are refused for the cool-off time, even with the right password.
# `manage.py axes_reset` (or axes_reset_username NAME / axes_reset_ip ADDRESS) lifts a lock at once.
AXES_ENABLED = _env_bool("AXES_ENABLED", default=not TESTING)  # tests that need it turn it on
AXES_FAILURE_LIMIT = int(os.environ.get("LOGIN_FAILURE_LIMIT", "10"))
AXES_COOLOFF_TIME = timedelta(minutes=int(os.environ.get("LOGIN_COOLOFF_MINUTES", "30")))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]  # either one locks
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_CLIENT_IP_CALLABLE = "civicmeter.web.accounts.throttle.client_ip"
AXES_SENSITIVE_PARAMETERS = ["password"]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "accounts:home"
LOGOUT_REDIRECT_URL = "explorer:home"

LANGUAGE_CODE = "en"
LANGUAGES = [("en", "English"), ("es", "Español"), ("fr", "Français")]
LOCALE_PATHS = [PACKAGE_DIR / "web" / "locale"]
USE_I18N = True
TIME_ZONE = os.environ.get("TIME_ZONE", "UTC")
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = HOME / "static"
STATICFILES_DIRS = [PACKAGE_DIR / "web" / "static"]  # built front-end assets (make setup: vendor/)
STATIC_ROOT.mkdir(exist_ok=True)  # WhiteNoise warns about a missing root before collectstatic
# Manifest-free on purpose: WhiteNoise serves the files straight from the installed package (found at
# start-up), so no server can run with a missing or stale manifest (every page was a 500 that way) and
# there is no collect step to forget. `collectstatic` still fills STATIC_ROOT for a proxy that wants it.
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True
MEDIA_ROOT = HOME / "media"

# Uploads: keep requests small; uploaded files have their own checked limits, one per kind
# (web/core/upload_limits.py says why each): larger files are refused before they are read or stored.
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
# Every import of a table (responses, outcomes, microdata, KPI values, agenda; web and CLI).
CIVICMETER_MAX_UPLOAD_BYTES = int(os.environ.get("CIVICMETER_MAX_UPLOAD_BYTES", 20 * 1024 * 1024))
# A programme's rules, case file or indicator catalogue (YAML).
CIVICMETER_MAX_YAML_BYTES = int(os.environ.get("CIVICMETER_MAX_YAML_BYTES", 1024 * 1024))
# An assessment's evidence file.
CIVICMETER_EVIDENCE_MAX_BYTES = int(os.environ.get("CIVICMETER_EVIDENCE_MAX_BYTES", 10 * 1024 * 1024))

EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend")
if DEBUG and "EMAIL_BACKEND" not in os.environ:
    EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
if DEMO and "EMAIL_BACKEND" not in os.environ:  # the demo's mail is written to files, never sent
    EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
EMAIL_FILE_PATH = HOME / "outbox"
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "civicmeter@localhost")
CIVICMETER_BASE_URL = os.environ.get("CIVICMETER_BASE_URL", "http://127.0.0.1:8000")

# Security defaults: on unless DEBUG. Behind a TLS-terminating proxy set SECURE_PROXY_SSL_HEADER.
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False  # htmx reads the token from the page, not the cookie
CSRF_FAILURE_VIEW = "civicmeter.web.core.csrf.csrf_failure"  # says which check failed
SESSION_COOKIE_SECURE = not PLAIN_HTTP
CSRF_COOKIE_SECURE = not PLAIN_HTTP
SECURE_SSL_REDIRECT = _env_bool("SECURE_SSL_REDIRECT", default=not PLAIN_HTTP)
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "0" if PLAIN_HTTP else "31536000"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = not PLAIN_HTTP
SECURE_HSTS_PRELOAD = _env_bool("SECURE_HSTS_PRELOAD", default=not PLAIN_HTTP)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
if _env_bool("BEHIND_TLS_PROXY"):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
    "connect-src 'self'; frame-ancestors 'none'; form-action 'self'; base-uri 'self'"
)

# The REST API (/api/v1/, civicmeter.web.api): JSON only; anonymous clients read published data,
# throttled per address (API_ANON_RATE, counted per server process in the default local-memory cache);
# staff write with personal API tokens ("Authorization: Token <key>"), never with the session cookie.
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": ["civicmeter.web.api.authentication.ApiTokenAuthentication"],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.AllowAny"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.MultiPartParser", "rest_framework.parsers.JSONParser"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_FILTER_BACKENDS": [
        "django_filters.rest_framework.DjangoFilterBackend",
        "rest_framework.filters.OrderingFilter",
    ],
    "DEFAULT_PAGINATION_CLASS": "civicmeter.web.api.pagination.PageNumberPagination",
    "DEFAULT_THROTTLE_CLASSES": ["rest_framework.throttling.AnonRateThrottle"],
    "DEFAULT_THROTTLE_RATES": {"anon": os.environ.get("API_ANON_RATE", "120/minute")},
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Civicmeter API",
    "DESCRIPTION": "Published survey waves, capacity indexes with rank intervals, aggregate answer "
    "shares, outcomes and analyses; staff imports, scoring and publication. See docs/api.md.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "civicmeter.web.api.schema.add_common_errors",
    ],
}
#: The licence of published data (Data Packages, downloads, docs/api.md): CC-BY-4.0, ODC-BY-1.0 or CC0-1.0.
CIVICMETER_DATA_LICENSE = os.environ.get("CIVICMETER_DATA_LICENSE", "CC-BY-4.0")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"one_line_client_errors": {"()": "civicmeter.web.core.logfilters.OneLineClientErrors"}},
    "handlers": {
        "console": {"class": "logging.StreamHandler", "filters": ["one_line_client_errors"]},
    },
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}
