"""The start page in a real browser: search as you type with JavaScript, the same form without it.

Transactional: the live server needs committed data (tests/conftest.py reloads what a flush
removes before each such test).
"""

import pytest
from django.conf import settings
from django.test import Client

from applications.models import Application
from tests.applications.conftest import make_user

pytestmark = [pytest.mark.e2e, pytest.mark.services, pytest.mark.django_db(transaction=True)]


def signed_in_page(browser, live_server, *, javascript: bool):
    client = Client()
    client.force_login(make_user("ingrid.lindqvist@stockholm.se"))
    context = browser.new_context(java_script_enabled=javascript)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
    context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": cookie, "url": live_server.url}])
    return context.new_page()


def test_search_as_you_type_lists_bodies_and_starts_an_application(browser, live_server):
    page = signed_in_page(browser, live_server, javascript=True)
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(f"{live_server.url}/ansokan/ny/")
    page.fill("#id_q", "sorse")  # typed, not submitted
    page.wait_for_selector("#org-2422")
    assert page.text_content("[data-count]") == "1 träff"
    page.click("text=Påbörja ansökan")
    page.wait_for_url("**/organisation/")
    assert Application.objects.get().organisation.code == "2422"
    assert errors == []


def test_what_was_typed_before_the_script_arrived_is_searched(browser, live_server):
    """A slow connection: the applicant types while org-search.js is still on its way."""
    page = signed_in_page(browser, live_server, javascript=True)
    held = []
    page.route("**/js/org-search*.js", lambda route: held.append(route))  # held until let go below
    page.goto(f"{live_server.url}/ansokan/ny/", wait_until="commit")
    page.fill("#id_q", "sorse")
    while not held:
        page.wait_for_timeout(20)
    held[0].continue_()
    page.wait_for_selector("#org-2422")
    assert page.text_content("[data-count]") == "1 träff"


def test_without_javascript_the_search_form_and_the_start_form_work(browser, live_server):
    page = signed_in_page(browser, live_server, javascript=False)
    page.goto(f"{live_server.url}/en/ansokan/ny/")
    page.fill("#id_q", "Skåne")
    page.click("button:has-text('Search')")
    page.check("#org-12")
    page.click("text=Start the application")
    page.wait_for_url("**/organisation/")
    assert Application.objects.get().organisation.code == "12"
