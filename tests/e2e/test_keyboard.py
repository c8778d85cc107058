"""The whole applicant journey with the keyboard alone, in Chromium, with the focus always visible.

The same journey as test_applicant_journey.py (home page → sign-in link from the mailbox →
start → organisation → contact persons → every section of the test → summary → submit), driven
only by page.keyboard: Tab and Shift+Tab to move, Enter to follow links and press buttons, the
arrow keys to choose in a radio group or a list, Space to open the file picker, and typing into
the focused field. No click(), fill() or check().

Checked on the way:
- every element the focus lands on shows it: a real outline (at least 2 px) or an opaque ring;
  main, the skip link's target, is exempt (it is focused only to start the keyboard there);
- the skip link is the first stop and moves the focus to main;
- a failed submit (an organisation number with a wrong check digit; a decision dated in the
  future) puts the focus on
  the error summary, and Enter on a summary link moves it to the field, with the field's label
  in view (static/js/error-summary.js).
"""

from __future__ import annotations

import re
import time
from pathlib import Path
from typing import Any

import pytest

from applications.models import Application, Status
from tests.e2e import journey

pytestmark = [pytest.mark.e2e, pytest.mark.services, pytest.mark.django_db(transaction=True)]

FOCUSED = """() => {
  const el = document.activeElement;
  const style = getComputedStyle(el);
  const outline = style.outlineStyle !== "none" && parseFloat(style.outlineWidth) >= 2;
  const ring = style.boxShadow !== "none" && /rgb\\(/.test(style.boxShadow);
  const group = el.type === "radio" && el.form ? [...el.form.elements].filter((e) => e.name === el.name) : [];
  return {
    tag: el.tagName.toLowerCase(), type: el.type || "", id: el.id, name: el.getAttribute("name") || "",
    inputmode: el.getAttribute("inputmode") || "", value: el.value ?? "", files: el.files ? el.files.length : 0,
    groupChecked: group.some((e) => e.checked), text: (el.innerText || "").trim().slice(0, 60),
    inSection: !!el.closest("form.section-form"), inSummary: !!el.closest("#error-summary"),
    visible: outline || ring, html: el.outerHTML.slice(0, 160),
  };
}"""
# The focused field's label (or its radio group's legend) is on screen once the page has stopped
# scrolling (Bootstrap's smooth scroll-behavior passes every point on the way): checked on each
# animation frame, true when the scroll position has not moved for three frames.
CAPTION_IN_VIEW = """() => {
  const el = document.activeElement;
  const fieldset = el.type === "radio" ? el.closest("fieldset") : null;
  const caption = fieldset ? fieldset.querySelector("legend") : el.labels[0];
  const top = caption.getBoundingClientRect().top;
  window.__stillFrames = window.__lastScrollY === window.scrollY ? (window.__stillFrames || 0) + 1 : 0;
  window.__lastScrollY = window.scrollY;
  return window.__stillFrames >= 3 && top >= -2 && top < window.innerHeight;  // -2: sub-pixel scrolling
}"""
FUTURE = "2099-01-01"  # a decision "taken" in 2099: refused
DECIDED = "2024-03-18"


class Keyboard:
    """The keyboard, and what it focused: every stop is checked for a visible focus."""

    def __init__(self, page: Any) -> None:
        self.page = page
        self.stops = 0
        self.skipped = 0
        self.invisible: list[str] = []

    def focused(self) -> dict[str, Any]:
        return dict(self.page.evaluate(FOCUSED))

    def press(self, key: str) -> dict[str, Any]:
        self.page.keyboard.press(key)
        focused = self.focused()
        if focused["tag"] not in {"body", "main"}:
            self.stops += 1
            if not focused["visible"]:
                self.invisible.append(f"{self.page.url}: {focused['html']}")
        return focused

    def tab_to(self, wanted: Any, *, back: bool = False, limit: int = 120) -> dict[str, Any]:
        """Tab (or Shift+Tab) until `wanted(focused)` holds."""
        for _ in range(limit):
            focused = self.press("Shift+Tab" if back else "Tab")
            if wanted(focused):
                return focused
        raise AssertionError(f"not reached by the keyboard on {self.page.url}")

    def tab_to_id(self, element_id: str) -> dict[str, Any]:
        return self.tab_to(lambda f: f["id"] == element_id)

    def tab_to_text(self, text: str, tag: str = "a") -> dict[str, Any]:
        return self.tab_to(lambda f: f["tag"] == tag and f["text"] == text)

    def follow(self, key: str = "Enter") -> None:
        """A link or a button that loads another page."""
        with self.page.expect_navigation():
            self.page.keyboard.press(key)

    def replace(self, text: str) -> None:
        """Type into the focused field instead of what it holds."""
        self.page.keyboard.press("Control+A")
        self.page.keyboard.press("Delete")
        self.page.keyboard.type(text)

    def skip_to_main(self) -> None:
        """The first Tab on a page reaches the skip link; Enter puts the focus on main.

        A page loaded after a form sent from ".../#main" keeps that fragment (browsers carry it
        through the redirect) and starts with the focus on main already.
        """
        if self.focused()["id"] == "main":
            return
        self.skipped += 1
        link = self.press("Tab")
        assert link["tag"] == "a" and link["text"] == "Hoppa till innehållet", link
        assert self.page.evaluate("document.activeElement.getBoundingClientRect().height") > 0
        assert self.press("Enter")["id"] == "main"

    def error_summary_leads_to(self, field_id: str) -> None:
        """After a failed submit: the focus is on the summary, and its link takes it to the field."""
        assert self.focused()["inSummary"], self.focused()
        link = self.tab_to(lambda f: f["tag"] == "a" and f["inSummary"], limit=3)
        self.page.keyboard.press("Enter")
        assert self.focused()["id"] == field_id, (link, self.focused())
        self.page.wait_for_function(CAPTION_IN_VIEW, timeout=3000)


def sign_in(keys: Keyboard, base: str) -> None:
    page = keys.page
    page.goto(base + "/")
    keys.skip_to_main()
    keys.tab_to_text("Ansök om medlemskap")
    keys.follow()
    assert "/logga-in/" in page.url
    keys.tab_to_id("id_email")
    page.keyboard.type(journey.EMAIL)
    keys.follow()
    assert page.inner_text("h1") == "Kolla din inkorg"
    page.goto(journey.sign_in_link(base))  # the applicant opens the link in the mail
    keys.skip_to_main()
    keys.tab_to(lambda f: f["tag"] == "button" and f["type"] == "submit")
    keys.follow()
    assert page.inner_text("h1") == "Mina ansökningar"


def start_application(keys: Keyboard) -> int:
    page = keys.page
    keys.skip_to_main()
    keys.tab_to_text("Ansök om medlemskap")
    keys.follow()
    keys.tab_to_id("id_q")
    page.keyboard.type("Stockholm")
    page.wait_for_selector(f"#org-{journey.STOCKHOLM}")  # listed as the applicant types
    radio = keys.tab_to(lambda f: f["name"] == "organisation")
    for _ in range(10):  # the arrow keys move through the matches and choose as they go
        if radio["id"] == f"org-{journey.STOCKHOLM}" and page.is_checked(f"#org-{journey.STOCKHOLM}"):
            break
        radio = keys.press("ArrowDown")
    keys.tab_to_text("Påbörja ansökan", "button")
    keys.follow()
    return journey.started_application(page)


def fill_organisation(keys: Keyboard) -> None:
    page = keys.page
    assert page.inner_text("h1") == "Organisation"
    keys.skip_to_main()
    keys.tab_to_id("id_org_number")
    keys.replace("212000-0143")  # a wrong check digit
    keys.follow()  # Enter in a field sends the form
    assert page.locator("#error-summary").count() == 1
    keys.error_summary_leads_to("id_org_number")
    keys.press("Shift+Tab")
    for selector, value in journey.ORGANISATION.items():
        if keys.focused()["id"] != selector[1:]:
            keys.tab_to_id(selector[1:])
        keys.replace(value)
    assert keys.press("Shift+Tab")["id"] == "id_postal_code"
    keys.follow()
    page.wait_for_url(re.compile(r"/kontaktpersoner/(#main)?$"))  # #main: the skip link's, kept


def fill_contacts(keys: Keyboard) -> None:
    assert keys.page.inner_text("h1") == "Kontaktpersoner"
    keys.skip_to_main()
    for role, values in journey.CONTACTS.items():
        for field, value in zip(["name", "title", "email", "phone"], values, strict=True):
            keys.tab_to_id(f"id_{role}-{field}")
            keys.replace(value)
    keys.follow()
    keys.page.wait_for_url(re.compile(r"/test/\d+/"))


def answer_focused(keys: Keyboard, focused: dict[str, Any], minutes: Path, date: str) -> None:
    """Answer the focused field of a test section if it is empty; leave what is answered."""
    page, kind, name = keys.page, focused["type"], focused["name"]
    if kind == "radio" and not focused["groupChecked"]:
        keys.press("ArrowDown")
        assert keys.press("ArrowUp")["id"] == focused["id"]  # the first option ("Ja"), now chosen
        assert page.is_checked(f"#{focused['id']}")
    elif focused["value"] or focused["files"] or kind in {"radio", "checkbox", "submit", "button"}:
        return
    elif kind == "date":
        type_date(keys, date)
    elif focused["tag"] == "select":
        keys.press("ArrowDown")  # the first body after "—"
        assert keys.focused()["value"]
    elif kind == "file":
        page.keyboard.press("Space")  # opens the picker; the page's "filechooser" handler picks
        page.wait_for_function("() => document.activeElement.files.length === 1")
    elif name.endswith("_ref"):
        page.keyboard.type("KS 2024/118 § 7")
    elif focused["inputmode"] == "decimal":
        page.keyboard.type("12")
    elif kind == "url" and not name.endswith("_link"):
        page.keyboard.type("https://start.stockholm/klimat")
    elif focused["tag"] == "textarea" and not name.endswith("_comment"):
        page.keyboard.type("Vi samarbetar med grannkommunerna i länet.")


def type_date(keys: Keyboard, iso: str) -> None:
    """Type a date into the focused date field, segment by segment as the field shows them.

    Headless Chromium lays date fields out month/day/year whatever the page's locale.
    """
    year, month, day = iso.split("-")
    keys.page.keyboard.type(month + day + year)
    assert keys.focused()["value"] == iso, keys.focused()


def answer_section(keys: Keyboard, minutes: Path, *, first_date: str = DECIDED) -> None:
    """Tab through the section's form answering each question, then Enter on "Spara och fortsätt"."""
    date = first_date
    focused = keys.tab_to(lambda f: f["inSection"])
    while not (focused["tag"] == "button" and focused["text"] == "Spara och fortsätt"):
        answer_focused(keys, focused, minutes, date)
        if focused["type"] == "date":
            date = DECIDED
        focused = keys.tab_to(lambda f: f["inSection"])
    keys.follow()


def answer_test(keys: Keyboard, pk: int, minutes: Path) -> None:
    page = keys.page
    section = re.compile(journey.SECTION_URL.format(pk=pk))
    assert "Baskrav för medlemskap" in page.inner_text("h1")
    keys.skip_to_main()
    answer_section(keys, minutes, first_date=FUTURE)
    # Refused: the summary has the focus and leads to the date; the answers given are kept, the
    # files are chosen again.
    assert page.locator("#error-summary").count() == 1, page.url
    first_date = page.locator("form.section-form input[type=date]").first.get_attribute("id")
    keys.error_summary_leads_to(str(first_date))
    type_date(keys, DECIDED)
    answer_section(keys, minutes)
    seen = 1
    while section.search(page.url):
        assert page.locator("#error-summary").count() == 0, page.inner_text("main")
        seen += 1
        keys.skip_to_main()
        answer_section(keys, minutes)
    assert seen == 8
    journey.assert_test_summary(page, pk)


def submit(keys: Keyboard, pk: int) -> None:
    page = keys.page
    keys.skip_to_main()
    keys.tab_to_text("Tillbaka till ansökan")
    keys.follow()
    assert page.inner_text("h1") == "Översikt"
    assert page.locator(".part-incomplete").count() == 0, page.inner_text("main")
    keys.tab_to_text("Skicka ansökan", "button")
    keys.follow()
    journey.assert_submitted(page, pk)


def test_an_applicant_applies_with_the_keyboard_alone_and_always_sees_the_focus(
    chromium_path: str, live_server: Any, tmp_path: Path
) -> None:
    pytest.importorskip("playwright.sync_api")
    started = time.monotonic()
    minutes = journey.minutes_file(tmp_path)
    with journey.chromium(chromium_path) as browser:
        page, errors = journey.new_page(browser, locale="sv-SE")
        keys = Keyboard(page)
        # Picking a file is the operating system's dialog, not the page's: Playwright answers it.
        # A handler for the whole run keeps the dialog intercepted (expect_file_chooser() turns
        # interception off and on, and a Space pressed in between opens nothing).
        page.on("filechooser", lambda chooser: chooser.set_files(str(minutes)))
        sign_in(keys, live_server.url)
        pk = start_application(keys)
        fill_organisation(keys)
        fill_contacts(keys)
        answer_test(keys, pk, minutes)
        submit(keys, pk)
        assert errors == []
    assert keys.invisible == [], "\n".join(keys.invisible)
    assert keys.skipped >= 4  # the skip link was used, not only bypassed by #main
    assert keys.stops > 100  # the focus was checked at every stop, not on a few
    assert time.monotonic() - started < 60
    assert Application.objects.get(pk=pk).status == Status.SUBMITTED
