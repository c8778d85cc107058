"""Walking the test in the browser: saving, resuming, navigation, the check, access, read-only."""

import re
from html import unescape

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation

from applications.models import Status
from evaluation.models import Answer, Section
from evaluation.services import MISSING_MESSAGES
from tests.factories import set_status

from .conftest import question

pytestmark = pytest.mark.django_db


def url(application, slug: str, language: str = "sv") -> str:
    with translation.override(language):
        return reverse("evaluation:section", args=[application.pk, slug])


def summary_url(application, language: str = "sv") -> str:
    with translation.override(language):
        return reverse("evaluation:summary", args=[application.pk])


def option_pk(code: str, points: int) -> str:
    return str(question(code).options.get(points=points).pk)


def section_two_answers(**extra) -> dict:
    """Organisation och förankring: 2.1 two points, 2.2 yes, 2.3 "Vet ej", 2.4 "Ej tillämpligt"."""
    data = {
        f"q{question('2.1').pk}": option_pk("2.1", 2),
        f"q{question('2.2').pk}": option_pk("2.2", 1),
        f"q{question('2.3').pk}": "dk",
        f"q{question('2.4').pk}": "na",
        f"q{question('2.1').pk}_comment": "Klimatstrateg på heltid sedan 2021.",
    }
    data.update(extra)
    return data


def checked(html: str, value: str) -> bool:
    return re.search(rf'value="{re.escape(value)}"[^>]*checked', html) is not None


def test_answers_are_saved_and_found_again_in_a_new_session(logged_in, applicant, application):
    response = logged_in.post(url(application, "organisation-forankring"), {**section_two_answers(), "action": "next"})
    assert response.status_code == 302
    assert response["Location"] == url(application, "transporter")
    logged_in.logout()

    elsewhere = Client()  # another device: a new session, nothing kept in the old one
    elsewhere.force_login(applicant)
    html = elsewhere.get(url(application, "organisation-forankring")).content.decode()
    assert checked(html, option_pk("2.1", 2))
    assert checked(html, option_pk("2.2", 1))
    assert re.search(rf'name="q{question("2.3").pk}" value="dk"[^>]*checked', html)
    assert re.search(rf'name="q{question("2.4").pk}" value="na"[^>]*checked', html)
    assert "Klimatstrateg på heltid sedan 2021." in html


def test_moving_back_and_forth_keeps_every_answer(logged_in, application):
    transport = {f"q{question('3.2').pk}": option_pk("3.2", 3)}
    logged_in.post(url(application, "organisation-forankring"), {**section_two_answers(), "action": "next"})
    response = logged_in.post(url(application, "transporter"), {**transport, "action": "previous"})
    assert response["Location"] == url(application, "organisation-forankring")
    # Back on section two, going forward again without changing anything.
    page = logged_in.get(url(application, "organisation-forankring")).content.decode()
    assert checked(page, option_pk("2.1", 2))
    assert checked(logged_in.get(url(application, "transporter")).content.decode(), option_pk("3.2", 3))
    assert Answer.objects.filter(response__application=application).exclude(option=None).count() == 3


def test_save_stays_on_the_page_and_says_so(logged_in, application):
    response = logged_in.post(
        url(application, "organisation-forankring"), {**section_two_answers(), "action": "save"}, follow=True
    )
    assert response.redirect_chain[-1][0] == url(application, "organisation-forankring")
    assert "Era svar är sparade." in response.content.decode()


def test_the_last_section_leads_to_the_summary(logged_in, application):
    response = logged_in.post(url(application, "kommunikation-samarbete"), {"action": "next"})
    assert response["Location"] == summary_url(application)


def test_the_page_shows_the_step_and_which_sections_are_done(logged_in, application):
    logged_in.post(url(application, "organisation-forankring"), section_two_answers())
    html = logged_in.get(url(application, "transporter")).content.decode()
    assert "Steg 4 av 8" in html
    assert re.search(
        r'organisation-forankring/">Organisation och förankring</a>\s*<span class="badge text-bg-success', html
    )
    assert re.search(r'aria-current="step"[^>]*>Transporter</a>\s*<span class="badge text-bg-light', html)


def test_the_english_page_shows_the_english_text(logged_in, application):
    html = unescape(logged_in.get(url(application, "transporter", "en")).content.decode())
    assert "Step 4 of 8" in html
    assert "What share of the municipality's cars and light vans run fossil-free?" in html
    assert "Don't know" in html


def test_autosave_answers_json_and_stores_the_answers(logged_in, application):
    response = logged_in.post(
        url(application, "organisation-forankring"), section_two_answers(), headers={"X-Autosave": "1"}
    )
    assert response.status_code == 200
    body = response.json()
    assert body["saved"] is True and re.fullmatch(r"Sparat \d\d:\d\d", body["message"])
    assert Answer.objects.get(question=question("2.1")).option.points == 2


def test_autosave_in_english_says_saved(logged_in, application):
    response = logged_in.post(
        url(application, "organisation-forankring", "en"), section_two_answers(), headers={"X-Autosave": "1"}
    )
    assert re.fullmatch(r"Saved \d\d:\d\d", response.json()["message"])


def test_bad_input_saves_nothing_and_says_what_is_wrong(logged_in, application):
    link = question("1.9")
    data = {
        f"q{question('1.1').pk}": option_pk("1.1", 2),
        f"q{link.pk}": "inte en länk",
        f"q{question('1.8').pk}": "tolv",
    }
    response = logged_in.post(url(application, "mal-atgarder-uppfoljning"), {**data, "action": "next"})
    html = response.content.decode()
    assert response.status_code == 200
    assert 'role="alert"' in html and f'href="#id_q{link.pk}"' in html
    assert "Ange ett tal, till exempel 12 345 eller 12,5." in html
    assert f'id="q{link.pk}-error"' in html and f'aria-describedby="q{link.pk}-hint q{link.pk}-error"' in html
    assert not Answer.objects.filter(response__application=application).exists()
    autosaved = logged_in.post(url(application, "mal-atgarder-uppfoljning"), data, headers={"X-Autosave": "1"})
    assert autosaved.status_code == 400 and autosaved.json()["saved"] is False


def test_numbers_are_read_the_swedish_way(logged_in, application):
    logged_in.post(url(application, "mal-atgarder-uppfoljning"), {f"q{question('1.8').pk}": "12 345,5"})
    assert str(Answer.objects.get(question=question("1.8")).value_number) == "12345.50"
    assert 'value="12345,5"' in logged_in.get(url(application, "mal-atgarder-uppfoljning")).content.decode()


def test_a_decision_taken_cannot_be_dated_in_the_future(logged_in, application):
    g1 = question("G1")
    response = logged_in.post(url(application, "baskrav"), {f"q{g1.pk}": "yes", f"q{g1.pk}_date": "2999-01-01"})
    assert "Ett beslut som redan är fattat kan inte ha ett datum i framtiden." in response.content.decode()


@pytest.mark.parametrize(
    ("language", "summary_text", "field_text"),
    [
        ("sv", "Några obligatoriska svar saknas", "Svara på frågan."),
        ("en", "Some required answers are missing", "Answer this question."),
    ],
)
def test_the_check_sends_the_applicant_to_the_missing_answer_with_the_error_next_to_it(
    logged_in, application, language, summary_text, field_text
):
    response = logged_in.post(summary_url(application, language))
    g1 = question("G1")
    assert response.status_code == 302
    assert response["Location"] == f"{url(application, 'baskrav', language)}?check=1"
    page = logged_in.get(response["Location"]).content.decode()
    assert summary_text in page
    summary_box = page[page.index('id="error-summary"') :]
    assert f'<a href="#id_q{g1.pk}_0">G1: {field_text}</a>' in summary_box
    # The message sits in G1's fieldset and the fieldset points to it.
    fieldset = page[page.index(f'aria-describedby="q{g1.pk}-hint q{g1.pk}-error"') :]
    assert fieldset.index(f'id="q{g1.pk}-error"') < fieldset.index("</fieldset>")
    assert field_text in fieldset[: fieldset.index("</fieldset>")]


def test_the_check_points_at_a_decisions_missing_details(logged_in, application):
    g1 = question("G1")
    logged_in.post(url(application, "baskrav"), {f"q{g1.pk}": "yes", f"q{g1.pk}_date": "2024-03-11"})
    html = unescape(logged_in.get(url(application, "baskrav") + "?check=1").content.decode())
    with translation.override("sv"):
        messages = {part: MISSING_MESSAGES[part]() for part in ("body", "reference", "minutes")}
    assert f'<a href="#id_q{g1.pk}_body">G1: {messages["body"]}</a>' in html
    assert f'<a href="#id_q{g1.pk}_ref">G1: {messages["reference"]}</a>' in html
    assert f'<a href="#id_q{g1.pk}_file">G1: {messages["minutes"]}</a>' in html
    assert f"#id_q{g1.pk}_date" not in html


def test_the_summary_lists_what_is_missing_with_links(logged_in, application):
    html = logged_in.get(summary_url(application)).content.decode()
    assert "Vad som saknas" in html
    assert f"{url(application, 'transporter')}?check=1#id_q{question('3.1').pk}_0" in html


def test_the_summary_shows_points_per_section_and_requirement_and_the_dont_knows(logged_in, application):
    logged_in.post(url(application, "organisation-forankring"), section_two_answers())
    html = logged_in.get(summary_url(application)).content.decode()
    assert "Poäng per avsnitt" in html and "Poäng per krav" in html
    assert re.search(
        r"Organisation och förankring</a></th>\s*<td[^>]*>3</td>\s*<td[^>]*>4</td>\s*<td[^>]*>75,0 %", html
    )
    assert "R1 Inventering av utsläppen av växthusgaser" in html
    assert "2.3 Har förtroendevalda och chefer fått utbildning" in html  # the "Vet ej" flag
    assert "Alla baskrav är inte uppfyllda ännu." in html  # the gate is not passed yet


@pytest.mark.parametrize("name", ["evaluation:section", "evaluation:summary", "evaluation:start"])
def test_another_users_application_is_not_found(client, other_user, application, name):
    client.force_login(other_user)
    args = [application.pk, "baskrav"] if name == "evaluation:section" else [application.pk]
    assert client.get(reverse(name, args=args)).status_code == 404
    assert client.post(reverse(name, args=args), section_two_answers()).status_code in {404, 405}
    assert not Answer.objects.exists()


def test_an_unknown_section_is_not_found(logged_in, application):
    assert logged_in.get(url(application, "finns-inte")).status_code == 404


def test_a_regional_application_gets_the_regional_test(logged_in, region_application):
    response = logged_in.get(reverse("evaluation:start", args=[region_application.pk]))
    html = logged_in.get(response["Location"]).content.decode()
    assert "Medlemstest för regioner" in html and "Steg 1 av 5" in html
    assert "Ledarskap, nätverk och samordning" in html


def submitted(application):
    return set_status(application, Status.SUBMITTED)  # set-up only; the portal changes status in workflow.py


def test_a_submitted_application_is_read_only(logged_in, application):
    logged_in.post(url(application, "organisation-forankring"), section_two_answers())
    submitted(application)
    html = logged_in.get(url(application, "organisation-forankring")).content.decode()
    assert "Ansökan är inskickad" in html
    assert re.search(rf'name="q{question("2.1").pk}" value="{option_pk("2.1", 2)}"[^>]*disabled[^>]*checked', html)
    assert 'name="action"' not in html and "autosave.js" not in html
    changed = {f"q{question('2.1').pk}": option_pk("2.1", 0)}
    assert logged_in.post(url(application, "organisation-forankring"), changed).status_code == 302
    assert (
        logged_in.post(url(application, "organisation-forankring"), changed, headers={"X-Autosave": "1"}).status_code
        == 403
    )
    assert Answer.objects.get(question=question("2.1")).option.points == 2


def test_after_a_completion_request_only_the_reopened_sections_can_be_changed(logged_in, application):
    set_status(application, Status.COMPLETION_REQUESTED, reopened_parts=["test:transporter"])
    assert (
        logged_in.post(url(application, "transporter"), {f"q{question('3.2').pk}": option_pk("3.2", 3)}).status_code
        == 302
    )
    assert (
        logged_in.post(url(application, "energi"), {f"q{question('4.3').pk}": option_pk("4.3", 2)}).status_code == 302
    )
    assert Answer.objects.filter(question=question("3.2")).exists()
    assert not Answer.objects.filter(question=question("4.3")).exists()
    assert "Kansliet har inte öppnat det här avsnittet" in logged_in.get(url(application, "energi")).content.decode()


def test_sections_for_and_first_section_url(application):
    from evaluation import services

    assert services.first_section_url(application) == url(application, "baskrav")
    sections = services.sections_for(application)
    assert [s.slug for s in sections] == list(
        Section.objects.filter(bank__kind="municipality").order_by("order").values_list("slug", flat=True)
    )
    assert all(not s.complete and s.missing > 0 and s.editable for s in sections)


def test_signed_out_visitors_are_sent_to_sign_in(client, application):
    response = client.get(url(application, "baskrav"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("applications:signin"))
    assert client.post(url(application, "baskrav"), section_two_answers()).status_code == 302
    assert not Answer.objects.exists()


def test_with_every_version_switched_off_the_latest_is_used(logged_in, application):
    from evaluation.models import QuestionBank

    QuestionBank.objects.update(is_active=False)
    assert logged_in.get(url(application, "baskrav")).status_code == 200
