"""The pages the bench measures keep their query counts (bench/README.md explains each figure).

The applications are the bench's own (bench.fixtures: every part filled in through the portal's
forms), so these are the requests `make bench` times. A count that grows fails here first.
"""

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from applications import workflow
from bench import fixtures
from evaluation import scoring, services
from evaluation.models import Answer

pytestmark = pytest.mark.django_db


@pytest.fixture
def draft():
    return fixtures.complete_draft("2422")


def signed_in(application) -> Client:
    client = Client()
    client.force_login(fixtures.applicant(application))
    return client


def bench_section(application):
    """The section the bench measures: the first scored one without decisions or files."""
    return next(
        s
        for s in services.test_state(application).sections
        if not s.is_gate and all(q.answer_type not in (scoring.DECISION, scoring.FILE) for q in s.questions.all())
    )


def test_section_page_get(draft, django_assert_num_queries):
    client, url = signed_in(draft), services.section_url(draft, bench_section(draft).slug)
    client.get(url)  # the process now keeps the bank (evaluation.state.bank_content)
    # session, user, application with its response and bank, contacts, answers
    with django_assert_num_queries(5) as queries:
        assert client.get(url).status_code == 200
    contacts = next(q["sql"] for q in queries.captured_queries if 'FROM "applications_contact"' in q["sql"])
    assert "JOIN" not in contacts  # Contact's ordering sorts by the application's id, not its row


def test_section_page_post_of_saved_answers(draft, django_assert_num_queries):
    section = bench_section(draft)
    data, _files = fixtures.section_data(section, timezone.localdate())
    client, url = signed_in(draft), services.section_url(draft, section.slug)
    client.get(url)
    last_change = draft.evaluation.updated_at
    # the 5 of a GET; the answers are as stored, so no transaction, no lock and no write
    with django_assert_num_queries(5):
        assert client.post(url, {**data, "action": "next"}).status_code == 302
    draft.evaluation.refresh_from_db()
    assert draft.evaluation.updated_at == last_change  # the draft's deletion date does not move


def test_a_changed_answer_is_the_only_one_written(draft, django_assert_num_queries):
    section = bench_section(draft)
    data, _files = fixtures.section_data(section, timezone.localdate())
    question = next(q for q in section.questions.all() if q.answer_type in (scoring.CHOICE, scoring.YES_NO))
    worst = min(question.options.all(), key=lambda option: option.points)
    data[f"q{question.pk}"] = str(worst.pk)
    client, url = signed_in(draft), services.section_url(draft, section.slug)
    client.get(url)
    last_change = draft.evaluation.updated_at
    # the 5 of a GET, then in one transaction: the locked response, the section's answers, the
    # one changed answer's UPDATE and the response's time
    with django_assert_num_queries(5 + 2 + 2 + 1 + 1):
        assert client.post(url, {**data, "action": "next"}).status_code == 302
    assert Answer.objects.get(response__application=draft, question=question).option == worst
    draft.evaluation.refresh_from_db()
    assert draft.evaluation.updated_at > last_change


def test_status_page(draft, django_assert_num_queries):
    workflow.submit_application(application=draft, by=fixtures.applicant(draft))
    client, url = signed_in(draft), reverse("applications:status", args=[draft.pk])
    # session, user, application with its offer letter and joining decision, the history
    with django_assert_num_queries(4):
        assert client.get(url).status_code == 200


def test_submit(draft, django_assert_num_queries):
    client = signed_in(draft)
    services.test_state(draft)
    # The test state is read twice, 2 queries each now that the bank is kept in memory: by the
    # view's check, and once by the submission (the frozen result, the review columns, the receipt
    # and the notice share it: evaluation.state.reading_once). 57 queries under gunicorn before.
    with django_assert_num_queries(28):
        response = client.post(reverse("applications:submit", args=[draft.pk]))
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.status == "submitted"
