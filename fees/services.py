"""The fee as the rest of the portal needs it: the calculator, the API, the summary, the offer letter."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext

from applications.models import Organisation
from fees import formatting, rules
from fees.models import FeeSchedule


@dataclass(frozen=True)
class FeeQuote:
    """A fee for one fee year, with what every place that shows it must say beside it.

    The numbers are fixed; the texts are written in the language active when they are read, so a
    quote made in a Swedish request can be shown in an English letter.
    """

    year: int
    fee: rules.Fee
    organisation: Organisation | None = None
    # The reference figure's date when the inhabitants came from the reference table, else None.
    population_date: datetime.date | None = None

    @property
    def kind(self) -> rules.Kind:
        return self.fee.kind

    @property
    def rule_kind(self) -> rules.Kind:
        return self.fee.breakdown.rule_kind

    @property
    def inhabitants(self) -> int:
        return self.fee.inhabitants

    @property
    def exact(self) -> Decimal:
        return self.fee.exact

    @property
    def due(self) -> Decimal:
        return self.fee.due

    @property
    def schedule_year(self) -> int:
        return self.fee.schedule_year

    @property
    def breakdown_text(self) -> str:
        return formatting.describe_breakdown(self.fee.breakdown)

    @property
    def decision_label(self) -> str:
        """ "årsmötets beslut 2023": the decision the fee follows."""
        return formatting.decision_label(self.schedule_year)

    @property
    def body_text(self) -> str:
        """Who pays, with the figure used: "Sorsele kommun: 2 535 invånare (folkmängd 31 december 2016)"."""
        inhabitants = formatting.format_inhabitants(self.inhabitants)
        if self.organisation is None:
            if self.kind == rules.Kind.REGION:
                return gettext("A region with %(inhabitants)s") % {"inhabitants": inhabitants}
            return gettext("A municipality with %(inhabitants)s") % {"inhabitants": inhabitants}
        if self.population_date is not None:
            return gettext("%(name)s: %(inhabitants)s (%(population)s)") % {
                "name": self.organisation.name,
                "inhabitants": inhabitants,
                "population": self.population_text,
            }
        return gettext("%(name)s: %(inhabitants)s as entered (the reference figure is %(reference)s)") % {
            "name": self.organisation.name,
            "inhabitants": inhabitants,
            "reference": formatting.format_number(self.organisation.population),
        }

    @property
    def population_text(self) -> str:
        """ "folkmängd 31 december 2016" when the figure is the reference table's, else ""."""
        return formatting.format_population_date(self.population_date) if self.population_date else ""


def find_organisation(code: str) -> Organisation:
    """A body of the reference table by kommunkod (4 digits) or länskod (2 digits)."""
    cleaned = code.strip()
    if not (cleaned.isascii() and cleaned.isdigit() and len(cleaned) in {2, 4}):
        raise rules.FeeError("organisation_invalid")
    organisation = Organisation.objects.by_code(cleaned)
    if organisation is None:
        raise rules.FeeError("unknown_organisation", code=cleaned)
    return organisation


def fee_for(
    year: int,
    *,
    organisation: Organisation | None = None,
    kind: str | None = None,
    inhabitants: int | None = None,
) -> FeeQuote:
    """The fee for `year` of a body of the reference table or of a kind and number of inhabitants.

    With an organisation, its kind and reference population are used (inhabitants, when given,
    replace the figure: an applicant may correct it), and Region Gotland pays by the rule the
    decision names. Raises rules.FeeError on bad input or when no decision covers the year.
    """
    if organisation is not None:
        if kind is not None and kind != organisation.kind:
            raise rules.FeeError("organisation_and_kind")
        kind = organisation.kind
    if kind is None or kind == "":
        raise rules.FeeError("kind_missing")
    body_kind = rules.check_kind(kind)
    population_date = None
    if inhabitants is None:
        if organisation is None:
            raise rules.FeeError("inhabitants_missing")
        inhabitants, population_date = organisation.population, organisation.population_date
    count = rules.check_inhabitants(inhabitants)
    schedule = FeeSchedule.objects.in_force(year).as_schedule()
    gotland = organisation is not None and organisation.is_gotland
    fee = rules.annual_fee(schedule, body_kind, count, gotland=gotland)
    return FeeQuote(year=year, fee=fee, organisation=organisation, population_date=population_date)


def schedules_described() -> list[dict[str, object]]:
    """Every decision with its rules in words, oldest first, for the calculator page."""
    described = []
    for schedule in FeeSchedule.objects.order_by("year"):
        try:
            municipality = formatting.describe_rule(schedule.rule(rules.Kind.MUNICIPALITY))
            region = formatting.describe_rule(schedule.rule(rules.Kind.REGION))
        except rules.FeeError:
            continue  # an incomplete row (typed past the admin) is not shown to the public
        described.append(
            {
                "year": schedule.year,
                "label": formatting.decision_label(schedule.year),
                "municipality": municipality,
                "region": region,
                "gotland": formatting.kind_rule_label(schedule.gotland_rule),
            }
        )
    return described
