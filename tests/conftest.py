"""Shared test setup: fast settings, and fixtures that find the services a test needs.

A test that needs Redis or Chromium asks for the fixture; when the service is absent it is
skipped with the reason, unless KLIMAT_REQUIRE_SERVICES=1 (CI), where it fails instead.
"""

import os
import shutil
import socket
import uuid
from pathlib import Path
from urllib.parse import urlparse

import pytest
from django.core.cache import cache

REQUIRE_SERVICES = os.environ.get("KLIMAT_REQUIRE_SERVICES") == "1"


def service_missing(reason: str) -> None:
    if REQUIRE_SERVICES:
        pytest.fail(f"{reason} (KLIMAT_REQUIRE_SERVICES=1)")
    pytest.skip(reason)


def _reachable(url: str, default_port: int) -> bool:
    parsed = urlparse(url)
    try:
        with socket.create_connection((parsed.hostname or "127.0.0.1", parsed.port or default_port), timeout=1):
            return True
    except OSError:
        return False


@pytest.fixture(autouse=True)
def _fast_settings(settings, tmp_path_factory):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    # Manifest storage would 404 without collectstatic (STACK.md trap 3).
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    settings.MEDIA_ROOT = tmp_path_factory.mktemp("private")
    # Each test has a cache of its own (rate limits); the Redis cache is for the running portal.
    # The "fragments" cache (base.html's menu and footer) stays: it is in process memory anyway.
    settings.CACHES = {**settings.CACHES, "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    # Tasks run in-process after commit, as in `make run`, even where CI sets a broker; the
    # tests about the worker ask for the `worker` fixture, which turns this off.
    from klimat.celery import app

    eager = app.conf.task_always_eager
    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = eager
    # Rate-limit counters live in the cache: no test may see another's.
    cache.clear()
    # Nor the question banks a process keeps in memory (evaluation.state.bank_content).
    from evaluation.state import forget_banks

    forget_banks()


@pytest.fixture(autouse=True)
def _seed_data_for_transactional_tests(request):
    """Reload what migrations seed when a test runs outside a rolled-back transaction."""
    marker = request.node.get_closest_marker("django_db")
    transactional = bool(marker and (marker.kwargs.get("transaction") or (marker.args and marker.args[0])))
    if transactional or "live_server" in request.fixturenames or "transactional_db" in request.fixturenames:
        request.getfixturevalue("transactional_db")
        from tests.seed import ensure_seed_data

        ensure_seed_data()


@pytest.fixture(scope="session")
def redis_url() -> str:
    url = os.environ.get("CELERY_BROKER_URL") or os.environ.get("REDIS_URL") or "redis://127.0.0.1:6379/0"
    if not _reachable(url, 6379):
        service_missing(f"Redis is not reachable at {url}")
    return url


@pytest.fixture(scope="session")
def chromium_path() -> str:
    path = shutil.which("chromium")
    if not path:
        service_missing("Debian's chromium is not installed (apt-get install chromium)")
    return str(path)


@pytest.fixture(scope="module")
def browser(chromium_path):
    """One headless Chromium per test module, as CI runs it; each test makes its own contexts.

    While Playwright's sync API is active its event loop counts as running in this thread, and
    Django refuses ORM calls from it; the tests' ORM use stays synchronous here and the live server
    answers from another thread, so that check is off while the browser is open.
    """
    pytest.importorskip("playwright.sync_api")
    from tests.e2e.journey import chromium

    with pytest.MonkeyPatch.context() as patch, chromium(chromium_path) as browser:
        patch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        yield browser


@pytest.fixture(scope="session")
def project_root() -> Path:
    return Path(__file__).resolve().parent.parent


@pytest.fixture(scope="session")
def smtp_sink():
    from tests.services import SmtpSink

    sink = SmtpSink().start()
    yield sink
    sink.stop()


@pytest.fixture(scope="session")
def broker_url(redis_url) -> str:
    # CI names its own Redis database; locally keep clear of the development broker (db 0).
    return os.environ.get("CELERY_BROKER_URL") or "redis://127.0.0.1:6379/13"


@pytest.fixture(scope="session")
def private_root(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("worker-private")


@pytest.fixture(scope="session")
def celery_worker_process(django_db_setup, django_db_blocker, broker_url, smtp_sink, private_root):
    """A real `celery -A klimat worker` on Redis, reading the test database (PostgreSQL only)."""
    from django.db import connection

    from klimat.celery import app
    from tests.services import Worker, forget_broker_connections

    if connection.vendor != "postgresql":
        service_missing("a worker process needs PostgreSQL (set DATABASE_URL); SQLite's test database is in memory")
    # A queue of this run's own: test runs side by side on one Redis never take each other's tasks.
    queue = f"klimat-test-{uuid.uuid4().hex[:12]}"
    previous = {"task_default_queue": app.conf.task_default_queue, "broker_url": app.conf.broker_url}
    with django_db_blocker.unblock():
        forget_broker_connections()  # an earlier test may have published (to another broker)
        app.conf.update(broker_url=broker_url, task_default_queue=queue)
        worker = Worker(broker_url=broker_url, smtp_port=smtp_sink.port, private_root=private_root, queue=queue)
        worker.start()
    yield worker
    worker.stop()
    forget_broker_connections()
    app.conf.update(previous)


@pytest.fixture
def worker(celery_worker_process, smtp_sink, private_root, settings):
    """Use in `transaction=True` tests: mail goes through the worker to the SMTP sink."""
    from klimat.celery import app

    settings.MEDIA_ROOT = private_root
    smtp_sink.clear()
    app.conf.task_always_eager = False  # _fast_settings restores it after the test
    return celery_worker_process
