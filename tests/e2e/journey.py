"""The applicant's journey in a real browser, step by step, in Swedish or English.

The steps are shared by the e2e tests (the whole journey with and without JavaScript, the
shorter English run); each asserts what the applicant sees, in the language of the run. The
browser is started inside the test, after the database fixtures, and closed before the
database is checked: while Playwright's sync API is active its event loop counts as running in
this thread, and Django would refuse (or reroute) ORM use. The live server answers from its own
thread; the sign-in mail lands in django.core.mail.outbox because the server runs in this process.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from django.core import mail

CHROMIUM_ARGS = ["--no-sandbox", "--disable-background-networking", "--disable-component-update", "--no-first-run"]
LINK_IN_MAIL = re.compile(r"https?://[^/\s]+(/(?:en/)?logga-in/[A-Za-z0-9_-]+/)")
EMAIL = "ingrid.lindqvist@stockholm.se"
STOCKHOLM = "0180"
# Stockholm's own organisation number (a valid Luhn check digit, the municipal prefix 2120).
ORG_NUMBER = "212000-0142"
# The smallest file the upload check accepts as a PDF: "%PDF-" at the start, "%%EOF" at the end.
TINY_PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
CONTACTS = {
    "elected": ("Karin Wanngård", "Kommunstyrelsens ordförande", "karin.wanngard@stockholm.se", "08-508 290 00"),
    "official": ("Ingrid Lindqvist", "Klimatstrateg", EMAIL, "08-508 290 01"),
}

# What the applicant reads at each step, as written in the catalogues (English is the source).
TEXTS = {
    "sv": {
        "prefix": "",
        "apply": "Ansök om medlemskap",
        "inbox": "Kolla din inkorg",
        "sign_in": "Logga in hos Klimatkommunerna",
        "dashboard": "Mina ansökningar",
        "sign_out": "Logga ut",
        "search": "Sök",
        "start": "Påbörja ansökan",
        "started": "Ansökan för Stockholms kommun är påbörjad",
        "organisation": "Organisation",
        "contacts": "Kontaktpersoner",
        "save_and_continue": "Spara och fortsätt",
        "first_section": "Baskrav för medlemskap",
        "test_summary": "Sammanfattning av testet",
        "nothing_missing": "Inget saknas: alla obligatoriska svar är givna.",
        "back": "Tillbaka till ansökan",
        "overview": "Översikt",
        "send": "Skicka ansökan",
        "submitted": "Inskickad",
        "sent": "Er ansökan är skickad",
    },
    "en": {
        "prefix": "/en",
        "apply": "Apply for membership",
        "inbox": "Check your inbox",
        "sign_in": "Sign in to Klimatkommunerna",
        "dashboard": "My applications",
        "sign_out": "Sign out",
        "search": "Search",
        "start": "Start the application",
        "started": "Your application for Stockholms kommun is started",
        "organisation": "Organisation",
        "contacts": "Contact persons",
        "save_and_continue": "Save and continue",
        "first_section": "Basic requirements for membership",
        "test_summary": "Summary of the test",
        "nothing_missing": "Nothing is missing: every required answer is given.",
        "back": "Back to the application",
        "overview": "Summary",
        "send": "Send the application",
        "submitted": "Submitted",
        "sent": "Your application has been sent",
    },
}


@contextmanager
def chromium(chromium_path: str) -> Iterator[Any]:
    """Debian's Chromium, headless, as CI runs it: no sandbox, nothing fetched in the background."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium_path, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


def new_page(browser: Any, **options: Any) -> tuple[Any, list[str]]:
    """A page in a fresh context, and the list its JavaScript errors are collected in."""
    page = browser.new_context(**options).new_page()
    page.set_default_timeout(10_000)
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    return page, errors


def sign_in_link(base: str) -> str:
    """The link in the one sign-in mail sent so far, on the live server."""
    assert len(mail.outbox) == 1 and mail.outbox[0].to == [EMAIL]
    match = LINK_IN_MAIL.search(str(mail.outbox[0].body))
    assert match, mail.outbox[0].body
    return base + match.group(1)


def sign_in(page: Any, base: str, language: str = "sv") -> None:
    text = TEXTS[language]
    page.goto(base + text["prefix"] + "/")
    page.click(f"main a:has-text('{text['apply']}')")
    assert "/logga-in/" in page.url
    page.fill("#id_email", EMAIL)
    page.click("main button[type=submit]")
    assert page.inner_text("h1") == text["inbox"]
    page.goto(sign_in_link(base))
    assert page.inner_text("h1") == text["sign_in"]
    page.click("main button[type=submit]")
    assert page.url == f"{base}{text['prefix']}/ansokan/"
    assert page.inner_text("h1") == text["dashboard"]
    assert text["sign_out"] in page.inner_text("header")


def started_application(page: Any, language: str = "sv") -> int:
    """The new application's id, on the first page after starting it."""
    page.wait_for_url(re.compile(r"/organisation/(#main)?$"))  # #main: kept from a skip link
    assert TEXTS[language]["started"] in page.inner_text("main")
    started = re.search(r"/ansokan/(\d+)/organisation/", page.url)
    assert started, page.url
    return int(started.group(1))


def start_application(page: Any, *, javascript: bool, language: str = "sv") -> int:
    text = TEXTS[language]
    page.click(f"main a:has-text('{text['apply']}')")
    assert page.url.endswith("/ansokan/ny/")
    page.fill("#id_q", "Stockholm")
    if not javascript:
        page.click(f"main button:has-text('{text['search']}')")
    page.wait_for_selector(f"#org-{STOCKHOLM}")  # with JavaScript: listed as the applicant types
    page.check(f"#org-{STOCKHOLM}")
    page.click(f"text={text['start']}")
    return started_application(page, language)


ORGANISATION = {
    "#id_official_name": "Stockholms kommun",
    "#id_org_number": ORG_NUMBER,
    "#id_street_address": "Stadshuset, Hantverkargatan 1",
    "#id_postal_code": "105 35",
    "#id_city": "Stockholm",
}


def fill_organisation(page: Any, language: str = "sv") -> None:
    text = TEXTS[language]
    assert page.inner_text("h1") == text["organisation"]
    assert page.input_value("#id_inhabitants")  # prefilled from the reference table
    for selector, value in ORGANISATION.items():
        page.fill(selector, value)
    page.click(f"main button:has-text('{text['save_and_continue']}')")
    page.wait_for_url("**/kontaktpersoner/")


def fill_contacts(page: Any, language: str = "sv") -> None:
    text = TEXTS[language]
    assert page.inner_text("h1") == text["contacts"]
    for role, (name, title, email, phone) in CONTACTS.items():
        page.fill(f"#id_{role}-name", name)
        page.fill(f"#id_{role}-title", title)
        page.fill(f"#id_{role}-email", email)
        page.fill(f"#id_{role}-phone", phone)
    page.click(f"main button:has-text('{text['save_and_continue']}')")
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


SECTION_URL = r"/test/{pk}/(?!summary/)[a-z-]+/(#main)?$"


def answer_test(page: Any, pk: int, minutes: Path, language: str = "sv") -> None:
    text = TEXTS[language]
    section = re.compile(SECTION_URL.format(pk=pk))
    seen = []
    assert text["first_section"] in page.inner_text("h1")
    while section.search(page.url):
        seen.append(page.url)
        answer_section(page, minutes)
        with page.expect_navigation():
            page.click(f"main button:has-text('{text['save_and_continue']}')")
        assert page.locator("#error-summary").count() == 0, page.inner_text("main")
    assert len(seen) == 8, seen  # baskrav and the seven scored sections
    assert_test_summary(page, pk, language)


def assert_test_summary(page: Any, pk: int, language: str = "sv") -> None:
    text = TEXTS[language]
    assert re.search(rf"/test/{pk}/summary/(#main)?$", page.url), page.url
    assert page.inner_text("h1") == text["test_summary"]
    assert text["nothing_missing"] in page.inner_text("main")


def assert_submitted(page: Any, pk: int, language: str = "sv") -> None:
    text = TEXTS[language]
    page.wait_for_url(re.compile(rf"/ansokan/{pk}/status/(#main)?$"))
    assert page.inner_text("#status-now-title") == text["submitted"]
    assert text["sent"] in page.inner_text("main")


def submit(page: Any, pk: int, language: str = "sv") -> None:
    text = TEXTS[language]
    page.click(f"main a:has-text('{text['back']}')")
    page.wait_for_url(f"**/ansokan/{pk}/sammanfattning/")
    assert page.inner_text("h1") == text["overview"]
    assert page.locator(".part-incomplete").count() == 0, page.inner_text("main")
    page.click(f"main button:has-text('{text['send']}')")
    assert_submitted(page, pk, language)


def minutes_file(tmp_path: Path) -> Path:
    minutes = tmp_path / "protokoll.pdf"
    minutes.write_bytes(TINY_PDF)
    return minutes


def artifacts_dir() -> Path:
    """Where browser tests leave files for a reviewer (screenshots); KLIMAT_E2E_ARTIFACTS moves it."""
    path = Path(os.environ.get("KLIMAT_E2E_ARTIFACTS") or Path(__file__).resolve().parents[2] / "var" / "e2e-artifacts")
    path.mkdir(parents=True, exist_ok=True)
    return path


def screenshot(page: Any, name: str) -> None:
    folder = artifacts_dir() / "journey"
    folder.mkdir(exist_ok=True)
    page.screenshot(path=str(folder / f"{name}.png"), full_page=True)
