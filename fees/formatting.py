"""Amounts, fee breakdowns and fee errors written out in the active language.

Swedish writes "4 301,50 kr" and English "SEK 4,301.50". Digits are grouped with U+00A0 (a
non-breaking space) in Swedish, and the unit is joined to the number with one, as CLDR (and the
browser's Intl.NumberFormat) do, so that an amount never breaks across lines.
"""

from __future__ import annotations

import datetime
from decimal import ROUND_HALF_UP, Decimal

from django.utils import dateformat
from django.utils.translation import get_language, gettext, ngettext

from fees.rules import MAX_INHABITANTS, Breakdown, FeeError, Kind, Rule, Shape, gettext_noop
from fees.rules import MESSAGES as RULE_MESSAGES

NBSP = "\u00a0"

# Errors raised on the Django side (the reference table), beside those of rules.MESSAGES.
MESSAGES: dict[str, str] = {
    "organisation_invalid": gettext_noop("Enter a kommunkod (4 digits) or a länskod (2 digits)."),
    "unknown_organisation": gettext_noop("No municipality or region has the code %(code)s."),
    "bad_query": gettext_noop("The query string could not be read."),
    "organisation_and_kind": gettext_noop(
        "Give either an organisation, or a kind and a number of inhabitants; not an organisation and a kind."
    ),
}


def _swedish(language: str | None) -> bool:
    return (language or get_language() or "sv").lower().startswith("sv")


def _own_places(amount: Decimal) -> int:
    exponent = amount.normalize().as_tuple().exponent
    return max(2, -exponent) if isinstance(exponent, int) else 2


def format_number(value: Decimal | int, *, places: int | None = 0, language: str | None = None) -> str:
    """Group thousands and put the decimal sign of the language; places=None keeps the value's own
    decimals (at least two when it has any), for rates such as 0,25 and amounts such as 4 000."""
    amount = Decimal(value)
    if places is None:
        places = 0 if amount == amount.to_integral_value() else _own_places(amount)
    amount = amount.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    sign = "-" if amount < 0 else ""
    whole, _, fraction = f"{abs(amount):f}".partition(".")
    group, decimal_sign = (NBSP, ",") if _swedish(language) else (",", ".")
    groups: list[str] = []
    while len(whole) > 3:
        groups.insert(0, whole[-3:])
        whole = whole[:-3]
    groups.insert(0, whole)
    text = sign + group.join(groups)
    return f"{text}{decimal_sign}{fraction}" if fraction else text


def format_kronor(value: Decimal | int, *, places: int | None = 2, language: str | None = None) -> str:
    """An amount of money: "4 301,50 kr" in Swedish, "SEK 4,301.50" in English."""
    number = format_number(value, places=places, language=language)
    return f"{number}{NBSP}kr" if _swedish(language) else f"SEK{NBSP}{number}"


def format_inhabitants(count: int) -> str:
    return ngettext("%(count)s inhabitant", "%(count)s inhabitants", count) % {"count": format_number(count)}


def format_population_date(date: datetime.date) -> str:
    """ "folkmängd 31 december 2016" / "population on 31 December 2016"."""
    return gettext("population on %(date)s") % {"date": dateformat.format(date, "j F Y")}


def decision_label(year: int) -> str:
    """How every place that shows a fee names the decision it follows: "årsmötets beslut 2023"."""
    return gettext("annual meeting decision %(year)s") % {"year": year}


def kind_rule_label(kind: Kind | str) -> str:
    return gettext("the region rule") if kind == Kind.REGION else gettext("the municipality rule")


def describe_breakdown(breakdown: Breakdown) -> str:
    """The arithmetic in words: "4 000 kr + 0,30 kr × 1 005 invånare = 4 301,50 kr"."""
    exact = format_kronor(breakdown.exact)
    if breakdown.shape is Shape.FLAT:
        text = gettext("flat fee %(amount)s") % {"amount": exact}
    else:
        parts = {
            "base": format_kronor(breakdown.base or 0, places=None),
            "rate": format_kronor(breakdown.rate or 0, places=None),
            "inhabitants": format_inhabitants(breakdown.counted_inhabitants or 0),
            "amount": exact,
        }
        if breakdown.shape is Shape.CAPPED_INHABITANTS and breakdown.capped:
            parts["counted"] = format_number(breakdown.counted_inhabitants or 0)
            parts["all"] = format_number(breakdown.inhabitants)
            text = (
                gettext("%(base)s + %(rate)s × %(inhabitants)s (only %(counted)s of %(all)s count) = %(amount)s")
                % parts
            )
        elif breakdown.shape is Shape.CAPPED_AMOUNT and breakdown.capped:
            parts["subtotal"] = format_kronor(breakdown.subtotal or 0)
            parts["cap"] = format_kronor(breakdown.cap_amount or 0, places=None)
            text = gettext("%(base)s + %(rate)s × %(inhabitants)s = %(subtotal)s, at most %(cap)s: %(amount)s") % parts
        else:
            text = gettext("%(base)s + %(rate)s × %(inhabitants)s = %(amount)s") % parts
    if breakdown.rule_kind != breakdown.kind:
        # Region Gotland: say whose rule it pays by, so the sum is not taken for a mistake.
        text = gettext("By %(rule)s: %(breakdown)s") % {"rule": kind_rule_label(breakdown.rule_kind), "breakdown": text}
    return text


def describe_rule(rule: Rule) -> str:
    """A decided rule in words, for the list of decisions and the admin."""
    if rule.shape is Shape.FLAT:
        return gettext("flat fee %(amount)s") % {"amount": format_kronor(rule.flat_amount or 0, places=None)}
    parts = {
        "base": format_kronor(rule.base or 0, places=None),
        "rate": format_kronor(rule.rate or 0, places=None),
        "maximum": format_kronor(rule.maximum(), places=None),
    }
    if rule.shape is Shape.CAPPED_INHABITANTS:
        parts["cap"] = format_number(rule.cap_inhabitants or 0)
        return gettext("%(base)s + %(rate)s per inhabitant up to %(cap)s inhabitants (at most %(maximum)s)") % parts
    return gettext("%(base)s + %(rate)s per inhabitant, at most %(maximum)s") % parts


def describe_error(error: FeeError) -> str:
    """A FeeError in the active language, with its numbers written the language's way."""
    template = RULE_MESSAGES.get(error.code) or MESSAGES.get(error.code)
    if template is None:
        return gettext("The fee could not be calculated.")
    params = dict(error.params)
    if error.code == "inhabitants_too_large":
        params["maximum"] = format_number(MAX_INHABITANTS)
    try:
        return gettext(template) % params if params else gettext(template)
    except (KeyError, TypeError, ValueError):
        return gettext(template)
