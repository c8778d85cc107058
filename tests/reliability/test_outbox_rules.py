"""The outbox's rules in-process: mail rows sent once, transient errors retried, permanent ones kept visible."""

import datetime
import smtplib
from types import SimpleNamespace

import pytest
from celery.exceptions import Retry
from django.core import mail
from django.utils import timezone

from applications import emails, tasks
from applications.models import EmailStatus, OutboundEmail
from tests.factories import make_application

pytestmark = pytest.mark.django_db


def queue(application=None):
    application = application or make_application()
    application.decline_reason = "Testskäl"
    return emails.queue_applicant_email(application=application, name="declined")


def test_a_queued_mail_is_sent_after_commit_in_process(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        email = queue()
    email.refresh_from_db()
    assert email.status == EmailStatus.SENT and email.attempts == 1
    assert len(mail.outbox) == 1
    assert mail.outbox[0].extra_headers["X-Klimat-Mail-Id"] == str(email.pk)


def test_nothing_is_sent_for_a_rolled_back_change(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        queue()
    assert len(callbacks) == 1  # dispatch waits for the commit
    assert mail.outbox == []


def test_running_the_send_task_twice_sends_once():
    email = queue()
    assert tasks.send_email(email.pk) == "sent"
    assert tasks.send_email(email.pk) == "not pending"
    assert len(mail.outbox) == 1


def test_a_claimed_row_is_not_sent_by_a_second_task():
    email = queue()
    OutboundEmail.objects.filter(pk=email.pk).update(status=EmailStatus.SENDING, claimed_at=timezone.now())
    assert tasks.send_email(email.pk) == "not pending"
    assert mail.outbox == []


@pytest.mark.parametrize(
    ("error", "transient"),
    [
        (smtplib.SMTPServerDisconnected("gone"), True),
        (ConnectionRefusedError(111, "refused"), True),
        (smtplib.SMTPResponseException(451, b"try later"), True),
        (smtplib.SMTPRecipientsRefused({"x@example.se": (450, b"greylisted")}), True),
        (smtplib.SMTPRecipientsRefused({"x@example.se": (550, b"no such user")}), False),
        (smtplib.SMTPResponseException(554, b"rejected"), False),
        (ValueError("bad header"), False),
    ],
)
def test_smtp_errors_are_classified(error, transient):
    assert tasks.is_transient(error) is transient


def test_a_transient_error_leaves_the_mail_pending_for_a_retry(monkeypatch):
    email = queue()
    monkeypatch.setattr(
        "django.core.mail.backends.locmem.EmailBackend.send_messages",
        lambda self, messages: (_ for _ in ()).throw(smtplib.SMTPServerDisconnected("down")),
    )
    # Called directly (not eager), retry() raises celery's Retry after recording the error.
    with pytest.raises(Retry):
        tasks.send_email(email.pk)
    email.refresh_from_db()
    assert email.status == EmailStatus.PENDING
    assert "SMTPServerDisconnected" in email.last_error


def test_a_permanent_error_marks_the_mail_failed(monkeypatch):
    email = queue()
    monkeypatch.setattr(
        "django.core.mail.backends.locmem.EmailBackend.send_messages",
        lambda self, messages: (_ for _ in ()).throw(smtplib.SMTPResponseException(554, b"rejected")),
    )
    assert tasks.send_email(email.pk) == "failed"
    email.refresh_from_db()
    assert email.status == EmailStatus.FAILED
    assert "554" in email.last_error


def test_the_sweep_requeues_old_pending_and_stale_claims(monkeypatch):
    old = timezone.now() - datetime.timedelta(minutes=30)
    pending = queue()
    stuck = queue(make_application("0180"))
    fresh = queue(make_application("0114"))
    OutboundEmail.objects.filter(pk=pending.pk).update(created_at=old)
    OutboundEmail.objects.filter(pk=stuck.pk).update(created_at=old, status=EmailStatus.SENDING, claimed_at=old)
    queued = []
    monkeypatch.setattr(tasks.send_email, "delay", queued.append)
    assert tasks.sweep_outbox() == 2
    assert sorted(queued) == sorted([pending.pk, stuck.pk])
    assert fresh.pk not in queued


def test_a_mail_whose_send_killed_every_worker_stops_being_requeued(monkeypatch):
    """Each attempt claimed it and died (out of memory, hard time limit): after the last, it fails."""
    old = timezone.now() - datetime.timedelta(minutes=30)
    email = queue()
    OutboundEmail.objects.filter(pk=email.pk).update(
        created_at=old, status=EmailStatus.SENDING, claimed_at=old, attempts=tasks.MAX_ATTEMPTS
    )
    queued = []
    monkeypatch.setattr(tasks.send_email, "delay", queued.append)
    assert tasks.sweep_outbox() == 0
    email.refresh_from_db()
    assert email.status == EmailStatus.FAILED and "died or timed out" in email.last_error
    assert queued == []


def claimer(task_id, *, redelivered=True, eager=False):
    request = SimpleNamespace(id=task_id, is_eager=eager, delivery_info={"redelivered": redelivered})
    return SimpleNamespace(request=request)


def test_only_a_redelivery_of_the_claiming_task_takes_its_claim_over():
    """The broker hands a task out again only when the run holding it died (tasks.claimable)."""
    email = queue()
    OutboundEmail.objects.filter(pk=email.pk).update(
        status=EmailStatus.SENDING, claimed_at=timezone.now(), claimed_by="task-1", attempts=1
    )

    def may_claim(task) -> bool:
        return OutboundEmail.objects.filter(tasks.claimable(task), pk=email.pk).exists()

    assert may_claim(claimer("task-1"))
    assert not may_claim(claimer("task-2"))  # another task: the claim may be alive
    assert not may_claim(claimer("task-1", redelivered=False))  # a retry or a duplicate, not a redelivery
    assert not may_claim(claimer("task-1", eager=True))
    OutboundEmail.objects.filter(pk=email.pk).update(attempts=tasks.MAX_ATTEMPTS)
    assert not may_claim(claimer("task-1"))  # it killed its worker every time: the sweep fails it


def test_backoff_grows_and_is_capped():
    assert [tasks.backoff(n) for n in (1, 2, 3, 10)] == [30, 60, 120, 1800]
