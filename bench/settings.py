"""Settings for the benchmarks: production-like (DEBUG off, manifest static files), plain HTTP.

gunicorn, the Celery workers and the bench process itself all run with
DJANGO_SETTINGS_MODULE=bench.settings, so they share the secret key (session cookies made in
the bench process are valid under gunicorn) and the URLs of the two baseline views.
"""

import os
from pathlib import Path

from klimat.settings import *  # noqa: F403
from klimat.settings import TEMPLATES

DEBUG = False
SECRET_KEY = os.environ.get("BENCH_SECRET_KEY", "bench-only-secret-key-not-for-production-0123456789")
ALLOWED_HOSTS = ["127.0.0.1", "localhost", "testserver"]
ROOT_URLCONF = "bench.urls"
# Plain HTTP on 127.0.0.1: no redirect to HTTPS, cookies sent without TLS.
SECURE_SSL_REDIRECT = False
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
SECURE_HSTS_SECONDS = 0
# Hashed names from the manifest, as in production (the bench runs collectstatic). Production's
# WhiteNoise storage also gzips and brotlis every file, which only slows collectstatic (26 s
# here) and changes nothing a page costs: {% static %} is the same manifest lookup.
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.ManifestStaticFilesStorage"},
}
# The naive-form baseline's template; the bench is not an installed app.
TEMPLATES[0]["DIRS"] = [*TEMPLATES[0]["DIRS"], Path(__file__).resolve().parent / "templates"]
# Axes writes an access row on every login; the bench signs in hundreds of applicants.
AXES_ENABLED = False
# Quiet: an access log line per request would cost more than the bare view itself.
LOGGING["root"]["level"] = os.environ.get("LOG_LEVEL", "WARNING")  # noqa: F405
