"""The secretariat edits banks in the admin; answers are read-only; the changelists stay cheap."""

import pytest
from django.urls import reverse

from applications.models import Organisation
from applications.workflow import start_application
from evaluation.models import Question, QuestionBank, Response, Section

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("model", ["questionbank", "section", "question", "response"])
def test_changelists_load(admin_client, model):
    assert admin_client.get(reverse(f"admin:evaluation_{model}_changelist")).status_code == 200


def test_a_bank_and_its_sections_and_questions_can_be_edited(admin_client):
    bank = QuestionBank.objects.active_for("municipality")
    section = bank.sections.get(slug="energi")
    q = section.questions.first()
    for url in (
        reverse("admin:evaluation_questionbank_change", args=[bank.pk]),
        reverse("admin:evaluation_section_change", args=[section.pk]),
        reverse("admin:evaluation_question_change", args=[q.pk]),
    ):
        assert admin_client.get(url).status_code == 200
    html = admin_client.get(reverse("admin:evaluation_section_changelist")).content.decode()
    assert "Samhällsplanering och byggande" in html


def test_the_response_changelist_query_count_does_not_grow_with_rows(
    admin_client, admin_user, django_assert_max_num_queries
):
    bank = QuestionBank.objects.active_for("municipality")
    for organisation in Organisation.objects.municipalities()[:15]:
        application = start_application(organisation=organisation, by=admin_user, language="sv")
        Response.objects.create(application=application, bank=bank)
    with django_assert_max_num_queries(12):
        assert admin_client.get(reverse("admin:evaluation_response_changelist")).status_code == 200


def test_the_section_changelist_shows_the_questions_sum_beside_the_max(admin_client, django_assert_max_num_queries):
    with django_assert_max_num_queries(12):
        html = admin_client.get(reverse("admin:evaluation_section_changelist")).content.decode()
    assert Section.objects.count() == 13 and Question.objects.count() > 60
    assert "Transporter" in html
