"""Amounts and breakdowns in Swedish and English (no database)."""

from decimal import Decimal

import pytest
from django.template import Context, Template
from django.utils import translation

from fees.formatting import (
    describe_breakdown,
    describe_error,
    describe_rule,
    format_kronor,
    format_number,
)
from fees.rules import FeeError, Kind, Rule, Schedule, Shape, annual_fee

NBSP = "\u00a0"
D = Decimal
RULES_2023 = {
    "municipality": Rule(Shape.CAPPED_INHABITANTS, base=D("4000"), rate=D("0.30"), cap_inhabitants=150_000),
    "region": Rule(Shape.FLAT, flat_amount=D("49000")),
}
RULE_2019 = Rule(Shape.CAPPED_AMOUNT, base=D("4000.00"), rate=D("0.2500"), cap_amount=D("36000.00"))


def breakdown(schedule_rules, kind, inhabitants, **options):
    return annual_fee(Schedule(2023, schedule_rules), kind, inhabitants, **options).breakdown


@pytest.mark.parametrize(
    ("value", "places", "sv", "en"),
    [
        (D("4301.5"), 2, f"4{NBSP}301,50{NBSP}kr", f"SEK{NBSP}4,301.50"),
        (D("4302"), 0, f"4{NBSP}302{NBSP}kr", f"SEK{NBSP}4,302"),
        (D("49000.00"), 2, f"49{NBSP}000,00{NBSP}kr", f"SEK{NBSP}49,000.00"),
        (D("1234567.891"), 2, f"1{NBSP}234{NBSP}567,89{NBSP}kr", f"SEK{NBSP}1,234,567.89"),
        (D("0.3000"), None, f"0,30{NBSP}kr", f"SEK{NBSP}0.30"),
        (D("0.125"), None, f"0,125{NBSP}kr", f"SEK{NBSP}0.125"),
        (D("4000.00"), None, f"4{NBSP}000{NBSP}kr", f"SEK{NBSP}4,000"),
        (D("999"), 2, f"999,00{NBSP}kr", f"SEK{NBSP}999.00"),
        (D("4760.50"), 0, f"4{NBSP}761{NBSP}kr", f"SEK{NBSP}4,761"),
    ],
)
def test_kronor_in_each_language(value, places, sv, en):
    assert format_kronor(value, places=places, language="sv") == sv
    assert format_kronor(value, places=places, language="en") == en


def test_numbers_follow_the_active_language():
    with translation.override("sv"):
        assert format_number(10_000_000) == f"10{NBSP}000{NBSP}000"
    with translation.override("en"):
        assert format_number(10_000_000) == "10,000,000"


@pytest.mark.parametrize(
    ("rules", "kind", "inhabitants", "options", "sv", "en"),
    [
        (
            RULES_2023,
            "municipality",
            1005,
            {},
            f"4{NBSP}000{NBSP}kr + 0,30{NBSP}kr × 1{NBSP}005 invånare = 4{NBSP}301,50{NBSP}kr",
            f"SEK{NBSP}4,000 + SEK{NBSP}0.30 × 1,005 inhabitants = SEK{NBSP}4,301.50",
        ),
        (
            RULES_2023,
            "municipality",
            200_000,
            {},
            f"4{NBSP}000{NBSP}kr + 0,30{NBSP}kr × 150{NBSP}000 invånare (bara 150{NBSP}000 av 200{NBSP}000 räknas)"
            f" = 49{NBSP}000,00{NBSP}kr",
            f"SEK{NBSP}4,000 + SEK{NBSP}0.30 × 150,000 inhabitants (only 150,000 of 200,000 count)"
            f" = SEK{NBSP}49,000.00",
        ),
        (
            RULES_2023,
            "region",
            5,
            {},
            f"fast avgift 49{NBSP}000,00{NBSP}kr",
            f"flat fee SEK{NBSP}49,000.00",
        ),
        (
            {"municipality": RULE_2019, "region": RULE_2019},
            "municipality",
            200_000,
            {},
            f"4{NBSP}000{NBSP}kr + 0,25{NBSP}kr × 200{NBSP}000 invånare = 54{NBSP}000,00{NBSP}kr, "
            f"men högst 36{NBSP}000{NBSP}kr: 36{NBSP}000,00{NBSP}kr",
            f"SEK{NBSP}4,000 + SEK{NBSP}0.25 × 200,000 inhabitants = SEK{NBSP}54,000.00, "
            f"at most SEK{NBSP}36,000: SEK{NBSP}36,000.00",
        ),
        (
            RULES_2023,
            "municipality",
            1,
            {},
            f"4{NBSP}000{NBSP}kr + 0,30{NBSP}kr × 1 invånare = 4{NBSP}000,30{NBSP}kr",
            f"SEK{NBSP}4,000 + SEK{NBSP}0.30 × 1 inhabitant = SEK{NBSP}4,000.30",
        ),
        (
            RULES_2023,
            "municipality",
            60_000,
            {"gotland": True},
            f"Enligt regionregeln: fast avgift 49{NBSP}000,00{NBSP}kr",
            f"By the region rule: flat fee SEK{NBSP}49,000.00",
        ),
    ],
)
def test_breakdown_in_each_language(rules, kind, inhabitants, options, sv, en):
    parts = breakdown(rules, kind, inhabitants, **options)
    with translation.override("sv"):
        assert describe_breakdown(parts) == sv
    with translation.override("en"):
        assert describe_breakdown(parts) == en


def test_rules_described_in_each_language():
    with translation.override("sv"):
        assert describe_rule(RULE_2019) == f"4{NBSP}000{NBSP}kr + 0,25{NBSP}kr per invånare, högst 36{NBSP}000{NBSP}kr"
        assert describe_rule(RULES_2023["municipality"]) == (
            f"4{NBSP}000{NBSP}kr + 0,30{NBSP}kr per invånare upp till 150{NBSP}000 invånare (högst 49{NBSP}000{NBSP}kr)"
        )
    with translation.override("en"):
        assert describe_rule(RULES_2023["region"]) == f"flat fee SEK{NBSP}49,000"


@pytest.mark.parametrize(
    ("error", "sv", "en"),
    [
        (FeeError("inhabitants_not_positive"), "större än 0", "greater than 0"),
        (FeeError("inhabitants_too_large", maximum=10_000_000), f"10{NBSP}000{NBSP}000", "10,000,000"),
        (FeeError("no_schedule", year=2017, first_year=2018), "2017", "2017"),
        (FeeError("unknown_organisation", code="9999"), "9999", "9999"),
        (FeeError("something_new"), "kunde inte beräknas", "could not be calculated"),
    ],
)
def test_errors_in_each_language(error, sv, en):
    with translation.override("sv"):
        assert sv in describe_error(error)
    with translation.override("en"):
        assert en in describe_error(error)


def test_no_schedule_error_names_the_first_decision_in_swedish():
    with translation.override("sv"):
        message = describe_error(FeeError("no_schedule", year=2017, first_year=2018))
    assert message == "Inget årsmötesbeslut anger avgiften för 2017: det första beslutet är från 2018."


@pytest.mark.parametrize(
    ("template", "context", "sv", "en"),
    [
        ("{{ x|kronor }}", {"x": D("4301.5")}, f"4{NBSP}301,50{NBSP}kr", f"SEK{NBSP}4,301.50"),
        ("{{ x|kronor:0 }}", {"x": D("4301.5")}, f"4{NBSP}302{NBSP}kr", f"SEK{NBSP}4,302"),
        ('{{ x|kronor:"auto" }}', {"x": D("0.30")}, f"0,30{NBSP}kr", f"SEK{NBSP}0.30"),
        ("{{ x|kronor }}", {"x": 7000}, f"7{NBSP}000,00{NBSP}kr", f"SEK{NBSP}7,000.00"),
        ("{{ x|thousands }}", {"x": 923516}, f"923{NBSP}516", "923,516"),
        ("[{{ x|kronor }}]", {"x": "not a number"}, "[]", "[]"),
        ("[{{ x|kronor }}]", {"x": None}, "[]", "[]"),
        ("[{{ missing|kronor }}]", {}, "[]", "[]"),
    ],
)
def test_template_filters(template, context, sv, en):
    compiled = Template("{% load fees %}" + template)
    with translation.override("sv"):
        assert compiled.render(Context(context)) == sv
    with translation.override("en"):
        assert compiled.render(Context(context)) == en


def test_kind_enum_and_model_choices_agree():
    from fees.models import FeeShape

    assert {choice.value for choice in FeeShape} == {shape.value for shape in Shape}
    assert {"municipality", "region"} == {kind.value for kind in Kind}
