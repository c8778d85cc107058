"""The secretariat's journey in the admin, in Chromium, with the real worker sending the letter.

A submitted application (answered through the test's own pages, submitted through the
workflow) → a Kansli member signs in to the admin → finds it by searching the changelist →
opens it → starts the review (action, confirmation page) → makes the offer (action, fee year,
confirmation) → the Celery worker renders the letter and mails it to the SMTP sink with the PDF
attached → the change page links the letter → the download is the same PDF, and its text
(read with pypdf) names the body, the fee in kronor and the reply date.

The data is made before the browser starts and checked after it closes (tests/e2e/journey.py
says why); the worker is a separate process reading the test database, hence transaction=True.
"""

from __future__ import annotations

import io
import re
import time
from email.message import Message
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth.models import Group, Permission, User
from django.test import Client

from applications import workflow
from applications.models import Application, EmailStatus, OutboundEmail, Status, StatusChange
from applications.roles import KANSLI_GROUP, ensure_kansli_group
from tests.applications.test_journey_whole import answer_the_whole_test
from tests.e2e import journey
from tests.factories import make_application

pytestmark = [pytest.mark.e2e, pytest.mark.services, pytest.mark.django_db(transaction=True)]

PASSWORD = "kansli-lösenord-2026"
CHANGELIST = "/admin/applications/application/"


def submitted_application(code: str, **fields: Any) -> Application:
    """An application whose test is answered through its pages and that is then submitted."""
    application = make_application(code, **fields)
    applicant = application.applicants.get()
    client = Client()
    client.force_login(applicant)
    answer_the_whole_test(client, application)
    assert workflow.submit_application(application=application, by=applicant)
    application.refresh_from_db()
    return application


def kansli_member() -> User:
    ensure_kansli_group(Group, Permission)
    user = User.objects.create_user("karin.kansli", "karin@klimatkommunerna.se", PASSWORD, is_staff=True)
    user.groups.add(Group.objects.get(name=KANSLI_GROUP))
    return user


def run_action(page: Any, pk: int, action: str, *, year: int | None = None) -> str:
    """Tick the application in the changelist, choose the action, confirm; the message shown."""
    page.check(f"input[name=_selected_action][value='{pk}']")
    page.select_option("select[name=action]", action)
    page.click("button[name=index]")
    assert "Stockholms kommun" in page.inner_text("#content")  # the confirmation page lists it
    if year is not None:
        page.fill("#id_year", str(year))
    page.click("input[type=submit]")
    page.wait_for_url(f"**{CHANGELIST}*")
    return str(page.inner_text("ul.messagelist"))


def wait_for_letter_link(page: Any, timeout: float = 45) -> Any:
    """The change page links the letter once the worker has rendered it; reload until then."""
    deadline = time.monotonic() + timeout
    link = page.locator("a[href$='/letter/']")
    while not link.count():
        assert time.monotonic() < deadline, page.inner_text(".field-offer_letter_link")
        page.wait_for_timeout(300)
        page.reload()
    return link


def secretariat_journey(chromium_path: str, base: str, application: Application, downloads: Path) -> bytes:
    pk = application.pk
    with journey.chromium(chromium_path) as browser:
        page, errors = journey.new_page(browser, locale="sv-SE", accept_downloads=True)
        page.goto(base + "/admin/")
        page.fill("#id_username", "karin.kansli")
        page.fill("#id_password", PASSWORD)
        page.click("input[type=submit]")
        page.wait_for_url(f"{base}/admin/")

        page.goto(base + CHANGELIST)
        page.fill("#searchbar", "Stockholm")
        page.press("#searchbar", "Enter")
        page.wait_for_url("**?q=*")
        rows = page.locator("#result_list tbody tr")
        assert rows.count() == 1, page.inner_text("#result_list")
        assert "Stockholms kommun" in rows.first.inner_text() and "Inskickad" in rows.first.inner_text()

        rows.first.locator("th a").click()
        page.wait_for_url(re.compile(rf"{CHANGELIST}{pk}/change/"))  # with the search kept in the query
        assert "Stockholms kommun" in page.inner_text("h2, .field-organisation")
        assert "66" in page.inner_text(".field-review_panel")  # the frozen score: all 66 points
        search = f"{base}{CHANGELIST}?q=Stockholm"

        page.goto(search)
        assert "Påbörja granskning: 1 ansökan." in run_action(page, pk, "start_review")
        assert "Under granskning" in page.inner_text("#result_list")
        assert "(49000 kr)" in page.inner_text(".field-fee")  # the preview frozen at submission

        page.goto(search)
        message = run_action(page, pk, "make_offer", year=2026)
        assert "1 ansökan" in message, message

        page.goto(f"{base}{CHANGELIST}{pk}/change/")
        assert "49000 kr för 2026" in page.inner_text(".field-fee_display")
        link = wait_for_letter_link(page)
        assert link.inner_text() == "erbjudande-medlemskap-stockholms-kommun.pdf"
        with page.expect_download() as download_info:
            link.click()
        download = download_info.value
        assert download.suggested_filename == "erbjudande-medlemskap-stockholms-kommun.pdf"
        target = downloads / download.suggested_filename
        download.save_as(target)
        assert errors == []
    return target.read_bytes()


def mails_with_attachments(smtp_sink: Any, timeout: float = 30) -> list[Message]:
    """The mails at the sink that carry an attachment, once there is one (or the time is up)."""
    deadline = time.monotonic() + timeout
    while True:
        found = [m for m in smtp_sink.messages if any(p.get_content_disposition() == "attachment" for p in m.walk())]
        if found or time.monotonic() > deadline:
            return found
        time.sleep(0.1)


def attachment_of(message: Message) -> tuple[str, bytes]:
    parts = [part for part in message.walk() if part.get_content_disposition() == "attachment"]
    assert len(parts) == 1
    payload = parts[0].get_payload(decode=True)
    assert isinstance(payload, bytes)
    return str(parts[0].get_filename()), payload


def test_the_secretariat_reviews_offers_and_downloads_the_letter_that_was_mailed(
    chromium_path: str, live_server: Any, worker: Any, smtp_sink: Any, tmp_path: Path
) -> None:
    pypdf = pytest.importorskip("pypdf")
    pytest.importorskip("playwright.sync_api")
    started = time.monotonic()
    application = submitted_application(
        "0180",
        official_name="Stockholms kommun",
        org_number="2120000142",
        street_address="Hantverkargatan 1",
        postal_code="105 35",
        city="Stockholm",
    )
    other = submitted_application("2422")  # found by no search for Stockholm
    staff = kansli_member()

    downloaded = secretariat_journey(chromium_path, live_server.url, application, tmp_path)

    # Beside the submissions' receipts and notices, the offer: the one mail with an attachment.
    offers = mails_with_attachments(smtp_sink)
    assert len(offers) == 1, [m["Subject"] for m in smtp_sink.messages]
    # To both contact persons and the applicant who signed in.
    assert sorted(offers[0]["To"].split(", ")) == ["anna@example.se", "bo@example.se", "klimat@stockholm.se"]
    name, mailed = attachment_of(offers[0])
    assert name == "erbjudande-medlemskap-stockholms-kommun.pdf"
    assert downloaded == mailed and downloaded.startswith(b"%PDF-")

    text = " ".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(downloaded)).pages)
    text = " ".join(text.replace("\xa0", " ").split())
    for expected in ["Stockholms kommun", "Hantverkargatan 1", "49 000 kr", "2026", "Anna Andersson"]:
        assert expected in text, (expected, text[:1500])

    application.refresh_from_db()
    other.refresh_from_db()
    assert application.status == Status.OFFERED and other.status == Status.SUBMITTED
    assert application.fee_due == 49000 and application.fee_year == 2026
    changes = StatusChange.objects.filter(application=application, by=staff).values_list("to_status", flat=True)
    assert list(changes.order_by("at")) == [Status.IN_REVIEW, Status.OFFERED]
    offer = OutboundEmail.objects.get(application=application, template="offer")
    assert offer.status == EmailStatus.SENT
    assert time.monotonic() - started < 60
