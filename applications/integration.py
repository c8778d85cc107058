"""The journey's one door to the evaluation test and the fee rules.

The summary, the part list and the submission need the test's sections and score
(evaluation.services) and the fee the body would pay (fees.services). This module turns their
answers into the small shapes the journey's pages and mails use, so the views and templates
depend on this module only, and a change on the other side is mended here.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext

from applications.models import Application

try:  # the evaluation app's services (issue 4)
    from evaluation import services as evaluation_services
except ImportError:  # pragma: no cover - only before the evaluation app has landed
    evaluation_services = None  # type: ignore[assignment, unused-ignore]

try:  # the fee rules (issue 3)
    from fees import formatting as fee_formatting
    from fees import rules as fee_rules
    from fees import services as fee_services
except ImportError:  # pragma: no cover - only before the fees app has landed
    fee_services = fee_formatting = fee_rules = None  # type: ignore[assignment, unused-ignore]


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
    total: ScoreLine | None
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


def evaluation_available() -> bool:
    return evaluation_services is not None


def first_section_url(application: Application) -> str | None:
    if evaluation_services is None:
        return None
    return str(evaluation_services.first_section_url(application))


def test_sections(application: Application) -> list[TestSection]:
    if evaluation_services is None:
        return []
    return [_section(section) for section in evaluation_services.sections_for(application)]


def test_result(application: Application) -> TestResult | None:
    if evaluation_services is None:
        return None
    result = evaluation_services.result_for(application)
    if result is None:
        return None
    return _result(result)


@dataclass(frozen=True)
class MissingAnswer:
    """One answer the test still needs, with a link to its field."""

    section_title: str
    question: str
    message: str
    url: str


def missing_answers(application: Application) -> list[MissingAnswer]:
    if evaluation_services is None:
        return []
    return [
        MissingAnswer(
            section_title=str(item.section_title), question=str(item.question), message=str(item.message), url=item.url
        )
        for item in evaluation_services.missing_answers(application)
    ]


def freeze_result(application: Application) -> None:
    if evaluation_services is not None:
        evaluation_services.freeze_result(application)


def fee_preview(application: Application, *, year: int | None = None) -> FeePreview | FeeProblem | None:
    """The fee for this year with the application's inhabitants; None for observers."""
    if fee_services is None or application.track != "membership":
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
    if fee_formatting is None:
        return f"{amount} kr"
    return fee_formatting.format_kronor(amount, places=places)


def _section(section: Any) -> TestSection:
    return TestSection(
        slug=str(section.slug),
        title=str(section.title),
        url=str(section.url),
        complete=bool(section.complete),
        missing=int(getattr(section, "missing", 0)),
    )


def _line(line: Any) -> ScoreLine:
    percent = getattr(line, "percent", None)
    return ScoreLine(
        label=str(line.label),
        points=Decimal(line.points),
        maximum=Decimal(line.maximum),
        percent=None if percent is None else Decimal(percent),
    )


def _result(result: Any) -> TestResult:
    return TestResult(
        sections=[_line(line) for line in result.sections],
        requirements=[_line(line) for line in result.requirements],
        total=_line(result.total) if getattr(result, "total", None) is not None else None,
        gate_passed=bool(result.gate_passed),
        advice=str(getattr(result, "advice", "")),
    )
