"""The outbox with a real Celery worker on Redis and a real SMTP server (aiosmtpd).

What happens when Redis, SMTP or the worker fail is in tests/reliability/.
"""

import time

import pytest

from applications import workflow
from applications.models import EmailStatus, OutboundEmail, Status
from tests.factories import make_application, make_staff

# Transactional: the worker process reads what this test commits (tests/seed.py reloads the
# reference data a flush removes).
pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.services]


def wait_until_sent(email_id: int, timeout: float = 30, worker=None) -> OutboundEmail:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        email = OutboundEmail.objects.get(pk=email_id)
        if email.status in {EmailStatus.SENT, EmailStatus.FAILED}:
            return email
        time.sleep(0.1)
    log = "".join(worker.log[-20:]) if worker else ""
    raise AssertionError(f"mail {email_id} still {email.status}: {email.last_error}\n{log}")


def test_a_decline_is_delivered_once_by_the_worker(worker, smtp_sink):
    application = make_application(status=Status.IN_REVIEW)
    workflow.decline_application(application=application, by=make_staff(), reason="Saknar mål.")
    email = wait_until_sent(OutboundEmail.objects.get().pk, worker=worker)
    assert email.status == EmailStatus.SENT
    messages = smtp_sink.wait_for(1)
    time.sleep(0.5)
    assert len(smtp_sink.messages) == 1
    assert "Saknar mål." in messages[0].get_payload()[0].get_payload(decode=True).decode()


def test_an_offer_delivers_one_mail_with_the_letter_attached(worker, smtp_sink):
    application = make_application(status=Status.IN_REVIEW)
    workflow.make_offer(application=application, by=make_staff(), year=2023)
    email = wait_until_sent(OutboundEmail.objects.get(template="offer").pk, timeout=60, worker=worker)
    assert email.status == EmailStatus.SENT, email.last_error
    time.sleep(0.5)
    assert len(smtp_sink.messages) == 1
    message = smtp_sink.messages[0]
    attachments = [part for part in message.walk() if part.get_content_disposition() == "attachment"]
    assert len(attachments) == 1
    pdf = attachments[0].get_payload(decode=True)
    assert pdf.startswith(b"%PDF-")
    application.refresh_from_db()
    # Rendered once by the worker and stored: the stored bytes are the ones mailed.
    with application.offer_letter.pdf.open("rb") as handle:
        assert handle.read() == pdf
