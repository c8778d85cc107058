"""Outgoing mail through the outbox: queue_email() writes a row; tasks.send_email sends it.

Each mail has three templates, templates/emails/<name>.subject.txt, .txt and .html, rendered
in the recipient's language when the row is written, so a resend sends the same words.
"""

import logging
from collections.abc import Iterable, Mapping
from typing import Any

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import translation

from applications.models import Application, ContactRole, OfferLetter, OutboundEmail

logger = logging.getLogger(__name__)


def queue_email(
    *,
    name: str,
    to: Iterable[str],
    context: Mapping[str, Any],
    language: str,
    application: Application | None = None,
    offer_letter: OfferLetter | None = None,
) -> OutboundEmail:
    """Write the mail as a row in the caller's transaction and send it once that commits."""
    context = {**context, "SITE_URL": settings.SITE_URL, "SECRETARIAT_EMAIL": settings.SECRETARIAT_EMAIL}
    with translation.override(language):
        subject = " ".join(render_to_string(f"emails/{name}.subject.txt", context).split())
        text = render_to_string(f"emails/{name}.txt", context)
        html = render_to_string(f"emails/{name}.html", context)
    email = OutboundEmail(
        application=application,
        template=name,
        to=sorted(set(to)),
        subject=subject,
        body_text=text,
        body_html=html,
        language=language,
        offer_letter=offer_letter,
    )
    email.save()
    dispatch_email(email.pk)
    return email


def applicant_addresses(application: Application) -> list[str]:
    """Who hears from the secretariat: the two contact persons and whoever applies in the portal."""
    contacts = [
        contact.email
        for contact in application.contacts.all()
        if contact.role in {ContactRole.ELECTED, ContactRole.OFFICIAL} and contact.email
    ]
    applicants = [user.email for user in application.applicants.all() if user.email]
    return sorted({address.lower() for address in contacts + applicants})


def queue_applicant_email(
    *, application: Application, name: str, context: Mapping[str, Any] | None = None, **extra: Any
) -> OutboundEmail:
    """A mail to the applicant's people, in the application's language."""
    return queue_email(
        name=name,
        to=applicant_addresses(application),
        context={"application": application, "organisation": application.organisation, **(context or {})},
        language=application.language,
        application=application,
        **extra,
    )


def dispatch_email(email_id: int) -> None:
    """Hand the row to Celery after commit; if the broker is down the sweep picks it up later."""
    from applications.tasks import send_email

    def enqueue() -> None:
        try:
            send_email.delay(email_id)
        except Exception:  # the broker being down must not fail the user's request
            logger.warning("Could not queue mail %s; the outbox sweep will send it", email_id, exc_info=True)

    transaction.on_commit(enqueue)


def build_message(email: OutboundEmail) -> EmailMultiAlternatives:
    message = EmailMultiAlternatives(
        subject=email.subject,
        body=email.body_text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=list(email.to),
        headers={"X-Klimat-Mail-Id": str(email.pk)},
    )
    if email.body_html:
        message.attach_alternative(email.body_html, "text/html")
    if email.offer_letter is not None:
        from applications.letters import offer_letter_filename, store_offer_letter

        letter = store_offer_letter(email.offer_letter.application)
        with letter.pdf.open("rb") as handle:
            message.attach(offer_letter_filename(letter.application), handle.read(), "application/pdf")
    return message
