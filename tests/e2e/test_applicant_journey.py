"""The whole applicant journey in a real browser, as a new user makes it: with JavaScript and without.

Home page → "Ansök om medlemskap" → sign in with the emailed link → dashboard → start an
application for Stockholm → organisation → contact persons → every section of the test →
summary → submit → status page. Every step asserts what the applicant sees.

The browser is started inside the test, after the database fixtures, and closed before the
database is checked: while Playwright's sync API is active its event loop counts as running in
this thread, and Django would refuse (or reroute) ORM use. The live server answers from its own
thread; the sign-in mail lands in django.core.mail.outbox because the server runs in this process.
"""

from __future__ import annotations

import re
import time
from pathlib import Path
from typing import Any

import pytest
from django.core import mail

from applications.models import Application, OutboundEmail, Status, StatusChange

pytestmark = [pytest.mark.e2e, pytest.mark.services, pytest.mark.django_db(transaction=True)]

CHROMIUM_ARGS = ["--no-sandbox", "--disable-background-networking", "--disable-component-update", "--no-first-run"]
LINK_IN_MAIL = re.compile(r"https?://[^/\s]+(/(?:en/)?logga-in/[A-Za-z0-9_-]+/)")
EMAIL = "ingrid.lindqvist@stockholm.se"
STOCKHOLM = "0180"
# Stockholm's own organisation number (a valid Luhn check digit, the municipal prefix 2120).
ORG_NUMBER = "212000-0142"
# The smallest file the upload check accepts as a PDF: "%PDF-" at the start, "%%EOF" at the end.
TINY_PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"


def sign_in(page: Any, base: str) -> None:
    page.goto(base + "/")
    page.click("main a:has-text('Ansök om medlemskap')")
    assert "/logga-in/" in page.url
    page.fill("#id_email", EMAIL)
    page.click("main button[type=submit]")
    assert page.inner_text("h1") == "Kolla din inkorg"
    assert len(mail.outbox) == 1 and mail.outbox[0].to == [EMAIL]

    match = LINK_IN_MAIL.search(str(mail.outbox[0].body))
    assert match, mail.outbox[0].body
    page.goto(base + match.group(1))
    assert page.inner_text("h1") == "Logga in hos Klimatkommunerna"
    page.click("main button[type=submit]")
    assert page.url == f"{base}/ansokan/"
    assert page.inner_text("h1") == "Mina ansökningar"
    assert "Logga ut" in page.inner_text("header")


def start_application(page: Any, *, javascript: bool) -> int:
    page.click("main a:has-text('Ansök om medlemskap')")
    assert page.url.endswith("/ansokan/ny/")
    page.fill("#id_q", "Stockholm")
    if not javascript:
        page.click("main button:has-text('Sök')")
    page.wait_for_selector(f"#org-{STOCKHOLM}")  # with JavaScript: listed as the applicant types
    page.check(f"#org-{STOCKHOLM}")
    page.click("text=Påbörja ansökan")
    page.wait_for_url("**/organisation/")
    assert "Ansökan för Stockholms kommun är påbörjad" in page.inner_text("main")
    started = re.search(r"/ansokan/(\d+)/organisation/", page.url)
    assert started, page.url
    return int(started.group(1))


def fill_organisation(page: Any) -> None:
    assert page.inner_text("h1") == "Organisation"
    assert page.input_value("#id_inhabitants")  # prefilled from the reference table
    page.fill("#id_official_name", "Stockholms kommun")
    page.fill("#id_org_number", ORG_NUMBER)
    page.fill("#id_street_address", "Stadshuset, Hantverkargatan 1")
    page.fill("#id_postal_code", "105 35")
    page.fill("#id_city", "Stockholm")
    page.click("main button:has-text('Spara och fortsätt')")
    page.wait_for_url("**/kontaktpersoner/")


def fill_contacts(page: Any) -> None:
    assert page.inner_text("h1") == "Kontaktpersoner"
    people = {
        "elected": ("Karin Wanngård", "Kommunstyrelsens ordförande", "karin.wanngard@stockholm.se", "08-508 290 00"),
        "official": ("Ingrid Lindqvist", "Klimatstrateg", EMAIL, "08-508 290 01"),
    }
    for role, (name, title, email, phone) in people.items():
        page.fill(f"#id_{role}-name", name)
        page.fill(f"#id_{role}-title", title)
        page.fill(f"#id_{role}-email", email)
        page.fill(f"#id_{role}-phone", phone)
    page.click("main button:has-text('Spara och fortsätt')")
    page.wait_for_url(re.compile(r"/test/\d+/"))


def answer_section(page: Any, minutes: Path) -> None:
    """Answer every question on the page: the first option of each, and every detail field."""
    for question in page.locator("form.section-form .question").all():
        radios = question.locator("input[type=radio]")
        if radios.count():
            radios.first.check()  # a decision's first choice is "Ja"
        for date in question.locator("input[type=date]").all():
            date.fill("2024-03-18")
        for select in question.locator("select").all():
            select.select_option(index=1)  # the first body after "—"
        for text in question.locator("input[name$='_ref']").all():
            text.fill("KS 2024/118 § 7")
        for upload in question.locator("input[type=file]").all():
            upload.set_input_files(str(minutes))
        for field in question.locator("input[inputmode=decimal]").all():
            field.fill("12")
        for field in question.locator("input[type=url]:not([name$='_link'])").all():
            field.fill("https://start.stockholm/klimat")
        for field in question.locator("textarea:not([name$='_comment'])").all():
            field.fill("Vi samarbetar med grannkommunerna i länet.")


def answer_test(page: Any, pk: int, minutes: Path) -> None:
    section = re.compile(rf"/test/{pk}/(?!summary/)[a-z-]+/$")
    seen = []
    assert "Baskrav för medlemskap" in page.inner_text("h1")
    while section.search(page.url):
        seen.append(page.url)
        answer_section(page, minutes)
        with page.expect_navigation():
            page.click("main button:has-text('Spara och fortsätt')")
        assert page.locator("#error-summary").count() == 0, page.inner_text("main")
    assert len(seen) == 8, seen  # baskrav and the seven scored sections
    assert page.url.endswith(f"/test/{pk}/summary/")
    assert page.inner_text("h1") == "Sammanfattning av testet"
    assert "Inget saknas: alla obligatoriska svar är givna." in page.inner_text("main")


def submit(page: Any, pk: int) -> None:
    page.click("main a:has-text('Tillbaka till ansökan')")
    page.wait_for_url(f"**/ansokan/{pk}/sammanfattning/")
    assert page.inner_text("h1") == "Översikt"
    assert page.locator(".part-incomplete").count() == 0, page.inner_text("main")
    page.click("main button:has-text('Skicka ansökan')")
    page.wait_for_url(f"**/ansokan/{pk}/status/")
    assert page.inner_text("#status-now-title") == "Inskickad"
    assert "Er ansökan är skickad" in page.inner_text("main")


def run_journey(chromium_path: str, base: str, tmp_path: Path, *, javascript: bool) -> int:
    from playwright.sync_api import sync_playwright

    minutes = tmp_path / "protokoll.pdf"
    minutes.write_bytes(TINY_PDF)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium_path, args=CHROMIUM_ARGS)
        try:
            page = browser.new_context(java_script_enabled=javascript).new_page()
            page.set_default_timeout(10_000)
            errors: list[str] = []
            page.on("pageerror", lambda error: errors.append(str(error)))
            sign_in(page, base)
            pk = start_application(page, javascript=javascript)
            fill_organisation(page)
            fill_contacts(page)
            answer_test(page, pk, minutes)
            submit(page, pk)
            ARTIFACTS.mkdir(exist_ok=True)
            name = f"applicant-journey-{'js' if javascript else 'no-js'}-{tmp_path.name}.png"
            page.screenshot(path=str(ARTIFACTS / name), full_page=True)
            assert errors == []
        finally:
            browser.close()
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
    assert application.organisation.code == STOCKHOLM
    assert application.status == Status.SUBMITTED
    assert StatusChange.objects.filter(application=application, to_status=Status.SUBMITTED).count() == 1
    assert OutboundEmail.objects.filter(application=application).count() == 2
