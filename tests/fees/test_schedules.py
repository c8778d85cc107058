"""Fee schedules in the database: the seeded decisions, the one in force, Region Gotland's rule."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from applications.models import Organisation
from fees.models import FeeSchedule
from fees.rules import FeeError, Shape
from fees.services import fee_for, find_organisation

pytestmark = pytest.mark.django_db
D = Decimal


def test_migration_seeds_the_three_known_decisions_with_their_sources():
    assert list(FeeSchedule.objects.order_by("year").values_list("year", flat=True)) == [2018, 2019, 2023]
    for schedule in FeeSchedule.objects.all():
        assert "klimatkommunerna.se" in schedule.note
        assert schedule.gotland_rule == "region"
        schedule.full_clean()


def test_seeded_2019_and_2023_rules():
    rule_2019 = FeeSchedule.objects.get(year=2019).as_schedule().rules
    assert rule_2019["municipality"].shape is Shape.CAPPED_AMOUNT
    assert (rule_2019["municipality"].rate, rule_2019["municipality"].cap_amount) == (D("0.25"), D("36000"))
    assert rule_2019["region"].rate == D("0.10")
    rule_2023 = FeeSchedule.objects.get(year=2023).as_schedule().rules
    assert rule_2023["municipality"].cap_inhabitants == 150_000
    assert (rule_2023["region"].shape, rule_2023["region"].flat_amount) == (Shape.FLAT, D("49000"))


@pytest.mark.parametrize(("year", "in_force"), [(2018, 2018), (2019, 2019), (2022, 2019), (2023, 2023), (2031, 2023)])
def test_schedule_in_force_is_the_latest_decided_for_that_year_or_before(year, in_force):
    assert FeeSchedule.objects.in_force(year).year == in_force


def test_no_schedule_before_the_first_decision():
    with pytest.raises(FeeError) as raised:
        FeeSchedule.objects.in_force(2017)
    assert raised.value.code == "no_schedule" and raised.value.params["first_year"] == 2018


def test_no_schedules_at_all():
    FeeSchedule.objects.all().delete()
    with pytest.raises(FeeError) as raised:
        FeeSchedule.objects.in_force(2023)
    assert raised.value.code == "no_schedules"


def test_a_new_decision_replaces_the_old_from_its_year():
    FeeSchedule.objects.create(
        year=2025,
        municipality_shape="flat",
        municipality_flat_amount=D("5000"),
        region_shape="flat",
        region_flat_amount=D("50000"),
    )
    assert fee_for(2024, kind="municipality", inhabitants=10_000).due == D("7000")
    assert fee_for(2025, kind="municipality", inhabitants=10_000).due == D("5000")
    assert fee_for(2026, kind="region", inhabitants=10_000).schedule_year == 2025


@pytest.mark.parametrize(
    ("year", "kind", "inhabitants", "exact", "due", "schedule_year"),
    [
        (2023, "municipality", 10_000, "7000.00", "7000", 2023),
        (2023, "municipality", 1_005, "4301.50", "4302", 2023),
        (2023, "region", 2_000_000, "49000.00", "49000", 2023),
        (2019, "municipality", 100_000, "29000.00", "29000", 2019),
        (2019, "region", 300_000, "34000.00", "34000", 2019),
        (2026, "municipality", 10_000, "7000.00", "7000", 2023),
    ],
)
def test_fee_for_a_kind_and_inhabitants(year, kind, inhabitants, exact, due, schedule_year):
    quote = fee_for(year, kind=kind, inhabitants=inhabitants)
    assert (quote.exact, quote.due, quote.schedule_year) == (D(exact), D(due), schedule_year)
    assert quote.organisation is None and quote.population_date is None


def test_fee_for_an_organisation_uses_its_reference_population():
    sorsele = Organisation.objects.get(code="2422")
    quote = fee_for(2023, organisation=sorsele)
    assert (quote.inhabitants, quote.exact, quote.due) == (2535, D("4760.50"), D("4761"))
    assert quote.population_date == datetime.date(2016, 12, 31)
    with translation.override("sv"):
        assert quote.decision_label == "årsmötets beslut 2023"
        assert quote.population_text == "folkmängd 31 december 2016"
        assert quote.breakdown_text == "4\u00a0000\u00a0kr + 0,30\u00a0kr × 2\u00a0535 invånare = 4\u00a0760,50\u00a0kr"
        assert quote.body_text == "Sorsele kommun: 2\u00a0535 invånare (folkmängd 31 december 2016)"
    with translation.override("en"):
        assert quote.decision_label == "annual meeting decision 2023"
        assert quote.population_text == "population on 31 December 2016"


def test_inhabitants_given_with_an_organisation_replace_its_reference_figure():
    sorsele = Organisation.objects.get(code="2422")
    quote = fee_for(2023, organisation=sorsele, inhabitants=3000)
    assert (quote.inhabitants, quote.exact, quote.population_date) == (3000, D("4900.00"), None)
    with translation.override("en"):
        assert "reference figure is 2,535" in quote.body_text


def test_a_kind_that_contradicts_the_organisation_is_an_error():
    with pytest.raises(FeeError) as raised:
        fee_for(2023, organisation=Organisation.objects.get(code="0180"), kind="region")
    assert raised.value.code == "organisation_and_kind"


@pytest.mark.parametrize(
    ("options", "code"),
    [
        ({}, "kind_missing"),
        ({"kind": "municipality"}, "inhabitants_missing"),
        ({"kind": "county", "inhabitants": 5}, "unknown_kind"),
        ({"kind": "municipality", "inhabitants": 0}, "inhabitants_not_positive"),
    ],
)
def test_fee_for_refuses_incomplete_questions(options, code):
    with pytest.raises(FeeError) as raised:
        fee_for(2023, **options)
    assert raised.value.code == code


def test_gotland_follows_the_rule_the_schedule_names():
    gotland = Organisation.objects.get(code="0980")  # the municipality; 57 255 inhabitants in 2016
    assert gotland.kind == "municipality" and gotland.is_gotland
    by_region = fee_for(2023, organisation=gotland)
    assert by_region.due == D("49000") and by_region.rule_kind == "region"

    schedule = FeeSchedule.objects.get(year=2023)
    schedule.gotland_rule = "municipality"
    schedule.save()
    by_municipality = fee_for(2023, organisation=gotland)
    assert by_municipality.rule_kind == "municipality"
    assert by_municipality.exact == D(4000) + D("0.30") * gotland.population
    # Other municipalities are not affected by the Gotland rule.
    assert fee_for(2023, organisation=Organisation.objects.get(code="2422")).due == D("4761")


def test_gotland_as_a_region_pays_by_the_region_rule_by_default():
    assert fee_for(2019, organisation=Organisation.objects.get(code="09")).rule_kind == "region"


@pytest.mark.parametrize(
    ("code", "error"),
    [
        ("", "organisation_invalid"),
        ("180", "organisation_invalid"),
        ("abcd", "organisation_invalid"),
        ("٠١٨٠", "organisation_invalid"),
        ("9999", "unknown_organisation"),
        ("99", "unknown_organisation"),
    ],
)
def test_find_organisation_refuses_bad_codes(code, error):
    with pytest.raises(FeeError) as raised:
        find_organisation(code)
    assert raised.value.code == error


def test_find_organisation_by_kommunkod_and_lanskod():
    assert find_organisation("0180").name == "Stockholms kommun"
    assert find_organisation(" 01 ").kind == "region"


@pytest.mark.parametrize(
    ("values", "bad_fields"),
    [
        ({"municipality_flat_amount": None}, {"municipality_flat_amount"}),
        (
            {"municipality_shape": "flat", "municipality_flat_amount": D(1), "municipality_base": D(4000)},
            {"municipality_base"},
        ),
        (
            {"region_shape": "capped_amount", "region_flat_amount": None, "region_base": D(1), "region_rate": D(1)},
            {"region_cap_amount"},
        ),
        (
            {
                "region_shape": "capped_inhabitants",
                "region_flat_amount": None,
                "region_base": D(1),
                "region_rate": D(1),
                "region_cap_amount": D(9),
            },
            {"region_cap_inhabitants", "region_cap_amount"},
        ),
    ],
)
def test_clean_requires_exactly_the_amounts_of_each_shape(values, bad_fields):
    schedule = FeeSchedule(
        year=2030,
        municipality_shape="flat",
        municipality_flat_amount=D(100),
        region_shape="flat",
        region_flat_amount=D(100),
    )
    for name, value in values.items():
        setattr(schedule, name, value)
    with pytest.raises(ValidationError) as raised:
        schedule.full_clean()
    assert set(raised.value.message_dict) == bad_fields


def test_a_complete_schedule_is_valid():
    FeeSchedule(
        year=2030,
        municipality_shape="capped_inhabitants",
        municipality_base=D(4000),
        municipality_rate=D("0.3"),
        municipality_cap_inhabitants=150_000,
        region_shape="flat",
        region_flat_amount=D(49000),
    ).full_clean()


def test_a_schedule_saved_past_clean_gives_a_fee_error_not_a_crash():
    FeeSchedule.objects.create(year=2030, municipality_shape="flat", region_shape="flat")
    with pytest.raises(FeeError) as raised:
        fee_for(2030, kind="municipality", inhabitants=5)
    assert raised.value.code == "invalid_rule"
