"""Properties of every rule shape, checked over generated rules and populations (hypothesis)."""

from decimal import ROUND_HALF_UP, Decimal

from hypothesis import given
from hypothesis import strategies as st

from fees.rules import MAX_INHABITANTS, Rule, Schedule, Shape, annual_fee

amounts = st.decimals(min_value=0, max_value=1_000_000, places=2)
rates = st.decimals(min_value=0, max_value=10, places=4)
inhabitants = st.integers(min_value=1, max_value=MAX_INHABITANTS)

rules = st.one_of(
    st.builds(Rule, shape=st.just(Shape.CAPPED_AMOUNT), base=amounts, rate=rates, cap_amount=amounts),
    st.builds(
        Rule,
        shape=st.just(Shape.CAPPED_INHABITANTS),
        base=amounts,
        rate=rates,
        cap_inhabitants=st.integers(min_value=1, max_value=MAX_INHABITANTS),
    ),
    st.builds(Rule, shape=st.just(Shape.FLAT), flat_amount=amounts),
)


def fee_of(rule, count):
    return annual_fee(Schedule(2030, {"municipality": rule}), "municipality", count)


@given(rule=rules, smaller=inhabitants, larger=inhabitants)
def test_fee_never_decreases_as_inhabitants_grow(rule, smaller, larger):
    smaller, larger = sorted((smaller, larger))
    assert fee_of(rule, smaller).exact <= fee_of(rule, larger).exact


@given(rule=rules, count=inhabitants)
def test_fee_never_exceeds_the_cap(rule, count):
    assert fee_of(rule, count).exact <= rule.maximum()


@given(rule=rules, count=inhabitants)
def test_due_is_exact_rounded_half_up_to_whole_kronor(rule, count):
    result = fee_of(rule, count)
    assert result.exact == result.exact.quantize(Decimal("0.01"))
    assert result.due == result.exact.quantize(Decimal(1), rounding=ROUND_HALF_UP)
    assert abs(result.due - result.exact) <= Decimal("0.5")


@given(count=inhabitants)
def test_2023_municipal_fee_is_the_formula_up_to_150000_inhabitants(count):
    rule = Rule(Shape.CAPPED_INHABITANTS, base=Decimal(4000), rate=Decimal("0.30"), cap_inhabitants=150_000)
    assert fee_of(rule, count).exact == Decimal(4000) + Decimal("0.30") * min(count, 150_000)
