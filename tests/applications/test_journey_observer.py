"""Observer status: the shorter application, the switch from a failed gate, the end date."""

import datetime
import html

import pytest

from applications import drafts, workflow
from applications.models import Application, OutboundEmail, StaffComment, Status, StatusChange, Track
from tests.applications.conftest import fake_test, fill_in, start, url

pytestmark = pytest.mark.django_db


@pytest.fixture
def observer(applicant):
    return start(applicant, "2422", track=Track.OBSERVER)


def test_the_observer_application_has_three_parts_and_no_test(observer):
    assert [part.key for part in drafts.parts_for(observer)] == ["organisation", "contacts", "observer_reason"]


@pytest.mark.parametrize(
    ("language", "texts"),
    [
        ("sv", ["Varför observatörsstatus", "Varför söker ni observatörsstatus?"]),
        ("en", ["Why observer status", "Why do you apply for observer status?"]),
    ],
)
def test_reason_page_in_both_languages(observer, client_for, language, texts):
    page = client_for.get(url("applications:observer_reason", observer.pk, language=language))
    assert page.status_code == 200
    for text in texts:
        assert text in html.unescape(page.content.decode())


def test_the_reason_is_saved(observer, client_for):
    response = client_for.post(
        url("applications:observer_reason", observer.pk), {"reason": "Vi förbereder besluten.", "go": "next"}
    )
    assert response["Location"] == url("applications:summary", observer.pk)
    observer.refresh_from_db()
    assert observer.observer_reason == "Vi förbereder besluten."


def test_contacts_lead_on_to_the_reason_page(observer, client_for):
    response = client_for.post(url("applications:contacts", observer.pk), {"go": "next"})
    assert response["Location"] == url("applications:observer_reason", observer.pk)


def test_the_summary_shows_no_score_and_no_fee(observer, client_for):
    text = client_for.get(url("applications:summary", observer.pk, language="en")).content.decode()
    assert "Score of the test" not in text
    assert "Membership fee" not in text


def test_submitting_needs_the_reason(observer, client_for):
    fill_in(observer)
    Application.objects.filter(pk=observer.pk).update(observer_reason="")
    page = client_for.post(url("applications:submit", observer.pk, language="en"))
    assert "Why observer status" in page.content.decode()
    observer.refresh_from_db()
    assert observer.status == Status.DRAFT


def test_an_observer_application_is_submitted_without_the_test(observer, client_for):
    fill_in(observer)
    response = client_for.post(url("applications:submit", observer.pk))
    assert response["Location"] == url("applications:status", observer.pk)
    observer.refresh_from_db()
    assert observer.status == Status.SUBMITTED
    assert observer.fee_preview is None
    receipt = OutboundEmail.objects.get(template="submission_receipt")
    assert "observatörsstatus" in receipt.subject
    assert OutboundEmail.objects.count() == 2


def test_switching_a_failed_gate_to_observer_keeps_the_data(complete_application, client_for, monkeypatch):
    fake_test(monkeypatch, gate_passed=False)
    response = client_for.post(url("applications:switch_to_observer", complete_application.pk))
    assert response["Location"] == url("applications:observer_reason", complete_application.pk)
    complete_application.refresh_from_db()
    assert complete_application.track == Track.OBSERVER
    assert complete_application.status == Status.DRAFT
    assert complete_application.org_number == "2120000142"
    assert complete_application.has_required_contacts
    # No status changed, so no audit row; the switch is a note the secretariat sees.
    assert StatusChange.objects.filter(application=complete_application).count() == 1
    assert StaffComment.objects.filter(application=complete_application).count() == 1


def test_switching_twice_changes_nothing_more(complete_application, applicant):
    assert workflow.switch_to_observer(application=complete_application, by=applicant)
    assert not workflow.switch_to_observer(application=complete_application, by=applicant)
    assert StaffComment.objects.count() == 1


def test_a_submitted_application_cannot_switch(complete_application, client_for, applicant):
    Application.objects.filter(pk=complete_application.pk).update(status=Status.SUBMITTED)
    client_for.post(url("applications:switch_to_observer", complete_application.pk))
    complete_application.refresh_from_db()
    assert complete_application.track == Track.MEMBERSHIP
    with pytest.raises(workflow.TransitionNotAllowed):
        workflow.switch_to_observer(application=complete_application, by=applicant)


def test_approved_observer_shows_its_end_date(observer, client_for, applicant):
    fill_in(observer)
    workflow.submit_application(application=observer, by=applicant)
    workflow.approve_observer(application=observer, by=applicant, today=datetime.date(2026, 4, 1))
    sv = client_for.get(url("applications:status", observer.pk)).content.decode()
    en = client_for.get(url("applications:status", observer.pk, language="en")).content.decode()
    assert "Observatör" in sv and "1 april 2027" in sv
    assert "You are an observer until 1 April 2027" in en
    dashboard = client_for.get(url("applications:dashboard", language="en")).content.decode()
    assert "until 1 April 2027" in dashboard


def test_observer_link_on_the_dashboard_starts_an_observer_application(client_for):
    dashboard = client_for.get(url("applications:dashboard")).content.decode()
    assert f"{url('applications:start')}?track=observer" in dashboard
    page = client_for.get(url("applications:start"), {"track": "observer", "q": "Sorsele"}).content.decode()
    assert 'name="observer" value="True"' in page
