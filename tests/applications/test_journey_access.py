"""Another applicant's application answers 404 at every URL; nothing about it changes."""

import pytest
from django.core.files.base import ContentFile

from applications.models import Application, JoiningDecision, OfferLetter, Status
from tests.applications.conftest import PDF, make_user, set_status, signed_in, url

pytestmark = pytest.mark.django_db

# (url name, method) for every URL that names an application.
APPLICATION_URLS = [
    ("applications:organisation", "get"),
    ("applications:organisation", "post"),
    ("applications:contacts", "get"),
    ("applications:contacts", "post"),
    ("applications:observer_reason", "get"),
    ("applications:observer_reason", "post"),
    ("applications:switch_to_observer", "post"),
    ("applications:summary", "get"),
    ("applications:submit", "post"),
    ("applications:status", "get"),
    ("applications:offer_letter", "get"),
    ("applications:joining_decision", "post"),
    ("applications:joining_minutes", "get"),
]


@pytest.fixture
def someone_elses(complete_application):
    """An offered application with an offer letter and minutes: every URL has something to show."""
    set_status(complete_application, Status.OFFERED)
    letter = OfferLetter.objects.create(application=complete_application, language="sv")
    letter.pdf.save("x.pdf", ContentFile(PDF))
    decision = JoiningDecision(
        application=complete_application, decided_on="2026-03-18", body="kf", minute_reference="§ 1"
    )
    decision.minutes.save("m.pdf", ContentFile(PDF), save=False)
    decision.save()
    return complete_application


@pytest.mark.parametrize(("name", "method"), APPLICATION_URLS)
def test_another_applicant_gets_404(someone_elses, name, method):
    intruder = signed_in(make_user("mallory@example.se"))
    before = Application.objects.values().get(pk=someone_elses.pk)
    response = getattr(intruder, method)(url(name, someone_elses.pk), {"city": "X", "go": "stay"})
    assert response.status_code == 404
    assert Application.objects.values().get(pk=someone_elses.pk) == before


@pytest.mark.parametrize(("name", "method"), APPLICATION_URLS)
def test_the_applicant_itself_is_not_refused(someone_elses, client_for, name, method):
    response = getattr(client_for, method)(url(name, someone_elses.pk))
    assert response.status_code in {200, 302}


def test_a_colleague_added_to_the_application_sees_it(complete_application):
    colleague = make_user("carl@stockholm.se")
    complete_application.applicants.add(colleague)
    assert signed_in(colleague).get(url("applications:summary", complete_application.pk)).status_code == 200


@pytest.mark.parametrize("name", ["applications:dashboard", "applications:start", "applications:organisation_search"])
def test_pages_need_a_signed_in_user(client, name):
    response = client.get(url(name))
    assert response.status_code == 302
    assert "next=" in response["Location"]


def test_an_application_page_needs_a_signed_in_user(client, complete_application):
    response = client.get(url("applications:summary", complete_application.pk))
    assert response.status_code == 302
