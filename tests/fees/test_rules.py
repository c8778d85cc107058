"""The fee arithmetic, without a database: every example of issue 3 and the edges of each cap."""

from decimal import Decimal

import pytest

from fees.rules import (
    MAX_INHABITANTS,
    FeeError,
    Kind,
    Rule,
    Schedule,
    Shape,
    annual_fee,
    check_inhabitants,
    parse_inhabitants,
    parse_year,
    round_due,
    schedule_for_year,
)

D = Decimal

# The decisions of DOMAIN.md §1.6, as the data migration seeds them.
RULE_2019_MUNICIPALITY = Rule(Shape.CAPPED_AMOUNT, base=D("4000"), rate=D("0.25"), cap_amount=D("36000"))
RULE_2019_REGION = Rule(Shape.CAPPED_AMOUNT, base=D("4000"), rate=D("0.10"), cap_amount=D("36000"))
SCHEDULES = [
    Schedule(2018, {"municipality": RULE_2019_MUNICIPALITY, "region": RULE_2019_REGION}),
    Schedule(2019, {"municipality": RULE_2019_MUNICIPALITY, "region": RULE_2019_REGION}),
    Schedule(
        2023,
        {
            "municipality": Rule(Shape.CAPPED_INHABITANTS, base=D("4000"), rate=D("0.30"), cap_inhabitants=150_000),
            "region": Rule(Shape.FLAT, flat_amount=D("49000")),
        },
    ),
]


def fee(year, kind, inhabitants, **options):
    return annual_fee(schedule_for_year(SCHEDULES, year), kind, inhabitants, **options)


@pytest.mark.parametrize(
    ("year", "kind", "inhabitants", "exact", "due", "schedule_year"),
    [
        # The table of issue 3.
        (2023, "municipality", 10_000, "7000.00", "7000", 2023),
        (2023, "municipality", 1_005, "4301.50", "4302", 2023),
        (2023, "municipality", 150_000, "49000.00", "49000", 2023),
        (2023, "municipality", 200_000, "49000.00", "49000", 2023),
        (2023, "region", 1, "49000.00", "49000", 2023),
        (2023, "region", 60_000, "49000.00", "49000", 2023),
        (2023, "region", 2_400_000, "49000.00", "49000", 2023),
        (2019, "municipality", 100_000, "29000.00", "29000", 2019),
        (2019, "municipality", 200_000, "36000.00", "36000", 2019),
        (2019, "region", 300_000, "34000.00", "34000", 2019),
        (2026, "municipality", 10_000, "7000.00", "7000", 2023),
        # DESIGN.md §2: Sorsele, 2 535 inhabitants, 4 760,50 kr exact, 4 761 kr due.
        (2023, "municipality", 2_535, "4760.50", "4761", 2023),
        # 0,30 × 2 454 is 736,1999… in float; exact it is 736,20.
        (2023, "municipality", 2_454, "4736.20", "4736", 2023),
        # Years between decisions follow the earlier one.
        (2018, "municipality", 100_000, "29000.00", "29000", 2018),
        (2021, "region", 100_000, "14000.00", "14000", 2019),
        (2022, "municipality", 1_005, "4251.25", "4251", 2019),
    ],
)
def test_fee_of_the_known_decisions(year, kind, inhabitants, exact, due, schedule_year):
    result = fee(year, kind, inhabitants)
    assert (result.exact, result.due, result.schedule_year) == (D(exact), D(due), schedule_year)
    assert result.exact.as_tuple().exponent == -2
    assert result.due.as_tuple().exponent == 0


def test_float_would_be_wrong_where_decimal_is_exact():
    assert 0.3 * 2454 != 736.2
    assert fee(2023, "municipality", 2454).breakdown.subtotal == D("4736.20")


@pytest.mark.parametrize(
    ("year", "kind", "inhabitants", "exact", "capped"),
    [
        # 2019 municipalities: 4 000 + 0,25 × n reaches 36 000 at 128 000 inhabitants.
        (2019, "municipality", 127_999, "35999.75", False),
        (2019, "municipality", 128_000, "36000.00", False),
        (2019, "municipality", 128_001, "36000.00", True),
        # 2019 regions: 4 000 + 0,10 × n reaches 36 000 at 320 000 inhabitants.
        (2019, "region", 319_999, "35999.90", False),
        (2019, "region", 320_000, "36000.00", False),
        (2019, "region", 320_001, "36000.00", True),
        # 2023 municipalities: inhabitants count up to 150 000.
        (2023, "municipality", 149_999, "48999.70", False),
        (2023, "municipality", 150_000, "49000.00", False),
        (2023, "municipality", 150_001, "49000.00", True),
    ],
)
def test_boundaries_around_each_cap(year, kind, inhabitants, exact, capped):
    result = fee(year, kind, inhabitants)
    assert result.exact == D(exact)
    assert result.breakdown.capped is capped


def test_breakdown_holds_the_parts_of_the_sum():
    parts = fee(2023, "municipality", 1005).breakdown
    assert (parts.shape, parts.base, parts.rate, parts.counted_inhabitants) == (
        Shape.CAPPED_INHABITANTS,
        D("4000"),
        D("0.30"),
        1005,
    )
    capped = fee(2023, "municipality", 200_000).breakdown
    assert (capped.inhabitants, capped.counted_inhabitants, capped.cap_inhabitants) == (200_000, 150_000, 150_000)
    over = fee(2019, "municipality", 200_000).breakdown
    assert (over.subtotal, over.cap_amount, over.capped) == (D("54000.00"), D("36000"), True)
    flat = fee(2023, "region", 5).breakdown
    assert (flat.shape, flat.flat_amount) == (Shape.FLAT, D("49000"))


@pytest.mark.parametrize(
    ("exact", "due"),
    [("4760.50", "4761"), ("4760.49", "4760"), ("4761.50", "4762"), ("0.50", "1"), ("7000.00", "7000")],
)
def test_due_is_rounded_half_up_not_to_even(exact, due):
    assert round_due(D(exact)) == D(due)


def test_gotland_pays_by_the_rule_the_decision_names():
    municipality_rule = fee(2023, "municipality", 60_000)
    region_rule = fee(2023, "municipality", 60_000, gotland=True)
    assert municipality_rule.exact == D("22000.00")
    assert region_rule.exact == D("49000.00")
    assert region_rule.breakdown.rule_kind is Kind.REGION and region_rule.kind is Kind.MUNICIPALITY
    by_municipality = Schedule(2023, SCHEDULES[2].rules, gotland_rule=Kind.MUNICIPALITY)
    assert annual_fee(by_municipality, "region", 60_000, gotland=True).exact == D("22000.00")


def test_a_year_before_the_first_decision_is_an_error_not_a_guess():
    with pytest.raises(FeeError) as raised:
        fee(2017, "municipality", 10_000)
    assert raised.value.code == "no_schedule"
    assert raised.value.params == {"year": 2017, "first_year": 2018}
    assert "2018" in str(raised.value)


def test_no_decisions_at_all_is_an_error():
    with pytest.raises(FeeError) as raised:
        schedule_for_year([], 2023)
    assert raised.value.code == "no_schedules"


def test_schedule_for_year_does_not_depend_on_the_order_given():
    assert schedule_for_year(reversed(SCHEDULES), 2020).year == 2019


@pytest.mark.parametrize(
    ("inhabitants", "code"),
    [
        (0, "inhabitants_not_positive"),
        (-5, "inhabitants_not_positive"),
        (10.5, "inhabitants_not_whole"),
        (1000.0, "inhabitants_not_whole"),  # a float is never a count here
        (D("10.5"), "inhabitants_not_whole"),
        (D("NaN"), "inhabitants_not_whole"),
        (D("Infinity"), "inhabitants_not_whole"),
        (D("1E+999999"), "inhabitants_too_large"),
        ("1000", "inhabitants_not_whole"),
        (None, "inhabitants_not_whole"),
        (True, "inhabitants_not_whole"),
        (MAX_INHABITANTS + 1, "inhabitants_too_large"),
        (10**100, "inhabitants_too_large"),
    ],
)
def test_bad_inhabitants_raise_a_coded_error(inhabitants, code):
    with pytest.raises(FeeError) as raised:
        fee(2023, "municipality", inhabitants)
    assert raised.value.code == code


def test_the_largest_allowed_body_and_whole_decimals_are_accepted():
    assert fee(2019, "municipality", MAX_INHABITANTS).exact == D("36000.00")
    assert check_inhabitants(D("1005")) == 1005


@pytest.mark.parametrize("kind", ["kommun", "", "Municipality", None, 3])
def test_unknown_kind_is_an_error(kind):
    with pytest.raises(FeeError) as raised:
        fee(2023, kind, 1000)
    assert raised.value.code == "unknown_kind"


@pytest.mark.parametrize(
    ("text", "expected"),
    [("1005", 1005), (" 10 000 ", 10_000), ("10\u00a0000", 10_000), ("10\u202f000", 10_000), ("007", 7)],
)
def test_typed_inhabitants_are_read(text, expected):
    assert parse_inhabitants(text) == expected


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("", "inhabitants_missing"),
        ("   ", "inhabitants_missing"),
        ("0", "inhabitants_not_positive"),
        ("-1", "inhabitants_not_positive"),
        ("−1", "inhabitants_not_positive"),
        ("1e9", "inhabitants_not_whole"),
        ("10.5", "inhabitants_not_whole"),
        ("1,005", "inhabitants_not_whole"),
        ("١٢", "inhabitants_not_whole"),  # int() would read these Arabic-Indic digits as 12
        ("²", "inhabitants_not_whole"),
        ("12\x00", "inhabitants_not_whole"),
        ("abc", "inhabitants_not_whole"),
        ("10000001", "inhabitants_too_large"),
        ("9" * 5000, "inhabitants_too_large"),  # past int()'s own 4 300-digit limit
    ],
)
def test_bad_typed_inhabitants_raise_a_coded_error(text, code):
    with pytest.raises(FeeError) as raised:
        parse_inhabitants(text)
    assert raised.value.code == code


@pytest.mark.parametrize(
    ("text", "code"),
    [("", "year_missing"), ("23", "year_invalid"), ("2023.0", "year_invalid"), ("٢٠٢٣", "year_invalid")],
)
def test_bad_years_raise_a_coded_error(text, code):
    with pytest.raises(FeeError) as raised:
        parse_year(text)
    assert raised.value.code == code


def test_a_year_is_read():
    assert parse_year(" 2023 ") == 2023


@pytest.mark.parametrize(
    "parts",
    [
        {"shape": Shape.FLAT},
        {"shape": Shape.FLAT, "flat_amount": D("49000"), "base": D("4000")},
        {"shape": Shape.CAPPED_AMOUNT, "base": D("4000"), "rate": D("0.25")},
        {
            "shape": Shape.CAPPED_AMOUNT,
            "base": D("4000"),
            "rate": D("0.25"),
            "cap_amount": D("1"),
            "cap_inhabitants": 5,
        },
        {"shape": Shape.CAPPED_INHABITANTS, "base": D("4000"), "rate": D("0.30"), "cap_inhabitants": 0},
        {"shape": Shape.CAPPED_INHABITANTS, "base": D("-1"), "rate": D("0.30"), "cap_inhabitants": 5},
        {"shape": Shape.FLAT, "flat_amount": D("NaN")},
        {"shape": "flat", "flat_amount": D("49000")},
    ],
)
def test_a_rule_has_exactly_the_amounts_of_its_shape(parts):
    with pytest.raises(FeeError) as raised:
        Rule(**parts)
    assert raised.value.code == "invalid_rule"


def test_a_schedule_without_a_rule_for_the_kind_is_an_error():
    with pytest.raises(FeeError) as raised:
        annual_fee(Schedule(2030, {"municipality": RULE_2019_MUNICIPALITY}), "region", 5)
    assert raised.value.code == "no_rule"


def test_fractions_of_an_ore_are_rounded_half_up_in_the_exact_fee():
    schedule = Schedule(
        2030, {"municipality": Rule(Shape.CAPPED_AMOUNT, base=D(0), rate=D("0.125"), cap_amount=D(100))}
    )
    assert annual_fee(schedule, "municipality", 3).exact == D("0.38")


def test_maximum_of_each_shape():
    assert RULE_2019_MUNICIPALITY.maximum() == D("36000.00")
    assert SCHEDULES[2].rules["municipality"].maximum() == D("49000.00")
    assert SCHEDULES[2].rules["region"].maximum() == D("49000.00")
