"""How long personal data is kept: drafts never submitted, and messages to the secretariat.

A draft untouched for KLIMAT_DRAFT_RETENTION_DAYS (90) is deleted with everything in it: its
answers, the files uploaded as evidence, its contact persons. Only drafts: an application that
was ever submitted is a record of the association's work and is never deleted here. Messages
sent through the contact form are deleted after KLIMAT_CONTACT_MESSAGE_RETENTION_DAYS (365),
with the mail that forwarded them. Both run daily from Celery beat (applications.retention_tasks).
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.core.files.storage import Storage
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from applications.models import Application, EmailStatus, OutboundEmail, Status
from applications.uploads import delete_after_commit
from klimat.models import ContactMessage


def draft_retention() -> datetime.timedelta:
    return datetime.timedelta(days=settings.KLIMAT_DRAFT_RETENTION_DAYS)


def stale_drafts(now: datetime.datetime | None = None) -> QuerySet[Application]:
    """Drafts whose last change, to the application or to its test answers, is too old."""
    cutoff = (now or timezone.now()) - draft_retention()
    return Application.objects.filter(status=Status.DRAFT, updated_at__lt=cutoff).exclude(
        evaluation__updated_at__gte=cutoff
    )


def draft_deletion_date(application: Application) -> datetime.date | None:
    """The day an untouched draft will be deleted, for the applicant's warning; None if never."""
    if application.status != Status.DRAFT:
        return None
    response = getattr(application, "evaluation", None)
    last_change = max(application.updated_at, response.updated_at if response else application.updated_at)
    return timezone.localdate(last_change + draft_retention())


@transaction.atomic
def delete_stale_drafts(now: datetime.datetime | None = None) -> int:
    """Delete drafts untouched for the retention period, their rows and files; return how many.

    The rows are locked, so a draft saved at this moment (its status or updated_at changed) is
    re-checked by the database and kept. Files go from storage once the deletion has committed.
    """
    drafts = list(stale_drafts(now).select_for_update(of=("self",)).values_list("pk", flat=True))
    if not drafts:
        return 0
    files = _stored_files(drafts)
    Application.objects.filter(pk__in=drafts, status=Status.DRAFT).delete()
    delete_after_commit(files)
    return len(drafts)


def _stored_files(application_ids: list[int]) -> list[tuple[Storage, str]]:
    """(storage, name) of every file the applications' drafts hold: the evidence uploads.

    An offer letter's PDF is stored with its OfferLetter, which a draft never has."""
    from evaluation.models import Answer

    evidence = Answer._meta.get_field("evidence_file").storage
    answers = Answer.objects.filter(response__application__in=application_ids).exclude(evidence_file="")
    return [(evidence, name) for name in answers.values_list("evidence_file", flat=True)]


@transaction.atomic
def delete_old_contact_messages(now: datetime.datetime | None = None) -> int:
    """Delete messages older than the retention period and the mail that forwarded them."""
    cutoff = (now or timezone.now()) - datetime.timedelta(days=settings.KLIMAT_CONTACT_MESSAGE_RETENTION_DAYS)
    old = ContactMessage.objects.filter(created_at__lt=cutoff)
    mails = list(old.exclude(outbound_email=None).values_list("outbound_email", flat=True))
    deleted, _ = old.delete()
    # Only a worker sending it this very moment keeps a mail (it goes with the message otherwise).
    OutboundEmail.objects.filter(pk__in=mails).exclude(status=EmailStatus.SENDING).delete()
    return deleted
