"""What every measurement shares: the environment, the bench database, result rows, child processes.

The bench process, gunicorn and the Celery workers all use bench.settings and one PostgreSQL
database (klimat_bench), created, migrated and reset by the bench itself. Every child process is
registered here and stopped at exit, also when a measurement fails or the run is interrupted.
"""

from __future__ import annotations

import atexit
import http.client
import json
import os
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
HOST = "127.0.0.1"
PG = os.environ.get("BENCH_PG", f"postgres://postgres@{HOST}:5432")
DB_NAME = os.environ.get("BENCH_DB", "klimat_bench")
BROKER_URL = os.environ.get("BENCH_BROKER_URL", f"redis://{HOST}:6379/9")
QUEUE = "celery"  # Celery's default queue: the one gunicorn and the bench process send to
# A valid CSRF cookie value (32 letters and digits); sent back in X-CSRFToken, as Django accepts.
CSRF_SECRET = "benchbenchbenchbenchbenchbench42"  # noqa: S105 - not a secret: any valid value works
VAR_DIR = Path(os.environ.get("BENCH_VAR_DIR", str(ROOT / "var" / "bench")))


# --- Result rows and the table ----------------------------------------------------------------
@dataclass
class Row:
    """One line of the table. `met` is None when the line has no goal (a baseline)."""

    measurement: str
    figure: str
    baseline: str = ""
    ratio: str = ""
    goal: str = ""
    met: bool | None = None
    note: str = ""

    @property
    def verdict(self) -> str:
        return "" if self.met is None else ("yes" if self.met else "NO")


def fmt(value: float, digits: int = 1) -> str:
    return f"{value:,.{digits}f}".replace(",", " ")


def ratio(figure: float, baseline: float) -> float:
    return figure / baseline if baseline else float("inf")


def percentile(values: Sequence[float], pct: float) -> float:
    """Nearest-rank percentile (pct in 0..100); 0 for an empty list."""
    if not values:
        return 0.0
    ordered = sorted(values)
    rank = max(1, round(pct / 100 * len(ordered) + 0.4999))
    return ordered[min(rank, len(ordered)) - 1]


def median(values: Sequence[float]) -> float:
    return statistics.median(values) if values else 0.0


def table(rows: Sequence[Row]) -> str:
    header = ("measurement", "figure", "baseline", "ratio", "goal", "met?")
    lines = [(r.measurement, r.figure, r.baseline, r.ratio, r.goal, r.verdict) for r in rows]
    widths = [max(len(str(cell)) for cell in column) for column in zip(header, *lines, strict=False)]

    def line(cells: Sequence[str]) -> str:
        return "| " + " | ".join(str(c).ljust(w) for c, w in zip(cells, widths, strict=True)) + " |"

    out = [line(header), "|" + "|".join("-" * (w + 2) for w in widths) + "|"]
    out += [line(cells) for cells in lines]
    notes = [f"- {r.measurement}: {r.note}" for r in rows if r.note]
    return "\n".join(out + (["", *notes] if notes else []))


def machine() -> str:
    model = "unknown CPU"
    try:
        for text in Path("/proc/cpuinfo").read_text().splitlines():
            if text.startswith("model name"):
                model = text.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    load = "/".join(f"{value:.1f}" for value in os.getloadavg())
    return (
        f"nproc {os.cpu_count()}, {model}, Python {sys.version.split()[0]}, "
        f"{time.strftime('%Y-%m-%d %H:%M %Z')}, load average {load}"
    )


def write_latest(rows: Sequence[Row], heading: str) -> Path:
    """The table with the machine, for pasting into bench/README.md (var/ is not in git)."""
    path = VAR_DIR / "latest.md"
    path.write_text(f"Machine: {heading}\n\n{table(rows)}\n")
    return path


# --- Environment, database --------------------------------------------------------------------
def database_url(name: str = DB_NAME) -> str:
    return f"{PG}/{name}"


def configure_environment() -> dict[str, str]:
    """The variables of every bench process (this one, gunicorn, workers); set before django.setup()."""
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    values = {
        "DJANGO_SETTINGS_MODULE": "bench.settings",
        "DATABASE_URL": database_url(),
        "DATABASE_CONN_MAX_AGE": "60",
        "CELERY_BROKER_URL": BROKER_URL,
        "KLIMAT_VAR_DIR": str(VAR_DIR),
        "KLIMAT_PRIVATE_ROOT": str(VAR_DIR / "private"),
        "KLIMAT_SITE_URL": f"http://{HOST}:8000",
        "REDIS_URL": "",
        "PYTHONUNBUFFERED": "1",
    }
    os.environ.update(values)
    return values


def ensure_database(*, fresh: bool = False) -> None:
    """Create (or with fresh=True re-create) the bench database; migrations are run by setup()."""
    import psycopg

    with psycopg.connect(database_url("postgres"), autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [DB_NAME]).fetchone()
        if exists and fresh:
            conn.execute(f'DROP DATABASE "{DB_NAME}" WITH (FORCE)')
            exists = None
        if not exists:
            conn.execute(f'CREATE DATABASE "{DB_NAME}"')


_READY = False


def setup(*, fresh: bool = False) -> None:
    """Environment, database, Django, migrations and collected static files, once per process."""
    global _READY
    if _READY:
        return
    configure_environment()
    ensure_database(fresh=fresh)
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0, interactive=False)
    # Every time (about 1 s): a static file added since the last run would make pages 500.
    call_command("collectstatic", verbosity=0, interactive=False)
    _READY = True


def reset_data() -> None:
    """Empty every table the measurements fill; reference data, banks and fee schedules stay."""
    from django.db import connection

    tables = [
        "applications_application",
        "applications_outboundemail",
        "django_session",
        "auth_user",
    ]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # Inside a transaction (a test), deferred foreign-key checks must fire before TRUNCATE.
            pending = connection.in_atomic_block
            if pending:
                cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute(f"TRUNCATE {', '.join(tables)} RESTART IDENTITY CASCADE")
            if pending:
                cursor.execute("SET CONSTRAINTS ALL DEFERRED")
        else:  # the smoke test's SQLite database is fresh already; keep it simple
            from applications.models import Application

            Application.objects.all().delete()


@contextmanager
def unsynced() -> Iterator[None]:
    """Preparation only: commits of this connection do not wait for the disk (never while measuring).

    Building fixtures commits thousands of small transactions; on a shared machine each fsync
    took 20 ms. What is measured (requests, workers, offers) keeps PostgreSQL's default.
    """
    from django.db import connection

    postgres = connection.vendor == "postgresql"
    if postgres:
        with connection.cursor() as cursor:
            cursor.execute("SET synchronous_commit TO off")
    try:
        yield
    finally:
        if postgres:
            with connection.cursor() as cursor:
                cursor.execute("RESET synchronous_commit")


def purge_broker() -> None:
    from klimat.celery import app

    with app.connection_for_write() as conn:
        conn.default_channel.queue_purge(QUEUE)


# --- Child processes --------------------------------------------------------------------------
_CLEANUPS: list[Callable[[], None]] = []


def on_exit(stop: Callable[[], None]) -> Callable[[], None]:
    """Register a stop function; it runs at exit (normal, exception, SIGTERM, Ctrl-C) if not run before."""
    _CLEANUPS.append(stop)
    return stop


def cleanup() -> None:
    while _CLEANUPS:
        stop = _CLEANUPS.pop()
        try:
            stop()
        except Exception as error:  # one failing stop must not leave the others running
            print(f"bench: cleanup failed: {error}", file=sys.stderr)


def _on_signal(signum: int, frame: Any) -> None:
    raise SystemExit(128 + signum)


atexit.register(cleanup)
signal.signal(signal.SIGTERM, _on_signal)


def stop_process(process: subprocess.Popen[Any], timeout: float = 15) -> None:
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=5)


def free_port() -> int:
    from tests.services import free_port as _free_port

    return _free_port()


class Gunicorn:
    """`gunicorn klimat.wsgi` with 2 sync workers on 127.0.0.1, bench settings, persistent DB connections."""

    def __init__(self, *, workers: int = 2, env: dict[str, str] | None = None) -> None:
        self.port = free_port()
        self.workers = workers
        self.env = {**os.environ, **(env or {})}
        self.log = tempfile.NamedTemporaryFile(prefix="bench-gunicorn-", suffix=".log", delete=False)  # noqa: SIM115
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def base(self) -> str:
        return f"http://{HOST}:{self.port}"

    def start(self, timeout: float = 30) -> Gunicorn:
        command = [
            sys.executable, "-m", "gunicorn", "klimat.wsgi:application",
            "--bind", f"{HOST}:{self.port}", "--workers", str(self.workers), "--worker-class", "sync",
            "--backlog", "2048", "--timeout", "60", "--log-level", "warning",
        ]  # fmt: skip
        self.process = subprocess.Popen(command, cwd=ROOT, env=self.env, stdout=self.log, stderr=subprocess.STDOUT)
        on_exit(self.stop)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                break
            try:
                connection = http.client.HTTPConnection(HOST, self.port, timeout=2)
                connection.request("GET", "/bench/ok")
                if connection.getresponse().status == 200:
                    connection.close()
                    return self
            except OSError:
                time.sleep(0.2)
        self.stop()
        raise RuntimeError(f"gunicorn did not start:\n{self.tail()}")

    def tail(self, lines: int = 40) -> str:
        return "\n".join(Path(self.log.name).read_text(errors="replace").splitlines()[-lines:])

    def stop(self) -> None:
        if self.process is not None:
            stop_process(self.process)
            self.process = None


def start_worker(smtp_port: int, concurrency: int = 2) -> Any:
    """tests.services.Worker (`celery -A klimat worker`) on the bench broker and database.

    It consumes Celery's default queue ("celery"), where gunicorn and this process send the
    mail tasks; the bench has its broker database (Redis db 9) to itself. Persistent database
    connections, as in production (docker-compose sets no CONN_MAX_AGE, so the settings' 60 s
    applies); the test helper's 0 would add a connect to every task.
    """
    import inspect

    from tests.services import Worker

    options: dict[str, Any] = {
        "broker_url": BROKER_URL,
        "smtp_port": smtp_port,
        "private_root": VAR_DIR / "private",
        "concurrency": concurrency,
    }
    if "queue" in inspect.signature(Worker).parameters:
        options["queue"] = QUEUE
    worker = Worker(**options)
    worker.env["DATABASE_CONN_MAX_AGE"] = "60"
    on_exit(worker.stop)
    return worker.start()


def start_smtp_sink() -> Any:
    from tests.services import SmtpSink

    sink = SmtpSink().start()
    original = sink.stop
    stopped = False

    def stop() -> None:  # aiosmtpd refuses to stop twice; the stack and the exit hook both ask
        nonlocal stopped
        if not stopped:
            stopped = True
            original()

    sink.stop = stop
    on_exit(stop)
    return sink


def run_json(command: list[str], payload: Any, timeout: float) -> Any:
    """Run a helper process that reads JSON on stdin and answers JSON on stdout."""
    process = subprocess.Popen(
        command, cwd=ROOT, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    on_exit(lambda: stop_process(process))
    try:
        out, err = process.communicate(json.dumps(payload), timeout=timeout)
    finally:
        stop_process(process)
    if process.returncode != 0:
        raise RuntimeError(f"{command[:3]} failed ({process.returncode}):\n{err[-2000:]}")
    return json.loads(out)
