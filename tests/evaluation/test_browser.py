"""The test in a real browser: autosave while answering, and the same pages with JavaScript off.

The live server needs committed data, and the flush after each transactional test takes the
migrations' data with it, so each test loads the reference table and the banks again.
"""

import re

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command
from django.test import Client

from applications.models import Organisation
from applications.workflow import start_application
from evaluation.models import Answer

from .conftest import question

pytestmark = [pytest.mark.e2e, pytest.mark.services, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def data(transactional_db):
    call_command("load_reference_data", verbosity=0)
    call_command("load_question_banks", verbosity=0)


def signed_in_page(browser, live_server, *, javascript: bool):
    user = User.objects.create(username="strateg@kommun.se", email="strateg@kommun.se")
    application = start_application(organisation=Organisation.objects.get(code="2482"), by=user, language="sv")
    client = Client()
    client.force_login(user)
    context = browser.new_context(java_script_enabled=javascript)
    context.add_cookies([{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}])
    page = context.new_page()
    problems = []
    page.on("pageerror", lambda error: problems.append(str(error)))

    def console(message):
        # The site has no favicon yet (not this app's): that 404 is not the test's concern.
        if message.type == "error" and "favicon.ico" not in str(message.location):
            problems.append(f"{message.text} {message.location}")

    page.on("console", console)
    return application, page, problems


def test_answers_are_autosaved_while_answering_and_kept_on_reload(browser, live_server):
    from playwright.sync_api import expect

    application, page, problems = signed_in_page(browser, live_server, javascript=True)
    section = f"{live_server.url}/test/{application.pk}/organisation-forankring/"
    page.goto(section)
    two_points = question("2.1").options.get(points=2)
    page.check(f"#id_q{question('2.1').pk}_2")
    expect(page.locator("[data-autosave-status]")).to_have_text(re.compile(r"Sparat \d\d:\d\d"))
    assert Answer.objects.get(question=question("2.1")).option == two_points

    page.click(f"#id_q{question('2.2').pk}_0")  # Ja
    page.locator("details summary").first.click()
    page.fill(f"#id_q{question('2.1').pk}_comment", "Halvtid sedan 2022")
    expect(page.locator("[data-autosave-status]")).to_have_text(re.compile(r"Sparat \d\d:\d\d"))
    page.wait_for_timeout(2000)  # the comment's own autosave
    page.reload()
    assert page.is_checked(f"#id_q{question('2.1').pk}_2") and page.is_checked(f"#id_q{question('2.2').pk}_0")
    assert page.input_value(f"#id_q{question('2.1').pk}_comment") == "Halvtid sedan 2022"
    assert problems == []


def test_the_error_summary_takes_the_focus(browser, live_server):
    application, page, problems = signed_in_page(browser, live_server, javascript=True)
    page.goto(f"{live_server.url}/test/{application.pk}/summary/")
    page.click("text=Kontrollera mina svar")
    page.wait_for_selector("#error-summary")
    assert page.evaluate("document.activeElement.id") == "error-summary"
    page.click("#error-summary a >> nth=0")
    assert page.evaluate("document.activeElement.id") == f"id_q{question('G1').pk}_0"
    assert problems == []


def test_without_javascript_the_buttons_save_and_move_on(browser, live_server):
    application, page, _problems = signed_in_page(browser, live_server, javascript=False)
    page.goto(f"{live_server.url}/test/{application.pk}/transporter/")
    page.check(f"#id_q{question('3.2').pk}_3")
    page.click("text=Spara och fortsätt")
    assert page.url.endswith(f"/test/{application.pk}/energi/")
    assert "Steg 5 av 8" in page.content()
    page.click("text=Spara och gå tillbaka")
    assert page.url.endswith(f"/test/{application.pk}/transporter/")
    assert page.is_checked(f"#id_q{question('3.2').pk}_3")
    assert Answer.objects.get(question=question("3.2")).option.points == 3
