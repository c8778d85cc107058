"""The whole membership journey with the real evaluation test and fee schedules, no stand-ins."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from applications.models import Application, OutboundEmail, Status, StatusChange
from evaluation.models import QuestionBank, Response
from tests.applications.conftest import PDF, url
from tests.applications.test_journey_contacts import contacts_data

pytestmark = pytest.mark.django_db


def answer(question) -> dict:
    """The best answer to one question, as the evaluation's section form takes it."""
    name = f"q{question.pk}"
    kind = question.answer_type
    if kind == "decision":
        return {
            name: "yes",
            f"{name}_date": "2024-03-11",
            f"{name}_body": "kf",
            f"{name}_ref": "KF § 42",
            f"{name}_file": SimpleUploadedFile("protokoll.pdf", PDF, content_type="application/pdf"),
        }
    if kind in {"choice", "yes_no"}:
        return {name: str(max(question.options.all(), key=lambda o: o.points).pk)}
    if kind == "number":
        return {name: "42"}
    if kind == "link":
        return {name: "https://www.stockholm.se/klimat"}
    if kind == "file":
        return {f"{name}_file": SimpleUploadedFile("bilaga.pdf", PDF, content_type="application/pdf")}
    return {name: "Vi följer upp målen varje år."}


def answer_the_whole_test(client, application):
    bank = QuestionBank.objects.active_for(application.kind)
    for section in bank.sections.order_by("order"):
        data = {}
        for question in section.questions.prefetch_related("options"):
            data.update(answer(question))
        response = client.post(reverse("evaluation:section", args=[application.pk, section.slug]), data)
        assert response.status_code == 302, response.content.decode()[:2000]


def organisation_data() -> dict[str, str]:
    """Stockholm's organisation form, filled in and saved with "next"."""
    return {
        "official_name": "Stockholms kommun",
        "org_number": "212000-0142",
        "street_address": "Ragnar Östbergs plan 1",
        "postal_code": "105 35",
        "city": "Stockholm",
        "inhabitants": "935619",
        "go": "next",
    }


def test_a_municipality_goes_from_start_to_submitted(applicant, client_for):
    client_for.post(url("applications:start"), {"organisation": "0180"})
    application = Application.objects.get()
    client_for.post(url("applications:organisation", application.pk), organisation_data())
    response = client_for.post(url("applications:contacts", application.pk), {**contacts_data(), "go": "next"})
    # Next after the contact persons is the test's first section, the evaluation app's page.
    assert response["Location"].startswith(f"/test/{application.pk}/")

    summary = client_for.get(url("applications:summary", application.pk)).content.decode()
    assert "inte klar" in summary
    answer_the_whole_test(client_for, application)

    summary = client_for.get(url("applications:summary", application.pk)).content.decode()
    assert "inte klar" not in summary
    assert "Transporter" in summary and "66" in summary  # score per section and in total
    assert "49\xa0000\xa0kr" in summary

    response = client_for.post(url("applications:submit", application.pk))
    assert response["Location"] == url("applications:status", application.pk)
    application.refresh_from_db()
    assert application.status == Status.SUBMITTED
    assert StatusChange.objects.filter(to_status=Status.SUBMITTED).count() == 1
    # The score is frozen with its bank version, and the fee the applicant saw is kept.
    frozen = Response.objects.get(application=application).result
    assert frozen["total"] == {"points": 66, "max": 66}
    assert application.fee_preview["due"] == "49000"
    receipt = OutboundEmail.objects.get(template="submission_receipt")
    assert "Transporter: 12 / 12" in receipt.body_text
    assert OutboundEmail.objects.count() == 2
