"""The organisation part: official name, organisation number, address, inhabitants with a reason."""

import html

import pytest
from stdnum.se import orgnr

from applications.models import Application, Status
from tests.applications.conftest import COMPANY_ORGNR, set_status, start, url

pytestmark = pytest.mark.django_db


def form_data(**changes):
    data = {
        "official_name": "Stockholms kommun",
        "org_number": "212000-0142",
        "street_address": "Ragnar Östbergs plan 1",
        "postal_code": "10535",
        "city": "Stockholm",
        "inhabitants": "935619",
        "inhabitants_reason": "",
        "go": "stay",
    }
    return {**data, **changes}


def test_fixtures_are_what_stdnum_says():
    assert orgnr.is_valid("212000-0142")
    assert not orgnr.is_valid("212000-0143")
    assert orgnr.is_valid(COMPANY_ORGNR)


@pytest.mark.parametrize(
    ("language", "texts"),
    [
        ("sv", ["Organisationsnummer", "folkmängd 31 december 2016 enligt SCB", "935\xa0619"]),
        ("en", ["Organisation number", "population on 31 December 2016 according to SCB", "935,619"]),
    ],
)
def test_page_is_prefilled_from_the_reference_table(application, client_for, language, texts):
    page = client_for.get(url("applications:organisation", application.pk, language=language))
    text = page.content.decode()
    assert page.status_code == 200
    for expected in texts:
        assert expected in text
    assert 'value="935619"' in text
    assert 'value="Stockholms kommun"' in text


def test_valid_details_are_saved_with_the_number_as_ten_digits(application, client_for):
    response = client_for.post(url("applications:organisation", application.pk), form_data())
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.org_number == "2120000142"
    assert application.postal_code == "105 35"
    page = client_for.get(url("applications:organisation", application.pk)).content.decode()
    assert 'value="212000-0142"' in page


def test_save_and_continue_goes_to_the_contact_persons(application, client_for):
    response = client_for.post(url("applications:organisation", application.pk), form_data(go="next"))
    assert response["Location"] == url("applications:contacts", application.pk)


def test_a_draft_may_be_saved_incomplete(application, client_for):
    response = client_for.post(url("applications:organisation", application.pk), form_data(org_number="", city=""))
    assert response.status_code == 302
    page = client_for.get(url("applications:summary", application.pk)).content.decode()
    assert "organisationsnummer" in page


ERRORS = {
    "checksum": (
        {"org_number": "212000-0143"},
        "Organisationsnumret är inte giltigt",
        "The organisation number is not valid",
    ),
    "company": (
        {"org_number": COMPANY_ORGNR},
        "En kommuns organisationsnummer börjar med 2120",
        "A municipality's organisation number starts with 2120",
    ),
    "length": (
        {"org_number": "21200001"},
        "Ett organisationsnummer har 10 siffror",
        "An organisation number has 10 digits",
    ),
    "reason": (
        {"inhabitants": "930000"},
        "Du har ändrat invånarantalet från SCB:s 935\xa0619: berätta varför.",
        "You changed the number of inhabitants from SCB's 935,619: tell us why.",
    ),
    "inhabitants": (
        {"inhabitants": "many"},
        "Ange antalet invånare som ett heltal",
        "Enter the number of inhabitants as",
    ),
    "postal_code": ({"postal_code": "1234"}, "Ett postnummer har 5 siffror", "A postal code has 5 digits"),
}


@pytest.mark.parametrize("language", ["sv", "en"])
@pytest.mark.parametrize("case", list(ERRORS))
def test_each_error_is_shown_in_the_users_language_and_changes_nothing(application, client_for, case, language):
    changes, swedish, english = ERRORS[case]
    before = Application.objects.values().get(pk=application.pk)
    page = client_for.post(url("applications:organisation", application.pk, language=language), form_data(**changes))
    text = html.unescape(page.content.decode())
    assert page.status_code == 200
    assert (swedish if language == "sv" else english) in text
    # The error summary is at the top, focusable, and links to the field; the field points at it.
    assert 'role="alert"' in text and 'tabindex="-1"' in text
    field = {"checksum": "org_number", "company": "org_number", "length": "org_number", "reason": "inhabitants_reason"}
    name = field.get(case, next(iter(changes)))
    assert f'href="#id_{name}"' in text
    assert (
        f'aria-describedby="id_{name}_helptext id_{name}_error"' in text
        or f'aria-describedby="id_{name}_error"' in text
    )
    assert 'aria-invalid="true"' in text
    assert Application.objects.values().get(pk=application.pk) == before


def test_a_different_figure_with_a_reason_is_kept(application, client_for):
    client_for.post(
        url("applications:organisation", application.pk),
        form_data(inhabitants="975551", inhabitants_reason="Folkmängd 31 december 2022"),
    )
    application.refresh_from_db()
    assert (application.inhabitants, application.inhabitants_reason) == (975551, "Folkmängd 31 december 2022")


def test_going_back_to_the_official_figure_drops_the_old_reason(application, client_for):
    Application.objects.filter(pk=application.pk).update(inhabitants=975551, inhabitants_reason="Egen siffra")
    client_for.post(url("applications:organisation", application.pk), form_data(inhabitants_reason="Egen siffra"))
    application.refresh_from_db()
    assert (application.inhabitants, application.inhabitants_reason) == (935619, "")


def test_a_region_needs_a_regions_number(applicant, client_for):
    region = start(applicant, "12")  # Region Skåne
    data = form_data(official_name="Region Skåne", inhabitants=str(region.organisation.population))
    page = client_for.post(url("applications:organisation", region.pk, language="en"), data)
    assert "A region's organisation number starts with 2321" in html.unescape(page.content.decode())
    client_for.post(url("applications:organisation", region.pk), {**data, "org_number": "232100-0255"})
    region.refresh_from_db()
    assert region.org_number == "2321000255"


@pytest.mark.parametrize("code", ["0980", "09"])
def test_region_gotland_has_a_municipalitys_number(applicant, client_for, code):
    gotland = start(applicant, code)
    data = form_data(official_name="Region Gotland", inhabitants=str(gotland.organisation.population))
    page = client_for.post(url("applications:organisation", gotland.pk, language="en"), data)
    assert page.status_code == 302
    gotland.refresh_from_db()
    assert gotland.org_number == "2120000142"


def test_a_submitted_application_is_shown_read_only_and_a_post_changes_nothing(complete_application, client_for):
    set_status(complete_application, Status.SUBMITTED)
    page = client_for.get(url("applications:organisation", complete_application.pk)).content.decode()
    assert '<form method="post" novalidate>' not in page
    assert "212000-0142" in page
    response = client_for.post(url("applications:organisation", complete_application.pk), form_data(city="Solna"))
    assert response.status_code == 302
    complete_application.refresh_from_db()
    assert complete_application.city == "Stockholm"


def test_a_reopened_part_may_be_edited_and_another_may_not(complete_application, client_for):
    set_status(complete_application, Status.COMPLETION_REQUESTED, reopened_parts=["contacts"])
    client_for.post(url("applications:organisation", complete_application.pk), form_data(city="Solna"))
    complete_application.refresh_from_db()
    assert complete_application.city == "Stockholm"
    set_status(complete_application, Status.COMPLETION_REQUESTED, reopened_parts=["organisation"])
    client_for.post(url("applications:organisation", complete_application.pk), form_data(city="Solna"))
    complete_application.refresh_from_db()
    assert complete_application.city == "Solna"
