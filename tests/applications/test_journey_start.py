"""Starting an application: the dashboard, finding the body, one open application per body."""

import pytest
from django.db import IntegrityError

from applications import workflow
from applications.models import Application, Organisation, StatusChange, Track
from tests.applications.conftest import make_user, signed_in, start, url

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("language", "heading", "empty"),
    [
        ("sv", "Mina ansökningar", "Du har inga ansökningar än."),
        ("en", "My applications", "You have no applications yet."),
    ],
)
def test_dashboard_in_both_languages(client_for, language, heading, empty):
    page = client_for.get(url("applications:dashboard", language=language))
    assert page.status_code == 200
    assert heading in page.content.decode()
    assert empty in page.content.decode()


def test_dashboard_lists_only_the_users_own_applications(applicant, client_for):
    start(applicant, "0180")
    start(make_user("eva@goteborg.se"), "1480")
    page = client_for.get(url("applications:dashboard")).content.decode()
    assert "Stockholms kommun" in page
    assert "Utkast" in page
    assert "Göteborgs" not in page


@pytest.mark.parametrize(("language", "label"), [("sv", "Sök"), ("en", "Search")])
def test_search_without_javascript_lists_matching_bodies(client_for, language, label):
    page = client_for.get(url("applications:start", language=language), {"q": "sorsele"}).content.decode()
    assert label in page
    assert 'value="2422"' in page
    assert "Sorsele kommun" in page
    assert "Stockholms kommun" not in page


def test_search_matches_swedish_letters_in_any_case(client_for):
    page = client_for.get(url("applications:start"), {"q": "ÖREBRO"}).content.decode()
    assert 'value="1880"' in page


def test_search_by_code(client_for):
    page = client_for.get(url("applications:start"), {"q": "2422"}).content.decode()
    assert 'value="2422"' in page


def test_search_without_match_says_so(client_for):
    page = client_for.get(url("applications:start", language="en"), {"q": "Atlantis"}).content.decode()
    assert "No municipality or region matches your search." in page


def test_we_are_a_region_lists_the_regions(client_for):
    page = client_for.get(url("applications:start"), {"kind": "region"}).content.decode()
    assert page.count('name="organisation"') == Organisation.objects.regions().count() == 21
    assert "Region Skåne" in page


def test_search_as_you_type_answers_json(client_for):
    answer = client_for.get(url("applications:organisation_search"), {"q": "sors"}).json()
    assert [row["code"] for row in answer["results"]] == ["2422"]


def test_start_page_loads_its_script_from_a_file(client_for):
    page = client_for.get(url("applications:start")).content.decode()
    assert "js/org-search.js" in page
    assert "<script>" not in page


def test_starting_opens_a_draft_for_the_body(applicant, client_for):
    response = client_for.post(url("applications:start", language="en"), {"organisation": "2422"})
    application = Application.objects.get()
    assert response.status_code == 302
    assert response["Location"] == url("applications:organisation", application.pk, language="en")
    assert application.organisation.code == "2422"
    assert application.track == Track.MEMBERSHIP
    assert application.language == "en"
    assert list(application.applicants.all()) == [applicant]
    assert application.inhabitants == 2535


def test_starting_for_observer_status(client_for):
    client_for.post(url("applications:start"), {"organisation": "2422", "observer": "True"})
    assert Application.objects.get().track == Track.OBSERVER


@pytest.mark.parametrize(
    ("language", "message"), [("sv", "Välj din kommun eller region."), ("en", "Choose your municipality or region.")]
)
def test_starting_without_choosing_a_body_is_refused(client_for, language, message):
    page = client_for.post(url("applications:start", language=language), {})
    assert page.status_code == 200
    assert message in page.content.decode()
    assert 'role="alert"' in page.content.decode()
    assert Application.objects.count() == 0


@pytest.mark.parametrize("language", ["sv", "en"])
def test_second_applicant_from_the_same_body_is_told_without_personal_data(applicant, language, settings):
    first = start(applicant, "0180")
    colleague = signed_in(make_user("carl@stockholm.se"))
    page = colleague.post(url("applications:start", language=language), {"organisation": "0180"})
    text = page.content.decode()
    assert page.status_code == 409
    assert settings.SECRETARIAT_EMAIL in text
    assert "lindqvist" not in text.lower()
    assert Application.objects.count() == 1
    assert list(first.applicants.all()) == [applicant]
    expected = "En ansökan pågår redan" if language == "sv" else "An application is already under way"
    assert expected in text


def test_the_starter_starting_again_is_taken_to_the_open_application(applicant, client_for):
    first = start(applicant, "0180")
    response = client_for.post(url("applications:start"), {"organisation": "0180"})
    assert response["Location"] == url("applications:summary", first.pk)
    assert Application.objects.count() == 1


def test_a_race_lost_at_the_database_is_answered_like_a_second_applicant(applicant, monkeypatch):
    """Two colleagues press Start at the same moment: the unique constraint decides."""
    real_start = workflow.start_application

    def racing_start(**kwargs):
        # The colleague's insert lands between our check and our insert.
        real_start(organisation=kwargs["organisation"], by=applicant, language="sv")
        return real_start(**kwargs)

    monkeypatch.setattr(workflow, "start_application", racing_start)
    colleague = signed_in(make_user("carl@stockholm.se"))
    page = colleague.post(url("applications:start"), {"organisation": "0180"})
    assert page.status_code == 409
    assert "lindqvist" not in page.content.decode().lower()
    assert Application.objects.count() == 1
    assert StatusChange.objects.count() == 1


def test_the_database_refuses_a_second_open_application(applicant):
    start(applicant, "0180")
    with pytest.raises(IntegrityError):
        start(make_user("carl@stockholm.se"), "0180")
