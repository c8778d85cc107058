"""The calculator in a real browser: with JavaScript it updates live; without, the form works.

tests/conftest.py reloads the reference table and the fee decisions that an earlier
transactional test's flush removed. The browser is started
per test, after the database fixtures, and closed before them: while Playwright's sync API is
active its event loop counts as running in this thread, and Django would then hand the test a
different connection. The tests use no ORM while the browser is open; the live server answers
from its own thread.
"""

import pytest

pytestmark = [pytest.mark.e2e, pytest.mark.services, pytest.mark.django_db(transaction=True)]
NBSP = "\u00a0"


@pytest.fixture
def browser(chromium_path, live_server, transactional_db):
    playwright_api = pytest.importorskip("playwright.sync_api")
    with playwright_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium_path, args=["--no-sandbox"])
        yield browser
        browser.close()


def test_choosing_a_body_fills_its_population_and_shows_the_fee_live(browser, live_server):
    from playwright.sync_api import expect

    page = browser.new_page()
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(f"{live_server.url}/avgifter/")
    page.fill("#id_year", "2023")
    page.select_option("#id_organisation", "2422")
    assert page.input_value("#id_inhabitants") == "2535"
    page.wait_for_selector('[data-role="figures"]:not([hidden])')
    assert page.text_content('[data-field="due"]') == f"4{NBSP}761{NBSP}kr"
    assert page.text_content('[data-field="decision"]') == "årsmötets beslut 2023"
    assert "folkmängd 31 december 2016" in page.text_content("#id_inhabitants_reference")

    # Typing a corrected figure for the chosen body recalculates with it.
    page.fill("#id_inhabitants", "3000")
    expect(page.locator('[data-field="due"]')).to_have_text(f"4{NBSP}900{NBSP}kr")
    assert "referenssiffran är 2\u00a0535" in page.text_content('[data-field="body"]')

    # Bad input: the API's message appears in the live region, in the page's language.
    page.fill("#id_inhabitants", "0")
    expect(page.locator('[data-role="error"]')).to_contain_text("större än 0")
    assert "inhabitants=0" in page.url  # the address follows the form
    assert errors == []


def test_english_page_typed_kind_and_inhabitants(browser, live_server):
    page = browser.new_page()
    page.goto(f"{live_server.url}/en/avgifter/?year=2023")
    page.check("#id_kind_municipality")
    page.fill("#id_inhabitants", "1005")
    page.wait_for_selector('[data-role="figures"]:not([hidden])')
    assert page.text_content('[data-field="exact"]') == f"SEK{NBSP}4,301.50"
    assert page.text_content('[data-field="breakdown"]') == (
        f"SEK{NBSP}4,000 + SEK{NBSP}0.30 × 1,005 inhabitants = SEK{NBSP}4,301.50"
    )


def test_without_javascript_the_form_submits_and_the_server_answers(browser, live_server):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(f"{live_server.url}/avgifter/")
    page.fill("#id_year", "2019")
    page.check("#id_kind_region")
    page.fill("#id_inhabitants", "300000")
    with page.expect_navigation():
        page.click("#fee-form button[type=submit]")
    assert page.text_content('[data-field="due"]') == f"34{NBSP}000{NBSP}kr"
    page.fill("#id_inhabitants", "abc")
    with page.expect_navigation():
        page.click("#fee-form button[type=submit]")
    assert "heltal" in page.text_content("#error-summary")
    context.close()
