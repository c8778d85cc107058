"""Fixtures for the reliability tests: a private Redis, a failing SMTP server, workers on them."""

import shutil
import uuid

import pytest
from django.db import connection

from tests.conftest import service_missing
from tests.reliability.support import FlakySmtpSink, RedisServer, celery_on, worker_on


def postgresql_only() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL only: needs real concurrency or a worker process (CI runs PostgreSQL)")


@pytest.fixture(scope="session")
def redis_binary() -> str:
    path = shutil.which("redis-server")
    if not path:
        service_missing("redis-server is not installed (apt-get install redis-server)")
    return str(path)


@pytest.fixture(scope="session")
def private_redis(redis_binary, tmp_path_factory):
    """A Redis only these tests use, so stopping it disturbs nobody."""
    server = RedisServer(tmp_path_factory.mktemp("redis")).start()
    yield server
    server.stop()


@pytest.fixture(scope="session")
def flaky_smtp():
    sink = FlakySmtpSink().start()
    yield sink
    sink.stop()


@pytest.fixture(scope="session")
def reliability_queue() -> str:
    return f"klimat-reliability-{uuid.uuid4().hex[:12]}"


@pytest.fixture(scope="session")
def reliability_worker(django_db_setup, django_db_blocker, private_redis, flaky_smtp, private_root, reliability_queue):
    """A real `celery -A klimat worker` on the private Redis, mailing to the flaky SMTP sink."""
    worker = worker_on(private_redis, flaky_smtp, private_root, reliability_queue)
    with django_db_blocker.unblock():
        worker.start()
    yield worker
    worker.stop()


@pytest.fixture
def on_worker(reliability_worker, private_redis, reliability_queue, flaky_smtp, private_root, settings):
    """Use in `transaction=True` tests: what this process queues goes to the reliability worker."""
    settings.MEDIA_ROOT = private_root
    flaky_smtp.reset()
    with celery_on(private_redis.url, reliability_queue):
        yield reliability_worker
