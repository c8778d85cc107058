"""Every change of an application's status happens here, and nowhere else.

Each function runs in one transaction, locks the application's row, refuses a change that does
not fit the current status, and writes exactly one audit row (StatusChange) per change. Views,
admin actions and tasks call these functions; none of them sets `.status` itself.
"""

import datetime
from collections.abc import Iterator
from contextlib import contextmanager

from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from applications.models import Application, Organisation, Status, StatusChange, Track

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

# Statutes § 4: observer status lasts one year.
OBSERVER_PERIOD_DAYS = 365


class TransitionNotAllowed(Exception):
    def __init__(self, application: Application, to: str) -> None:
        self.application, self.to = application, to
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
    with _locked(application) as locked:
        if locked.status not in {Status.DRAFT, Status.COMPLETION_REQUESTED}:
            return False
        locked.submitted_at = timezone.now()
        locked.reopened_parts = []
        _change(locked, Status.SUBMITTED, by=by, fields=("submitted_at", "reopened_parts"))
    return True


def start_review(*, application: Application, by: User) -> None:
    """The secretariat takes a submitted application into review."""
    with _locked(application) as locked:
        _change(locked, Status.IN_REVIEW, by=by)


def request_completion(*, application: Application, by: User, message: str, parts: list[str]) -> None:
    """Reopen chosen parts for the applicant, with the secretariat's message."""
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


def decline_application(*, application: Application, by: User, reason: str) -> None:
    """Decline, with the reason the applicant will read."""
    with _locked(application) as locked:
        locked.decline_reason = reason
        _change(locked, Status.DECLINED, by=by, reason=reason, fields=("decline_reason",))


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
