"""The state of one application's test: its bank version (with sections, questions, options) and answers.

Read in a constant number of queries whatever the size of the bank; the pages, the services and
the results all start from here.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.urls import reverse

from applications.models import Application
from evaluation import scoring
from evaluation.models import Answer, Question, QuestionBank, Response, Section


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


def section_url(application: Application, slug: str) -> str:
    return reverse("evaluation:section", args=[application.pk, slug])
