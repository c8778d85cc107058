"""Submission copies the test's result into the columns the secretariat's list shows."""

import pytest
from django.urls import reverse

from applications import workflow
from applications.models import Application
from tests.evaluation.test_results import answer_everything
from tests.factories import make_application, make_staff

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(("points", "percent", "band"), [("best", "100.0", "offer"), ("worst", "0.0", "observer")])
def test_submission_records_score_and_advice(client, points, percent, band):
    application = make_application()
    client.force_login(application.applicants.get())
    answer_everything(client, application, points=points)
    assert workflow.submit_application(application=application, by=application.applicants.get())
    application.refresh_from_db()
    assert (str(application.score_percent), application.advice_band) == (percent, band)


def test_the_changelist_shows_and_filters_by_advice(client):
    make_application("0180", score_percent="72.5", advice_band="offer", review_flags=["dont_know:2"])
    make_application("2422", score_percent="31.0", advice_band="observer", review_flags=["gate_failed"])
    client.force_login(make_staff())
    changelist = reverse("admin:applications_application_changelist")
    page = client.get(changelist).content.decode()
    assert "72.5 %" in page and "Rekommendera erbjudande" in page
    assert "2 ”vet ej”-svar" in page and "baskraven är inte uppfyllda" in page
    filtered = client.get(changelist, {"band": "offer"}).content.decode()
    assert "Stockholms kommun" in filtered and "Sorsele kommun" not in filtered
    assert Application.objects.count() == 2
