"""A bank's content is read once per process, and never shown stale after an edit or a new version."""

import pytest
from django.db.models import F
from django.urls import reverse

from evaluation import services
from evaluation.models import Question, QuestionBank

from .conftest import question

pytestmark = pytest.mark.django_db


def section_url(application, slug: str = "organisation-forankring") -> str:
    return reverse("evaluation:section", args=[application.pk, slug])


def test_a_second_read_of_the_state_does_not_read_the_bank_again(application, django_assert_num_queries):
    services.test_state(application)
    with django_assert_num_queries(2):  # no response yet, the active bank; its content is kept
        state = services.test_state(application)
    assert [q.code for q in state.section("organisation-forankring").questions.all()] == ["2.1", "2.2", "2.3", "2.4"]


def test_with_a_response_the_state_is_two_queries(logged_in, application, django_assert_num_queries):
    q = question("2.1")
    option = q.options.get(points=2)
    logged_in.post(section_url(application), {f"q{q.pk}": str(option.pk), "action": "save"})
    with django_assert_num_queries(2):  # the response with its bank, the answers
        state = services.test_state(application)
        assert state.answers[q.pk].option.label == option.label  # attached from memory: no query


def admin_question_data(q: Question, **changes: str) -> dict[str, str]:
    """The admin's change form for a question and its options, as the browser would send it."""
    options = list(q.options.all())
    data = {
        "section": str(q.section_id),
        "order": str(q.order),
        "code": q.code,
        "text_sv": q.text_sv,
        "text_en": q.text_en,
        "guidance_sv": q.guidance_sv,
        "guidance_en": q.guidance_en,
        "answer_type": q.answer_type,
        "requirement": q.requirement,
        "options-TOTAL_FORMS": str(len(options)),
        "options-INITIAL_FORMS": str(len(options)),
        "options-MIN_NUM_FORMS": "0",
        "options-MAX_NUM_FORMS": "1000",
    }
    data.update({"required": "on"} if q.required else {})
    data.update({"allows_dont_know": "on"} if q.allows_dont_know else {})
    data.update({"allows_not_applicable": "on"} if q.allows_not_applicable else {})
    for i, option in enumerate(options):
        data.update(
            {
                f"options-{i}-id": str(option.pk),
                f"options-{i}-question": str(q.pk),
                f"options-{i}-order": str(option.order),
                f"options-{i}-label_sv": option.label_sv,
                f"options-{i}-label_en": option.label_en,
                f"options-{i}-points": str(option.points),
            }
        )
    data.update(changes)
    return data


def test_an_edit_in_the_admin_shows_on_the_next_page(logged_in, application, admin_client):
    assert "Har kommunen en klimatstrateg" not in logged_in.get(section_url(application)).content.decode()
    q = question("2.1")
    revision = QuestionBank.objects.get(pk=q.section.bank_id).revision
    data = admin_question_data(q, text_sv="Har kommunen en klimatstrateg?", **{"options-0-label_sv": "Inte alls"})
    response = admin_client.post(reverse("admin:evaluation_question_change", args=[q.pk]), data)
    assert response.status_code == 302, response.content.decode()[:2000]

    html = logged_in.get(section_url(application)).content.decode()
    assert "Har kommunen en klimatstrateg?" in html
    assert "Inte alls" in html
    assert QuestionBank.objects.get(pk=q.section.bank_id).revision > revision


def test_an_edit_made_in_another_process_is_seen_through_the_revision(logged_in, application):
    """Another gunicorn worker's admin edit: this process's copy is replaced, not forgotten by a call."""
    logged_in.get(section_url(application))  # this process now keeps the bank
    q = question("2.1")
    Question.objects.filter(pk=q.pk).update(text_sv="Ändrad i en annan process")
    assert "Ändrad i en annan process" not in logged_in.get(section_url(application)).content.decode()
    QuestionBank.objects.filter(pk=q.section.bank_id).update(revision=F("revision") + 1)
    assert "Ändrad i en annan process" in logged_in.get(section_url(application)).content.decode()


def test_a_threshold_edit_counts_at_once(application):
    services.test_state(application)
    QuestionBank.objects.filter(kind="municipality").update(offer_threshold=95)
    assert services.test_state(application).spec.offer_threshold == 95


def test_reading_once_shares_the_state_of_one_application_object_within_the_block(
    application, django_assert_num_queries
):
    from applications.models import Application

    services.test_state(application)  # the bank into memory
    with services.reading_once():
        first = services.test_state(application)
        with django_assert_num_queries(0):
            assert services.test_state(application) is first
        # Another object of the same row (a re-read, say under a lock) gets its own read.
        assert services.test_state(Application.objects.get(pk=application.pk)) is not first
    assert services.test_state(application) is not first  # outside the block every call reads


def test_a_submission_freezes_the_answers_it_read(applicant, application):
    """The frozen result, the review columns and the mails of one submit share one read of the
    test: what they report is what was answered when the submit began."""
    from applications.workflow import submit_application
    from tests.factories import add_contacts

    add_contacts(application)
    live = services.result_for(application).total
    submit_application(application=application, by=applicant)
    application.refresh_from_db()
    assert services.result_for(application).total == live
    assert application.score_percent == live.percent


def test_an_edit_made_outside_the_admin_raises_the_revision_and_shows(logged_in, application):
    """A shell or a script saving a question: no restart needed, in this process or another."""
    logged_in.get(section_url(application))  # this process now keeps the bank
    q = question("2.1")
    revision = QuestionBank.objects.get(pk=q.section.bank_id).revision
    q.text_sv = "Ändrad från ett skript"
    q.save()
    assert QuestionBank.objects.get(pk=q.section.bank_id).revision > revision
    assert "Ändrad från ett skript" in logged_in.get(section_url(application)).content.decode()

    revision = QuestionBank.objects.get(pk=q.section.bank_id).revision
    q.options.order_by("order").last().delete()
    assert QuestionBank.objects.get(pk=q.section.bank_id).revision > revision


def test_loading_a_new_version_leaves_the_other_banks_revisions(application):
    import dataclasses

    from evaluation.bankfile import read_bank_file, shipped_bank_files
    from evaluation.loading import BankModels, install_bank

    before = dict(QuestionBank.objects.values_list("pk", "revision"))
    shipped = read_bank_file(next(p for p in shipped_bank_files() if p.name.startswith("municipality")))
    newer = dataclasses.replace(shipped, data={**shipped.data, "version": shipped.version + 1}, sha256="ny")
    bank, created = install_bank(newer, BankModels.real(), activate=False)
    assert created and bank.sections.count() == len(shipped.data["sections"])
    assert dict(QuestionBank.objects.exclude(pk=bank.pk).values_list("pk", "revision")) == before
