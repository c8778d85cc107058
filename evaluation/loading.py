"""Put a bank file into the database: once per version, never touching an older version.

Used by the data migration (with the migration's historical models) and by the
`load_question_banks` command (with the real ones), so both load banks the same way.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db import transaction

from evaluation.bankfile import BankFile, BankFileError
from evaluation.state import forget_banks, loading_new_bank


@dataclass(frozen=True)
class BankModels:
    """The four model classes, real or historical (apps.get_model in a migration)."""

    bank: Any
    section: Any
    question: Any
    option: Any

    @classmethod
    def from_apps(cls, apps: Any) -> BankModels:
        return cls(*(apps.get_model("evaluation", name) for name in ("QuestionBank", "Section", "Question", "Option")))

    @classmethod
    def real(cls) -> BankModels:
        from evaluation.models import Option, Question, QuestionBank, Section

        return cls(QuestionBank, Section, Question, Option)


@transaction.atomic
def install_bank(bank_file: BankFile, models: BankModels, *, activate: bool = True) -> tuple[Any, bool]:
    """Create the bank version from the file; (bank, created). The same file twice creates nothing.

    A version already loaded from *different* content is refused: published versions are
    frozen, so a change needs a new version number. Activating the new version only moves the
    "used for new tests" flag; older versions, and responses started on them, stay as they are.
    """
    data = bank_file.data
    existing = models.bank.objects.filter(kind=data["kind"], version=data["version"]).first()
    if existing is not None:
        if existing.metadata.get("sha256") != bank_file.sha256:
            raise BankFileError(
                f"{data['kind']} version {data['version']} is already loaded with other content; "
                "give the changed bank a new version number."
            )
        return existing, False
    # A new version is a new bank row (and id), but SQLite may reuse a deleted row's id.
    forget_banks()
    if activate:
        models.bank.objects.filter(kind=data["kind"], is_active=True).update(is_active=False)
    bank = models.bank.objects.create(
        kind=data["kind"],
        version=data["version"],
        title_sv=data["title"]["sv"],
        title_en=data["title"]["en"],
        metadata={**data["metadata"], "sha256": bank_file.sha256},
        offer_threshold=data["thresholds"]["offer"],
        dialogue_threshold=data["thresholds"]["dialogue"],
        is_active=activate,
    )
    with loading_new_bank():  # a new bank's rows: no process keeps it yet
        _create_content(bank, data["sections"], models)
    return bank, True


def _create_content(bank: Any, sections: list[dict[str, Any]], models: BankModels) -> None:
    for s_order, s in enumerate(sections, start=1):
        section = models.section.objects.create(
            bank=bank,
            order=s_order,
            slug=s["slug"],
            title_sv=s["title"]["sv"],
            title_en=s["title"]["en"],
            intro_sv=s["intro"]["sv"],
            intro_en=s["intro"]["en"],
            is_gate=s["gate"],
            max_points=s["max_points"],
        )
        for q_order, q in enumerate(s["questions"], start=1):
            question = models.question.objects.create(
                section=section,
                order=q_order,
                code=q["code"],
                text_sv=q["text"]["sv"],
                text_en=q["text"]["en"],
                guidance_sv=q["guidance"]["sv"],
                guidance_en=q["guidance"]["en"],
                answer_type=q["type"],
                requirement=q["requirement"],
                allows_dont_know=q["dont_know"],
                allows_not_applicable=q["not_applicable"],
                required=q["required"],
            )
            models.option.objects.bulk_create(
                models.option(
                    question=question,
                    order=o_order,
                    label_sv=o["label"]["sv"],
                    label_en=o["label"]["en"],
                    points=o["points"],
                )
                for o_order, o in enumerate(q["options"], start=1)
            )
