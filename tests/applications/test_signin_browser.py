"""Sign-in by link in a real browser, with JavaScript and without.

A browser sends headers the test client does not (Origin, Referer under the page's
Referrer-Policy), so the CSRF check on the confirm button is only really tested here.
"""

import re

import pytest
from django.core import mail

pytestmark = [pytest.mark.e2e, pytest.mark.services, pytest.mark.django_db(transaction=True)]

PATH_IN_MAIL = re.compile(r"https?://[^/\s]+(/(?:en/)?logga-in/[A-Za-z0-9_-]+/)")


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])
def test_applicant_signs_in_with_the_emailed_link(browser, live_server, javascript):
    context = browser.new_context(java_script_enabled=javascript)
    page = context.new_page()
    page.goto(f"{live_server.url}/logga-in/?next=/medlemskap/")
    page.fill("#id_email", "Klimat.Strateg@Exempel.se")
    page.click("main button[type=submit]")
    assert page.inner_text("h1") == "Kolla din inkorg"

    link = PATH_IN_MAIL.search(mail.outbox[-1].body).group(1)
    page.goto(live_server.url + link)
    assert page.inner_text("h1") == "Logga in hos Klimatkommunerna"
    page.click("main button[type=submit]")
    assert page.url == f"{live_server.url}/medlemskap/"
    assert "Logga ut" in page.inner_text("header")

    # The same link a second time only explains itself.
    page.goto(live_server.url + link)
    assert page.inner_text("h1") == "Länken kan inte användas"

    page.click("header form button:has-text('Logga ut')")
    assert "Du är utloggad" in page.inner_text("main")
    context.close()


def test_outdated_browser_notice_shows_and_can_be_closed(browser, live_server):
    modern = browser.new_page()
    modern.goto(live_server.url + "/")
    assert not modern.is_visible("#browser-notice")
    modern.close()

    context = browser.new_context()
    context.add_init_script("delete HTMLScriptElement.prototype.noModule")  # as in a pre-2018 browser
    page = context.new_page()
    page.goto(live_server.url + "/")
    assert page.is_visible("#browser-notice")
    assert page.is_visible("main h1")  # it blocks nothing
    page.click("[data-dismiss-notice]")
    assert not page.is_visible("#browser-notice")
    page.goto(live_server.url + "/medlemskap/")
    assert not page.is_visible("#browser-notice")  # closed for the rest of the visit
    context.close()
