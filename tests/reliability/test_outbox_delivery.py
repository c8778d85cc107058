"""Issue 7 §10 with a real worker: mail is sent once however often it is queued, and after retries.

The worker is a `celery -A klimat worker` process on a Redis of these tests' own, mailing to an
SMTP server that can refuse (tests/reliability/support.py). "Once" is counted at the SMTP server
by each mail's X-Klimat-Mail-Id, after the broker holds no task (none waiting, none unacknowledged),
so a late duplicate has nowhere left to come from.
"""

import pytest

from applications import emails, tasks, workflow
from applications.models import EmailStatus, OutboundEmail, Status
from tests.factories import make_application, make_staff
from tests.reliability.support import wait_until

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.services]


def settled(email_id: int, worker, timeout: float = 60) -> OutboundEmail:
    """The row once it is sent or failed for good."""

    def done() -> OutboundEmail | None:
        email = OutboundEmail.objects.get(pk=email_id)
        return email if email.status in {EmailStatus.SENT, EmailStatus.FAILED} else None

    return wait_until(done, timeout=timeout, message=lambda: "".join(worker.log[-30:]))


def quiet(redis_server, queue: str) -> None:
    """Every task queued so far has run to its end (acks_late: acknowledged only when done)."""
    wait_until(lambda: redis_server.queued(queue) == 0, timeout=60, message="tasks still queued")


def test_sending_the_same_row_twice_delivers_once(on_worker, flaky_smtp, private_redis, reliability_queue):
    application = make_application(status=Status.IN_REVIEW)
    application.decline_reason = "x"
    email = emails.queue_applicant_email(application=application, name="declined")
    tasks.send_email.delay(email.pk)
    tasks.send_email.delay(email.pk)
    assert settled(email.pk, on_worker).status == EmailStatus.SENT
    quiet(private_redis, reliability_queue)
    assert flaky_smtp.delivered() == {str(email.pk): 1}
    assert OutboundEmail.objects.get(pk=email.pk).attempts == 1


def test_with_the_broker_down_at_the_offer_the_sweep_delivers_once(
    on_worker, flaky_smtp, private_redis, reliability_queue, monkeypatch
):
    """Publishing fails when the offer commits; the offer stands and the sweep sends the letter once."""
    application = make_application(status=Status.IN_REVIEW)
    monkeypatch.setattr(tasks.send_email, "delay", lambda *a: (_ for _ in ()).throw(ConnectionError("down")))
    workflow.make_offer(application=application, by=make_staff(), year=2023)
    email = OutboundEmail.objects.get()
    assert email.status == EmailStatus.PENDING
    assert application.status == Status.OFFERED  # the secretariat's decision is not lost
    monkeypatch.undo()
    # The broker is back: beat's sweep re-queues what is pending (older than its grace period).
    OutboundEmail.objects.filter(pk=email.pk).update(created_at=email.created_at - tasks.SWEEP_GRACE * 2)
    assert tasks.sweep_outbox() == 1
    tasks.sweep_outbox()  # a second sweep may queue the row again: the claim must still send once
    assert settled(email.pk, on_worker).status == EmailStatus.SENT
    quiet(private_redis, reliability_queue)
    assert flaky_smtp.delivered() == {str(email.pk): 1}
    attachments = [p for p in flaky_smtp.messages[0].walk() if p.get_content_disposition() == "attachment"]
    assert len(attachments) == 1


def test_a_temporary_smtp_failure_is_retried_until_the_mail_goes_out(
    on_worker, flaky_smtp, private_redis, reliability_queue
):
    """451 twice, then accepted: the task retries with backoff (1 s, 2 s here) and sends once."""
    flaky_smtp.refusals = ["451 4.3.0 Try again later", "451 4.3.0 Try again later"]
    workflow.decline_application(application=make_application(status=Status.IN_REVIEW), by=make_staff(), reason="x")
    email = settled(OutboundEmail.objects.get().pk, on_worker)
    assert email.status == EmailStatus.SENT, email.last_error
    assert email.attempts == 3
    quiet(private_redis, reliability_queue)
    assert flaky_smtp.attempts == {str(email.pk): 3}
    assert flaky_smtp.delivered() == {str(email.pk): 1}
