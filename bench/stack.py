"""The production stack on 127.0.0.1 for parts 4 and 5: gunicorn, a Celery worker (2 processes) on
Redis db 9, and an SMTP sink; plus the submissions the load generator sends through it.
"""

from __future__ import annotations

import sys
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from email.message import Message
from typing import Any

from bench import common


@dataclass
class Stack:
    server: common.Gunicorn
    worker: Any
    sink: Any


@contextmanager
def running() -> Iterator[Stack]:
    """Sink, worker and gunicorn, all stopped on the way out, whatever happens inside."""
    common.purge_broker()
    sink = common.start_smtp_sink()
    try:
        worker = common.start_worker(sink.port)
        try:
            server = common.Gunicorn().start()
            try:
                yield Stack(server, worker, sink)
            finally:
                server.stop()
        finally:
            worker.stop()
    finally:
        sink.stop()
        common.purge_broker()


def mail_id(message: Message) -> str:
    return str(message.get("X-Klimat-Mail-Id", ""))


def delivered(sink: Any) -> Counter[str]:
    """How many times each outbox row (X-Klimat-Mail-Id) reached the sink."""
    return Counter(mail_id(message) for message in list(sink.messages))


def wait_for(sink: Any, ids: set[str], deadline: float) -> float | None:
    """Poll until every id in `ids` has arrived; the monotonic time it happened, or None at the deadline."""
    while time.monotonic() < deadline:
        if ids <= set(delivered(sink)):
            return time.monotonic()
        time.sleep(0.05)
    return None


def has_pdf(message: Message) -> bool:
    return any(part.get_content_type() == "application/pdf" for part in message.walk())


def submit_request(application: Any, session: str, at: float, tag: str = "") -> dict[str, Any]:
    from django.urls import reverse

    from bench import fixtures

    return {
        "id": f"{application.pk}{tag}",
        "at": at,
        "method": "POST",
        "path": reverse("applications:submit", args=[application.pk]),
        "headers": fixtures.post_headers(session),
        "body": "",
    }


def send(server: common.Gunicorn, requests: list[dict[str, Any]], timeout: float = 120) -> list[dict[str, Any]]:
    """Run the load generator (bench/client.py) as a separate process against `server`."""
    job = {"base": server.base, "timeout": timeout, "requests": requests}
    last = max((float(r.get("at", 0)) for r in requests), default=0.0)
    answer = common.run_json([sys.executable, "-m", "bench.client"], job, timeout=last + timeout + 60)
    return list(answer["results"])


def submit_ok(result: dict[str, Any], application: Any) -> bool:
    """A submit answers with a redirect to the application's status page; anything else is an error."""
    from django.urls import reverse

    status_url = reverse("applications:status", args=[application.pk])
    return result.get("status") == 302 and str(result.get("location", "")).endswith(status_url)


@dataclass
class MailCheck:
    """Every outbox row against what reached the sink: the 'nothing lost, no duplicate' check."""

    expected: int  # outbox rows in the database
    received: int  # distinct rows that reached the sink
    duplicated: int  # extra copies of rows that reached the sink
    late: int  # still pending or being sent when the wait ended: not lost, not delivered in time
    lost: int  # marked sent or failed, yet not at the sink
    unknown: int  # at the sink, but no such outbox row

    @property
    def clean(self) -> bool:
        return self.late == self.lost == self.duplicated == self.unknown == 0

    def describe(self) -> str:
        text = f"{self.received} of {self.expected} outbox rows delivered"
        if self.late:
            text += f", {self.late} still queued when the wait ended (late, not lost)"
        if self.unknown:
            text += f", {self.unknown} unknown ids at the sink"
        return text


def check_mail(sink: Any) -> MailCheck:
    from applications.models import EmailStatus, OutboundEmail

    rows = dict(OutboundEmail.objects.values_list("pk", "status"))
    received = delivered(sink)
    ids = {str(pk): status for pk, status in rows.items()}
    missing = [status for pk, status in ids.items() if pk not in received]
    late = sum(1 for status in missing if status in {EmailStatus.PENDING, EmailStatus.SENDING})
    return MailCheck(
        expected=len(ids),
        received=sum(1 for pk in ids if pk in received),
        duplicated=sum(count - 1 for count in received.values() if count > 1),
        late=late,
        lost=len(missing) - late,
        unknown=len(set(received) - set(ids)),
    )


def outbox_counts() -> dict[str, int]:
    from django.db.models import Count

    from applications.models import OutboundEmail

    return dict(OutboundEmail.objects.values_list("template").annotate(n=Count("id")).values_list("template", "n"))


def audit_counts() -> Counter[str]:
    from applications.models import StatusChange

    return Counter(StatusChange.objects.values_list("to_status", flat=True))
