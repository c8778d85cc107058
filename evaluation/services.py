"""The test's business logic: saving answers, completeness, freezing the score at submission.

Views and the applicant's journey (applications.integration) call these functions; scoring itself
is the pure evaluation.scoring. The names other apps use are all importable from here.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from applications.models import Application, Track
from applications.uploads import safe_download_name
from evaluation import scoring
from evaluation.forms import anchor, field_name
from evaluation.models import Answer, Response, Section
from evaluation.results import Flag as Flag
from evaluation.results import Review as Review
from evaluation.results import ScoreLine as ScoreLine
from evaluation.results import TestResult as TestResult
from evaluation.results import advice_text as advice_text
from evaluation.results import result_for as result_for
from evaluation.results import review_for as review_for
from evaluation.state import TestState as TestState
from evaluation.state import ensure_response
from evaluation.state import reading_once as reading_once
from evaluation.state import section_url as section_url
from evaluation.state import test_state as test_state


def save_answers(state: TestState, section: Section, values: dict[int, dict[str, Any]]) -> Response:
    """Store one section's answers (from SectionForm.answer_values); other sections are untouched.

    The response row is locked, so two tabs autosaving at once cannot both create an answer.
    Files replaced or removed are deleted from storage only after the commit.
    """
    if state.response is not None and _unchanged(state, section, values):
        # "Next" after autosave sends what is already stored: no lock, no write, and the draft's
        # last change (which its deletion date counts from) stays when nothing changed.
        return state.response
    return _write_answers(state, section, values)


@transaction.atomic
def _write_answers(state: TestState, section: Section, values: dict[int, dict[str, Any]]) -> Response:
    response = Response.objects.select_for_update().get(pk=ensure_response(state).pk)
    existing = {a.question_id: a for a in response.answers.filter(question__section=section)}
    discarded: list[str] = []
    for question in section.questions.all():
        given = dict(values[question.pk])
        upload, clear = given.pop("upload"), given.pop("clear")
        answer = existing.get(question.pk) or Answer(response=response, question=question)
        # Autosave sends the whole section on every change: write only the answers that changed.
        changed = answer._state.adding or bool(upload or clear) or not _stored_as_given(answer, given)
        for name, value in given.items():
            setattr(answer, name, value)
        if (upload or clear) and answer.evidence_file:
            discarded.append(str(answer.evidence_file.name))
            answer.evidence_file, answer.evidence_filename = None, ""
        if upload:
            # The storage name is generated (private_upload_path); the applicant's name is only
            # kept, cleaned, as the name offered on download.
            answer.evidence_file.save("upload.pdf", upload, save=False)
            answer.evidence_filename = safe_download_name(upload.name or "")
        if changed:
            answer.save()
        state.answers[question.pk] = answer
    response.save(update_fields=["updated_at"])
    transaction.on_commit(lambda: _delete_files(discarded))
    state.response = response
    return response


def _unchanged(state: TestState, section: Section, values: dict[int, dict[str, Any]]) -> bool:
    """Every answer of the section is stored already, as given, and no file comes or goes.

    Compared with the answers this request read; a save racing in from another tab is then
    ordered before this one, which would have written the same values anyway.
    """
    for question in section.questions.all():
        given = values[question.pk]
        answer = state.answers.get(question.pk)
        if answer is None or given["upload"] or given["clear"] or not _stored_as_given(answer, given):
            return False
    return True


def _stored_as_given(answer: Answer, given: dict[str, Any]) -> bool:
    """The answer already holds every value given (a file to upload or clear aside)."""
    return all(getattr(answer, name) == value for name, value in given.items() if name not in ("upload", "clear"))


def _delete_files(names: list[str]) -> None:
    storage = Answer._meta.get_field("evidence_file").storage
    for name in names:
        storage.delete(name)


# --- What the journey and the views use -------------------------------------------------------
def first_section_url(application: Application) -> str:
    state = test_state(application)
    return section_url(application, state.sections[0].slug)


def section_is_editable(application: Application, section: Section) -> bool:
    """Draft: every section; completion requested: only the sections the secretariat reopened."""
    return bool(application.part_is_editable(section.part_key))


@dataclass(frozen=True)
class SectionStatus:
    slug: str
    title: str
    url: str
    is_gate: bool
    complete: bool
    missing: int  # required answers (or decision details) still missing
    answered: int
    questions: int
    points: int
    maximum: int
    percent: Decimal | None
    editable: bool


def sections_for(application: Application, state: TestState | None = None) -> list[SectionStatus]:
    """Each section with its completeness and live score, in the bank's order."""
    state = state or test_state(application)
    result = state.live_result()
    statuses = []
    for section in state.sections:
        line = result.section(section.slug) or scoring.SectionResult(section.slug, scoring.Tally(), 0, 0)
        missing = sum(1 for m in result.missing if m.section == section.slug)
        statuses.append(
            SectionStatus(
                slug=section.slug,
                title=section.title,
                url=section_url(application, section.slug),
                is_gate=section.is_gate,
                complete=missing == 0 and line.answered > 0,
                missing=missing,
                answered=line.answered,
                questions=line.questions,
                points=line.tally.points,
                maximum=line.tally.max_points,
                percent=line.tally.percent,
                editable=section_is_editable(application, section),
            )
        )
    return statuses


MISSING_MESSAGES = {
    scoring.MISSING_ANSWER: lambda: _("Answer this question."),
    scoring.MISSING_DATE: lambda: _("Enter the date of the decision."),
    scoring.MISSING_BODY: lambda: _("Choose the body that took the decision."),
    scoring.MISSING_REFERENCE: lambda: _("Enter the minute reference (§ or case number)."),
    scoring.MISSING_MINUTES: lambda: _("Upload the minutes as a PDF."),
}


@dataclass(frozen=True)
class MissingAnswer:
    section: str  # slug
    section_title: str
    code: str
    question_id: int
    question: str
    part: str
    message: str
    url: str  # the section, in check mode, at the field
    field_name: str  # the form field the message belongs next to


def missing_answers(application: Application, state: TestState | None = None) -> list[MissingAnswer]:
    """What submission still needs, in the bank's order, with a link to each field."""
    state = state or test_state(application)
    questions = {q.code: (s, q) for s in state.sections for q in s.questions.all()}
    missing = []
    for item in state.live_result().missing:
        section, question = questions[item.code]
        url = f"{section_url(application, section.slug)}?check=1#{anchor(question, item.part)}"
        missing.append(
            MissingAnswer(
                section=section.slug,
                section_title=section.title,
                code=question.code,
                question_id=question.pk,
                question=question.text,
                part=item.part,
                message=MISSING_MESSAGES[item.part](),
                url=url,
                field_name=field_name(question, item.part),
            )
        )
    return missing


@transaction.atomic
def freeze_result(application: Application) -> None:
    """Store the score and bank version at submission; called by workflow.submit_application.

    The frozen result is plain JSON, so neither a new bank version nor an edit of this one can
    change it. A resubmission after a completion request freezes the completed answers again,
    still on the response's own bank version. Observer applications take no test.
    """
    if application.track != Track.MEMBERSHIP:
        return
    state = test_state(application)
    response = ensure_response(state)
    response.result = state.live_result().to_dict()
    response.submitted_at = timezone.now()
    response.save(update_fields=["result", "submitted_at", "updated_at"])
