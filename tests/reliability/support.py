"""Services the reliability tests break on purpose: a Redis of their own and an SMTP server that fails.

The shared Redis on 6379 is never stopped: a test that needs Redis to go away starts its own
redis-server on a free port and stops that one.
"""

import shutil
import subprocess
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
import redis

from tests.services import SmtpSink, Worker, forget_broker_connections, free_port

MAIL_ID = "X-Klimat-Mail-Id"
# Mail retried after 1 s, then 2 s: the real backoff (30 s, doubling) with a test-sized base.
WORKER_ENV = {"KLIMAT_MAIL_RETRY_SECONDS": "1"}


def wait_until(condition: Callable[[], Any], *, timeout: float = 30, message: str = "") -> Any:
    """Poll until `condition()` is truthy and return it: waiting for an event, never a fixed sleep."""
    deadline = time.monotonic() + timeout
    while True:
        value = condition()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout} s: {message() if callable(message) else message}")
        time.sleep(0.05)


class RedisServer:
    """A private redis-server on a free port: started, stopped and started again on that port."""

    def __init__(self, directory: Path) -> None:
        self.binary = shutil.which("redis-server")
        self.port = free_port()
        self.directory = directory
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def client(self, db: int = 0) -> redis.Redis:
        return redis.Redis(host="127.0.0.1", port=self.port, db=db, socket_connect_timeout=1)

    def start(self) -> "RedisServer":
        assert self.binary, "redis-server is not installed"
        command = [self.binary, "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"]
        self.process = subprocess.Popen(
            [*command, "--dir", str(self.directory)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        wait_until(self.is_up, timeout=10, message="redis-server did not start")
        return self

    def is_up(self) -> bool:
        try:
            return bool(self.client().ping())
        except redis.ConnectionError:
            return False

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=10)
        self.process = None

    def queued(self, queue: str) -> int:
        """Tasks waiting in `queue` plus tasks delivered and not yet acknowledged (acks_late)."""
        client = self.client()
        return int(client.llen(queue)) + int(client.hlen("unacked"))


class FlakySmtpSink(SmtpSink):
    """The SMTP sink that can refuse: the next N messages with a code, or every one until told."""

    def __init__(self) -> None:
        super().__init__()
        self.refusals: list[str] = []
        self.refuse_all: str | None = None
        self.attempts: Counter[str] = Counter()

    async def handle_DATA(self, server, session, envelope):
        with self._lock:
            message_id = self._mail_id(envelope.content)
            self.attempts[message_id] += 1
            if self.refuse_all:
                return self.refuse_all
            if self.refusals:
                return self.refusals.pop(0)
        return await super().handle_DATA(server, session, envelope)

    @staticmethod
    def _mail_id(content: bytes) -> str:
        for line in content.split(b"\r\n"):
            if line.lower().startswith(MAIL_ID.lower().encode() + b":"):
                return line.split(b":", 1)[1].strip().decode()
        return ""

    def reset(self) -> None:
        with self._lock:
            self.messages.clear()
            self.refusals.clear()
            self.refuse_all = None
            self.attempts.clear()

    def delivered(self) -> Counter[str]:
        """How many times each outbox row (by its X-Klimat-Mail-Id) was accepted."""
        with self._lock:
            return Counter(str(message[MAIL_ID]) for message in self.messages)


@contextmanager
def celery_on(broker_url: str, queue: str) -> Iterator[None]:
    """Tasks this process queues go to `broker_url`/`queue`, not to eager mode or another broker.

    The app's connection pools are forgotten on the way in and out (kombu keeps one per broker
    URL, not closed here), so neither this test nor the next one publishes to a broker it did not
    ask for.
    """
    from klimat.celery import app

    previous = {key: app.conf[key] for key in ("broker_url", "task_default_queue", "task_always_eager")}
    forget_broker_connections()
    app.conf.update(broker_url=broker_url, task_default_queue=queue, task_always_eager=False)
    # Celery reads CELERY_BROKER_URL from the environment before its own settings (as CI sets it).
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("CELERY_BROKER_URL", broker_url)
        try:
            yield
        finally:
            forget_broker_connections()
            app.conf.update(previous)


def in_threads(count: int, action: Callable[[int], Any]) -> list[Any]:
    """Run `action(i)` in `count` threads released at the same moment; each closes its DB connection."""
    from django.db import connection

    barrier = threading.Barrier(count)
    results: list[Any] = [None] * count

    def run(index: int) -> None:
        try:
            barrier.wait(timeout=30)
            results[index] = action(index)
        except Exception as error:  # reported by the test, not lost in the thread
            results[index] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(index,)) for index in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return results


def worker_on(
    redis_server: "RedisServer",
    smtp: SmtpSink,
    private_root: Path,
    queue: str,
    *,
    env: dict[str, str] | None = None,
    **options: Any,
) -> Worker:
    """A `celery -A klimat worker` (not started yet) on the private Redis, mailing to `smtp`.

    PostgreSQL only: the worker is another process, and SQLite's test database is in memory.
    """
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("a worker process needs PostgreSQL (SQLite's test database is in memory)")
    return Worker(
        broker_url=redis_server.url,
        smtp_port=smtp.port,
        private_root=private_root,
        queue=queue,
        env={**WORKER_ENV, **(env or {})},
        **options,
    )
