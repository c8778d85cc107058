"""WCAG 2.1 AA on every page an applicant meets, checked by axe-core in Chromium, with screenshots.

Each page, in each state the applicant can see it in (empty, with errors, filled, read-only,
every status), is checked at once for:

- axe-core (node_modules/axe-core, pinned in package.json) with the WCAG 2.0/2.1 A and AA rules,
  plus axe's rules for one h1 per page and heading order, which WCAG 1.3.1 needs but axe files
  under "best practice"; 0 violations;
- reflow (WCAG 1.4.10): at 200 % zoom of a 1280 px screen, a 640 CSS px wide viewport, and at a
  375 px phone, nothing scrolls sideways;
- full-page screenshots at phone (375×812) and desktop (1280×900) width, left for a reviewer in
  $KLIMAT_E2E_ARTIFACTS/screenshots (var/e2e-artifacts by default) as <page>-<width>.png.

A test collects every page's problems and fails once, listing them all. The pages' states are
built through the app itself (the browser, the test client, tests/factories.py) on the live
server. axe is added as a script tag; the site's CSP (script-src 'self') would block that inline
script, so the contexts bypass CSP, as Playwright provides for test injection.
"""

from __future__ import annotations

import datetime
import re
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.core import mail
from django.core.files.base import ContentFile
from django.test import Client

from applications.models import Application, OfferLetter, Organisation, Status, Track
from tests.applications.conftest import PDF, fill_in, start
from tests.applications.test_journey_whole import answer_the_whole_test
from tests.conftest import service_missing
from tests.e2e.conftest import PROJECT_ROOT
from tests.e2e.journey import EMAIL, LINK_IN_MAIL
from tests.factories import set_status

pytestmark = [pytest.mark.e2e, pytest.mark.services, pytest.mark.django_db(transaction=True)]

AXE_SCRIPT = PROJECT_ROOT / "node_modules" / "axe-core" / "axe.min.js"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
# Best-practice rules in axe that stand for WCAG 1.3.1 and 2.4.6 here: a page says what it is in
# one h1, and its headings do not skip levels.
EXTRA_RULES = ["page-has-heading-one", "heading-order"]
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 375, "height": 812}
# 200 % zoom on a 1280 px wide screen lays the page out in 640 CSS px (WCAG 1.4.10 asks for
# 320 at 400 %); the device pixel ratio does not change the layout, so the width is what counts.
ZOOMED = {"width": 640, "height": 900}
LOCALES = {"sv": "sv-SE", "en": "en-GB"}
# The buttons that send each form, in any language.
ONLY_FORM = "main form[method=post] button[type=submit]"
NEXT_PART = "main button[name=go][value=next]"
NEXT_SECTION = "main button[name=action][value=next]"

RUN_AXE = """async ({tags, extra}) => {
  const rules = Object.fromEntries(extra.map((id) => [id, {enabled: true}]));
  const results = await axe.run(document, {runOnly: {type: "tag", values: tags}, rules, resultTypes: ["violations"]});
  return results.violations.map((v) => ({
    id: v.id, impact: v.impact, help: v.help, url: v.helpUrl,
    targets: v.nodes.map((n) => n.target.join(" ")),
    summary: v.nodes.length ? v.nodes[0].failureSummary : "",
  }));
}"""

# The widest elements that stick out to the right, to say what makes the page scroll sideways.
OVERFLOW = """() => {
  const root = document.documentElement;
  if (root.scrollWidth <= root.clientWidth) return null;
  const wide = [...document.body.querySelectorAll("*")]
    .filter((el) => el.getBoundingClientRect().right > root.clientWidth)
    .map((el) => el.tagName.toLowerCase() + (el.id ? "#" + el.id : "") +
      (el.classList.length ? "." + [...el.classList].join(".") : ""));
  return {scrollWidth: root.scrollWidth, clientWidth: root.clientWidth, elements: wide.slice(0, 5)};
}"""


@pytest.fixture(scope="module", autouse=True)
def _axe_installed() -> None:
    if not AXE_SCRIPT.exists():
        service_missing(f"axe-core is not installed at {AXE_SCRIPT}: run `make test-deps` (npm ci)")


class Audit:
    """Checks pages as the test walks through them; `report()` lists every problem found."""

    def __init__(self, page: Any, base: str, artifacts: Path, language: str, *, everything: bool) -> None:
        self.page = page
        self.everything = everything  # False: skip the checks marked `full_only`
        self.base = base
        self.screenshots = artifacts / "screenshots"
        self.screenshots.mkdir(parents=True, exist_ok=True)
        self.prefix = "" if language == "sv" else "/en"
        self.language = language
        self.problems: list[str] = []
        self.checked: list[str] = []

    def url(self, path: str) -> str:
        return f"{self.base}{self.prefix}{path}"

    def visit(self, name: str, path: str, *, status: int = 200, full_only: bool = False) -> None:
        if full_only and not self.everything:
            return
        response = self.page.goto(self.url(path))
        assert response is not None and response.status == status, (name, path, response and response.status)
        self.check(name)

    def check(self, name: str, *, full_only: bool = False) -> None:
        """The page as it is now: axe, sideways scrolling, screenshots."""
        if full_only and not self.everything:
            return
        page = self.page
        name = f"{name}-{self.language}"
        assert name not in self.checked, f"two pages named {name}"
        self.checked.append(name)
        lang = page.evaluate("document.documentElement.lang")
        if lang != self.language:
            self.problems.append(f"{name} ({page.url}): <html lang={lang!r}>, not {self.language!r}")
        page.add_script_tag(path=str(AXE_SCRIPT))
        for violation in page.evaluate(RUN_AXE, {"tags": WCAG_TAGS, "extra": EXTRA_RULES}):
            targets = ", ".join(violation["targets"][:4])
            more = len(violation["targets"]) - 4
            self.problems.append(
                f"{name} ({page.url}): {violation['id']} [{violation['impact']}] {violation['help']}\n"
                f"    at {targets}{f' and {more} more' if more > 0 else ''}\n"
                f"    {violation['summary'].strip().replace(chr(10), ' ')}\n    {violation['url']}"
            )
        page.screenshot(path=str(self.screenshots / f"{name}-{DESKTOP['width']}.png"), full_page=True)
        for size in (ZOOMED, PHONE):
            page.set_viewport_size(size)
            overflow = page.evaluate(OVERFLOW)
            if overflow:
                self.problems.append(f"{name}: scrolls sideways at {size['width']} px wide: {overflow}")
        page.screenshot(path=str(self.screenshots / f"{name}-{PHONE['width']}.png"), full_page=True)
        page.set_viewport_size(DESKTOP)

    def report(self) -> str:
        return f"{len(self.problems)} problem(s) on {len(self.checked)} pages:\n" + "\n".join(self.problems)


def new_page(context: Any) -> Any:
    page = context.new_page()
    page.set_default_timeout(10_000)
    return page


def new_context(browser: Any, language: str) -> Any:
    """A desktop-sized context in the run's locale (date and file inputs follow it), CSP bypassed."""
    return browser.new_context(viewport=DESKTOP, bypass_csp=True, locale=LOCALES[language])


def press(page: Any, button: str) -> None:
    """Press a submit button (a CSS selector) and wait for the page it leads to."""
    with page.expect_navigation():
        page.click(button)


def public_pages(audit: Audit) -> None:
    """The pages anyone can read, the fee calculator with a result and with errors, and a 404."""
    for name, path in [
        ("home", "/"),
        ("membership", "/medlemskap/"),
        ("how-to-apply", "/sa-ansoker-ni/"),
        ("observer", "/observatorskap/"),
        ("testimonials", "/roster-fran-medlemmar/"),
        ("accessibility", "/tillganglighet/"),
        ("fees", "/avgifter/"),
        ("fees-result", "/avgifter/?organisation=0180&year=2024"),
        ("fees-error", "/avgifter/?year=1800&kind=municipality&inhabitants=m%C3%A5nga"),
        ("signin-invalid-link", "/logga-in/not-a-real-token/"),
    ]:
        audit.visit(name, path)
    audit.visit("not-found", "/finns-inte/", status=404)
    audit.visit("contact", "/kontakt/")
    press(audit.page, ONLY_FORM)  # sent empty
    audit.check("contact-errors")


def sign_in_by_link(audit: Audit) -> None:
    """The sign-in pages in the order a new applicant meets them, ending on the empty dashboard."""
    page = audit.page
    audit.visit("signin", "/logga-in/")
    page.fill("#id_email", "inte en adress")
    press(page, ONLY_FORM)
    audit.check("signin-errors")
    page.fill("#id_email", EMAIL)
    press(page, ONLY_FORM)
    audit.check("signin-sent")
    match = LINK_IN_MAIL.search(str(mail.outbox[-1].body))
    assert match, mail.outbox[-1].body
    page.goto(audit.base + match.group(1))
    audit.check("signin-confirm")
    press(page, ONLY_FORM)
    assert page.url.endswith(f"{audit.prefix}/ansokan/"), page.url
    audit.check("dashboard-empty")


def answer_in_full(application: Application, user: User) -> None:
    """Organisation, contact persons and the whole test answered, through the test client."""
    fill_in(application)
    Application.objects.filter(pk=application.pk).update(official_name=application.organisation.name)
    client = Client()
    client.force_login(user)
    answer_the_whole_test(client, application)


def section_slugs(page: Any, pk: int) -> list[str]:
    """The test's sections as its progress list links them, in order."""
    paths = page.eval_on_selector_all(".test-progress a", "links => links.map((a) => a.pathname)")
    return [m.group(1) for path in paths if (m := re.search(rf"/test/{pk}/(?!summary/)([a-z0-9-]+)/$", path))]


def draft_pages(audit: Audit) -> Application:
    """Start an application for Stockholm and meet each part empty and with errors."""
    page = audit.page
    audit.visit("start", "/ansokan/ny/", full_only=True)
    audit.visit("start-results", "/ansokan/ny/?q=Stockholm")
    press(page, "main form.start-form button[type=submit]")  # no municipality chosen
    audit.check("start-errors", full_only=True)
    page.check("#org-0180")
    press(page, "main form.start-form button[type=submit]")
    application = Application.objects.get(organisation__code="0180")
    pk = application.pk
    audit.check("organisation", full_only=True)
    page.fill("#id_org_number", "123")
    page.fill("#id_postal_code", "abc")
    press(page, NEXT_PART)
    audit.check("organisation-errors")
    page.goto(audit.url(f"/ansokan/{pk}/kontaktpersoner/"))
    audit.check("contacts", full_only=True)
    page.fill("#id_elected-email", "inte en adress")
    press(page, NEXT_PART)
    audit.check("contacts-errors")
    audit.visit("summary-missing", f"/ansokan/{pk}/sammanfattning/")
    press(page, "main form.submit-form button[type=submit]")
    audit.check("submit-errors", full_only=True)

    page.goto(audit.url(f"/test/{pk}/summary/"))
    audit.check("test-summary-missing", full_only=True)
    slugs = section_slugs(page, pk)
    assert len(slugs) == 8, slugs
    for slug in slugs if audit.everything else slugs[:1]:
        audit.visit(f"section-{slug}-empty", f"/test/{pk}/{slug}/")
    audit.visit("section-missing-answers", f"/test/{pk}/{slugs[0]}/?check=1", full_only=True)
    page.goto(audit.url(f"/test/{pk}/{slugs[1]}/"))  # its number and link questions
    page.locator("input[inputmode=decimal]").first.fill("många")
    page.locator("input[type=url]:not([name$='_link'])").first.fill("inte en länk")
    press(page, NEXT_SECTION)
    audit.check("section-wrong-answers")
    return application


def submitted_pages(audit: Audit, application: Application) -> None:
    """The same application complete, submitted, offered with a letter, and a member."""
    page = audit.page
    pk = application.pk
    slugs = section_slugs(page, pk)
    for slug in slugs if audit.everything else slugs[-1:]:
        audit.visit(f"section-{slug}-filled", f"/test/{pk}/{slug}/")
    audit.visit("test-summary-complete", f"/test/{pk}/summary/")
    page.goto(audit.url(f"/ansokan/{pk}/sammanfattning/"))
    audit.check("summary-complete", full_only=True)
    press(page, "main form.submit-form button[type=submit]")
    audit.check("status-submitted")
    audit.visit("section-read-only", f"/test/{pk}/{slugs[3]}/", full_only=True)
    audit.visit("organisation-read-only", f"/ansokan/{pk}/organisation/", full_only=True)

    set_status(application, Status.OFFERED, offered_at=datetime.datetime.now(datetime.UTC))
    letter = OfferLetter.objects.create(application=application, language=audit.language)
    letter.pdf.save("erbjudande.pdf", ContentFile(PDF))
    audit.visit("status-offered", f"/ansokan/{pk}/status/")
    press(page, ONLY_FORM)
    audit.check("joining-decision-errors")
    set_status(application, Status.MEMBER, member_since=datetime.date(2026, 5, 4))
    audit.visit("status-member", f"/ansokan/{pk}/status/", full_only=True)


def other_applications(audit: Audit, user: User) -> None:
    """A region's test, and an application for observer status from draft to observer."""
    page = audit.page
    if audit.everything:
        body = Organisation.objects.regions().first()
        assert body is not None
        regional = start(user, body.code)
        audit.visit("region-test-summary", f"/test/{regional.pk}/summary/")
        for slug in section_slugs(page, regional.pk):
            audit.visit(f"region-section-{slug}-empty", f"/test/{regional.pk}/{slug}/")
    observer = start(user, "2422", track=Track.OBSERVER)
    page.goto(audit.url(f"/ansokan/{observer.pk}/observatorskap/"))
    audit.check("observer-reason", full_only=True)
    press(page, NEXT_PART)
    audit.check("observer-reason-errors")
    set_status(observer, Status.OBSERVER, observer_until=datetime.date(2027, 5, 4))
    audit.visit("status-observer", f"/ansokan/{observer.pk}/status/")
    audit.visit("dashboard", "/ansokan/")


@pytest.mark.parametrize("language", ["sv", "en"])
def test_every_page_an_applicant_meets_has_no_wcag_aa_violations(browser, live_server, e2e_artifacts, language):
    """Every page and state in Swedish; in English the main ones: each page once, with errors where it has a form."""
    context = new_context(browser, language)
    audit = Audit(new_page(context), live_server.url, e2e_artifacts, language, everything=language == "sv")
    public_pages(audit)
    sign_in_by_link(audit)
    application = draft_pages(audit)
    user = User.objects.get(username=EMAIL)
    answer_in_full(application, user)
    submitted_pages(audit, application)
    other_applications(audit, user)
    context.close()
    assert not audit.problems, audit.report()
