"""{% load fees %}: amounts the way the active language writes them.

{{ quote.exact|kronor }}      4 301,50 kr   /  SEK 4,301.50
{{ quote.due|kronor:0 }}      4 302 kr      /  SEK 4,302
{{ rate|kronor:"auto" }}      0,30 kr, 4 000 kr (the value's own decimals)
{{ inhabitants|thousands }}   1 005         /  1,005
"""

from decimal import Decimal, InvalidOperation

from django import template

from fees.formatting import format_kronor, format_number

register = template.Library()


def _decimal(value: object) -> Decimal | None:
    if value is None or value == "" or isinstance(value, bool):
        return None
    try:
        amount = Decimal(str(value))
    except (InvalidOperation, ValueError):
        return None
    return amount if amount.is_finite() else None


def _places(arg: object) -> int | None:
    if arg == "auto":
        return None
    try:
        return max(0, min(int(str(arg)), 6))
    except ValueError:
        return 2


@register.filter
def kronor(value: object, places: object = 2) -> str:
    """An amount of money in the active language; "" for something that is not a number."""
    amount = _decimal(value)
    return "" if amount is None else format_kronor(amount, places=_places(places))


@register.filter
def thousands(value: object) -> str:
    """A whole number with the language's thousands separator."""
    amount = _decimal(value)
    return "" if amount is None else format_number(amount, places=0)
