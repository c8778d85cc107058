"""The contact persons: one elected official and one civil servant, the delegate optional."""

import html

import pytest

from applications import drafts
from applications.models import Contact, ContactRole
from tests.applications.conftest import url

pytestmark = pytest.mark.django_db


def contacts_data(**changes):
    data = {
        "elected-name": "Anna Andersson",
        "elected-title": "Kommunstyrelsens ordförande",
        "elected-email": "anna@stockholm.se",
        "elected-phone": "08-508 290 00",
        "official-name": "Bo Berg",
        "official-title": "Klimatstrateg",
        "official-email": "bo@stockholm.se",
        "official-phone": "+46 8 508 290 01",
        "delegate-name": "",
        "delegate-title": "",
        "delegate-email": "",
        "delegate-phone": "",
        "go": "stay",
    }
    return {**data, **changes}


@pytest.mark.parametrize(
    ("language", "texts"),
    [
        ("sv", ["Kontaktpersoner", "Förtroendevald", "Tjänsteperson", "Ombud vid årsmötet", "frivilligt"]),
        ("en", ["Contact persons", "Elected official", "Civil servant", "Delegate to the annual meeting", "optional"]),
    ],
)
def test_page_in_both_languages(application, client_for, language, texts):
    page = client_for.get(url("applications:contacts", application.pk, language=language))
    assert page.status_code == 200
    for text in texts:
        assert text in page.content.decode()


def test_both_contacts_are_saved_and_the_part_is_complete(application, client_for):
    response = client_for.post(url("applications:contacts", application.pk), contacts_data())
    assert response.status_code == 302
    assert {c.role: c.email for c in Contact.objects.all()} == {
        ContactRole.ELECTED: "anna@stockholm.se",
        ContactRole.OFFICIAL: "bo@stockholm.se",
    }
    application.refresh_from_db()
    assert application.has_required_contacts
    assert drafts.contacts_missing(application) == []


def test_the_delegate_may_be_added_and_removed(application, client_for):
    client_for.post(
        url("applications:contacts", application.pk),
        contacts_data(**{"delegate-name": "Cia Carlsson", "delegate-email": "cia@stockholm.se"}),
    )
    assert Contact.objects.filter(role=ContactRole.DELEGATE).exists()
    client_for.post(url("applications:contacts", application.pk), contacts_data())
    assert not Contact.objects.filter(role=ContactRole.DELEGATE).exists()


@pytest.mark.parametrize(
    ("changes", "swedish", "english", "field"),
    [
        (
            {"official-email": "bo(at)stockholm"},
            "Ange en e-postadress som namn@kommun.se.",
            "Enter an email address like name@kommun.se.",
            "official-email",
        ),
        (
            {"elected-phone": "ring mig"},
            "Ange ett telefonnummer som 08-508 290 00.",
            "Enter a phone number like 08-508 290 00.",
            "elected-phone",
        ),
        (
            {"elected-name": ""},
            "Ange namnet på kontaktpersonen (förtroendevald).",
            "Enter the name of the elected official.",
            "elected-name",
        ),
        (
            {"delegate-name": "Cia Carlsson"},
            "Ange e-postadressen till kontaktpersonen (ombud vid årsmötet).",
            "Enter the email address of the delegate to the annual meeting.",
            "delegate-email",
        ),
    ],
)
@pytest.mark.parametrize("language", ["sv", "en"])
def test_each_error_in_the_users_language(application, client_for, changes, swedish, english, field, language):
    page = client_for.post(url("applications:contacts", application.pk, language=language), contacts_data(**changes))
    text = html.unescape(page.content.decode())
    assert page.status_code == 200
    assert (swedish if language == "sv" else english) in text
    assert f'href="#id_{field}"' in text
    assert f"id_{field}_error" in text
    assert Contact.objects.count() == 0


def test_a_contact_left_empty_is_removed_and_the_part_becomes_incomplete(application, client_for):
    client_for.post(url("applications:contacts", application.pk), contacts_data())
    empty = {f"official-{name}": "" for name in ("name", "title", "email", "phone")}
    client_for.post(url("applications:contacts", application.pk), contacts_data(**empty))
    application.refresh_from_db()
    assert not application.has_required_contacts
