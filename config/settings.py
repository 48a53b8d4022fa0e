"""Mitmachen settings: one file, driven by environment variables.

Every setting that differs between a laptop, CI and production is read from the
environment. See README.md ("Configuration") for the table of variables.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url
from csp.constants import NONE, SELF
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


TESTING = "pytest" in sys.modules or env_bool("MITMACHEN_TESTING")
DEBUG = env_bool("DEBUG", default=False)
# With DEBUG, unknown addresses still show the German 404 page; set this to get
# Django's technical 404 page (the list of URL patterns) instead.
DEBUG_TECHNICAL_404 = env_bool("DEBUG_TECHNICAL_404")

SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if DEBUG or TESTING:
        # Development-only key; production refuses to start without SECRET_KEY.
        SECRET_KEY = "dev-only-insecure-key-change-me-0123456789abcdefghijklmnopqrstuvwxyz"  # noqa: S105
    else:
        from django.core.exceptions import ImproperlyConfigured

        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off.")

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]" if DEBUG or TESTING else "")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")
# The public address and name of the platform: every mail and absolute link uses these,
# whatever host a request came in by (see docs/operations.md).
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000").rstrip("/")
PLATFORM_NAME = os.environ.get("PLATFORM_NAME", "Mitmachen")

INSTALLED_APPS = [
    "mitmachen.core.admin_site.MitmachenAdminConfig",  # django.contrib.admin, own site
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sites",
    "django.contrib.humanize",
    "allauth",
    "allauth.account",
    "rules.apps.AutodiscoverRulesConfig",
    "django_htmx",
    "csp",
    "django_tasks",
    "django_tasks_db",
    "template_partials",  # {% partialdef %}: a page and its htmx fragment in one template
    "mitmachen.core",
    "mitmachen.accounts",
    "mitmachen.organisations",
    "mitmachen.projects",
    "mitmachen.proposals",
    "mitmachen.comments",
    "mitmachen.polls",
    "mitmachen.debates",
    "mitmachen.drafts",
    "mitmachen.measures",
    "mitmachen.budgets",
    "mitmachen.events",
    "mitmachen.climate",
    "mitmachen.moderation",
    "mitmachen.roles",
    "mitmachen.processtemplates",
    "mitmachen.notifications",
    "mitmachen.dashboard",
    "mitmachen.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "mitmachen.core.middleware.LanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    # Django's, with the account and its facts from one cached entry (core/person_cache.py).
    "mitmachen.core.person_cache.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "csp.middleware.CSPMiddleware",  # CONTENT_SECURITY_POLICY below
    "mitmachen.core.middleware.PermissionsPolicyMiddleware",
    # Last, i.e. innermost: the German 404 page also under DEBUG (core/not_found.py).
    "mitmachen.core.not_found.NotFoundPageMiddleware",
]

# Benchmark harness only (bench/run.py): a constant "ceiling" view and a header with the
# number of SQL queries per request (mitmachen/core/bench.py). Never on in production.
BENCHMARK = env_bool("MITMACHEN_BENCHMARK")
if BENCHMARK:
    MIDDLEWARE.insert(0, "mitmachen.core.bench.QueryCountMiddleware")

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "mitmachen.core.context_processors.site",
                "mitmachen.notifications.context_processors.unread",
            ],
        },
    }
]

# --- Database -----------------------------------------------------------------
# SQLite is the zero-set-up default; production and CI set DATABASE_URL to PostgreSQL.
DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'var' / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("DB_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # The embedded database lives in var/, which a fresh checkout does not have yet.
    Path(DATABASES["default"]["NAME"]).parent.mkdir(parents=True, exist_ok=True)
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {"transaction_mode": "IMMEDIATE", "timeout": 20, "init_command": "PRAGMA journal_mode=WAL;"}
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache and sessions ---------------------------------------------------------
REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CACHES = {
        "default": {
            # Django's RedisCache, failing open: while Redis is unreachable the site runs
            # uncached and rate limits let requests through (core/cache.py).
            "BACKEND": "mitmachen.core.cache.FailOpenRedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": os.environ.get("CACHE_KEY_PREFIX", "mitmachen"),
            # Give up quickly on an unreachable server instead of holding the request.
            "OPTIONS": {
                "socket_connect_timeout": float(os.environ.get("REDIS_TIMEOUT", "0.5")),
                "socket_timeout": float(os.environ.get("REDIS_TIMEOUT", "0.5")),
            },
        }
    }
    # Sessions are read from Redis and, when it is down, from the database: nobody is
    # signed out by a Redis outage.
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    SESSION_ENGINE = "django.contrib.sessions.backends.db"

# --- Background tasks (Django Tasks API backport) ----------------------------------
TASKS = {
    "default": {
        "BACKEND": (
            "django_tasks.backends.immediate.ImmediateBackend"
            if TESTING or env_bool("TASKS_IMMEDIATE")
            else "django_tasks_db.DatabaseBackend"
        ),
        "QUEUES": ["default", "mail"],
    }
}
# Finished task results keep the mails they sent (addresses, links): `manage.py
# prune_task_results` deletes them after this many days (docs/operations.md).
TASK_RESULTS_RETENTION_DAYS = int(os.environ.get("TASK_RESULTS_RETENTION_DAYS", "7"))
# Guest registrations for events (name, e-mail address, answers) are deleted this many
# days after the event by `manage.py delete_event_guests` (docs/events.md).
EVENTS_GUEST_RETENTION_DAYS = int(os.environ.get("EVENTS_GUEST_RETENTION_DAYS", "30"))

# --- Authentication (django-allauth + django-rules) ---------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "rules.permissions.ObjectPermissionBackend",
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
if TESTING:
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

SITE_ID = 1
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "core:home"
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_CONFIRM_EMAIL_ON_GET = False
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = False
ACCOUNT_SESSION_REMEMBER = None
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_PREVENT_ENUMERATION = True
ACCOUNT_ADAPTER = "mitmachen.accounts.adapter.AccountAdapter"
ACCOUNT_FORMS = {"signup": "mitmachen.accounts.forms.SignupForm"}
ACCOUNT_RATE_LIMITS = {
    # allauth enforces these through the cache (Redis in production); sliding windows.
    # For login_failed, "key" is the account together with the address (the adapter):
    # wrong passwords slow down that address for that account – 5 a minute, then 20 an
    # hour – and never lock the owner out elsewhere; "ip" caps one address guessing
    # across many accounts. "login" counts every login form sent (also the right
    # password) per address: generous, a school or a care home shares one.
    "login_failed": os.environ.get("RATE_LIMIT_LOGIN_FAILED", "5/m/key,20/h/key,60/10m/ip"),
    "login": os.environ.get("RATE_LIMIT_LOGIN", "120/m/ip"),
    "signup": "20/h/ip",
    "reset_password": "5/m/ip,3/m/key",
    "confirm_email": "1/3m/key",
}

# --- Internationalisation ----------------------------------------------------------
LANGUAGE_CODE = "de"
LANGUAGES = [("de", _("Deutsch")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Berlin"
USE_I18N = True
USE_TZ = True
LANGUAGE_COOKIE_SECURE = not DEBUG and not TESTING
LANGUAGE_COOKIE_SAMESITE = "Lax"

# --- Static and media files -----------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "var" / "staticfiles"))
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "var" / "media"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG or TESTING
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024

# --- Mail -------------------------------------------------------------------------------
EMAIL_BACKEND = os.environ.get(
    "EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend"
    if DEBUG
    else "django.core.mail.backends.smtp.EmailBackend",
)
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS")
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL")
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", f"{PLATFORM_NAME} <noreply@localhost>")
SERVER_EMAIL = os.environ.get("SERVER_EMAIL", DEFAULT_FROM_EMAIL)
ADMINS = [("Admin", a) for a in env_list("ADMINS")]

# --- Security ---------------------------------------------------------------------------
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", default=not DEBUG and not TESTING)
BEHIND_PROXY = env_bool("BEHIND_PROXY")
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if BEHIND_PROXY else None
SESSION_COOKIE_SECURE = not DEBUG and not TESTING
CSRF_COOKIE_SECURE = not DEBUG and not TESTING
SESSION_COOKIE_HTTPONLY = True
SECURE_HSTS_SECONDS = int(
    os.environ.get("SECURE_HSTS_SECONDS", "0" if DEBUG or TESTING else "31536000")
)
SECURE_HSTS_INCLUDE_SUBDOMAINS = SECURE_HSTS_SECONDS > 0
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", default=SECURE_HSTS_SECONDS >= 31536000)
if not SECURE_HSTS_PRELOAD:
    # Preloading is the operator's decision; when they opt out, don't warn about it.
    SILENCED_SYSTEM_CHECKS = ["security.W021"]
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# --- Mitmachen ---------------------------------------------------------------------------
# Map tiles are a setting: the default is the built-in offline view (no third-party request).
# Set e.g. MAP_TILE_URL=https://tiles.example.org/{z}/{x}/{y}.png with a matching attribution.
MAP_TILE_URL = os.environ.get("MAP_TILE_URL", "")
MAP_TILE_ATTRIBUTION = os.environ.get("MAP_TILE_ATTRIBUTION", "")


def tile_origin(url: str) -> str:
    """The origin a MAP_TILE_URL loads from ("" for none or a relative URL); a ``{s}``
    subdomain placeholder becomes a wildcard (``https://{s}.tile.example.org`` →
    ``https://*.tile.example.org``)."""
    parts = urlsplit(url.replace("{s}", "a"))
    if not (parts.scheme and parts.netloc):
        return ""
    host = parts.netloc
    if "{s}" in url:
        host = "*." + host.split(".", 1)[1]
    return f"{parts.scheme}://{host}"


# Content-Security-Policy (django-csp): only this host, plus the tile server for map
# images. It is the guarantee behind "no page makes a request to another host": even
# injected markup could not load third-party resources, and inline scripts and styles
# are refused. The Django admin uses inline scripts and styles of its own, so /admin/
# gets no policy (and no Permissions-Policy, mitmachen/core/middleware.py).
# docs/operations.md ("Content-Security-Policy") describes it for operators.
CONTENT_SECURITY_POLICY = {
    "EXCLUDE_URL_PREFIXES": ["/admin/"],
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:", "blob:", *filter(None, [tile_origin(MAP_TILE_URL)])],
        "font-src": [SELF],
        "connect-src": [SELF],
        "frame-ancestors": [NONE],
        "form-action": [SELF],
        "base-uri": [SELF],
        "object-src": [NONE],
    },
}
# The language staff write content in; marked with lang= so screen readers switch voice
# when the interface is shown in another language.
CONTENT_LANGUAGE = os.environ.get("CONTENT_LANGUAGE", "de")
# Whole pages for anonymous visitors, invalidated on every write (core/page_cache.py);
# the seconds only bound what no write announces, such as a phase starting. 0: off. Off
# by default in development (edited templates show at once) and in the test suite,
# except the tests of the cache itself.
PAGE_CACHE_SECONDS = int(os.environ.get("PAGE_CACHE_SECONDS", "0" if TESTING or DEBUG else "60"))
# Open reports by different people after which a contribution is hidden until a
# moderator decides (0 switches automatic hiding off).
MODERATION_AUTO_HIDE_REPORTS = int(os.environ.get("MODERATION_AUTO_HIDE_REPORTS", "3"))

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {
        "forbidden_without_traceback": {"()": "mitmachen.core.logging.ForbiddenWithoutTraceback"},
        "require_debug_false": {"()": "django.utils.log.RequireDebugFalse"},
    },
    "handlers": {
        "console": {"class": "logging.StreamHandler"},
        "mail_admins": {
            "class": "django.utils.log.AdminEmailHandler",
            "level": "ERROR",
            "filters": ["require_debug_false"],
        },
    },
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
    "loggers": {
        # Requests are logged here once (not again by Django's "django" handlers), and a
        # 403 as one line without a traceback.
        "django.request": {
            "handlers": ["console", "mail_admins"],
            "filters": ["forbidden_without_traceback"],
            "level": "WARNING",
            "propagate": False,
        },
    },
}

# --- Polls ----------------------------------------------------------------------------
# Guest answers (polls open to people without an account): at most this many per
# address and hour and poll. A school class or a care home shares one address.
POLL_GUEST_ANSWERS_PER_HOUR = int(os.environ.get("POLL_GUEST_ANSWERS_PER_HOUR", "60"))
