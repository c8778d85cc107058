"""The shipped banks as the data migration loads them, and loading new versions."""

from pathlib import Path

import pytest
import yaml
from django.core.management import CommandError, call_command
from django.utils import translation

from evaluation.bankfile import BankFileError, normalise, read_bank_file, shipped_bank_files
from evaluation.models import Option, Question, QuestionBank, Section

pytestmark = pytest.mark.django_db

MUNICIPAL = [
    ("Baskrav för medlemskap", 0),
    ("Mål, åtgärder och uppföljning", 15),
    ("Organisation och förankring", 5),
    ("Transporter", 12),
    ("Energi", 11),
    ("Samhällsplanering och byggande", 10),
    ("Upphandling och inköp", 8),
    ("Kommunikation, samarbete med näringslivet och kommuninvånarna", 5),
]
REGIONAL = [
    ("Baskrav för medlemskap", 0),
    ("Ledarskap, nätverk och samordning", 15),
    ("Regionens egen verksamhet", 15),
    ("Transporter och samhällsplanering", 12),
    ("Energi", 8),
]


@pytest.mark.parametrize(("kind", "expected", "total"), [("municipality", MUNICIPAL, 66), ("region", REGIONAL, 50)])
def test_both_banks_are_loaded_with_the_real_section_names_and_maxima(kind, expected, total):
    bank = QuestionBank.objects.active_for(kind)
    assert bank is not None and bank.version == 1
    sections = list(bank.sections.order_by("order"))
    assert [(s.title_sv, s.max_points) for s in sections] == expected
    assert sections[0].is_gate and not any(s.is_gate for s in sections[1:])
    assert sum(s.max_points for s in sections) == total
    for section in sections:
        questions = section.questions.prefetch_related("options")
        best = sum(max((o.points for o in q.options.all()), default=0) for q in questions)
        assert best == section.max_points, section.slug


@pytest.mark.parametrize("kind", ["municipality", "region"])
def test_the_gate_asks_for_the_four_decisions(kind):
    gate = QuestionBank.objects.active_for(kind).sections.get(is_gate=True)
    assert [(q.code, q.answer_type, q.requirement) for q in gate.questions.order_by("order")] == [
        ("G1", "decision", "R1"),
        ("G2", "decision", "R2"),
        ("G3", "decision", "R3"),
        ("G4", "decision", "R4"),
    ]


def test_banks_say_the_questions_are_the_portals_own():
    for bank in QuestionBank.objects.all():
        assert bank.metadata["source"] == "the portal's own questions, not the association's published text"
        assert bank.offer_threshold == 60 and bank.dialogue_threshold == 40


def test_every_question_and_option_has_swedish_and_english_text():
    assert not Question.objects.filter(text_sv="").exists() and not Question.objects.filter(text_en="").exists()
    assert not Option.objects.filter(label_sv="").exists() and not Option.objects.filter(label_en="").exists()
    scored = Question.objects.filter(answer_type__in=["choice", "yes_no"])
    assert scored.count() > 40 and all(q.allows_dont_know and q.required for q in scored)


def test_text_follows_the_active_language():
    section = Section.objects.get(bank__kind="municipality", slug="transporter")
    with translation.override("sv"):
        assert section.title == "Transporter"
    with translation.override("en"):
        assert section.title == "Transport"
        assert str(section.bank) == "Membership test for municipalities v1"


def test_loading_the_shipped_banks_again_changes_nothing(capsys):
    counts = [m.objects.count() for m in (QuestionBank, Section, Question, Option)]
    ids = list(Option.objects.values_list("pk", flat=True))
    call_command("load_question_banks")
    call_command("load_question_banks")
    assert [m.objects.count() for m in (QuestionBank, Section, Question, Option)] == counts
    assert list(Option.objects.values_list("pk", flat=True)) == ids
    assert "already loaded, unchanged" in capsys.readouterr().out


def _new_version(tmp_path: Path, *, version: int, points: int) -> Path:
    data = yaml.safe_load(next(p for p in shipped_bank_files() if p.name == "municipality-v1.yaml").read_text())
    data["version"] = version
    # Section 2, question 2.2 is a yes_no worth 1 in version 1.
    section = next(s for s in data["sections"] if s["slug"] == "organisation-forankring")
    section["max_points"] += points - 1
    section["questions"][1]["points"] = points
    path = tmp_path / f"municipality-v{version}.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True))
    return path


def test_a_new_version_is_loaded_beside_the_old_one_and_used_for_new_tests(tmp_path):
    old = QuestionBank.objects.active_for("municipality")
    old_options = list(Option.objects.filter(question__section__bank=old).values_list("pk", "points"))
    call_command("load_question_banks", str(_new_version(tmp_path, version=2, points=2)))
    new = QuestionBank.objects.active_for("municipality")
    assert new.version == 2 and new.sections.get(slug="organisation-forankring").max_points == 6
    old.refresh_from_db()
    assert not old.is_active
    assert list(Option.objects.filter(question__section__bank=old).values_list("pk", "points")) == old_options
    assert old.sections.get(slug="organisation-forankring").max_points == 5


def test_a_known_version_with_other_content_is_refused(tmp_path):
    with pytest.raises(CommandError, match="already loaded with other content"):
        call_command("load_question_banks", str(_new_version(tmp_path, version=1, points=2)))
    assert QuestionBank.objects.filter(kind="municipality").count() == 1


def test_a_new_version_can_be_loaded_without_activating_it(tmp_path):
    call_command("load_question_banks", "--inactive", str(_new_version(tmp_path, version=2, points=2)))
    assert QuestionBank.objects.active_for("municipality").version == 1


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda d: d["sections"][1].update(max_points=16), "max_points is 16 but the questions add up to 15"),
        (lambda d: d["sections"][1]["questions"][0].update(requirement="R9"), "requirement must be one of"),
        (lambda d: d["sections"][1]["questions"][0]["text"].pop("en"), "needs both Swedish"),
        (lambda d: d["sections"][2].update(slug="summary"), "not reserved"),
        (lambda d: d["sections"].reverse(), "the first section, and only it, must be the gate"),
        (lambda d: d["sections"][2]["questions"][0].update(code="1.1"), "used twice"),
        (lambda d: d["metadata"].pop("source"), "metadata.source"),
    ],
)
def test_a_broken_bank_file_is_refused_with_a_clear_message(change, message):
    data = yaml.safe_load(next(p for p in shipped_bank_files() if p.name == "municipality-v1.yaml").read_text())
    change(data)
    with pytest.raises(BankFileError, match=message):
        normalise(data)


def test_shipped_files_are_named_after_their_kind_and_version():
    for path in shipped_bank_files():
        bank = read_bank_file(path)
        assert path.name == f"{bank.kind}-v{bank.version}.yaml"
