"""Issue 7 §12: simultaneous requests on one application change it once.

Real concurrency needs PostgreSQL: each thread is a request with its own database connection,
released together from a barrier, and the row lock in workflow._locked is what serialises them.
"""

import pytest
from django.core import mail
from django.test import Client

from applications.models import OfferLetter, OutboundEmail, Status, StatusChange
from tests.applications.conftest import fake_test, fill_in, signed_in, url
from tests.factories import make_application, make_staff
from tests.reliability.conftest import postgresql_only
from tests.reliability.support import in_threads

pytestmark = pytest.mark.django_db(transaction=True)

SUBMITTERS = 20


def test_twenty_simultaneous_submits_submit_once(monkeypatch):
    postgresql_only()
    fake_test(monkeypatch)
    application = fill_in(make_application("0180", status=Status.DRAFT, contacts=False))
    user = application.applicants.get()
    clients = [signed_in(user) for _ in range(SUBMITTERS)]  # twenty tabs, twenty sessions

    responses = in_threads(SUBMITTERS, lambda i: clients[i].post(url("applications:submit", application.pk)))

    assert [getattr(response, "status_code", response) for response in responses] == [302] * SUBMITTERS
    application.refresh_from_db()
    assert application.status == Status.SUBMITTED
    assert StatusChange.objects.filter(application=application, to_status=Status.SUBMITTED).count() == 1
    # The receipt to the applicant's people and the secretariat's notice: one pair.
    assert OutboundEmail.objects.filter(application=application).count() == 2
    assert len(mail.outbox) == 2


def act(client: Client, application_pk: int):
    """An admin action confirmed on the changelist; returns the page shown after the redirect."""
    return client.post(
        "/admin/applications/application/",
        {"action": "make_offer", "_selected_action": [application_pk], "year": "2023", "confirm": "1"},
        follow=True,
    )


def test_two_staff_making_the_same_offer_at_once_make_one(settings):
    postgresql_only()
    settings.LANGUAGE_CODE = "en"
    application = make_application(status=Status.IN_REVIEW)
    staff = [signed_in(make_staff("anna")), signed_in(make_staff("bo"))]

    pages = in_threads(2, lambda i: act(staff[i], application.pk))

    texts = [page.content.decode() for page in pages]
    assert [page.status_code for page in pages] == [200, 200]
    done = [text for text in texts if "Make offer and send the offer letter: 1 application." in text]
    refused = [text for text in texts if "is already “Offered membership”: nothing was changed." in text]
    assert (len(done), len(refused)) == (1, 1), texts
    application.refresh_from_db()
    assert application.status == Status.OFFERED
    assert StatusChange.objects.filter(application=application, to_status=Status.OFFERED).count() == 1
    assert OfferLetter.objects.filter(application=application).count() == 1
    assert OutboundEmail.objects.filter(application=application, template="offer").count() == 1
    assert len(mail.outbox) == 1
