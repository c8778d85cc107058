"""Every change of an application's status happens here, and nowhere else.

Each function runs in one transaction, locks the application's row, refuses a change that does
not fit the current status, and writes exactly one audit row (StatusChange) per change. Views,
admin actions and tasks call these functions; none of them sets `.status` itself.
"""

import datetime
from collections.abc import Iterator
from contextlib import contextmanager

from django.contrib.auth.models import User
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from applications import emails, integration, notifications, review
from applications.audit import status_changes_allowed
from applications.models import (
    Application,
    JoiningDecision,
    OfferLetter,
    Organisation,
    StaffComment,
    Status,
    StatusChange,
    Track,
)
from applications.uploads import safe_download_name
from fees.formatting import describe_error
from fees.rules import FeeError
from fees.services import fee_for

# Which status may follow which (DESIGN.md §2).
ALLOWED: dict[str, set[str]] = {
    Status.DRAFT: {Status.SUBMITTED, Status.WITHDRAWN},
    Status.SUBMITTED: {Status.IN_REVIEW, Status.DECLINED, Status.WITHDRAWN, Status.OBSERVER},
    Status.IN_REVIEW: {Status.COMPLETION_REQUESTED, Status.OFFERED, Status.DECLINED, Status.WITHDRAWN, Status.OBSERVER},
    Status.COMPLETION_REQUESTED: {Status.SUBMITTED, Status.DECLINED, Status.WITHDRAWN},
    Status.OFFERED: {Status.ACCEPTED, Status.MEMBER, Status.DECLINED, Status.WITHDRAWN},
    Status.ACCEPTED: {Status.MEMBER, Status.WITHDRAWN},
    Status.MEMBER: {Status.WITHDRAWN},
    Status.OBSERVER: {Status.OBSERVER_EXPIRED, Status.WITHDRAWN},
    Status.DECLINED: set(),
    Status.WITHDRAWN: set(),
    Status.OBSERVER_EXPIRED: set(),
}

FROZEN_FEE_FIELDS = (
    "fee_year",
    "fee_schedule_year",
    "fee_exact",
    "fee_due",
    "fee_inhabitants",
    "fee_population_date",
    "fee_breakdown",
)

# Statutes § 4: observer status lasts one year.
OBSERVER_PERIOD_DAYS = 365


class WorkflowError(Exception):
    """A change refused for a reason the secretariat or applicant can act on; str() says it."""


class TransitionNotAllowed(WorkflowError):
    def __init__(self, application: Application, to: str) -> None:
        self.application, self.to = application, to
        if application.status == to:
            # Most often two people acted on the same application at once and the other was first.
            super().__init__(
                _("%(body)s is already “%(status)s”: nothing was changed. Someone may have done this just before you.")
                % {"body": application.organisation.name, "status": Status(to).label}
            )
            return
        super().__init__(
            _("%(body)s cannot go from “%(from)s” to “%(to)s”.")
            % {
                "body": application.organisation.name,
                "from": Status(application.status).label,
                "to": Status(to).label,
            }
        )


def can_change(application: Application, to: str) -> bool:
    """Whether the status `to` may follow the application's current status."""
    return to in ALLOWED[application.status]


@contextmanager
def _locked(application: Application) -> Iterator[Application]:
    """Re-read the row under a lock in a transaction, so two requests cannot both change it.

    The caller's instance is refreshed afterwards, so it shows the new status.
    """
    with transaction.atomic():
        yield Application.objects.select_for_update().select_related("organisation").get(pk=application.pk)
    application.refresh_from_db()


def _change(
    application: Application, to: str, *, by: User | None, reason: str = "", fields: tuple[str, ...] = ()
) -> None:
    if not can_change(application, to):
        raise TransitionNotAllowed(application, to)
    StatusChange.objects.create(
        application=application, from_status=application.status, to_status=to, by=by, reason=reason
    )
    application.status = to
    with status_changes_allowed():
        application.save(update_fields=["status", "updated_at", *fields])


@transaction.atomic
def start_application(
    *, organisation: Organisation, by: User, language: str, track: str = Track.MEMBERSHIP
) -> Application:
    """Open a draft for a body; the database refuses a second open application for it."""
    application = Application.objects.create(
        organisation=organisation,
        track=track,
        language=language,
        official_name=organisation.name,
        inhabitants=organisation.population,
    )
    application.applicants.add(by)
    StatusChange.objects.create(application=application, from_status="", to_status=Status.DRAFT, by=by)
    return application


def submit_application(*, application: Application, by: User) -> bool:
    """Submit a draft (or a completed one); a repeated submit changes nothing and returns False."""
    with _locked(application) as locked, integration.reading_test_once():
        if locked.status not in {Status.DRAFT, Status.COMPLETION_REQUESTED}:
            return False
        locked.submitted_at = timezone.now()
        locked.reopened_parts = []
        locked.fee_preview = _fee_preview_json(locked)
        # The test's score and bank version, frozen in this transaction (evaluation issue 4).
        integration.freeze_result(locked)
        review.record_review_columns(locked)
        _change(
            locked,
            Status.SUBMITTED,
            by=by,
            fields=("submitted_at", "reopened_parts", "fee_preview", *review.REVIEW_FIELDS),
        )
        # The receipt and the secretariat's notice, in this transaction: one pair per submission.
        notifications.queue_submission_mails(locked)
    return True


def start_review(*, application: Application, by: User) -> None:
    """The secretariat takes a submitted application into review."""
    with _locked(application) as locked:
        _change(locked, Status.IN_REVIEW, by=by)


def request_completion(*, application: Application, by: User, message: str, parts: list[str]) -> None:
    """Reopen chosen parts for the applicant, with the secretariat's message, and mail it."""
    if not parts:
        raise WorkflowError(_("Choose at least one part to reopen."))
    with _locked(application) as locked:
        locked.completion_message = message
        locked.reopened_parts = sorted(set(parts))
        _change(
            locked,
            Status.COMPLETION_REQUESTED,
            by=by,
            reason=message,
            fields=("completion_message", "reopened_parts"),
        )
        emails.queue_applicant_email(application=locked, name="completion_requested")


def decline_application(*, application: Application, by: User, reason: str) -> None:
    """Decline, with the reason the applicant will read."""
    with _locked(application) as locked:
        locked.decline_reason = reason
        _change(locked, Status.DECLINED, by=by, reason=reason, fields=("decline_reason",))
        emails.queue_applicant_email(application=locked, name="declined")


def make_offer(*, application: Application, by: User, year: int | None = None) -> None:
    """Offer membership: freeze the fee and its inputs, and send the offer letter.

    The letter row and its mail are written in this transaction; the worker renders the PDF
    before the first send (WeasyPrint never runs in a request) and stores it once.
    """
    year = year or timezone.localdate().year
    with _locked(application) as locked:
        if not can_change(locked, Status.OFFERED):
            raise TransitionNotAllowed(locked, Status.OFFERED)
        try:
            quote = fee_for(year, organisation=locked.organisation, inhabitants=locked.inhabitants)
        except FeeError as error:
            raise WorkflowError(describe_error(error)) from error
        with translation.override(locked.language):
            locked.fee_breakdown = quote.breakdown_text
        locked.fee_year, locked.fee_schedule_year = year, quote.schedule_year
        locked.fee_exact, locked.fee_due = quote.exact, quote.due
        locked.fee_inhabitants = quote.inhabitants
        # The date of the figure: the reference table's when the applicant kept it, else none.
        reference = locked.organisation
        locked.fee_population_date = reference.population_date if locked.inhabitants == reference.population else None
        locked.offered_at = timezone.now()
        _change(locked, Status.OFFERED, by=by, fields=(*FROZEN_FEE_FIELDS, "offered_at"))
        letter, _created = OfferLetter.objects.get_or_create(application=locked, defaults={"language": locked.language})
        emails.queue_applicant_email(application=locked, name="offer", offer_letter=letter)


def record_membership(*, application: Application, by: User, joined_on: datetime.date | None = None) -> None:
    """The joining decision is recorded: the body becomes a member (from offered or accepted)."""
    with _locked(application) as locked:
        if not hasattr(locked, "joining_decision") and locked.status != Status.ACCEPTED:
            # Staff entering the decision themselves create the JoiningDecision first (admin form).
            raise WorkflowError(_("Record the joining decision (date, body, minute reference) first."))
        locked.member_since = joined_on or timezone.localdate()
        _change(locked, Status.MEMBER, by=by, fields=("member_since",))
        emails.queue_applicant_email(application=locked, name="welcome")


def withdraw_application(*, application: Application, by: User | None, reason: str = "") -> None:
    """The applicant or the secretariat withdraws the application."""
    with _locked(application) as locked:
        _change(locked, Status.WITHDRAWN, by=by, reason=reason)


def approve_observer(*, application: Application, by: User, today: datetime.date | None = None) -> None:
    """Observer status for one year from approval (statutes § 4)."""
    with _locked(application) as locked:
        locked.observer_until = (today or timezone.localdate()) + datetime.timedelta(days=OBSERVER_PERIOD_DAYS)
        _change(locked, Status.OBSERVER, by=by, fields=("observer_until",))


@transaction.atomic
def expire_observers(*, today: datetime.date | None = None) -> int:
    """End the observer periods that are over; return how many ended."""
    today = today or timezone.localdate()
    expired = 0
    ending = Application.objects.select_for_update().select_related("organisation")
    for application in ending.filter(status=Status.OBSERVER, observer_until__lt=today):
        _change(application, Status.OBSERVER_EXPIRED, by=None, reason="observer period ended")
        expired += 1
    return expired


def _fee_preview_json(application: Application) -> dict[str, object] | None:
    """What the applicant saw on the summary: the fee for this year with its arithmetic."""
    with translation.override(application.language):
        preview = integration.fee_preview(application)
    return preview.as_json() if isinstance(preview, integration.FeePreview) else None


def report_joining_decision(
    *,
    application: Application,
    by: User,
    decided_on: datetime.date,
    body: str,
    minute_reference: str,
    minutes: UploadedFile,
) -> JoiningDecision:
    """The applicant reports its political decision to join: offered → accepted, secretariat told."""
    with _locked(application) as locked:
        if not can_change(locked, Status.ACCEPTED) or locked.status != Status.OFFERED:
            raise TransitionNotAllowed(locked, Status.ACCEPTED)
        decision = JoiningDecision(
            application=locked,
            decided_on=decided_on,
            body=body,
            minute_reference=minute_reference,
            minutes_name=safe_download_name(minutes.name or ""),
            reported_by=by,
        )
        # The stored name comes from private_upload_path (a random name); the applicant's
        # filename is kept only as minutes_name, cleaned, for the download.
        decision.minutes.save("minutes.pdf", minutes, save=False)
        decision.save()
        _change(locked, Status.ACCEPTED, by=by, reason=f"{decision.get_body_display()} {minute_reference}")
        notifications.queue_joining_decision_notice(locked, decision)
    return decision


def switch_to_observer(*, application: Application, by: User) -> bool:
    """Turn a membership draft into an observer application, keeping everything entered so far.

    The status stays draft, so there is no StatusChange row (the audit trail records status
    changes only, and the timeline would show a change that did not happen). The switch is
    recorded as an internal note the secretariat sees beside the application instead, which
    needs no new field. Returns False when there was nothing to switch.
    """
    with _locked(application) as locked:
        if locked.status != Status.DRAFT:
            raise TransitionNotAllowed(locked, Status.DRAFT)
        if locked.track == Track.OBSERVER:
            return False
        locked.track = Track.OBSERVER
        locked.save(update_fields=["track", "updated_at"])
        StaffComment.objects.create(
            application=locked,
            author=by,
            # Written for the secretariat, which works in Swedish.
            text="Sökanden bytte från medlemsansökan till ansökan om observatörsstatus (utkastet behölls).",
        )
    return True
