"""The test's business logic: which bank an application uses, its answers, its score, what is missing.

Views and the applicant's journey (applications.integration) call these functions; scoring itself
is the pure evaluation.scoring. Every function reads a constant number of queries, whatever the
size of the bank (the bank is read with its sections, questions and options in one go).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from applications.models import Application, Track
from applications.uploads import safe_download_name
from evaluation import scoring
from evaluation.forms import anchor, field_name
from evaluation.models import Answer, Question, QuestionBank, Response, Section


# --- The state of one application's test -------------------------------------------------------
@dataclass
class TestState:
    application: Application
    bank: QuestionBank
    response: Response | None
    sections: list[Section]  # with questions and options prefetched
    answers: dict[int, Answer]  # by question id

    @property
    def spec(self) -> scoring.BankSpec:
        return bank_spec(self.bank, self.sections)

    def answer_inputs(self) -> dict[str, scoring.AnswerInput]:
        return {
            question.code: answer_input(question, self.answers[question.pk])
            for section in self.sections
            for question in section.questions.all()
            if question.pk in self.answers
        }

    def live_result(self) -> scoring.Result:
        return scoring.score(
            self.spec, self.answer_inputs(), contacts_complete=bool(self.application.has_required_contacts)
        )

    def section(self, slug: str) -> Section | None:
        return next((s for s in self.sections if s.slug == slug), None)


def test_state(application: Application) -> TestState:
    """The application's bank (its response's, or the active one for its kind) and its answers."""
    response = Response.objects.filter(application=application).select_related("bank").first()
    bank = response.bank if response else QuestionBank.objects.active_for(application.kind)
    if bank is None:
        raise QuestionBank.DoesNotExist(f"No active question bank for {application.kind}")
    sections = list(bank.sections.prefetch_related("questions__options").order_by("order"))
    answers = {a.question_id: a for a in response.answers.select_related("option")} if response else {}
    return TestState(application, bank, response, sections, answers)


def ensure_response(state: TestState) -> Response:
    """The response row, created on the first save (a GET never writes)."""
    if state.response is None:
        state.response, _created = Response.objects.get_or_create(
            application=state.application, defaults={"bank": state.bank}
        )
    return state.response


def bank_spec(bank: QuestionBank, sections: list[Section]) -> scoring.BankSpec:
    """The scoring view of a bank from the database; option keys are option ids."""
    return scoring.BankSpec(
        kind=bank.kind,
        version=bank.version,
        offer_threshold=Decimal(bank.offer_threshold),
        dialogue_threshold=Decimal(bank.dialogue_threshold),
        sections=tuple(
            scoring.SectionSpec(
                slug=section.slug,
                is_gate=section.is_gate,
                max_points=section.max_points,
                questions=tuple(
                    scoring.QuestionSpec(
                        code=q.code,
                        answer_type=q.answer_type,
                        requirement=q.requirement,
                        required=q.required,
                        allows_dont_know=q.allows_dont_know,
                        allows_not_applicable=q.allows_not_applicable,
                        options=tuple(scoring.OptionSpec(str(o.pk), o.points) for o in q.options.all()),
                    )
                    for q in section.questions.all()
                ),
            )
            for section in sections
        ),
    )


def answer_input(question: Question, answer: Answer) -> scoring.AnswerInput:
    value = {
        scoring.NUMBER: "" if answer.value_number is None else str(answer.value_number),
        scoring.TEXT: answer.value_text,
        scoring.LINK: answer.evidence_link,
    }.get(question.answer_type, "")
    return scoring.AnswerInput(
        option=str(answer.option_id) if answer.option_id else None,
        dont_know=answer.dont_know,
        not_applicable=answer.not_applicable,
        value=value,
        has_file=bool(answer.evidence_file),
        decision=answer.decision,
        decision_date=answer.decision_date is not None,
        decision_body=bool(answer.decision_body),
        decision_reference=bool(answer.decision_reference.strip()),
    )


@transaction.atomic
def save_answers(state: TestState, section: Section, values: dict[int, dict[str, Any]]) -> Response:
    """Store one section's answers (from SectionForm.answer_values); other sections are untouched.

    The response row is locked, so two tabs autosaving at once cannot both create an answer.
    Files replaced or removed are deleted from storage only after the commit.
    """
    response = Response.objects.select_for_update().get(pk=ensure_response(state).pk)
    existing = {a.question_id: a for a in response.answers.filter(question__section=section)}
    discarded: list[str] = []
    for question in section.questions.all():
        given = dict(values[question.pk])
        upload, clear = given.pop("upload"), given.pop("clear")
        answer = existing.get(question.pk) or Answer(response=response, question=question)
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
        answer.save()
        state.answers[question.pk] = answer
    response.save(update_fields=["updated_at"])
    transaction.on_commit(lambda: _delete_files(discarded))
    state.response = response
    return response


def _delete_files(names: list[str]) -> None:
    storage = Answer._meta.get_field("evidence_file").storage
    for name in names:
        storage.delete(name)


# --- What the journey and the views use -------------------------------------------------------
def section_url(application: Application, slug: str) -> str:
    return reverse("evaluation:section", args=[application.pk, slug])


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


# --- Results: live while editable, frozen once submitted ---------------------------------------
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


@dataclass(frozen=True)
class ScoreLine:
    key: str  # section slug or requirement code
    label: str
    points: int
    maximum: int
    percent: Decimal | None
    url: str = ""


@dataclass(frozen=True)
class Flag:
    code: str
    label: str
    url: str


@dataclass(frozen=True)
class TestResult:
    """A result (frozen or live) in words for the applicant's and the secretariat's pages."""

    result: scoring.Result
    frozen: bool
    bank: QuestionBank
    sections: list[ScoreLine]
    requirements: list[ScoreLine]
    total: ScoreLine
    gate_passed: bool
    gate_failing: list[str]
    dont_know: list[Flag]
    inconsistent: list[str]

    @property
    def band(self) -> str:
        return self.result.band

    @property
    def advice(self) -> str:
        return advice_text(self.result)


def result_for(application: Application, state: TestState | None = None) -> TestResult:
    """The frozen result once the application is no longer editable, else the live one."""
    state = state or test_state(application)
    stored = state.response.result if state.response else None
    frozen = stored is not None and not application.is_editable
    result = scoring.Result.from_dict(stored) if frozen and stored is not None else state.live_result()
    return describe(application, state, result, frozen=frozen)


def describe(application: Application, state: TestState, result: scoring.Result, *, frozen: bool) -> TestResult:
    titles = {s.slug: s.title for s in state.sections}
    questions = {q.code: (s, q) for s in state.sections for q in s.questions.all()}
    sections = [
        ScoreLine(
            s.slug,
            titles.get(s.slug, s.slug),
            s.tally.points,
            s.tally.max_points,
            s.tally.percent,
            section_url(application, s.slug) if s.slug in titles else "",
        )
        for s in result.sections
        if not _is_gate(state, s.slug)
    ]
    labels = requirement_labels()
    requirements = [ScoreLine(code, labels[code], t.points, t.max_points, t.percent) for code, t in result.requirements]
    dont_know = []
    for code in result.dont_know:
        section, question = questions.get(code, (None, None))
        url = f"{section_url(application, section.slug)}#{_anchor(question)}" if section and question else ""
        dont_know.append(Flag(code, f"{code} {question.text if question else ''}".strip(), url))
    return TestResult(
        result=result,
        frozen=frozen,
        bank=state.bank,
        sections=sections,
        requirements=requirements,
        total=ScoreLine("total", _("Total"), result.total.points, result.total.max_points, result.total.percent),
        gate_passed=result.gate.passed,
        gate_failing=[gate_item_label(code, questions) for code in result.gate.failing],
        dont_know=dont_know,
        inconsistent=[labels[code] for code in result.inconsistent],
    )


def _is_gate(state: TestState, slug: str) -> bool:
    section = state.section(slug)
    return bool(section and section.is_gate)


def _anchor(question: Question | None) -> str:
    return anchor(question, scoring.MISSING_ANSWER) if question else ""


def requirement_labels() -> dict[str, str]:
    return {
        "R1": _("R1 Inventory of greenhouse gas emissions"),
        "R2": _("R2 Targets for reducing the emissions"),
        "R3": _("R3 Action plan and measures"),
        "R4": _("R4 Informing the network"),
    }


def gate_item_label(code: str, questions: dict[str, Any]) -> str:
    if code == scoring.CONTACTS_ITEM:
        return _("Two contact persons: one elected official and one civil servant")
    pair = questions.get(code)
    return f"{code} {pair[1].text}" if pair else code


def advice_text(result: scoring.Result) -> str:
    """The advice band in plain words for the applicant; the secretariat decides (DESIGN.md §1.3)."""
    if not result.gate.passed:
        return _(
            "The basic requirements are not all met yet. The secretariat will probably suggest observer "
            "status: you can follow the association's meetings for one year, without a vote, while you "
            "take the decisions."
        )
    if result.band == scoring.BAND_OFFER:
        return _(
            "Your answers reach the level at which the secretariat usually recommends an offer of "
            "membership. A person at the secretariat reads the application and decides."
        )
    if result.band == scoring.BAND_DIALOGUE:
        return _(
            "Your answers are in the range where the secretariat usually starts a dialogue: an offer is "
            "possible together with a plan for how your climate work will develop."
        )
    return _(
        "Your answers are below the level for an offer for now. The secretariat will probably suggest "
        "observer status, or that you apply again when your climate work has come further."
    )


# --- The secretariat's view of one application's answers (the admin's review panel) ------------
@dataclass(frozen=True)
class ReviewLine:
    code: str
    question: str
    answer: str
    points: int | None  # None for questions that carry no points
    maximum: int
    flag: str  # "Vet ej" / "Ej tillämpligt" / "" in the active language
    details: str  # a decision's date, body and minute reference
    evidence_url: str
    evidence_name: str
    link: str
    comment: str


@dataclass(frozen=True)
class ReviewSection:
    title: str
    is_gate: bool
    lines: list[ReviewLine]


@dataclass(frozen=True)
class Review:
    result: TestResult
    response: Response
    sections: list[ReviewSection]


def review_for(application: Application) -> Review | None:
    """Every answer with its points and evidence, and the result; None before the first save."""
    state = test_state(application)
    if state.response is None:
        return None
    sections = []
    for section in state.sections:
        lines = []
        for question in section.questions.all():
            answer = state.answers.get(question.pk)
            lines.append(_review_line(application, question, answer))
        sections.append(ReviewSection(section.title, section.is_gate, lines))
    return Review(result_for(application, state), state.response, sections)


def _review_line(application: Application, question: Question, answer: Answer | None) -> ReviewLine:
    maximum = max((o.points for o in question.options.all()), default=0)
    if answer is None:
        return ReviewLine(
            question.code, question.text, "", 0 if question.is_scored else None, maximum, "", "", "", "", "", ""
        )
    flag = _("Not applicable") if answer.not_applicable else _("Don't know") if answer.dont_know else ""
    points = answer.option.points if answer.option and not flag else 0
    details = ""
    if question.answer_type == scoring.DECISION and answer.decision:
        parts = [
            answer.decision_date.isoformat() if answer.decision_date else "",
            answer.get_decision_body_display(),
            answer.decision_reference,
        ]
        details = ", ".join(p for p in parts if p)
    evidence_url = reverse("evaluation:evidence", args=[application.pk, answer.pk]) if answer.evidence_file else ""
    return ReviewLine(
        code=question.code,
        question=question.text,
        answer="" if flag else answer.summary,
        points=points if question.is_scored else None,
        maximum=maximum,
        flag=str(flag),
        details=details,
        evidence_url=evidence_url,
        evidence_name=answer.evidence_filename,
        link=answer.evidence_link,
        comment=answer.comment,
    )
