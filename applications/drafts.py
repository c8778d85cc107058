"""The parts of an application: what each holds, whether it is complete, and saving them.

A draft is saved part by part, on every POST, and may be incomplete: required answers are
enforced when the applicant submits, not at every step (the issue's "nothing lost"). Saving
re-reads the row under a lock and checks that the part may still be edited, so a save that
races a submission (or a second editor) cannot change a submitted application.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from applications import integration
from applications.models import Application, Contact, ContactRole, Track

ORGANISATION = "organisation"
CONTACTS = "contacts"
# The observer track's "why" page; the secretariat reopens it under this key.
OBSERVER_REASON = "observer_reason"

ORGANISATION_FIELDS = ("official_name", "org_number", "street_address", "postal_code", "city", "inhabitants")
ORGANISATION_LABELS = {
    "official_name": _("official name"),
    "org_number": _("organisation number"),
    "street_address": _("street address"),
    "postal_code": _("postal code"),
    "city": _("city"),
    "inhabitants": _("inhabitants"),
}
CONTACT_FIELDS = ("name", "title", "email", "phone")
REQUIRED_ROLES = (ContactRole.ELECTED, ContactRole.OFFICIAL)


class PartLocked(Exception):
    """The part may not be edited in the application's current status."""


@dataclass(frozen=True)
class Part:
    """One entry of the part list: a page of the application and how far it is filled in."""

    key: str
    title: str
    url: str
    complete: bool
    editable: bool
    missing: tuple[str, ...] = field(default=())


def organisation_missing(application: Application) -> list[str]:
    missing = [str(ORGANISATION_LABELS[name]) for name in ORGANISATION_FIELDS if not getattr(application, name)]
    if (
        application.inhabitants
        and application.inhabitants != application.organisation.population
        and not application.inhabitants_reason.strip()
    ):
        missing.append(str(_("the reason for another number of inhabitants")))
    return missing


def contacts_missing(application: Application) -> list[str]:
    present = {contact.role for contact in application.contacts.all() if contact.name and contact.email}
    return [str(role.label) for role in REQUIRED_ROLES if role not in present]


def observer_reason_missing(application: Application) -> list[str]:
    return [] if application.observer_reason.strip() else [str(_("why you apply for observer status"))]


def parts_for(application: Application) -> list[Part]:
    """Every part the applicant fills in, in order, for the application's track."""

    def own(key: str, title: object, url_name: str, missing: list[str]) -> Part:
        return Part(
            key=key,
            title=str(title),
            url=reverse(url_name, args=[application.pk]),
            complete=not missing,
            editable=application.part_is_editable(key),
            missing=tuple(missing),
        )

    parts = [
        own(ORGANISATION, _("Organisation"), "applications:organisation", organisation_missing(application)),
        own(CONTACTS, _("Contact persons"), "applications:contacts", contacts_missing(application)),
    ]
    if application.track == Track.OBSERVER:
        parts.append(
            own(
                OBSERVER_REASON,
                _("Why observer status"),
                "applications:observer_reason",
                observer_reason_missing(application),
            )
        )
        return parts
    for section in integration.test_sections(application):
        parts.append(
            Part(
                key=section.part,
                title=section.title,
                url=section.url,
                complete=section.complete,
                editable=application.part_is_editable(section.part),
                missing=_answers_missing(section.missing),
            )
        )
    return parts


def _answers_missing(count: int) -> tuple[str, ...]:
    if not count:
        return ()
    return (ngettext("%(count)s answer", "%(count)s answers", count) % {"count": count},)


def missing_parts(application: Application) -> list[Part]:
    return [part for part in parts_for(application) if not part.complete]


def _locked_for(application: Application, part: str) -> Application:
    locked = Application.objects.select_for_update().select_related("organisation").get(pk=application.pk)
    if not locked.part_is_editable(part):
        raise PartLocked(part)
    return locked


@transaction.atomic
def save_organisation(*, application: Application, data: Mapping[str, Any]) -> None:
    """Save the organisation part as the form cleaned it (blank fields allowed in a draft)."""
    locked = _locked_for(application, ORGANISATION)
    names = [*ORGANISATION_FIELDS, "inhabitants_reason"]
    for name in names:
        setattr(locked, name, data[name])
    if locked.inhabitants == locked.organisation.population:
        # Back to the official figure: an old explanation would only confuse the secretariat.
        locked.inhabitants_reason = ""
    locked.save(update_fields=[*names, "updated_at"])


@transaction.atomic
def save_contacts(*, application: Application, contacts: Mapping[str, Mapping[str, str] | None]) -> None:
    """Save one contact per role; None (all fields left empty) removes that role's contact."""
    locked = _locked_for(application, CONTACTS)
    for role, values in contacts.items():
        if values is None:
            Contact.objects.filter(application=locked, role=role).delete()
        else:
            Contact.objects.update_or_create(
                application=locked, role=role, defaults={name: values[name] for name in CONTACT_FIELDS}
            )
    locked.save(update_fields=["updated_at"])


@transaction.atomic
def save_observer_reason(*, application: Application, reason: str) -> None:
    locked = _locked_for(application, OBSERVER_REASON)
    locked.observer_reason = reason
    locked.save(update_fields=["observer_reason", "updated_at"])
