"""Scoring of the membership test: a pure function over a question bank and the answers.

No Django here (STYLE.md): the bank and the answers come in as plain dataclasses, built either
from the database (evaluation.services) or straight from a bank file (evaluation.bankfile), so
the rules can be tested with tables and no database.

The rules (DESIGN.md §2, DOMAIN.md §2.5):
- The gate (baskrav) is not scored. It passes when every decision is "yes" and the two contact
  persons of the statutes (§ 3) are given.
- A scored question is worth the points of its best option. "Ej tillämpligt" removes the question
  from the max; "Vet ej" scores 0, stays in the max, and is flagged for the secretariat.
- Percentages are shown with one decimal, rounded *down*, so that a shown "60.0 %" always means
  the 60 % threshold is met and "59.9 %" never hides a pass (the band compares exact fractions).
- Advice bands come from the bank version's thresholds: gate failed -> observer; >= offer ->
  offer; >= dialogue -> dialogue; below -> observer (return later). The band only advises: a
  person at the secretariat decides (DESIGN.md §1.3).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import ROUND_FLOOR, Decimal
from typing import Any

REQUIREMENTS = ("R1", "R2", "R3", "R4")
# The fifth gate item: the contact persons, collected outside the test (applications.Contact).
CONTACTS_ITEM = "G5"

CHOICE, YES_NO, NUMBER, TEXT, LINK, FILE, DECISION = "choice", "yes_no", "number", "text", "link", "file", "decision"
ANSWER_TYPES = (CHOICE, YES_NO, NUMBER, TEXT, LINK, FILE, DECISION)
SCORED_TYPES = (CHOICE, YES_NO)

DECISION_YES, DECISION_NO, DECISION_PLANNED = "yes", "no", "planned"
DECISIONS = (DECISION_YES, DECISION_NO, DECISION_PLANNED)

BAND_OFFER, BAND_DIALOGUE, BAND_OBSERVER = "offer", "dialogue", "observer"

# Which part of an answer is missing (services turns these into messages next to the fields).
MISSING_ANSWER = "answer"
MISSING_DATE, MISSING_BODY, MISSING_REFERENCE, MISSING_MINUTES = "date", "body", "reference", "minutes"

ONE_DECIMAL = Decimal("0.1")


# --- Input -------------------------------------------------------------------------------------
@dataclass(frozen=True)
class OptionSpec:
    key: str  # opaque: the Option's primary key, or its position in a bank file
    points: int


@dataclass(frozen=True)
class QuestionSpec:
    code: str
    answer_type: str
    requirement: str
    required: bool = True
    allows_dont_know: bool = False
    allows_not_applicable: bool = False
    options: tuple[OptionSpec, ...] = ()

    @property
    def is_scored(self) -> bool:
        return self.answer_type in SCORED_TYPES

    @property
    def max_points(self) -> int:
        return max((o.points for o in self.options), default=0) if self.is_scored else 0

    def points_for(self, key: str | None) -> int:
        return next((o.points for o in self.options if o.key == key), 0)


@dataclass(frozen=True)
class SectionSpec:
    slug: str
    is_gate: bool
    max_points: int
    questions: tuple[QuestionSpec, ...]


@dataclass(frozen=True)
class BankSpec:
    kind: str
    version: int
    offer_threshold: Decimal
    dialogue_threshold: Decimal
    sections: tuple[SectionSpec, ...]

    def questions(self) -> list[tuple[SectionSpec, QuestionSpec]]:
        return [(s, q) for s in self.sections for q in s.questions]


@dataclass(frozen=True)
class AnswerInput:
    """One answer, reduced to what scoring and completeness need."""

    option: str | None = None
    dont_know: bool = False
    not_applicable: bool = False
    value: str = ""  # number, text or link, as given
    has_file: bool = False
    decision: str = ""
    decision_date: bool = False
    decision_body: bool = False
    decision_reference: bool = False


# --- Output ------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Tally:
    points: int = 0
    max_points: int = 0

    @property
    def percent(self) -> Decimal | None:
        """One decimal, rounded down; None when nothing counts (all "Ej tillämpligt")."""
        return percent(self.points, self.max_points)

    def __add__(self, other: Tally) -> Tally:
        return Tally(self.points + other.points, self.max_points + other.max_points)


@dataclass(frozen=True)
class SectionResult:
    slug: str
    tally: Tally
    answered: int
    questions: int


@dataclass(frozen=True)
class GateResult:
    passed: bool
    failing: tuple[str, ...]  # codes: G1–G4 whose decision is not "yes", and G5 for contacts


@dataclass(frozen=True)
class Missing:
    section: str
    code: str
    part: str = MISSING_ANSWER


@dataclass(frozen=True)
class Result:
    bank_kind: str
    bank_version: int
    gate: GateResult
    sections: tuple[SectionResult, ...]
    requirements: tuple[tuple[str, Tally], ...]
    total: Tally
    band: str
    offer_threshold: Decimal
    dialogue_threshold: Decimal
    dont_know: tuple[str, ...] = ()
    inconsistent: tuple[str, ...] = ()  # requirements decided "yes" whose items all scored 0
    missing: tuple[Missing, ...] = field(default=())

    def section(self, slug: str) -> SectionResult | None:
        return next((s for s in self.sections if s.slug == slug), None)

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON for freezing on the response (Decimals as strings)."""
        return {
            "bank_kind": self.bank_kind,
            "bank_version": self.bank_version,
            "gate": {"passed": self.gate.passed, "failing": list(self.gate.failing)},
            "sections": [
                {
                    "slug": s.slug,
                    "points": s.tally.points,
                    "max": s.tally.max_points,
                    "answered": s.answered,
                    "questions": s.questions,
                }
                for s in self.sections
            ],
            "requirements": [{"code": c, "points": t.points, "max": t.max_points} for c, t in self.requirements],
            "total": {"points": self.total.points, "max": self.total.max_points},
            "band": self.band,
            "offer_threshold": str(self.offer_threshold),
            "dialogue_threshold": str(self.dialogue_threshold),
            "dont_know": list(self.dont_know),
            "inconsistent": list(self.inconsistent),
            "missing": [{"section": m.section, "code": m.code, "part": m.part} for m in self.missing],
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Result:
        return cls(
            bank_kind=data["bank_kind"],
            bank_version=int(data["bank_version"]),
            gate=GateResult(bool(data["gate"]["passed"]), tuple(data["gate"]["failing"])),
            sections=tuple(
                SectionResult(s["slug"], Tally(s["points"], s["max"]), s["answered"], s["questions"])
                for s in data["sections"]
            ),
            requirements=tuple((r["code"], Tally(r["points"], r["max"])) for r in data["requirements"]),
            total=Tally(data["total"]["points"], data["total"]["max"]),
            band=data["band"],
            offer_threshold=Decimal(data["offer_threshold"]),
            dialogue_threshold=Decimal(data["dialogue_threshold"]),
            dont_know=tuple(data["dont_know"]),
            inconsistent=tuple(data["inconsistent"]),
            missing=tuple(Missing(m["section"], m["code"], m["part"]) for m in data["missing"]),
        )


# --- The rules ---------------------------------------------------------------------------------
def percent(points: int, max_points: int) -> Decimal | None:
    """points / max as a percentage with one decimal, rounded down (see the module docstring)."""
    if max_points <= 0:
        return None
    return (Decimal(points) * 100 / Decimal(max_points)).quantize(ONE_DECIMAL, rounding=ROUND_FLOOR)


def advice_band(total: Tally, *, gate_passed: bool, offer: Decimal, dialogue: Decimal) -> str:
    """The advice for the secretariat; exact comparison (points * 100 >= threshold * max)."""
    if not gate_passed or total.max_points <= 0:
        return BAND_OBSERVER
    exact = Decimal(total.points) * 100
    if exact >= offer * total.max_points:
        return BAND_OFFER
    if exact >= dialogue * total.max_points:
        return BAND_DIALOGUE
    return BAND_OBSERVER


def missing_parts(question: QuestionSpec, answer: AnswerInput | None) -> list[str]:
    """What a required question still lacks: the answer itself, or a decision's details."""
    if not question.required:
        return []
    if answer is None:
        return [MISSING_ANSWER]
    if question.answer_type == DECISION:
        if answer.decision not in DECISIONS:
            return [MISSING_ANSWER]
        if answer.decision != DECISION_YES:
            return []
        details = [
            (answer.decision_date, MISSING_DATE),
            (answer.decision_body, MISSING_BODY),
            (answer.decision_reference, MISSING_REFERENCE),
            (answer.has_file, MISSING_MINUTES),
        ]
        return [part for given, part in details if not given]
    return [] if is_answered(question, answer) else [MISSING_ANSWER]


def is_answered(question: QuestionSpec, answer: AnswerInput | None) -> bool:
    """Whether the applicant has given an answer (a "Vet ej" or "Ej tillämpligt" counts)."""
    if answer is None:
        return False
    if (answer.dont_know and question.allows_dont_know) or (answer.not_applicable and question.allows_not_applicable):
        return True
    if question.answer_type in SCORED_TYPES:
        return any(o.key == answer.option for o in question.options)
    if question.answer_type == DECISION:
        return answer.decision in DECISIONS
    if question.answer_type == FILE:
        return answer.has_file
    return bool(answer.value.strip())


def score(bank: BankSpec, answers: Mapping[str, AnswerInput], *, contacts_complete: bool) -> Result:
    """Score the answers (keyed by question code) against the bank; see the module docstring."""
    sections: list[SectionResult] = []
    by_requirement = {code: Tally() for code in REQUIREMENTS}
    answered_by_requirement = dict.fromkeys(REQUIREMENTS, False)
    dont_know: list[str] = []
    missing: list[Missing] = []
    failing: list[str] = []
    decided_yes: list[str] = []

    for section in bank.sections:
        tally, answered = Tally(), 0
        for question in section.questions:
            answer = answers.get(question.code)
            missing += [Missing(section.slug, question.code, part) for part in missing_parts(question, answer)]
            if is_answered(question, answer):
                answered += 1
            if question.answer_type == DECISION:
                if answer is not None and answer.decision == DECISION_YES:
                    decided_yes.append(question.requirement)
                else:
                    failing.append(question.code)
            if not question.is_scored:
                continue
            item = _score_question(question, answer)
            if answer is not None and answer.dont_know and question.allows_dont_know:
                dont_know.append(question.code)
            if is_answered(question, answer):
                answered_by_requirement[question.requirement] = True
            tally += item
            by_requirement[question.requirement] += item
        sections.append(SectionResult(section.slug, tally, answered, len(section.questions)))

    if not contacts_complete:
        failing.append(CONTACTS_ITEM)
    gate = GateResult(passed=not failing, failing=tuple(failing))
    total = sum((s.tally for s, spec in zip(sections, bank.sections, strict=True) if not spec.is_gate), Tally())
    inconsistent = [
        code
        for code in REQUIREMENTS
        if code in decided_yes
        and answered_by_requirement[code]
        and by_requirement[code].max_points > 0
        and by_requirement[code].points == 0
    ]
    return Result(
        bank_kind=bank.kind,
        bank_version=bank.version,
        gate=gate,
        sections=tuple(sections),
        requirements=tuple(by_requirement.items()),
        total=total,
        band=advice_band(total, gate_passed=gate.passed, offer=bank.offer_threshold, dialogue=bank.dialogue_threshold),
        offer_threshold=bank.offer_threshold,
        dialogue_threshold=bank.dialogue_threshold,
        dont_know=tuple(dont_know),
        inconsistent=tuple(inconsistent),
        missing=tuple(missing),
    )


def _score_question(question: QuestionSpec, answer: AnswerInput | None) -> Tally:
    if answer is not None and answer.not_applicable and question.allows_not_applicable:
        return Tally()  # out of the max as well (DESIGN.md §2)
    if answer is None or (answer.dont_know and question.allows_dont_know):
        return Tally(0, question.max_points)
    return Tally(question.points_for(answer.option), question.max_points)
