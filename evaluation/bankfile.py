"""Question bank files (evaluation/banks/*.yaml): read, check and normalise them.

No Django here: the data migration, the `load_question_banks` command and the scoring tests all
read banks through this module, so a bank file that loads is a bank that scores. The format is
described in evaluation/banks/README.md.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

import yaml

from evaluation import scoring

BANKS_DIR = Path(__file__).resolve().parent / "banks"
KINDS = ("municipality", "region")
LANGUAGES = ("sv", "en")
# Slugs the test's own URLs use (/test/<pk>/summary/ ...): a section may not take them.
RESERVED_SLUGS = {"summary", "evidence", "sammanfattning"}
# "Yes"/"No" options generated for yes_no questions, so that every scored answer is an option.
YES = {"sv": "Ja", "en": "Yes"}
NO = {"sv": "Nej", "en": "No"}


class BankFileError(ValueError):
    """A bank file that does not follow the format; the message says where."""


@dataclass(frozen=True)
class BankFile:
    data: dict[str, Any]  # normalised: every default filled in, yes_no options generated
    sha256: str

    @property
    def kind(self) -> str:
        return str(self.data["kind"])

    @property
    def version(self) -> int:
        return int(self.data["version"])


def read_bank_file(path: Path | str) -> BankFile:
    """Read and check one bank file; raises BankFileError with a clear message."""
    raw = Path(path).read_bytes()
    try:
        data = yaml.safe_load(raw)
    except yaml.YAMLError as error:
        raise BankFileError(f"{path}: not valid YAML: {error}") from error
    if not isinstance(data, dict):
        raise BankFileError(f"{path}: the top level must be a mapping")
    return BankFile(normalise(data, where=str(path)), hashlib.sha256(raw).hexdigest())


def shipped_bank_files() -> list[Path]:
    return sorted(BANKS_DIR.glob("*.yaml"))


def normalise(data: dict[str, Any], *, where: str = "bank") -> dict[str, Any]:
    """Check the structure and the arithmetic (each section's max = sum of its questions' max)."""
    _need(data, ["kind", "version", "title", "metadata", "thresholds", "sections"], where)
    if data["kind"] not in KINDS:
        raise BankFileError(f"{where}: kind must be one of {KINDS}")
    if not isinstance(data["version"], int) or data["version"] < 1:
        raise BankFileError(f"{where}: version must be a whole number >= 1")
    if not str(data["metadata"].get("source", "")).strip():
        raise BankFileError(f"{where}: metadata.source must say where the questions come from")
    offer = Decimal(str(data["thresholds"].get("offer")))
    dialogue = Decimal(str(data["thresholds"].get("dialogue")))
    if not Decimal(0) < dialogue <= offer <= Decimal(100):
        raise BankFileError(f"{where}: thresholds must satisfy 0 < dialogue <= offer <= 100")
    sections, slugs, codes = [], set(), set()
    for index, section in enumerate(data["sections"]):
        here = f"{where}: section {index + 1}"
        section = _section(section, here)
        if section["slug"] in slugs:
            raise BankFileError(f"{here}: slug {section['slug']!r} is used twice")
        slugs.add(section["slug"])
        for question in section["questions"]:
            if question["code"] in codes:
                raise BankFileError(f"{here}: question code {question['code']!r} is used twice")
            codes.add(question["code"])
        sections.append(section)
    if not sections or not sections[0]["gate"] or any(s["gate"] for s in sections[1:]):
        raise BankFileError(f"{where}: the first section, and only it, must be the gate (gate: true)")
    return {
        "kind": data["kind"],
        "version": data["version"],
        "title": _text(data["title"], f"{where}: title"),
        "metadata": dict(data["metadata"]),
        "thresholds": {"offer": str(offer), "dialogue": str(dialogue)},
        "sections": sections,
    }


def _section(section: dict[str, Any], where: str) -> dict[str, Any]:
    _need(section, ["slug", "title", "questions"], where)
    slug = str(section["slug"])
    if not slug.replace("-", "").isalnum() or slug != slug.lower() or slug in RESERVED_SLUGS:
        raise BankFileError(f"{where}: slug {slug!r} must be lower-case letters, digits and '-', not reserved")
    gate = bool(section.get("gate", False))
    questions = [_question(q, f"{where} ({slug}) question {i + 1}") for i, q in enumerate(section["questions"])]
    if not questions:
        raise BankFileError(f"{where}: a section needs questions")
    declared = 0 if gate else section.get("max_points")
    if gate and any(q["type"] != scoring.DECISION for q in questions):
        raise BankFileError(f"{where}: the gate holds decisions only")
    if not gate and any(q["type"] == scoring.DECISION for q in questions):
        raise BankFileError(f"{where}: decisions belong in the gate")
    computed = sum(max((o["points"] for o in q["options"]), default=0) for q in questions)
    if declared != computed:
        raise BankFileError(f"{where}: max_points is {declared} but the questions add up to {computed}")
    return {
        "slug": slug,
        "gate": gate,
        "max_points": computed,
        "title": _text(section["title"], f"{where}: title"),
        "intro": _text(section.get("intro") or {"sv": "", "en": ""}, f"{where}: intro", allow_empty=True),
        "questions": questions,
    }


def _question(question: dict[str, Any], where: str) -> dict[str, Any]:
    _need(question, ["code", "type", "requirement", "text"], where)
    kind = question["type"]
    if kind not in scoring.ANSWER_TYPES:
        raise BankFileError(f"{where}: type must be one of {scoring.ANSWER_TYPES}")
    if question["requirement"] not in scoring.REQUIREMENTS:
        raise BankFileError(f"{where}: requirement must be one of {scoring.REQUIREMENTS}")
    scored = kind in scoring.SCORED_TYPES
    if kind == scoring.CHOICE:
        options = [_option(o, f"{where} option {i + 1}") for i, o in enumerate(question.get("options") or [])]
        if len(options) < 2:
            raise BankFileError(f"{where}: a choice needs at least two options")
    elif kind == scoring.YES_NO:
        points = question.get("points")
        if not isinstance(points, int) or points < 1:
            raise BankFileError(f"{where}: a yes_no question needs points >= 1 (for yes)")
        options = [{"label": dict(YES), "points": points}, {"label": dict(NO), "points": 0}]
    else:
        if question.get("options") or question.get("points"):
            raise BankFileError(f"{where}: only choice and yes_no questions carry points")
        options = []
    return {
        "code": str(question["code"]),
        "type": kind,
        "requirement": question["requirement"],
        "required": bool(question.get("required", scored or kind == scoring.DECISION)),
        "dont_know": bool(question.get("dont_know", scored)),
        "not_applicable": bool(question.get("not_applicable", False)),
        "text": _text(question["text"], f"{where}: text"),
        "guidance": _text(question.get("guidance") or {"sv": "", "en": ""}, f"{where}: guidance", allow_empty=True),
        "options": options,
    }


def _option(option: dict[str, Any], where: str) -> dict[str, Any]:
    _need(option, ["points", "sv", "en"], where)
    if not isinstance(option["points"], int) or option["points"] < 0:
        raise BankFileError(f"{where}: points must be a whole number >= 0")
    return {"label": _text(option, where), "points": option["points"]}


def _text(value: Any, where: str, *, allow_empty: bool = False) -> dict[str, str]:
    if not isinstance(value, dict):
        raise BankFileError(f"{where}: give the text as sv: and en:")
    text = {lang: str(value.get(lang) or "").strip() for lang in LANGUAGES}
    if not allow_empty and not all(text.values()):
        raise BankFileError(f"{where}: needs both Swedish (sv) and English (en) text")
    if allow_empty and bool(text["sv"]) != bool(text["en"]):
        raise BankFileError(f"{where}: give both languages or neither")
    return text


def _need(mapping: Any, keys: list[str], where: str) -> None:
    if not isinstance(mapping, dict):
        raise BankFileError(f"{where}: expected a mapping")
    absent = [key for key in keys if key not in mapping]
    if absent:
        raise BankFileError(f"{where}: missing {', '.join(absent)}")


def spec_from_data(data: dict[str, Any]) -> scoring.BankSpec:
    """The scoring view of a normalised bank file; option keys are their positions ("0", "1" ...)."""
    return scoring.BankSpec(
        kind=data["kind"],
        version=data["version"],
        offer_threshold=Decimal(data["thresholds"]["offer"]),
        dialogue_threshold=Decimal(data["thresholds"]["dialogue"]),
        sections=tuple(
            scoring.SectionSpec(
                slug=s["slug"],
                is_gate=s["gate"],
                max_points=s["max_points"],
                questions=tuple(
                    scoring.QuestionSpec(
                        code=q["code"],
                        answer_type=q["type"],
                        requirement=q["requirement"],
                        required=q["required"],
                        allows_dont_know=q["dont_know"],
                        allows_not_applicable=q["not_applicable"],
                        options=tuple(scoring.OptionSpec(str(i), o["points"]) for i, o in enumerate(q["options"])),
                    )
                    for q in s["questions"]
                ),
            )
            for s in data["sections"]
        ),
    )
