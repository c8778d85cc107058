"""Helpers for the applicant's journey: signed-in applicants and applications in every status."""

from __future__ import annotations

import datetime

import pytest
from django.conf import settings
from django.contrib.auth.models import User
from django.urls import reverse
from django.utils import translation

from applications import workflow
from applications.models import Application, Contact, ContactRole, Organisation, Status, Track
from tests.factories import make_user, set_status, signed_in

__all__ = ["make_user", "set_status", "signed_in"]  # the journey tests import them from here

STOCKHOLM_ORGNR = "2120000142"
# 556036-0793 passes the Luhn check but is a company's number (group 5), not a municipality's.
COMPANY_ORGNR = "556036-0793"
# A minimal PDF: the upload check looks for %PDF- at the start and %%EOF at the end.
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def url(name: str, *args: object, language: str = "sv") -> str:
    with translation.override(language):
        return reverse(name, args=args)


def start(user: User, code: str = "0180", *, track: str = Track.MEMBERSHIP, language: str = "sv") -> Application:
    organisation = Organisation.objects.get(code=code)
    return workflow.start_application(organisation=organisation, by=user, language=language, track=track)


def fill_in(application: Application) -> Application:
    """Every part of our own complete: organisation details and both contact persons."""
    Application.objects.filter(pk=application.pk).update(
        org_number=STOCKHOLM_ORGNR if application.organisation.kind == "municipality" else "2321000016",
        street_address="Ragnar Östbergs plan 1",
        postal_code="105 35",
        city="Stockholm",
        observer_reason="Vi förbereder besluten." if application.track == Track.OBSERVER else "",
    )
    Contact.objects.create(
        application=application,
        role=ContactRole.ELECTED,
        name="Anna Andersson",
        title="Kommunstyrelsens ordförande",
        email="anna@stockholm.se",
        phone="08-508 290 00",
    )
    Contact.objects.create(
        application=application,
        role=ContactRole.OFFICIAL,
        name="Bo Berg",
        title="Klimatstrateg",
        email="bo@stockholm.se",
        phone="08-508 290 01",
    )
    application.refresh_from_db()
    return application


@pytest.fixture(autouse=True)
def _default_language():
    """A request to /en/ leaves English active in the thread; the next test starts in Swedish."""
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture
def applicant(db) -> User:
    return make_user("ingrid.lindqvist@stockholm.se")


@pytest.fixture
def client_for(applicant):
    return signed_in(applicant)


@pytest.fixture
def application(applicant) -> Application:
    return start(applicant)


@pytest.fixture
def complete_application(application) -> Application:
    return fill_in(application)


@pytest.fixture
def offered(complete_application) -> Application:
    return set_status(complete_application, Status.OFFERED, offered_at=datetime.datetime.now(datetime.UTC))


def fake_test(monkeypatch, *, complete: bool = True, gate_passed: bool = True) -> None:
    """Stand in for the evaluation app's answers: a test whose one section is (in)complete.

    The journey reads the test only through applications.integration, so replacing these three
    functions is replacing the evaluation app as the journey sees it.
    """
    from decimal import Decimal

    from applications import integration

    def sections(application):
        return [
            integration.TestSection(
                slug="baskrav",
                title="Baskrav",
                url=f"/test/{application.pk}/baskrav/",
                complete=complete,
                missing=0 if complete else 2,
            )
        ]

    def result(application):
        line = integration.ScoreLine(label="Transporter", points=Decimal(9), maximum=Decimal(12), percent=Decimal(75))
        requirement = integration.ScoreLine(
            label="R1 Inventering", points=Decimal(9), maximum=Decimal(12), percent=Decimal(75)
        )
        return integration.TestResult(
            sections=[line],
            requirements=[requirement],
            total=line,
            gate_passed=gate_passed,
            advice="",
        )

    def missing(application):
        if complete:
            return []
        return [
            integration.MissingAnswer(
                section_title="Baskrav", question="R1 Inventering", message="Svara på frågan.", url="/test/x#q"
            )
        ]

    monkeypatch.setattr(integration, "test_sections", sections)
    monkeypatch.setattr(integration, "test_result", result)
    monkeypatch.setattr(integration, "missing_answers", missing)


@pytest.fixture
def test_done(monkeypatch):
    fake_test(monkeypatch)
