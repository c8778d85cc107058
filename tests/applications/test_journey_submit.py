"""The summary and submitting: what is missing, the fee preview, one submission and two mails."""

import html

import pytest
from django.conf import settings

from applications.models import Application, OutboundEmail, Status, StatusChange
from tests.applications.conftest import fake_test, set_status, url

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("language", "texts"),
    [
        ("sv", ["Sammanfattning", "Testets poäng", "Poäng per avsnitt", "Medlemsavgift", "Skicka ansökan"]),
        ("en", ["Summary", "Score of the test", "Score per section", "Membership fee", "Send the application"]),
    ],
)
def test_summary_in_both_languages(complete_application, client_for, test_done, language, texts):
    page = client_for.get(url("applications:summary", complete_application.pk, language=language))
    text = html.unescape(page.content.decode())
    assert page.status_code == 200
    for expected in texts:
        assert expected in text
    assert "Transporter" in text  # the score per section


def test_summary_shows_the_fee_with_its_arithmetic(complete_application, client_for, test_done):
    text = html.unescape(client_for.get(url("applications:summary", complete_application.pk)).content.decode())
    # Stockholm, 935 619 inhabitants: 2023 decision, 4 000 kr + 0,30 kr for at most 150 000 = 49 000 kr.
    assert "49\xa0000\xa0kr" in text
    assert "årsmötets beslut 2023" in text


def test_summary_lists_the_real_test_sections(complete_application, client_for):
    """Without a stand-in: the evaluation app's sections appear in the part list, not complete."""
    text = client_for.get(url("applications:summary", complete_application.pk)).content.decode()
    assert f"/test/{complete_application.pk}/" in text


@pytest.mark.parametrize(
    ("language", "heading", "part"),
    [
        ("sv", "Ansökan kan inte skickas än: något saknas", "Kontaktpersoner"),
        ("en", "The application cannot be sent yet: something is missing", "Contact persons"),
    ],
)
def test_submitting_with_parts_missing_lists_them_with_links(
    application, client_for, monkeypatch, language, heading, part
):
    fake_test(monkeypatch, complete=False)
    page = client_for.post(url("applications:submit", application.pk, language=language))
    text = html.unescape(page.content.decode())
    assert page.status_code == 200
    assert heading in text
    assert 'role="alert"' in text
    assert f'<a href="{url("applications:contacts", application.pk, language=language)}">{part}</a>' in text
    assert f'<a href="/test/{application.pk}/baskrav/">Baskrav</a>' in text
    assert "R1 Inventering" in text  # the test's missing answers, each with a link
    application.refresh_from_db()
    assert application.status == Status.DRAFT
    assert OutboundEmail.objects.count() == 0


def test_submit_is_idempotent_one_audit_row_and_exactly_two_mails(complete_application, client_for, test_done):
    first = client_for.post(url("applications:submit", complete_application.pk))
    second = client_for.post(url("applications:submit", complete_application.pk))
    status_url = url("applications:status", complete_application.pk)
    assert first.status_code == second.status_code == 302
    assert first["Location"] == second["Location"] == status_url
    assert StatusChange.objects.filter(application=complete_application, to_status=Status.SUBMITTED).count() == 1
    mails = OutboundEmail.objects.order_by("template")
    assert [mail.template for mail in mails] == ["submission_notice", "submission_receipt"]
    notice, receipt = mails
    assert sorted(receipt.to) == ["anna@stockholm.se", "bo@stockholm.se"]
    assert notice.to == [settings.SECRETARIAT_EMAIL]
    complete_application.refresh_from_db()
    assert complete_application.status == Status.SUBMITTED
    assert complete_application.submitted_at is not None


def test_submission_freezes_the_fee_preview(complete_application, client_for, test_done):
    client_for.post(url("applications:submit", complete_application.pk))
    complete_application.refresh_from_db()
    preview = complete_application.fee_preview
    assert preview["due"] == "49000"
    assert preview["inhabitants"] == 935619
    assert preview["schedule_year"] == 2023


def test_receipt_is_in_the_applications_language_and_the_notice_in_swedish(complete_application, client_for, test_done):
    Application.objects.filter(pk=complete_application.pk).update(language="en")
    client_for.post(url("applications:submit", complete_application.pk))
    receipt = OutboundEmail.objects.get(template="submission_receipt")
    notice = OutboundEmail.objects.get(template="submission_notice")
    assert receipt.language == "en"
    assert receipt.subject == "We have received the membership application from Stockholms kommun"
    assert "Transporter: 9 / 12" in receipt.body_text
    assert "SEK\xa049,000" in receipt.body_text
    assert f"/en/ansokan/{complete_application.pk}/status/" in receipt.body_text
    assert notice.language == "sv"
    assert notice.subject == "Ny medlemsansökan: Stockholms kommun"
    assert "212000-0142" in notice.body_text


def test_after_submission_the_summary_has_no_submit_button(complete_application, client_for, test_done):
    client_for.post(url("applications:submit", complete_application.pk))
    text = client_for.get(url("applications:summary", complete_application.pk)).content.decode()
    assert url("applications:submit", complete_application.pk) not in text


def test_resubmitting_after_a_completion_request_mails_again(complete_application, client_for, test_done):
    set_status(complete_application, Status.COMPLETION_REQUESTED, reopened_parts=["contacts"])
    response = client_for.post(url("applications:submit", complete_application.pk))
    assert response["Location"] == url("applications:status", complete_application.pk)
    complete_application.refresh_from_db()
    assert complete_application.status == Status.SUBMITTED
    assert complete_application.reopened_parts == []
    assert OutboundEmail.objects.count() == 2


def test_a_failed_gate_suggests_observer_status(complete_application, client_for, monkeypatch):
    fake_test(monkeypatch, gate_passed=False)
    text = client_for.get(url("applications:summary", complete_application.pk, language="en")).content.decode()
    assert "Apply for observer status instead" in text
    assert url("applications:switch_to_observer", complete_application.pk, language="en") in text


def test_a_passed_gate_does_not_suggest_observer_status(complete_application, client_for, test_done):
    text = client_for.get(url("applications:summary", complete_application.pk, language="en")).content.decode()
    assert "Apply for observer status instead" not in text
