"""The status page in every status, the offer letter, and reporting the decision to join."""

import datetime
import html
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile

from applications import workflow
from applications.models import JoiningDecision, OfferLetter, OutboundEmail, Status, StatusChange
from tests.applications.conftest import PDF, set_status, url

pytestmark = pytest.mark.django_db

STATUS_TEXTS = {
    Status.DRAFT: ("Utkast", "The application has not been sent yet."),
    Status.SUBMITTED: ("Inskickad", "We received your application on"),
    Status.IN_REVIEW: ("Under granskning", "The secretariat is reviewing your application."),
    Status.OFFERED: ("Erbjuden medlemskap", "Klimatkommunerna offers you membership."),
    Status.ACCEPTED: ("Anslutningsbeslut rapporterat", "You have reported your decision to join."),
    Status.MEMBER: ("Medlem", "Welcome: you are a member since 1 March 2026."),
    Status.WITHDRAWN: ("Återkallad", "The application has been withdrawn."),
    Status.OBSERVER: ("Observatör", "You are an observer until 31 March 2027"),
    Status.OBSERVER_EXPIRED: ("Observatörsperioden har löpt ut", "Your observer period ended on 31 March 2027."),
}


@pytest.mark.parametrize("status", list(STATUS_TEXTS))
def test_status_page_says_where_the_application_stands(complete_application, client_for, status):
    set_status(
        complete_application,
        status,
        submitted_at=datetime.datetime(2026, 2, 1, 10, tzinfo=datetime.UTC),
        member_since=datetime.date(2026, 3, 1),
        observer_until=datetime.date(2027, 3, 31),
    )
    swedish, english = STATUS_TEXTS[status]
    sv = client_for.get(url("applications:status", complete_application.pk))
    en = client_for.get(url("applications:status", complete_application.pk, language="en"))
    assert sv.status_code == en.status_code == 200
    assert swedish in html.unescape(sv.content.decode())
    assert english in html.unescape(en.content.decode())


def test_declined_shows_the_reason(complete_application, client_for):
    set_status(complete_application, Status.DECLINED, decline_reason="Målen saknar årtal.")
    text = client_for.get(url("applications:status", complete_application.pk)).content.decode()
    assert "Avslagen" in text
    assert "Målen saknar årtal." in text


def test_completion_requested_shows_the_message_the_reopened_parts_and_a_resubmit_button(
    complete_application, client_for
):
    set_status(
        complete_application,
        Status.COMPLETION_REQUESTED,
        completion_message="Komplettera med tjänstepersonens telefonnummer.",
        reopened_parts=["contacts"],
    )
    text = client_for.get(url("applications:status", complete_application.pk, language="en")).content.decode()
    assert "Komplettera med tjänstepersonens telefonnummer." in text
    assert f'<a href="{url("applications:contacts", complete_application.pk, language="en")}">' in text
    assert f'<a href="{url("applications:organisation", complete_application.pk, language="en")}">' not in text
    assert url("applications:submit", complete_application.pk, language="en") in text


def test_timeline_lists_the_status_changes(complete_application, client_for, test_done):
    client_for.post(url("applications:submit", complete_application.pk))
    text = client_for.get(url("applications:status", complete_application.pk, language="en")).content.decode()
    assert "Application started" in text
    assert "Submitted" in text


def offer_letter(application):
    letter = OfferLetter.objects.create(application=application, language="sv")
    letter.pdf.save("x.pdf", ContentFile(PDF))
    return letter


def test_offer_letter_is_downloadable_once_rendered(offered, client_for):
    assert client_for.get(url("applications:offer_letter", offered.pk)).status_code == 404
    OfferLetter.objects.create(application=offered, language="sv")  # queued, not rendered yet
    assert client_for.get(url("applications:offer_letter", offered.pk)).status_code == 404
    OfferLetter.objects.all().delete()
    offer_letter(offered)
    page = client_for.get(url("applications:status", offered.pk)).content.decode()
    assert url("applications:offer_letter", offered.pk) in page
    response = client_for.get(url("applications:offer_letter", offered.pk))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert "attachment" in response["Content-Disposition"]
    assert b"".join(response.streaming_content) == PDF


def decision_data(**changes):
    data = {
        "decided_on": "2026-03-18",
        "body": "kf",
        "minute_reference": "§ 42",
        "minutes": SimpleUploadedFile("protokoll.pdf", PDF, content_type="application/pdf"),
    }
    return {**data, **changes}


@pytest.mark.parametrize(
    ("language", "heading"), [("sv", "Rapportera ert anslutningsbeslut"), ("en", "Report your decision to join")]
)
def test_offered_shows_the_joining_decision_form(offered, client_for, language, heading):
    text = client_for.get(url("applications:status", offered.pk, language=language)).content.decode()
    assert heading in text
    assert 'enctype="multipart/form-data"' in text
    # A municipality's own bodies (and a committee), not a region's.
    assert 'value="kf"' in text and 'value="rf"' not in text


def test_reporting_the_decision_accepts_the_offer(offered, applicant, client_for):
    response = client_for.post(url("applications:joining_decision", offered.pk), decision_data())
    assert response["Location"] == url("applications:status", offered.pk)
    offered.refresh_from_db()
    assert offered.status == Status.ACCEPTED
    decision = JoiningDecision.objects.get(application=offered)
    assert (decision.decided_on, decision.body, decision.minute_reference) == (datetime.date(2026, 3, 18), "kf", "§ 42")
    assert decision.reported_by == applicant
    assert decision.minutes_name == "protokoll.pdf"
    assert StatusChange.objects.filter(application=offered, to_status=Status.ACCEPTED).count() == 1
    notice = OutboundEmail.objects.get()
    assert notice.template == "joining_decision_notice"
    assert notice.to == [settings.SECRETARIAT_EMAIL]
    assert "§ 42" in notice.body_text


def test_reporting_twice_records_one_decision(offered, client_for):
    client_for.post(url("applications:joining_decision", offered.pk), decision_data())
    second = client_for.post(url("applications:joining_decision", offered.pk), decision_data())
    assert second["Location"] == url("applications:status", offered.pk)
    assert JoiningDecision.objects.count() == 1
    assert StatusChange.objects.filter(to_status=Status.ACCEPTED).count() == 1
    assert OutboundEmail.objects.count() == 1


def test_the_applicant_can_download_its_minutes(offered, client_for):
    client_for.post(url("applications:joining_decision", offered.pk), decision_data())
    text = client_for.get(url("applications:status", offered.pk)).content.decode()
    assert url("applications:joining_minutes", offered.pk) in text
    response = client_for.get(url("applications:joining_minutes", offered.pk))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    assert 'filename="protokoll.pdf"' in response["Content-Disposition"]


def test_a_path_in_the_filename_never_reaches_storage(offered, client_for):
    upload = SimpleUploadedFile("../../x.pdf", PDF, content_type="application/pdf")
    client_for.post(url("applications:joining_decision", offered.pk), decision_data(minutes=upload))
    decision = JoiningDecision.objects.get()
    stored = Path(decision.minutes.path).resolve()
    assert stored.is_relative_to(Path(settings.MEDIA_ROOT).resolve() / "private")
    assert ".." not in decision.minutes.name and "x.pdf" not in decision.minutes.name
    assert decision.minutes_name == "x.pdf"
    assert not (Path(settings.MEDIA_ROOT).parent / "x.pdf").exists()


UPLOAD_ERRORS = {
    "png_renamed": (
        SimpleUploadedFile("protokoll.pdf", b"\x89PNG\r\n\x1a\n" + b"\0" * 200, content_type="application/pdf"),
        "Filen är inte en PDF.",
        "The file is not a PDF.",
    ),
    "too_large": (
        SimpleUploadedFile("stort.pdf", b"%PDF-1.4\n" + b"0" * (21 * 1024 * 1024) + b"\n%%EOF\n"),
        "Filen är större än 20 MB.",
        "The file is larger than 20 MB.",
    ),
}


@pytest.mark.parametrize("language", ["sv", "en"])
@pytest.mark.parametrize("case", list(UPLOAD_ERRORS))
def test_upload_checks_refuse_and_change_nothing(offered, client_for, case, language):
    upload, swedish, english = UPLOAD_ERRORS[case]
    upload.seek(0)
    page = client_for.post(
        url("applications:joining_decision", offered.pk, language=language), decision_data(minutes=upload)
    )
    text = page.content.decode()
    assert page.status_code == 200
    assert (swedish if language == "sv" else english) in text
    assert 'href="#id_minutes"' in text and "id_minutes_error" in text
    offered.refresh_from_db()
    assert offered.status == Status.OFFERED
    assert JoiningDecision.objects.count() == 0
    assert OutboundEmail.objects.count() == 0


@pytest.mark.parametrize(
    ("changes", "swedish", "english"),
    [
        ({"decided_on": "18/3"}, "Ange datumet som ÅÅÅÅ-MM-DD", "Enter the date as YYYY-MM-DD"),
        ({"decided_on": "2999-01-01"}, "Beslutsdatumet kan inte ligga i framtiden.", "cannot be in the future"),
        ({"minute_reference": ""}, "Ange protokollsreferensen", "Enter the minute reference"),
        ({"body": "rf"}, "Välj ett giltigt alternativ", "Select a valid choice"),
    ],
)
@pytest.mark.parametrize("language", ["sv", "en"])
def test_joining_decision_errors_in_the_users_language(offered, client_for, changes, swedish, english, language):
    page = client_for.post(
        url("applications:joining_decision", offered.pk, language=language), decision_data(**changes)
    )
    assert (swedish if language == "sv" else english) in html.unescape(page.content.decode())
    assert JoiningDecision.objects.count() == 0


def test_the_decision_cannot_be_reported_before_an_offer(complete_application, client_for):
    set_status(complete_application, Status.IN_REVIEW)
    response = client_for.post(url("applications:joining_decision", complete_application.pk), decision_data())
    assert response.status_code == 302
    assert JoiningDecision.objects.count() == 0
    text = client_for.get(url("applications:status", complete_application.pk)).content.decode()
    assert url("applications:joining_decision", complete_application.pk) not in text


def test_workflow_refuses_a_report_when_not_offered(complete_application, applicant):
    with pytest.raises(workflow.TransitionNotAllowed):
        workflow.report_joining_decision(
            application=complete_application,
            by=applicant,
            decided_on=datetime.date(2026, 3, 18),
            body="kf",
            minute_reference="§ 1",
            minutes=SimpleUploadedFile("p.pdf", PDF),
        )
    assert JoiningDecision.objects.count() == 0
