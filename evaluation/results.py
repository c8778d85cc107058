"""The test's result in words: live while the application is editable, frozen once submitted.

TestResult is what the applicant's summary, the journey (applications.integration), the offer
letter and the secretariat's review columns read; Review adds every answer for the admin.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _

from applications.models import Application
from evaluation import scoring
from evaluation.forms import anchor
from evaluation.models import Answer, Question, QuestionBank, Response
from evaluation.state import TestState, section_url, test_state


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
    inconsistent: list[str]  # requirement codes ("R1"): decided "yes", but no points at all
    inconsistent_labels: list[str]

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
        inconsistent=list(result.inconsistent),
        inconsistent_labels=[labels[code] for code in result.inconsistent],
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
