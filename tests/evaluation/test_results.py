"""Stored results: a submitted test keeps its bank version and score, whatever comes later."""

import pytest
import yaml
from django.core.management import call_command
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from applications.models import Status, Track
from applications.workflow import request_completion, submit_application
from evaluation import scoring, services
from evaluation.bankfile import shipped_bank_files
from evaluation.models import Option, Question, QuestionBank, Response
from tests.factories import add_contacts, set_status

from .conftest import question

pytestmark = pytest.mark.django_db


def answer_everything(client, application, *, points: str = "best") -> None:
    """Post every section of the municipal test with the best (or worst) option everywhere."""
    bank = QuestionBank.objects.active_for("municipality")
    for section in bank.sections.order_by("order"):
        data = {}
        for q in section.questions.prefetch_related("options"):
            if q.answer_type == "decision":
                data.update(
                    {f"q{q.pk}": "yes", f"q{q.pk}_date": "2024-03-11", f"q{q.pk}_body": "kf", f"q{q.pk}_ref": "KF § 42"}
                )
            elif q.is_scored:
                options = sorted(q.options.all(), key=lambda o: o.points)
                data[f"q{q.pk}"] = str((options[-1] if points == "best" else options[0]).pk)
        client.post(reverse("evaluation:section", args=[application.pk, section.slug]), data)


def test_a_draft_has_a_live_result_that_follows_the_answers(logged_in, application):
    assert services.result_for(application).total.points == 0
    logged_in.post(
        reverse("evaluation:section", args=[application.pk, "organisation-forankring"]),
        {f"q{question('2.1').pk}": str(question("2.1").options.get(points=2).pk)},
    )
    result = services.result_for(application)
    assert not result.frozen and result.total.points == 2 and result.total.maximum == 66


def test_submission_freezes_the_score_and_the_bank_version(logged_in, applicant, application):
    add_contacts(application)
    answer_everything(logged_in, application)
    assert submit_application(application=application, by=applicant)
    response = Response.objects.get(application=application)
    assert response.submitted_at is not None
    assert response.result["bank_version"] == 1 and response.result["total"] == {"points": 66, "max": 66}
    result = services.result_for(application)
    assert result.frozen
    # Minutes were not uploaded, so the gate's details are missing but the points are all there.
    assert (result.total.points, result.total.maximum) == (66, 66)
    assert result.result.bank_version == 1


def test_a_later_bank_version_or_an_edit_never_changes_a_frozen_result(logged_in, applicant, application, tmp_path):
    add_contacts(application)
    answer_everything(logged_in, application)
    submit_application(application=application, by=applicant)
    frozen = Response.objects.get(application=application).result

    data = yaml.safe_load(next(p for p in shipped_bank_files() if p.name == "municipality-v1.yaml").read_text())
    data["version"] = 2
    data["thresholds"]["offer"] = 90
    path = tmp_path / "municipality-v2.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True))
    call_command("load_question_banks", str(path))
    # Even an edit of the old version in the admin does not reach the frozen result.
    Option.objects.filter(question__section__bank__version=1, points=3).update(points=1)

    application.refresh_from_db()
    result = services.result_for(application)
    assert result.frozen and result.result.to_dict() == frozen
    assert result.total.points == 66 and result.result.offer_threshold == 60
    assert Response.objects.get(application=application).bank.version == 1


def test_a_new_application_uses_the_active_version_and_an_old_draft_keeps_its_own(logged_in, application, tmp_path):
    logged_in.post(reverse("evaluation:section", args=[application.pk, "transporter"]), {})
    data = yaml.safe_load(next(p for p in shipped_bank_files() if p.name == "municipality-v1.yaml").read_text())
    data["version"] = 2
    path = tmp_path / "municipality-v2.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True))
    call_command("load_question_banks", str(path))
    assert services.test_state(application).bank.version == 1


def test_resubmission_after_completion_freezes_again_on_the_same_version(logged_in, applicant, application, admin_user):
    add_contacts(application)
    answer_everything(logged_in, application, points="worst")
    submit_application(application=application, by=applicant)
    assert services.result_for(application).total.points == 0
    set_status(application, Status.IN_REVIEW)  # set-up: the secretariat took it into review
    request_completion(
        application=application, by=admin_user, message="Komplettera transporter", parts=["test:transporter"]
    )
    application.refresh_from_db()
    t = question("3.2")
    logged_in.post(
        reverse("evaluation:section", args=[application.pk, "transporter"]),
        {f"q{t.pk}": str(t.options.get(points=3).pk)},
    )
    assert not services.result_for(application).frozen  # editable again: the live result
    submit_application(application=application, by=applicant)
    application.refresh_from_db()
    result = services.result_for(application)
    assert result.frozen and result.total.points == 3


def test_observer_applications_freeze_nothing(application):
    application.track = Track.OBSERVER
    application.save(update_fields=["track"])
    services.freeze_result(application)
    assert not Response.objects.exists()


def test_the_advice_is_in_plain_words_in_the_users_language(logged_in, application):
    add_contacts(application)
    answer_everything(logged_in, application)
    with translation.override("en"):
        result = services.result_for(application)
        assert result.gate_passed and result.band == scoring.BAND_OFFER
        assert result.advice.startswith("Your answers reach the level")
        assert result.requirements[0].label == "R1 Inventory of greenhouse gas emissions"


def test_missing_answers_name_the_field_and_link_to_it(application):
    missing = services.missing_answers(application)
    first = missing[0]
    g1 = question("G1")
    assert (first.section, first.code, first.part, first.field_name) == ("baskrav", "G1", "answer", f"q{g1.pk}")
    assert first.url.endswith(f"/test/{application.pk}/baskrav/?check=1#id_q{g1.pk}_0")
    bank = QuestionBank.objects.active_for("municipality")
    required = Question.objects.filter(section__bank=bank, required=True).order_by("section__order", "order")
    assert [m.code for m in missing] == list(required.values_list("code", flat=True))
    assert {"G1", "G4", "1.1", "7.4"} <= {m.code for m in missing} and "1.8" not in {m.code for m in missing}


def test_review_for_shows_every_answer_with_its_points_and_evidence(logged_in, application):
    assert services.review_for(application) is None
    answer_everything(logged_in, application)
    review = services.review_for(application)
    assert [s.title for s in review.sections][1] == "Mål, åtgärder och uppföljning"
    line = next(line for line in review.sections[1].lines if line.code == "1.4")
    assert (line.points, line.maximum) == (3, 3)
    with translation.override("sv"):
        review = services.review_for(application)
        assert review.sections[0].lines[0].details == "2024-03-11, Kommunfullmäktige, KF § 42"
        html = render_to_string("evaluation/admin_review.html", {"review": review})
    assert "1.4" in html and "66" in html


def test_requirements_decided_yes_without_points_are_flagged_as_codes_and_shown_in_words(logged_in, application):
    answer_everything(logged_in, application, points="worst")
    result = services.result_for(application)
    assert result.inconsistent == ["R1", "R2", "R3", "R4"]
    html = logged_in.get(reverse("evaluation:summary", args=[application.pk])).content.decode()
    assert "Kansliet kommer att titta särskilt på dem" in html
    assert "<li>R2 Mål för att minska utsläppen</li>" in html
