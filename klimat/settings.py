"""Settings for the Klimatkommunerna portal, all from environment variables.

With nothing set, the portal runs on a bare machine: SQLite under var/, tasks in-process after
commit, mail to var/mail/ and the console. With DATABASE_URL and CELERY_BROKER_URL set it is the
production stack (PostgreSQL, Redis, Celery worker and beat). `.env.example` lists every variable.
"""

import os
from pathlib import Path
from typing import Any

import dj_database_url
from celery.schedules import crontab
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("KLIMAT_VAR_DIR", BASE_DIR / "var"))


def env(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    return int(value) if value else default


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in env(name, default).split(",") if item.strip()]


DEBUG = env_bool("DJANGO_DEBUG", True)
_DEV_SECRET = "dev-only-insecure-key-change-me"  # noqa: S105 - refused below when DEBUG is off
SECRET_KEY = env("DJANGO_SECRET_KEY", _DEV_SECRET)
if not DEBUG and SECRET_KEY == _DEV_SECRET:
    raise ImproperlyConfigured("Set DJANGO_SECRET_KEY when DJANGO_DEBUG=0.")
ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "127.0.0.1,localhost,testserver")
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS", "")
# The public address, used in links inside emails and letters (no request to take it from).
SITE_URL = env("KLIMAT_SITE_URL", "http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "crispy_forms",
    "crispy_bootstrap5",
    "axes",
    "csp",
    "klimat",
    "applications",
    "evaluation",
    "fees",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    # Axes must come last: it inspects the result of the authentication attempt.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "klimat.urls"
WSGI_APPLICATION = "klimat.wsgi.application"

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
                "klimat.context_processors.site",
            ],
        },
    },
]

# --- Database: SQLite by default, PostgreSQL (psycopg 3) when DATABASE_URL is set -------------
DATABASE_URL = env("DATABASE_URL")
if DATABASE_URL:
    # Persistent connections: connecting costs 15-20 ms per request on PostgreSQL (STACK.md #6).
    DATABASES = {
        "default": dj_database_url.parse(
            DATABASE_URL,
            conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 60),
            conn_health_checks=True,
        )
    }
else:
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": str(VAR_DIR / "db.sqlite3"),
            "OPTIONS": {"timeout": 20},
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache: Redis when configured (shared by gunicorn workers, used by rate limits) -----------
REDIS_URL = env("REDIS_URL")
CACHES: dict[str, dict[str, Any]]
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            # A Redis that hangs (not just refuses) must not hang the request: the rate limit
            # then lets the request through (klimat/ratelimit.py).
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# The parts of every page that change only with the language and the page (base.html's menu and
# footer): in each process's memory, not Redis, so a page never waits for (or on) Redis for them,
# and a deploy, which restarts the processes, starts afresh.
CACHES["fragments"] = {
    "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
    "LOCATION": "klimat-fragments",
    "TIMEOUT": None,
    "OPTIONS": {"MAX_ENTRIES": 1000},
}

# --- Authentication ---------------------------------------------------------------------------
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# Staff brute-force lockout: 5 failures per username and address lock for an hour.
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = 1  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False
SESSION_COOKIE_AGE = env_int("SESSION_COOKIE_AGE", 60 * 60 * 8)
# Sessions in the database, never in the cache: with Redis down everyone stays signed in
# (tests/reliability/test_redis_down.py).
SESSION_ENGINE = "django.contrib.sessions.backends.db"
LOGIN_URL = "applications:signin"

# --- Languages: Swedish first, English complete -----------------------------------------------
LANGUAGE_CODE = "sv"
LANGUAGES = [("sv", _("Swedish")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Stockholm"
USE_I18N = True
USE_TZ = True

# --- Static and private files -----------------------------------------------------------------
STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = VAR_DIR / "staticfiles"
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # whitenoise warns on every request otherwise
# Uploaded minutes and rendered letters: never under a public path, served only by views.
MEDIA_ROOT = Path(env("KLIMAT_PRIVATE_ROOT", str(VAR_DIR / "private")))
MEDIA_URL = "/private-not-served/"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 25 * 1024 * 1024
FILE_UPLOAD_PERMISSIONS = 0o640

# --- Mail -------------------------------------------------------------------------------------
EMAIL_HOST = env("EMAIL_HOST")
if EMAIL_HOST:
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_PORT = env_int("EMAIL_PORT", 25)
    EMAIL_HOST_USER = env("EMAIL_HOST_USER")
    EMAIL_HOST_PASSWORD = env("EMAIL_HOST_PASSWORD")
    EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
    EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 20)
else:
    # Development: every mail lands in var/mail/ and on the console, so sign-in links can be read.
    EMAIL_BACKEND = "klimat.mail.FileAndConsoleBackend"
    EMAIL_FILE_PATH = VAR_DIR / "mail"
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", "Klimatkommunerna <noreply@klimatkommunerna.se>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
SECRETARIAT_EMAIL = env("KLIMAT_SECRETARIAT_EMAIL", "kansliet@klimatkommunerna.se")

# --- Celery -----------------------------------------------------------------------------------
CELERY_BROKER_URL = env("CELERY_BROKER_URL")
# Without a broker, tasks run in-process; callers still dispatch them with on_commit, so the
# embedded default behaves like production: nothing is sent for a rolled-back change.
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_TASK_EAGER_PROPAGATES = False
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SOFT_TIME_LIMIT = env_int("CELERY_TASK_SOFT_TIME_LIMIT", 60)
CELERY_TASK_TIME_LIMIT = env_int("CELERY_TASK_TIME_LIMIT", 90)
CELERY_TASK_IGNORE_RESULT = True
# Must exceed the longest task and any countdown, or Redis redelivers a running task (STACK #5).
# A redelivered task takes over its own claim on a mail (applications/tasks.py), which is safe
# only because of this. The socket timeouts bound how long a request waits on a Redis that hangs
# when it queues mail after commit (the outbox sweep sends it later).
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": env_int("CELERY_VISIBILITY_TIMEOUT", 3600),
    "socket_connect_timeout": 2,
    "socket_timeout": 5,
}
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# Mail that meets a temporary SMTP error is retried after this many seconds, doubling each time.
KLIMAT_MAIL_RETRY_SECONDS = env_int("KLIMAT_MAIL_RETRY_SECONDS", 30)
CELERY_TIMEZONE = TIME_ZONE
# Task modules other than the apps' tasks.py, which Celery finds by itself.
CELERY_IMPORTS = ["applications.signin_tasks", "applications.retention_tasks"]
CELERY_BEAT_SCHEDULE: dict[str, dict[str, object]] = {
    "sweep-outbox": {"task": "applications.tasks.sweep_outbox", "schedule": 60.0},
    "purge-signin-tokens": {"task": "applications.signin_tasks.purge_signin_tokens", "schedule": 3600.0},
    # Personal data kept no longer than needed (applications/retention.py), once a night.
    "purge-stale-drafts": {
        "task": "applications.retention_tasks.purge_stale_drafts",
        "schedule": crontab(minute=15, hour=3),
    },
    "purge-old-contact-messages": {
        "task": "applications.retention_tasks.purge_old_contact_messages",
        "schedule": crontab(minute=20, hour=3),
    },
}
# Retention (issue 7 §8; the public privacy page states them): drafts never submitted are deleted
# this many days after their last change, messages to the secretariat this many days after arrival.
KLIMAT_DRAFT_RETENTION_DAYS = 90
KLIMAT_CONTACT_MESSAGE_RETENTION_DAYS = 365

# --- Security ---------------------------------------------------------------------------------
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_SECURE = env_bool("DJANGO_SECURE_COOKIES", not DEBUG)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
# No script reads the CSRF cookie (autosave posts the form's hidden token), nor the language one.
CSRF_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_SECURE = SESSION_COOKIE_SECURE
LANGUAGE_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_SAMESITE = "Lax"
SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", not DEBUG)
SECURE_HSTS_SECONDS = env_int("DJANGO_HSTS_SECONDS", 0 if DEBUG else 60 * 60 * 24 * 365)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("DJANGO_HSTS_INCLUDE_SUBDOMAINS", True)
SECURE_HSTS_PRELOAD = env_bool("DJANGO_HSTS_PRELOAD", False)
BEHIND_PROXY = env_bool("DJANGO_BEHIND_PROXY", False)
if BEHIND_PROXY:
    # Only behind a proxy that sets this header itself; otherwise clients could forge HTTPS.
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# HSTS preload is a decision for the domain's owner, not for this code: W021 stays silenced
# unless DJANGO_HSTS_PRELOAD=1 is set.
SILENCED_SYSTEM_CHECKS = [] if SECURE_HSTS_PRELOAD else ["security.W021"]

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        # The admin's widgets set inline style attributes; scripts stay strict.
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    }
}

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    # Sign-in links carry their token in the path; these loggers print request paths.
    "filters": {"redact_signin_tokens": {"()": "klimat.logfilters.RedactSignInTokens"}},
    # On the handler too: a record from any other logger (axes, celery, ours) is redacted as well.
    "handlers": {
        "console": {"class": "logging.StreamHandler", "formatter": "plain", "filters": ["redact_signin_tokens"]}
    },
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", "INFO")},
    "loggers": {
        "django.db.backends": {"level": "INFO"},
        # WeasyPrint reports every rendering step at INFO; only its warnings matter.
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
        "django.request": {"filters": ["redact_signin_tokens"]},
        "django.security.csrf": {"filters": ["redact_signin_tokens"]},
        # runserver's request lines (development): Django's own handler for them has no filter.
        "django.server": {"handlers": ["console"], "level": "INFO", "propagate": False},
    },
}
