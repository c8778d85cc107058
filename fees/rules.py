"""The fee arithmetic, as plain Python: exact Decimal sums, no Django.

The annual meeting (årsmötet) decides the fee for a year and kind of body; a decision applies
from its year until a later one replaces it (DESIGN.md §2 "Fee arithmetic"). Three shapes of rule
have been decided so far (DOMAIN.md §1.6):

- "capped_amount": base + rate × inhabitants, at most an amount (2018/2019: 4 000 kr + 0,25 kr per
  inhabitant, max 36 000 kr);
- "capped_inhabitants": base + rate × inhabitants, counting at most a number of inhabitants
  (2023 municipalities: 4 000 kr + 0,30 kr per inhabitant up to 150 000 inhabitants);
- "flat": one amount (2023 regions: 49 000 kr).

Errors carry a code and parameters, not prose, so the Django side can say them in the user's
language; the English messages below are the msgids of those translations.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum
from typing import TypeVar

_T = TypeVar("_T")

# A body larger than this is a typing error, not a municipality (Sweden has ~10.6 million people).
MAX_INHABITANTS = 10_000_000
ORE = Decimal("0.01")
KRONA = Decimal("1")
# Thin and non-breaking spaces are what Swedish text (and copied SCB figures) group digits with.
_GROUP_SEPARATORS = frozenset(" \u00a0\u202f\u2009")


def gettext_noop(message: str) -> str:
    """Mark a message for Django's makemessages without importing Django: this module stays pure."""
    return message


class Kind(StrEnum):
    MUNICIPALITY = "municipality"
    REGION = "region"


class Shape(StrEnum):
    CAPPED_AMOUNT = "capped_amount"
    CAPPED_INHABITANTS = "capped_inhabitants"
    FLAT = "flat"


# The amounts each shape needs; every other amount must be left empty (FeeSchedule.clean agrees).
SHAPE_PARTS: dict[Shape, tuple[str, ...]] = {
    Shape.CAPPED_AMOUNT: ("base", "rate", "cap_amount"),
    Shape.CAPPED_INHABITANTS: ("base", "rate", "cap_inhabitants"),
    Shape.FLAT: ("flat_amount",),
}
RULE_PARTS: tuple[str, ...] = ("base", "rate", "cap_amount", "cap_inhabitants", "flat_amount")

MESSAGES: dict[str, str] = {
    "inhabitants_missing": gettext_noop("Enter the number of inhabitants."),
    "inhabitants_not_whole": gettext_noop(
        "Enter the number of inhabitants as a whole number, digits only (for example 10000)."
    ),
    "inhabitants_not_positive": gettext_noop("The number of inhabitants must be greater than 0."),
    "inhabitants_too_large": gettext_noop("The number of inhabitants can be at most %(maximum)s."),
    "kind_missing": gettext_noop("Choose municipality or region."),
    "unknown_kind": gettext_noop("The kind of body must be “municipality” or “region”."),
    "year_missing": gettext_noop("Enter the year of the fee."),
    "year_invalid": gettext_noop("Enter the year as four digits, for example %(example)s."),
    "no_schedules": gettext_noop("No annual meeting decision on the fee has been entered yet."),
    "no_schedule": gettext_noop(
        "No annual meeting decision sets the fee for %(year)s: the first decision is from %(first_year)s."
    ),
    "no_rule": gettext_noop("The decision of %(year)s has no rule for this kind of body."),
    "invalid_rule": gettext_noop("The fee rule is incomplete or has amounts its shape does not use."),
}


class FeeError(ValueError):
    """Bad input or missing decision: `code` says which (a key of MESSAGES), `params` fill it in."""

    def __init__(self, code: str, /, **params: object) -> None:
        self.code = code
        self.params = params
        template = MESSAGES.get(code, code)
        try:
            message = template % params if params else template
        except (KeyError, TypeError, ValueError):
            message = template
        super().__init__(message)


@dataclass(frozen=True)
class Rule:
    """One kind of body's rule in one decision; only the amounts of its shape are set."""

    shape: Shape
    base: Decimal | None = None
    rate: Decimal | None = None
    cap_amount: Decimal | None = None
    cap_inhabitants: int | None = None
    flat_amount: Decimal | None = None

    def __post_init__(self) -> None:
        if not isinstance(self.shape, Shape):
            raise FeeError("invalid_rule")
        needed = SHAPE_PARTS[self.shape]
        for part in RULE_PARTS:
            value = getattr(self, part)
            if (value is None) == (part in needed):
                raise FeeError("invalid_rule")
            if value is not None and not _is_amount(value):
                raise FeeError("invalid_rule")
        if self.cap_inhabitants is not None and (not isinstance(self.cap_inhabitants, int) or self.cap_inhabitants < 1):
            raise FeeError("invalid_rule")

    def maximum(self) -> Decimal:
        """The most any body can pay under this rule."""
        if self.shape is Shape.FLAT:
            return _exact(_set(self.flat_amount))
        if self.shape is Shape.CAPPED_AMOUNT:
            return _exact(_set(self.cap_amount))
        return _exact(_set(self.base) + _set(self.rate) * _set(self.cap_inhabitants))


@dataclass(frozen=True)
class Schedule:
    """An annual meeting's decision: from `year` on, each kind of body pays by its rule."""

    year: int
    rules: Mapping[str, Rule]
    # Region Gotland is a municipality with a region's tasks; the decision says which rule it follows.
    gotland_rule: Kind = Kind.REGION
    note: str = ""


@dataclass(frozen=True)
class Breakdown:
    """The parts of the sum, for a formatter to write out in the reader's language."""

    shape: Shape
    kind: Kind  # the kind of the body
    rule_kind: Kind  # the kind whose rule was applied (differs for Region Gotland)
    inhabitants: int
    base: Decimal | None = None
    rate: Decimal | None = None
    counted_inhabitants: int | None = None  # min(inhabitants, cap_inhabitants) for that shape
    cap_inhabitants: int | None = None
    subtotal: Decimal | None = None  # base + rate × counted inhabitants, before an amount cap
    cap_amount: Decimal | None = None
    capped: bool = False  # the cap (amount or inhabitants) limited the fee
    flat_amount: Decimal | None = None
    exact: Decimal = Decimal("0.00")


@dataclass(frozen=True)
class Fee:
    """The fee: exact to the öre, due in whole kronor rounded half up, and how it was reached."""

    schedule_year: int
    kind: Kind
    inhabitants: int
    exact: Decimal
    due: Decimal
    breakdown: Breakdown = field(compare=False)


def _set(value: _T | None) -> _T:
    # The Rule's __post_init__ has checked that its shape's parts are set.
    assert value is not None
    return value


def _is_amount(value: object) -> bool:
    if isinstance(value, bool) or not isinstance(value, Decimal | int):
        return False
    if isinstance(value, Decimal) and not value.is_finite():
        return False
    return value >= 0


def _exact(amount: Decimal) -> Decimal:
    # A rate with more than two decimals could give fractions of an öre; the exact fee is in öre.
    return amount.quantize(ORE, rounding=ROUND_HALF_UP)


def round_due(exact: Decimal) -> Decimal:
    """The amount due: whole kronor, half up (4 760,50 → 4 761), as DESIGN.md §2 decides."""
    return exact.quantize(KRONA, rounding=ROUND_HALF_UP)


def check_kind(kind: object) -> Kind:
    """The kind as a Kind, or FeeError("unknown_kind")."""
    if isinstance(kind, str) and kind in {k.value for k in Kind}:
        return Kind(kind)
    raise FeeError("unknown_kind")


def check_inhabitants(inhabitants: object) -> int:
    """A whole number of inhabitants in 1..MAX_INHABITANTS, or a FeeError saying what is wrong."""
    if isinstance(inhabitants, bool):
        raise FeeError("inhabitants_not_whole")
    if isinstance(inhabitants, Decimal):
        if not inhabitants.is_finite() or inhabitants != inhabitants.to_integral_value():
            raise FeeError("inhabitants_not_whole")
        if abs(inhabitants) > MAX_INHABITANTS:
            # Compared before int(): a Decimal like 1E+999999 would be a huge int.
            raise FeeError(
                "inhabitants_too_large" if inhabitants > 0 else "inhabitants_not_positive", maximum=MAX_INHABITANTS
            )
        inhabitants = int(inhabitants)
    if not isinstance(inhabitants, int):
        raise FeeError("inhabitants_not_whole")
    if inhabitants <= 0:
        raise FeeError("inhabitants_not_positive")
    if inhabitants > MAX_INHABITANTS:
        raise FeeError("inhabitants_too_large", maximum=MAX_INHABITANTS)
    return inhabitants


def parse_inhabitants(text: str) -> int:
    """Read typed inhabitants: ASCII digits, optionally grouped by spaces ("10 000")."""
    cleaned = "".join(ch for ch in text.strip() if ch not in _GROUP_SEPARATORS)
    if not cleaned:
        raise FeeError("inhabitants_missing")
    if cleaned[0] in "-−" and cleaned[1:].isascii() and cleaned[1:].isdigit():
        raise FeeError("inhabitants_not_positive")
    # isdigit() alone accepts "١٢" and "²"; only ASCII digits are a number here.
    if not (cleaned.isascii() and cleaned.isdigit()):
        raise FeeError("inhabitants_not_whole")
    if len(cleaned.lstrip("0")) > len(str(MAX_INHABITANTS)):
        # Rejected before int(), which refuses strings over 4 300 digits with its own error.
        raise FeeError("inhabitants_too_large", maximum=MAX_INHABITANTS)
    return check_inhabitants(int(cleaned))


def parse_year(text: str, *, example: int = 2026) -> int:
    """Read a typed year: four ASCII digits."""
    cleaned = text.strip()
    if not cleaned:
        raise FeeError("year_missing")
    if not (len(cleaned) == 4 and cleaned.isascii() and cleaned.isdigit()):
        raise FeeError("year_invalid", example=example)
    return int(cleaned)


def schedule_for_year(schedules: Iterable[Schedule], year: int) -> Schedule:
    """The decision in force for `year`: the latest decided for a year <= `year`."""
    ordered = sorted(schedules, key=lambda schedule: schedule.year)
    if not ordered:
        raise FeeError("no_schedules")
    in_force = [schedule for schedule in ordered if schedule.year <= year]
    if not in_force:
        # Before the first decision there is no fee to tell, and guessing one would mislead.
        raise FeeError("no_schedule", year=year, first_year=ordered[0].year)
    return in_force[-1]


def rule_kind_for(schedule: Schedule, kind: Kind, *, gotland: bool = False) -> Kind:
    """Whose rule a body pays by: its own kind's, except Region Gotland, which the decision sets."""
    return schedule.gotland_rule if gotland else kind


def annual_fee(schedule: Schedule, kind: str, inhabitants: object, *, gotland: bool = False) -> Fee:
    """The fee of a body of `kind` with `inhabitants` under `schedule`."""
    body_kind = check_kind(kind)
    count = check_inhabitants(inhabitants)
    rule_kind = rule_kind_for(schedule, body_kind, gotland=gotland)
    rule = schedule.rules.get(rule_kind.value)
    if rule is None:
        raise FeeError("no_rule", year=schedule.year)
    breakdown = _apply(rule, body_kind, rule_kind, count)
    return Fee(
        schedule_year=schedule.year,
        kind=body_kind,
        inhabitants=count,
        exact=breakdown.exact,
        due=round_due(breakdown.exact),
        breakdown=breakdown,
    )


def _apply(rule: Rule, kind: Kind, rule_kind: Kind, inhabitants: int) -> Breakdown:
    if rule.shape is Shape.FLAT:
        flat = _set(rule.flat_amount)
        return Breakdown(
            shape=rule.shape,
            kind=kind,
            rule_kind=rule_kind,
            inhabitants=inhabitants,
            flat_amount=flat,
            exact=_exact(flat),
        )
    base, rate = _set(rule.base), _set(rule.rate)
    if rule.shape is Shape.CAPPED_INHABITANTS:
        cap_inhabitants = _set(rule.cap_inhabitants)
        counted = min(inhabitants, cap_inhabitants)
        subtotal = base + rate * counted
        return Breakdown(
            shape=rule.shape,
            kind=kind,
            rule_kind=rule_kind,
            inhabitants=inhabitants,
            base=base,
            rate=rate,
            counted_inhabitants=counted,
            cap_inhabitants=cap_inhabitants,
            subtotal=subtotal,
            capped=inhabitants > cap_inhabitants,
            exact=_exact(subtotal),
        )
    cap_amount = _set(rule.cap_amount)
    subtotal = base + rate * inhabitants
    return Breakdown(
        shape=rule.shape,
        kind=kind,
        rule_kind=rule_kind,
        inhabitants=inhabitants,
        base=base,
        rate=rate,
        counted_inhabitants=inhabitants,
        subtotal=subtotal,
        cap_amount=cap_amount,
        capped=subtotal > cap_amount,
        exact=_exact(min(subtotal, cap_amount)),
    )
