"""The scoring rules, table-driven, on plain data: no database, no Django."""

from decimal import Decimal

import pytest

from evaluation import scoring
from evaluation.scoring import AnswerInput, Tally

from .scoring_helpers import DECIDED, answers, best, one_question_bank, shipped_spec, worst

MUNICIPAL_MAXIMA = {
    "mal-atgarder-uppfoljning": 15,
    "organisation-forankring": 5,
    "transporter": 12,
    "energi": 11,
    "samhallsplanering-byggande": 10,
    "upphandling-inkop": 8,
    "kommunikation-samarbete": 5,
}
REGIONAL_MAXIMA = {
    "ledarskap-natverk-samordning": 15,
    "regionens-egen-verksamhet": 15,
    "transporter-samhallsplanering": 12,
    "energi": 8,
}


@pytest.mark.parametrize(
    ("kind", "maxima", "total"), [("municipality", MUNICIPAL_MAXIMA, 66), ("region", REGIONAL_MAXIMA, 50)]
)
def test_full_marks_give_the_whole_maximum(kind, maxima, total):
    spec = shipped_spec(kind)
    result = scoring.score(spec, answers(spec), contacts_complete=True)
    assert result.total == Tally(total, total)
    assert result.total.percent == Decimal("100.0")
    assert {s.slug: (s.tally.points, s.tally.max_points) for s in result.sections[1:]} == {
        slug: (m, m) for slug, m in maxima.items()
    }
    assert result.gate.passed and result.band == scoring.BAND_OFFER
    assert result.missing == () and result.dont_know == () and result.inconsistent == ()


@pytest.mark.parametrize("kind", ["municipality", "region"])
def test_each_section_max_is_the_sum_of_its_questions_best_options(kind):
    for section in shipped_spec(kind).sections:
        assert section.max_points == sum(q.max_points for q in section.questions), section.slug


@pytest.mark.parametrize("kind", ["municipality", "region"])
def test_requirement_maxima_add_up_to_the_total(kind):
    spec = shipped_spec(kind)
    result = scoring.score(spec, answers(spec), contacts_complete=True)
    assert sum(t.max_points for _, t in result.requirements) == result.total.max_points
    assert [code for code, _ in result.requirements] == ["R1", "R2", "R3", "R4"]
    assert all(t.max_points > 0 for _, t in result.requirements)


def test_not_applicable_removes_the_question_from_the_max():
    spec = shipped_spec("municipality")
    result = scoring.score(spec, answers(spec, **{"2_4": AnswerInput(not_applicable=True)}), contacts_complete=True)
    assert result.section("organisation-forankring").tally == Tally(4, 4)
    assert result.total == Tally(65, 65)


def test_not_applicable_everywhere_in_a_section_removes_the_section_from_the_max():
    section = scoring.SectionSpec(
        "s",
        False,
        3,
        (
            scoring.QuestionSpec(
                "1",
                scoring.YES_NO,
                "R3",
                allows_not_applicable=True,
                options=(scoring.OptionSpec("y", 1), scoring.OptionSpec("n", 0)),
            ),
            scoring.QuestionSpec(
                "2",
                scoring.CHOICE,
                "R3",
                allows_not_applicable=True,
                options=(scoring.OptionSpec("a", 0), scoring.OptionSpec("b", 2)),
            ),
        ),
    )
    other = scoring.SectionSpec(
        "t",
        False,
        2,
        (
            scoring.QuestionSpec(
                "3", scoring.CHOICE, "R3", options=(scoring.OptionSpec("c", 1), scoring.OptionSpec("d", 2))
            ),
        ),
    )
    gate = scoring.SectionSpec("g", True, 0, (scoring.QuestionSpec("G1", scoring.DECISION, "R1"),))
    spec = scoring.BankSpec("municipality", 1, Decimal(60), Decimal(40), (gate, section, other))
    na = AnswerInput(not_applicable=True)
    result = scoring.score(
        spec, {"G1": DECIDED, "1": na, "2": na, "3": AnswerInput(option="c")}, contacts_complete=True
    )
    assert result.section("s").tally == Tally(0, 0)
    assert result.section("s").tally.percent is None
    assert result.total == Tally(1, 2)
    assert result.missing == ()


def test_not_applicable_is_ignored_where_the_question_does_not_allow_it():
    spec = shipped_spec("municipality")  # 1.1 does not allow "Ej tillämpligt"
    result = scoring.score(spec, answers(spec, **{"1_1": AnswerInput(not_applicable=True)}), contacts_complete=True)
    assert result.total == Tally(64, 66)
    assert scoring.Missing("mal-atgarder-uppfoljning", "1.1") in result.missing


def test_dont_know_scores_zero_stays_in_the_max_and_is_flagged():
    spec = shipped_spec("municipality")
    given = answers(spec, **{"3_2": AnswerInput(dont_know=True), "6_2": AnswerInput(dont_know=True)})
    result = scoring.score(spec, given, contacts_complete=True)
    assert result.section("transporter").tally == Tally(9, 12)
    assert result.total == Tally(60, 66)
    assert result.dont_know == ("3.2", "6.2")
    assert result.missing == ()  # "Vet ej" is an answer


@pytest.mark.parametrize(
    ("gate_answers", "contacts", "failing"),
    [
        ({"G1": AnswerInput(decision="no")}, True, ("G1",)),
        ({"G2": AnswerInput(decision="planned")}, True, ("G2",)),
        ({"G4": AnswerInput()}, True, ("G4",)),
        ({}, False, ("G5",)),
        ({"G1": AnswerInput(decision="no"), "G3": AnswerInput(decision="planned")}, False, ("G1", "G3", "G5")),
    ],
)
def test_a_failed_gate_gives_the_observer_advice_whatever_the_score(gate_answers, contacts, failing):
    spec = shipped_spec("municipality")
    result = scoring.score(spec, answers(spec, **gate_answers), contacts_complete=contacts)
    assert result.total == Tally(66, 66)
    assert not result.gate.passed
    assert result.gate.failing == failing
    assert result.band == scoring.BAND_OBSERVER


@pytest.mark.parametrize(
    ("points", "percent", "band"),
    [
        (0, "0.0", scoring.BAND_OBSERVER),
        (399, "39.9", scoring.BAND_OBSERVER),
        (400, "40.0", scoring.BAND_DIALOGUE),
        (599, "59.9", scoring.BAND_DIALOGUE),
        (600, "60.0", scoring.BAND_OFFER),
        (1000, "100.0", scoring.BAND_OFFER),
    ],
)
def test_band_boundaries(points, percent, band):
    spec = one_question_bank([0, 399, 400, 599, 600, 1000])
    result = scoring.score(spec, {"G1": DECIDED, "1.1": AnswerInput(option=str(points))}, contacts_complete=True)
    assert result.total.percent == Decimal(percent)
    assert result.band == band


def test_thresholds_come_from_the_bank_version():
    spec = one_question_bank([0, 50, 100], offer="75", dialogue="50")
    chosen = {"G1": DECIDED, "1.1": AnswerInput(option="50")}
    assert scoring.score(spec, chosen, contacts_complete=True).band == scoring.BAND_DIALOGUE


@pytest.mark.parametrize(
    ("points", "max_points", "shown", "band"),
    [
        # 39.99 % is shown as 39.9 and is below 40; 59.97 % is shown as 59.9 and is no offer.
        (3999, 10000, "39.9", scoring.BAND_OBSERVER),
        (5997, 10000, "59.9", scoring.BAND_DIALOGUE),
        (40, 66, "60.6", scoring.BAND_OFFER),
        (26, 66, "39.3", scoring.BAND_OBSERVER),
        (27, 66, "40.9", scoring.BAND_DIALOGUE),
    ],
)
def test_shown_percent_is_rounded_down_so_it_never_contradicts_the_band(points, max_points, shown, band):
    total = Tally(points, max_points)
    assert total.percent == Decimal(shown)
    assert scoring.advice_band(total, gate_passed=True, offer=Decimal(60), dialogue=Decimal(40)) == band


def test_a_requirement_decided_yes_with_no_points_is_flagged_inconsistent():
    spec = shipped_spec("municipality")
    zero_r1 = {
        code: AnswerInput(option=min(q.options, key=lambda o: o.points).key)
        for s, q in spec.questions()
        if q.requirement == "R1" and q.is_scored
        for code in [q.code]
    }
    result = scoring.score(
        spec, answers(spec, **{k.replace(".", "_"): v for k, v in zero_r1.items()}), contacts_complete=True
    )
    assert dict(result.requirements)["R1"] == Tally(0, 5)
    assert result.inconsistent == ("R1",)


def test_no_inconsistency_when_the_decision_is_not_yes_or_nothing_is_answered():
    spec = shipped_spec("municipality")
    all_zero = answers(spec, pick=worst, G1=AnswerInput(decision="no"))
    assert "R1" not in scoring.score(spec, all_zero, contacts_complete=True).inconsistent
    only_gate = {q.code: best(q) for s, q in spec.questions() if s.is_gate}
    assert scoring.score(spec, only_gate, contacts_complete=True).inconsistent == ()


def test_missing_required_answers_and_decision_details_are_listed():
    spec = shipped_spec("municipality")
    given = answers(spec)
    del given["1.4"]
    given["G2"] = AnswerInput(decision="yes", decision_date=True)
    given["G3"] = AnswerInput(decision="planned")  # details are asked only for a decision taken
    del given["1.9"]  # optional
    result = scoring.score(spec, given, contacts_complete=True)
    assert result.missing == (
        scoring.Missing("baskrav", "G2", "body"),
        scoring.Missing("baskrav", "G2", "reference"),
        scoring.Missing("baskrav", "G2", "minutes"),
        scoring.Missing("mal-atgarder-uppfoljning", "1.4", "answer"),
    )


def test_an_option_of_another_question_is_no_answer():
    spec = shipped_spec("municipality")
    result = scoring.score(spec, answers(spec, **{"1_1": AnswerInput(option="no-such-option")}), contacts_complete=True)
    assert result.total == Tally(64, 66)
    assert scoring.Missing("mal-atgarder-uppfoljning", "1.1") in result.missing


def test_scoring_is_deterministic_and_survives_a_json_round_trip():
    spec = shipped_spec("region")
    given = answers(spec, pick=worst, **{"2_2": AnswerInput(dont_know=True), "G4": AnswerInput(decision="planned")})
    first = scoring.score(spec, given, contacts_complete=False)
    assert scoring.score(spec, dict(reversed(list(given.items()))), contacts_complete=False) == first
    assert scoring.Result.from_dict(first.to_dict()) == first


def test_scoring_imports_nothing_from_django():
    import ast
    import inspect

    tree = ast.parse(inspect.getsource(scoring))
    imported = {n.module or "" for n in ast.walk(tree) if isinstance(n, ast.ImportFrom)}
    imported |= {a.name for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names}
    assert not any(name.startswith("django") for name in imported)
