"""The whole applicant journey in a real browser, as a new user makes it: with JavaScript and without.

Home page → "Ansök om medlemskap" → sign in with the emailed link → dashboard → start an
application for Stockholm → organisation → contact persons → every section of the test →
summary → submit → status page. Every step asserts what the applicant sees (tests/e2e/journey.py).
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import pytest

from applications.models import Application, OutboundEmail, Status, StatusChange
from tests.e2e import journey

pytestmark = [pytest.mark.e2e, pytest.mark.services, pytest.mark.django_db(transaction=True)]


def run_journey(chromium_path: str, base: str, tmp_path: Path, *, javascript: bool) -> int:
    minutes = journey.minutes_file(tmp_path)
    with journey.chromium(chromium_path) as browser:
        page, errors = journey.new_page(browser, java_script_enabled=javascript)
        journey.sign_in(page, base)
        pk = journey.start_application(page, javascript=javascript)
        journey.fill_organisation(page)
        journey.fill_contacts(page)
        journey.answer_test(page, pk, minutes)
        journey.submit(page, pk)
        journey.screenshot(page, f"applicant-journey-{'js' if javascript else 'no-js'}-{tmp_path.name}")
        assert errors == []
    return pk


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])
def test_a_new_applicant_goes_from_the_home_page_to_a_submitted_application(
    chromium_path: str, live_server: Any, tmp_path: Path, javascript: bool
) -> None:
    pytest.importorskip("playwright.sync_api")
    started = time.monotonic()
    pk = run_journey(chromium_path, live_server.url, tmp_path, javascript=javascript)
    assert time.monotonic() - started < 60

    application = Application.objects.get(pk=pk)
    assert application.organisation.code == journey.STOCKHOLM
    assert application.status == Status.SUBMITTED
    assert StatusChange.objects.filter(application=application, to_status=Status.SUBMITTED).count() == 1
    assert OutboundEmail.objects.filter(application=application).count() == 2
