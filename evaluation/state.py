"""The state of one application's test: its bank version (with sections, questions, options) and answers.

Read in two queries (the response with its bank, and the answers) whatever the size of the bank:
a bank's sections, questions and options are kept in memory per process (`bank_content`), so
the pages, the services and the results, which all start from here, do not re-read them.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any

from django.db.models import F
from django.urls import reverse

from applications.models import Application
from evaluation import scoring
from evaluation.models import Answer, Option, Question, QuestionBank, Response, Section


@dataclass(frozen=True)
class BankContent:
    """One bank version's sections (questions and options prefetched) and its scoring view.

    Shared by every request of a process: read it, never change it.
    """

    sections: list[Section]
    spec: scoring.BankSpec
    options: dict[int, Option]  # by id, to attach to the answers without a join


# bank id -> (the bank row's created_at and revision when read, its content)
_BANKS: dict[int, tuple[tuple[datetime, int], BankContent]] = {}


def bank_content(bank: QuestionBank) -> BankContent:
    """The bank's content, read from the database once per process and bank revision.

    A loaded version never changes (loading.install_bank refuses new content for a known version)
    and every edit in the admin raises `bank.revision` (`bank_edited`), so a bank row fresh from
    the database tells whether the copy in memory is current: no query when it is. created_at is
    in the key too, because SQLite reuses the ids of deleted rows (the tests' databases).
    """
    key = (bank.created_at, bank.revision)
    cached = _BANKS.get(bank.pk)
    if cached is not None and cached[0] == key:
        return cached[1]
    # Not through bank.sections: each section would hold this bank row, soon stale.
    sections = list(Section.objects.filter(bank_id=bank.pk).prefetch_related("questions__options").order_by("order"))
    options = {o.pk: o for s in sections for q in s.questions.all() for o in q.options.all()}
    content = BankContent(sections, bank_spec(bank, sections), options)
    _BANKS[bank.pk] = (key, content)
    return content


def forget_banks() -> None:
    """Drop every bank kept in memory (the loader after a new version; tests between tests)."""
    _BANKS.clear()


def bank_edited() -> None:
    """After any edit of a bank's content: every process re-reads the banks on next use.

    Banks are few and edits rare, so every bank's revision is raised: this also covers a
    question moved from one bank's section to another's. In the edit's own transaction, so the
    new content and the new revision are seen together.
    """
    QuestionBank.objects.update(revision=F("revision") + 1)
    forget_banks()


# Set while the loader creates a new bank version's rows: no process keeps that bank yet, and
# the other banks did not change, so no revision is raised for each row.
_LOADING: ContextVar[bool] = ContextVar("evaluation_bank_loading", default=False)


@contextmanager
def loading_new_bank() -> Iterator[None]:
    token = _LOADING.set(True)
    try:
        yield
    finally:
        _LOADING.reset(token)


def content_changed(sender: type, **kwargs: Any) -> None:
    """A section, question or option saved or deleted, wherever that happened: the admin, a
    shell, a script (connected in EvaluationConfig.ready)."""
    if not _LOADING.get():
        bank_edited()


@dataclass
class TestState:
    application: Application
    bank: QuestionBank
    response: Response | None
    sections: list[Section]  # with questions and options prefetched; shared: never change them
    answers: dict[int, Answer]  # by question id
    content: BankContent

    @property
    def spec(self) -> scoring.BankSpec:
        # The thresholds are the bank row's, read with this request: not part of the cached content.
        return dataclasses.replace(
            self.content.spec,
            offer_threshold=Decimal(self.bank.offer_threshold),
            dialogue_threshold=Decimal(self.bank.dialogue_threshold),
        )

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


# A submit reads the test five times (missing answers, the frozen result, the review columns and
# two mails) in one transaction that changes no answer: inside `reading_once()` those reads share
# one TestState per application object, instead of reading the response and answers each time.
_ONCE: ContextVar[dict[int, TestState] | None] = ContextVar("evaluation_test_state_once", default=None)


@contextmanager
def reading_once() -> Iterator[None]:
    """Within the block, test_state() of the same application object is read once.

    Only for code that changes no answer in the block; changes made through the TestState
    (ensure_response, a frozen result) are seen by the later reads, as they share it.
    """
    token = _ONCE.set({})
    try:
        yield
    finally:
        _ONCE.reset(token)


def test_state(application: Application) -> TestState:
    """The application's bank (its response's, or the active one for its kind) and its answers."""
    memo = _ONCE.get()
    if memo is None:
        return _read_state(application)
    state = memo.get(id(application))
    if state is None or state.application is not application:
        state = memo[id(application)] = _read_state(application)
    return state


def _read_state(application: Application) -> TestState:
    response = _response(application)
    bank = response.bank if response else QuestionBank.objects.active_for(application.kind)
    if bank is None:
        raise QuestionBank.DoesNotExist(f"No active question bank for {application.kind}")
    content = bank_content(bank)
    answers = {a.question_id: a for a in response.answers.all()} if response else {}
    for answer in answers.values():
        option = content.options.get(answer.option_id) if answer.option_id else None
        if option is not None:  # else read on use, as before: an option from outside the bank
            answer.option = option
    return TestState(application, bank, response, content.sections, answers, content)


def _response(application: Application) -> Response | None:
    """The response with its bank: read with the application when the caller asked for it
    (select_related("evaluation__bank"), as the test's pages do), else one query."""
    if Application.evaluation.is_cached(application):
        cached: Response | None = getattr(application, "evaluation", None)
        if cached is not None:
            return cached
    return Response.objects.filter(application=application).select_related("bank").first()


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
