"""Celery tasks. Each takes an id, reloads, returns early if the work is done, claims, acts."""

import datetime
import logging
import smtplib

from celery import shared_task
from celery.app.task import Task
from django.conf import settings
from django.db.models import F, Q
from django.utils import timezone

from applications.emails import build_message
from applications.models import EmailStatus, OutboundEmail

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 8
# A row claimed longer ago than this belongs to a worker that died mid-send.
STALE_CLAIM = datetime.timedelta(minutes=10)
# Pending rows younger than this are still on their way through the broker.
SWEEP_GRACE = datetime.timedelta(minutes=1)


def is_transient(error: BaseException) -> bool:
    """4xx replies and lost connections may pass on a retry; 5xx replies will not."""
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        return all(400 <= code < 500 for code, _ in error.recipients.values())
    if isinstance(error, smtplib.SMTPResponseException):
        return 400 <= error.smtp_code < 500
    return isinstance(error, smtplib.SMTPServerDisconnected | smtplib.SMTPConnectError | OSError | TimeoutError)


def backoff(attempt: int) -> int:
    """Seconds before retry `attempt`: 30, 60, 120 … capped at 30 minutes (base from settings)."""
    return int(min(settings.KLIMAT_MAIL_RETRY_SECONDS * 2 ** max(attempt - 1, 0), 1800))


def claimable(task: Task) -> Q:
    """The rows this task may claim: pending ones, or the one its own earlier run left mid-send.

    The broker hands a task out again (same id, marked redelivered) only when the run holding it
    is gone: a killed pool process (task_reject_on_worker_lost) or a visibility timeout longer
    than any task can run. That run's claim is then taken over at once instead of waiting for
    the sweep's STALE_CLAIM. A different task never takes a live claim, so a row is sent once.
    A mail that has killed its worker MAX_ATTEMPTS times is left to the sweep, which fails it.
    """
    pending = Q(status=EmailStatus.PENDING)
    task_id = task.request.id
    if task_id and not task.request.is_eager and (task.request.delivery_info or {}).get("redelivered"):
        return pending | Q(status=EmailStatus.SENDING, claimed_by=task_id, attempts__lt=MAX_ATTEMPTS)
    return pending


@shared_task(bind=True, acks_late=True, ignore_result=True)
def send_email(self: Task, email_id: int) -> str:
    claimed = OutboundEmail.objects.filter(claimable(self), pk=email_id).update(
        status=EmailStatus.SENDING,
        claimed_at=timezone.now(),
        claimed_by=self.request.id or "",
        attempts=F("attempts") + 1,
    )
    if not claimed:
        return "not pending"
    email = OutboundEmail.objects.get(pk=email_id)
    try:
        build_message(email).send()
    except Exception as error:
        transient = is_transient(error) and email.attempts < MAX_ATTEMPTS
        status = EmailStatus.PENDING if transient else EmailStatus.FAILED
        OutboundEmail.objects.filter(pk=email_id).update(status=status, last_error=f"{type(error).__name__}: {error}")
        if not transient:
            logger.error("Mail %s failed for good: %s", email_id, error)
            return "failed"
        logger.warning("Mail %s: transient error, retrying: %s", email_id, error)
        if self.request.is_eager:
            return "retry later"  # in-process mode has no countdown; the sweep retries
        raise self.retry(countdown=backoff(email.attempts), max_retries=MAX_ATTEMPTS) from error
    OutboundEmail.objects.filter(pk=email_id).update(status=EmailStatus.SENT, sent_at=timezone.now(), last_error="")
    return "sent"


@shared_task(ignore_result=True)
def sweep_outbox() -> int:
    """Re-queue mail left pending (broker down, task lost) or stuck with a dead worker."""
    now = timezone.now()
    stale = OutboundEmail.objects.filter(status=EmailStatus.SENDING, claimed_at__lt=now - STALE_CLAIM)
    # A mail whose send keeps killing its worker (or outlasting the time limit) stops somewhere.
    stale.filter(attempts__gte=MAX_ATTEMPTS).update(
        status=EmailStatus.FAILED, last_error="The worker died or timed out on every attempt."
    )
    stale.update(status=EmailStatus.PENDING)
    pending = list(
        OutboundEmail.objects.filter(status=EmailStatus.PENDING, created_at__lt=now - SWEEP_GRACE)
        .exclude(claimed_at__gt=now - SWEEP_GRACE)
        .values_list("pk", flat=True)
    )
    for email_id in pending:
        send_email.delay(email_id)
    return len(pending)
