"""The journey's mails, queued through the outbox in the caller's transaction.

workflow.py calls these inside its locked block, so a mail exists if and only if the change
that causes it was committed: a repeated submit changes nothing and so mails nothing.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.urls import NoReverseMatch, reverse
from django.utils import translation

from applications import integration
from applications.emails import queue_email
from applications.models import Application, ContactRole, JoiningDecision, Track
from applications.orgnumbers import format_org_number

# The secretariat works in Swedish; its notices are written in Swedish whatever the applicant uses.
SECRETARIAT_LANGUAGE = "sv"


def _site_url(url_name: str, application: Application, language: str) -> str:
    with translation.override(language):
        return settings.SITE_URL + reverse(url_name, args=[application.pk])


def _admin_url(application: Application) -> str:
    try:
        return settings.SITE_URL + reverse("admin:applications_application_change", args=[application.pk])
    except NoReverseMatch:  # the application admin is not registered (yet)
        return settings.SITE_URL + reverse("admin:index")


def contact_addresses(application: Application) -> list[str]:
    """The statutes' two contact persons: the elected official and the civil servant."""
    roles = {ContactRole.ELECTED, ContactRole.OFFICIAL}
    return [contact.email for contact in application.contacts.all() if contact.role in roles and contact.email]


def _summary(application: Application, language: str) -> dict[str, Any]:
    """What a mail about the submission says, worded in `language`."""
    with translation.override(language):
        fee = integration.fee_preview(application) if application.track == Track.MEMBERSHIP else None
        return {
            "application": application,
            "organisation": application.organisation,
            "org_number": format_org_number(application.org_number),
            "observer": application.track == Track.OBSERVER,
            "contacts": list(application.contacts.all()),
            "result": integration.test_result(application) if application.track == Track.MEMBERSHIP else None,
            "fee": fee if isinstance(fee, integration.FeePreview) else None,
            "status_url": _site_url("applications:status", application, language),
        }


def queue_submission_mails(application: Application) -> None:
    """A receipt to both contact persons (their language) and a notice to the secretariat (Swedish)."""
    recipients = contact_addresses(application)
    if recipients:  # submission requires both contacts; this only guards a call from elsewhere
        queue_email(
            name="submission_receipt",
            to=recipients,
            context=_summary(application, application.language),
            language=application.language,
            application=application,
        )
    queue_email(
        name="submission_notice",
        to=[settings.SECRETARIAT_EMAIL],
        context={**_summary(application, SECRETARIAT_LANGUAGE), "admin_url": _admin_url(application)},
        language=SECRETARIAT_LANGUAGE,
        application=application,
    )


def queue_joining_decision_notice(application: Application, decision: JoiningDecision) -> None:
    """Tell the secretariat that the applicant has reported its decision to join."""
    queue_email(
        name="joining_decision_notice",
        to=[settings.SECRETARIAT_EMAIL],
        context={
            "application": application,
            "organisation": application.organisation,
            "decision": decision,
            "admin_url": _admin_url(application),
        },
        language=SECRETARIAT_LANGUAGE,
        application=application,
    )
