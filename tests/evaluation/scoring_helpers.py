"""Building answers for scoring tests from plain bank specs (no database)."""

from decimal import Decimal

from evaluation import scoring
from evaluation.bankfile import read_bank_file, shipped_bank_files, spec_from_data


def shipped_spec(kind: str) -> scoring.BankSpec:
    path = next(p for p in shipped_bank_files() if p.name == f"{kind}-v1.yaml")
    return spec_from_data(read_bank_file(path).data)


DECIDED = scoring.AnswerInput(
    decision="yes", decision_date=True, decision_body=True, decision_reference=True, has_file=True
)


def best(question: scoring.QuestionSpec) -> scoring.AnswerInput:
    if question.answer_type == scoring.DECISION:
        return DECIDED
    if question.is_scored:
        top = max(question.options, key=lambda o: o.points)
        return scoring.AnswerInput(option=top.key)
    if question.answer_type == scoring.FILE:
        return scoring.AnswerInput(has_file=True)
    return scoring.AnswerInput(value="42")


def worst(question: scoring.QuestionSpec) -> scoring.AnswerInput:
    if not question.is_scored:
        return best(question)
    low = min(question.options, key=lambda o: o.points)
    return scoring.AnswerInput(option=low.key)


def answers(spec: scoring.BankSpec, pick=best, **overrides: scoring.AnswerInput) -> dict[str, scoring.AnswerInput]:
    given = {q.code: pick(q) for _, q in spec.questions()}
    given.update({code.replace("_", "."): answer for code, answer in overrides.items()})
    return given


def one_question_bank(points: list[int], *, offer: str = "60", dialogue: str = "40") -> scoring.BankSpec:
    """A bank whose score is whichever option is chosen out of max(points): for the band edges."""
    gate = scoring.SectionSpec("gate", True, 0, (scoring.QuestionSpec("G1", scoring.DECISION, "R1"),))
    question = scoring.QuestionSpec(
        "1.1", scoring.CHOICE, "R3", options=tuple(scoring.OptionSpec(str(p), p) for p in points)
    )
    return scoring.BankSpec(
        "municipality",
        1,
        Decimal(offer),
        Decimal(dialogue),
        (gate, scoring.SectionSpec("s", False, max(points), (question,))),
    )
