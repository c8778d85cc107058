"""A contact person's data: find it by email address, export it, erase it (issue 7 §8).

The secretariat handles these requests in the admin (applications/admin/personal_data.py). A
person may be a contact on several applications, have an applicant account (whose username is
the address), sign-in links, messages sent through the contact form, mail addressed to them or
naming them, and django-axes' record of their sign-ins.

Erasure anonymises; it does not delete what the association's decisions rest on. Applications,
their audit rows (StatusChange), frozen fees, joining decisions and offer letters stay. The
account is kept, anonymised and deactivated, because audit rows point at it: deleting it would
set their `by` to NULL, and the audit is immutable. Stored offer-letter PDFs are kept as they
were sent, although they name the contact persons: the letter is the record of what was offered
and at what fee, and re-rendering it would make the archive differ from the letter the body
received. The export lists those letters, so the person learns that they are kept.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any

from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib.auth.models import User
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from applications.models import (
    Contact,
    EmailStatus,
    OfferLetter,
    OutboundEmail,
    PersonalDataRequest,
    SignInToken,
)
from applications.signin import normalise_email
from klimat.models import ContactMessage

# Markers written in place of the data; in Swedish, the secretariat's working language.
ERASED_NAME = "Raderad kontaktperson"
ERASED_TEXT = "[Raderat på begäran om radering av personuppgifter]"
EXPORT_FORMAT = "klimatkommunerna-personal-data/1"


def erased_address(kind: str, pk: int) -> str:
    """A unique, undeliverable address (.invalid is reserved, RFC 2606) for an erased row."""
    return f"erased-{kind}-{pk}@erased.invalid"


def _mentions(text: str, email: str) -> bool:
    """`text` holds the address as a whole address: anna@x.se is not in hanna@x.se."""
    return bool(re.search(rf"(?<![\w.+-]){re.escape(email)}(?![\w-]|\.\w)", text, flags=re.IGNORECASE))


@dataclass
class Holdings:
    """Every row that holds data about one address."""

    email: str
    contacts: list[Contact] = field(default_factory=list)
    accounts: list[User] = field(default_factory=list)
    staff_accounts: list[User] = field(default_factory=list)
    sign_in_links: list[SignInToken] = field(default_factory=list)
    contact_messages: list[ContactMessage] = field(default_factory=list)
    emails: list[OutboundEmail] = field(default_factory=list)
    sign_in_log: list[AccessLog | AccessFailureLog | AccessAttempt] = field(default_factory=list)
    offer_letters: list[OfferLetter] = field(default_factory=list)

    def counts(self) -> dict[str, int]:
        """How many rows of each kind, the offer letters (kept) and staff accounts left out."""
        erasable = ["contacts", "accounts", "sign_in_links", "contact_messages", "emails", "sign_in_log"]
        return {name: len(getattr(self, name)) for name in erasable if getattr(self, name)}

    @property
    def is_empty(self) -> bool:
        return not self.counts()

    def names(self) -> set[str]:
        """The person's names as given on each row (a mail's subject may hold one)."""
        given = [contact.name for contact in self.contacts] + [message.name for message in self.contact_messages]
        given += [user.get_full_name() for user in self.accounts]
        return {name.strip() for name in given if len(name.strip()) > 1}


def find_personal_data(email: str) -> Holdings:
    """Every row holding data about the person with this address (case does not matter)."""
    email = normalise_email(email)
    if not email:
        return Holdings(email="")
    users = list(
        User.objects.filter(Q(username__iexact=email) | Q(email__iexact=email)).prefetch_related(
            "applications__organisation"
        )
    )
    contacts = list(
        Contact.objects.filter(email__iexact=email).select_related("application__organisation").order_by("pk")
    )
    usernames = [user.username for user in users] or [email]
    log_filter = Q(username__iexact=email) | Q(username__in=usernames)
    return Holdings(
        email=email,
        contacts=contacts,
        accounts=[user for user in users if not (user.is_staff or user.is_superuser)],
        staff_accounts=[user for user in users if user.is_staff or user.is_superuser],
        sign_in_links=list(SignInToken.objects.filter(email__iexact=email).order_by("created_at")),
        contact_messages=list(ContactMessage.objects.filter(email__iexact=email).order_by("created_at")),
        emails=_emails_about(email),
        sign_in_log=[
            *AccessLog.objects.filter(log_filter).order_by("attempt_time"),
            *AccessFailureLog.objects.filter(log_filter).order_by("attempt_time"),
            *AccessAttempt.objects.filter(log_filter).order_by("attempt_time"),
        ],
        offer_letters=list(
            OfferLetter.objects.filter(application__contacts__in=contacts)
            .select_related("application__organisation")
            .distinct()
        ),
    )


def _emails_about(email: str) -> list[OutboundEmail]:
    """Mail addressed to the person or naming their address (the secretariat's notices do)."""
    candidates = OutboundEmail.objects.filter(
        Q(to__icontains=email) | Q(body_text__icontains=email) | Q(body_html__icontains=email)
    ).order_by("created_at")
    return [
        mail
        for mail in candidates
        if email in {address.lower() for address in mail.to} or _mentions(mail.body_text + mail.body_html, email)
    ]


# --- Export -----------------------------------------------------------------------------------
def export_personal_data(holdings: Holdings) -> dict[str, Any]:
    """The person's data as plain JSON-ready values: what a subject access request returns."""
    return {
        "format": EXPORT_FORMAT,
        "email": holdings.email,
        "exported_at": timezone.now(),
        "contact_persons": [
            {
                "application": contact.application_id,
                "organisation": contact.application.organisation.name,
                "role": contact.get_role_display(),
                "name": contact.name,
                "title": contact.title,
                "email": contact.email,
                "phone": contact.phone,
            }
            for contact in holdings.contacts
        ],
        "accounts": [
            {
                "username": user.username,
                "email": user.email,
                "first_name": user.first_name,
                "last_name": user.last_name,
                "date_joined": user.date_joined,
                "last_login": user.last_login,
                "is_active": user.is_active,
                "is_staff": user.is_staff,
                "applications": [
                    {"id": application.pk, "organisation": application.organisation.name}
                    for application in user.applications.all()
                ],
            }
            for user in [*holdings.accounts, *holdings.staff_accounts]
        ],
        # The token itself is never stored, only its hash, which is nobody's business.
        "sign_in_links": [
            {"created_at": token.created_at, "expires_at": token.expires_at, "used_at": token.used_at}
            for token in holdings.sign_in_links
        ],
        "contact_messages": [
            {
                "received_at": message.created_at,
                "name": message.name,
                "email": message.email,
                "organisation": message.organisation,
                "message": message.message,
                "language": message.language,
            }
            for message in holdings.contact_messages
        ],
        "emails": [
            {
                "created_at": mail.created_at,
                "sent_at": mail.sent_at,
                "status": mail.status,
                "to": list(mail.to),
                "subject": mail.subject,
                "text": mail.body_text,
            }
            for mail in holdings.emails
        ],
        "sign_in_log": [
            {
                "at": entry.attempt_time,
                "kind": type(entry).__name__,
                "ip_address": entry.ip_address,
                "user_agent": entry.user_agent,
                "path": entry.path_info,
            }
            for entry in holdings.sign_in_log
        ],
        # Kept after an erasure: the offer letter is the decision record (see the module's note).
        "offer_letters_naming_the_person": [
            {"application": letter.application_id, "organisation": letter.application.organisation.name}
            for letter in holdings.offer_letters
        ],
    }


def export_json(holdings: Holdings) -> str:
    """The export as indented UTF-8 JSON: machine-readable and readable by a person."""
    return json.dumps(export_personal_data(holdings), cls=DjangoJSONEncoder, ensure_ascii=False, indent=2)


def record_export(*, holdings: Holdings, by: User, reference: str = "") -> PersonalDataRequest:
    """Who exported a person's data and when: an export discloses it, so it is accounted for."""
    return PersonalDataRequest.objects.create(
        kind=PersonalDataRequest.Kind.EXPORT, by=by, reference=reference, counts=holdings.counts()
    )


# --- Erasure ----------------------------------------------------------------------------------
@transaction.atomic
def erase_personal_data(*, email: str, by: User, reference: str = "") -> PersonalDataRequest | None:
    """Anonymise or delete everything held about the address, in one transaction.

    Returns the record of the erasure, or None when nothing was held (a second erasure of the
    same address finds nothing, changes nothing and records nothing). Staff accounts are left
    alone: they are closed by an administrator, not through a request.
    """
    holdings = find_personal_data(email)
    if holdings.is_empty:
        return None
    counts, names = holdings.counts(), holdings.names()  # before the rows are overwritten
    for contact in holdings.contacts:
        contact.name, contact.title, contact.phone = ERASED_NAME, "", ""
        contact.email = erased_address("contact", contact.pk)
        contact.save(update_fields=["name", "title", "phone", "email"])
    for user in holdings.accounts:
        _anonymise_account(user)
    SignInToken.objects.filter(pk__in=[token.pk for token in holdings.sign_in_links]).delete()
    ContactMessage.objects.filter(pk__in=[message.pk for message in holdings.contact_messages]).delete()
    for mail in holdings.emails:
        _redact_email(mail, holdings.email, names)
    for model in (AccessLog, AccessFailureLog, AccessAttempt):
        model.objects.filter(pk__in=[entry.pk for entry in holdings.sign_in_log if isinstance(entry, model)]).delete()
    record = PersonalDataRequest.objects.create(
        kind=PersonalDataRequest.Kind.ERASURE, by=by, reference=reference, counts=counts
    )
    return record


def _anonymise_account(user: User) -> None:
    user.username = f"erased-{user.pk}"
    user.email = user.first_name = user.last_name = ""
    user.is_active = False
    user.set_unusable_password()
    user.save(update_fields=["username", "email", "first_name", "last_name", "is_active", "password"])


def _redact_email(mail: OutboundEmail, email: str, names: set[str]) -> None:
    """Take the address out of the mail.

    A mail not yet sent still goes to its other recipients when its text does not name the
    person; otherwise its text is replaced, and one not yet sent is marked failed, so a redacted
    mail is never sent.
    """
    others = [address for address in mail.to if address.lower() != email]
    redact = not others or _mentions(mail.body_text + mail.body_html, email)
    mail.to = others or [erased_address("mail", mail.pk)]
    fields = ["to"]
    if redact:
        mail.body_text, mail.body_html = ERASED_TEXT, ""
        fields += ["body_text", "body_html"]
        if any(name.casefold() in mail.subject.casefold() for name in names):
            mail.subject = ERASED_TEXT  # "Message from the website: <name>"
            fields.append("subject")
        if mail.status in {EmailStatus.PENDING, EmailStatus.SENDING}:
            mail.status, mail.last_error = EmailStatus.FAILED, ERASED_TEXT
            fields += ["status", "last_error"]
    mail.save(update_fields=fields)
