"""The contact form's action: keep the message and forward it to the secretariat by the outbox."""

from django.conf import settings
from django.db import transaction

from applications.emails import queue_email
from klimat import ratelimit
from klimat.models import ContactMessage

# Per sender address and per client IP address, each within an hour.
MESSAGES_PER_HOUR = 5


def may_send(*, email: str, ip: str) -> bool:
    """Count the attempt; False once the address or the IP has sent too many this hour."""
    if not ratelimit.hit(f"contact:ip:{ip}", MESSAGES_PER_HOUR):
        return False
    return ratelimit.hit(f"contact:email:{email.lower()}", MESSAGES_PER_HOUR)


def send_contact_message(*, name: str, email: str, organisation: str, message: str, language: str) -> ContactMessage:
    """Store the message and queue its mail to the secretariat in one transaction.

    The row and the outbox mail are committed together; the mail goes out after commit, or later
    through the outbox sweep if the broker or the mail server is down. Nothing is lost.
    """
    with transaction.atomic():
        contact_message = ContactMessage.objects.create(
            name=name, email=email, organisation=organisation, message=message, language=language
        )
        contact_message.outbound_email = queue_email(
            name="contact_message",
            to=[settings.SECRETARIAT_EMAIL],
            context={"contact_message": contact_message},
            # The secretariat works in Swedish; the mail says which language the sender used.
            language="sv",
        )
        contact_message.save(update_fields=["outbound_email"])
    return contact_message
