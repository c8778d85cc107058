"""A shorter applicant journey in English (/en/...), with no Swedish on the pages the applicant meets.

/en/ home → sign-in link from the mailbox → start an application → organisation → contact
persons → the first two sections of the test → the test's summary → the application's summary.
Each page is read as the applicant sees it: every visible text in an English part of the page
(the "På svenska" switch is marked lang="sv" and left out), searched for Swedish letters and
common Swedish words. Proper names (the body, the association, its address) are Swedish in both
languages and are taken out first.
"""

from __future__ import annotations

import re
import time
from pathlib import Path
from typing import Any

import pytest
from django.core import mail

from applications.models import Application
from tests.e2e import journey

pytestmark = [pytest.mark.e2e, pytest.mark.services, pytest.mark.django_db(transaction=True)]

# Names that are the same in both languages, and what the applicant typed in Swedish.
PROPER_NAMES = ["Stockholms kommun", "Klimatkommunerna", "klimatkommunerna.se", "protokoll.pdf"]
SWEDISH = re.compile(
    r"[åäöÅÄÖ]|\b(och|att|för|med|inte|som|eller|ansökan|ansökningar|spara|sparat|sök|fortsätt|"
    r"kommunen|sammanfattning|nästa|föregående|tillbaka|logga|avgift|svar|baskrav|klar)\b",
    re.IGNORECASE,
)
# Visible text in English parts of the page: not in elements marked with another language, not
# hidden, and not what a field holds (a textarea's text is the applicant's own answer).
VISIBLE_ENGLISH_TEXT = """() => {
  const texts = [document.title];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  while (walker.nextNode()) {
    const element = walker.currentNode.parentElement;
    if (!element || element.closest("script, style, textarea, [hidden]")) continue;
    if (!(element.closest("[lang]").lang || "").startsWith("en")) continue;
    if (!element.checkVisibility()) continue;
    texts.push(walker.currentNode.textContent);
  }
  return texts.join(" ").replace(/\\s+/g, " ");
}"""


def swedish_on(page: Any) -> list[str]:
    """The Swedish words (with some context) in the page's visible English text."""
    assert page.evaluate("document.documentElement.lang") == "en", page.url
    text = page.evaluate(VISIBLE_ENGLISH_TEXT)
    for name in PROPER_NAMES:
        text = text.replace(name, "")
    return [text[max(0, m.start() - 30) : m.end() + 30] for m in SWEDISH.finditer(text)]


def run_journey(chromium_path: str, base: str, minutes: Path) -> tuple[int, dict[str, list[str]]]:
    leaks: dict[str, list[str]] = {}

    def check(name: str, page: Any) -> None:
        found = swedish_on(page)
        if found:
            leaks[name] = found

    with journey.chromium(chromium_path) as browser:
        page, errors = journey.new_page(browser, locale="en-GB")
        journey.sign_in(page, base, "en")
        check("dashboard", page)
        pk = journey.start_application(page, javascript=True, language="en")
        check("organisation", page)
        journey.fill_organisation(page, "en")
        check("contacts", page)
        journey.fill_contacts(page, "en")
        sections = re.compile(journey.SECTION_URL.format(pk=pk))
        for title in ["Basic requirements for membership", "Targets, measures and follow-up"]:
            assert sections.search(page.url) and page.inner_text("h1") == title
            journey.answer_section(page, minutes)
            check(title, page)
            with page.expect_navigation():
                page.click("main button:has-text('Save and continue')")
            assert page.locator("#error-summary").count() == 0, page.inner_text("main")
        check("Organisation and political ownership", page)

        page.click("main a:has-text('Summary and check')")
        page.wait_for_url(f"**/en/test/{pk}/summary/")
        assert page.inner_text("h1") == "Summary of the test"
        test_summary = page.inner_text("main")
        for expected in ["What your answers point to", "All basic requirements are met.", "Points per section"]:
            assert expected in test_summary
        assert "30 required answers are missing before you can submit" in test_summary
        assert "Transport, 3.1: Answer this question." in test_summary
        check("test summary", page)

        page.click("main a:has-text('Back to the application')")
        page.wait_for_url(f"**/en/ansokan/{pk}/sammanfattning/")
        assert page.inner_text("h1") == "Summary"
        summary = page.inner_text("main").replace("\xa0", " ")
        for expected in [
            "Basic requirements for membership: complete",
            "Transport: not complete (missing: 6 answers)",
            "Inhabitants\n935,619",
            "As a member in",
            "you would pay SEK 49,000.",
        ]:
            assert expected in summary, (expected, summary)
        check("application summary", page)
        journey.screenshot(page, f"english-journey-{minutes.parent.name}")
        assert errors == []
    return pk, leaks


def test_an_applicant_in_english_meets_no_swedish_up_to_the_summary(
    chromium_path: str, live_server: Any, tmp_path: Path
) -> None:
    pytest.importorskip("playwright.sync_api")
    started = time.monotonic()
    pk, leaks = run_journey(chromium_path, live_server.url, journey.minutes_file(tmp_path))
    assert leaks == {}
    assert time.monotonic() - started < 40

    # The sign-in mail was written in the language of the page it was asked for on.
    signin = mail.outbox[0]
    assert signin.subject == "Your sign-in link to Klimatkommunerna"
    body = re.sub(r"https?://\S+", "", str(signin.body)).replace("Klimatkommunerna", "")
    assert not SWEDISH.search(body), body
    application = Application.objects.get(pk=pk)
    assert application.language == "en" and application.organisation.code == journey.STOCKHOLM
