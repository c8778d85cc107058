"""The journey's one door to the evaluation test and the fee rules.

The summary, the part list and the submission need the test's sections and score
(evaluation.services) and the fee the body would pay (fees.services). This module turns their
answers into the small shapes the journey's pages and mails use, so the views and templates
depend on this module only, and a change on the other side is mended here (and tests can stand
in for the evaluation app by replacing test_sections, test_result and missing_answers).
"""

from __future__ import annotations

from contextlib import AbstractContextManager
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext

from applications.models import Application
from evaluation import services as evaluation_services
from fees import formatting as fee_formatting
from fees import rules as fee_rules
from fees import services as fee_services


@dataclass(frozen=True)
class TestSection:
    """One section of the evaluation test, as the part list shows it."""

    slug: str
    title: str
    url: str
    complete: bool
    missing: int

    @property
    def part(self) -> str:
        return f"test:{self.slug}"


@dataclass(frozen=True)
class ScoreLine:
    label: str
    points: Decimal
    maximum: Decimal
    percent: Decimal | None


@dataclass(frozen=True)
class TestResult:
    sections: list[ScoreLine]
    requirements: list[ScoreLine]
    total: ScoreLine
    gate_passed: bool
    advice: str


@dataclass(frozen=True)
class FeePreview:
    year: int
    inhabitants: int
    exact: Decimal
    due: Decimal
    breakdown: str
    schedule_year: int
    label: str

    def as_json(self) -> dict[str, Any]:
        return {
            "year": self.year,
            "inhabitants": self.inhabitants,
            "exact": str(self.exact),
            "due": str(self.due),
            "breakdown": self.breakdown,
            "schedule_year": self.schedule_year,
            "label": self.label,
        }

    @property
    def due_display(self) -> str:
        return kronor(self.due, 0)

    @property
    def exact_display(self) -> str:
        return kronor(self.exact)


@dataclass(frozen=True)
class FeeProblem:
    """The fee cannot be worked out (no schedule for the year, no inhabitants): say why."""

    message: str


def first_section_url(application: Application) -> str:
    return evaluation_services.first_section_url(application)


def test_sections(application: Application) -> list[TestSection]:
    return [
        TestSection(slug=s.slug, title=s.title, url=s.url, complete=s.complete, missing=s.missing)
        for s in evaluation_services.sections_for(application)
    ]


def test_result(application: Application) -> TestResult:
    """The live score while the application is editable, the frozen one after submission."""
    result = evaluation_services.result_for(application)
    return TestResult(
        sections=[_line(line) for line in result.sections],
        requirements=[_line(line) for line in result.requirements],
        total=_line(result.total),
        gate_passed=result.gate_passed,
        advice=result.advice,
    )


@dataclass(frozen=True)
class MissingAnswer:
    """One answer the test still needs, with a link to its field."""

    section_title: str
    question: str
    message: str
    url: str


def missing_answers(application: Application) -> list[MissingAnswer]:
    return [
        MissingAnswer(
            section_title=str(item.section_title), question=str(item.question), message=str(item.message), url=item.url
        )
        for item in evaluation_services.missing_answers(application)
    ]


def reading_test_once() -> AbstractContextManager[None]:
    """Within the block the test of one application object is read once (for a step, like the
    submission, that reads it several times and changes no answer)."""
    return evaluation_services.reading_once()


def freeze_result(application: Application) -> None:
    """Store the test's score and bank version at submission (in the caller's transaction)."""
    evaluation_services.freeze_result(application)


def fee_preview(application: Application, *, year: int | None = None) -> FeePreview | FeeProblem | None:
    """The fee for this year with the application's inhabitants; None for observers."""
    if application.track != "membership":
        return None
    if not application.inhabitants:
        return FeeProblem(gettext("Enter the number of inhabitants to see the fee."))
    year = year or timezone.localdate().year
    try:
        quote = fee_services.fee_for(year, organisation=application.organisation, inhabitants=application.inhabitants)
    except fee_rules.FeeError as error:
        return FeeProblem(fee_formatting.describe_error(error))
    return FeePreview(
        year=year,
        inhabitants=quote.inhabitants,
        exact=quote.exact,
        due=quote.due,
        breakdown=quote.breakdown_text,
        schedule_year=quote.schedule_year,
        label=quote.decision_label,
    )


def kronor(amount: Decimal, places: int = 2) -> str:
    """An amount as the active language writes it ("4 761 kr", "SEK 4,761")."""
    return fee_formatting.format_kronor(amount, places=places)


def _line(line: evaluation_services.ScoreLine) -> ScoreLine:
    return ScoreLine(
        label=str(line.label),
        points=Decimal(line.points),
        maximum=Decimal(line.maximum),
        percent=line.percent,
    )
