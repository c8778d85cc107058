"""The fee calculator's form: a GET form, so that it works without JavaScript."""

from __future__ import annotations

import datetime
from itertools import groupby
from typing import Any, cast

from django import forms
from django.http import QueryDict
from django.utils.translation import get_language, gettext, ngettext

from applications.models import Organisation, OrganisationKind
from fees import rules
from fees.formatting import describe_error, format_number, format_population_date
from fees.models import FeeSchedule
from fees.services import FeeQuote, fee_for, find_organisation

# Which field an error belongs next to; the rest go to the top of the form.
_ERROR_FIELDS = {
    "inhabitants_missing": "inhabitants",
    "inhabitants_not_whole": "inhabitants",
    "inhabitants_not_positive": "inhabitants",
    "inhabitants_too_large": "inhabitants",
    "kind_missing": "kind",
    "unknown_kind": "kind",
    "organisation_and_kind": "kind",
    "year_missing": "year",
    "year_invalid": "year",
    "no_schedule": "year",
    "no_rule": "year",
    "organisation_invalid": "organisation",
    "unknown_organisation": "organisation",
}


def organisation_groups(selected: str = "") -> list[tuple[str, list[dict[str, object]]]]:
    """The reference list for the <select>: the regions, then the municipalities by county.

    Each body carries its reference figure and its note, which fees.js puts in the form when the
    body is chosen; without JavaScript the server does the same after the form is sent.
    """
    fields = ["code", "name", "kind", "county_code", "county_name", "population", "population_date"]
    bodies = list(Organisation.objects.only(*fields).order_by("county_code", "name"))
    note = _NoteWriter({body.population_date for body in bodies})
    regions = [body for body in bodies if body.kind == OrganisationKind.REGION]
    groups = [(gettext("Regions"), [note.option(body, selected) for body in regions])]
    municipalities = (body for body in bodies if body.kind == OrganisationKind.MUNICIPALITY)
    for county, members in groupby(municipalities, key=lambda body: body.county_name):
        groups.append((county, [note.option(body, selected) for body in members]))
    return groups


def reference_note(organisation: Organisation) -> str:
    """ "Referenssiffra: folkmängd 31 december 2016, 2 535 invånare." """
    return _NoteWriter({organisation.population_date}).note(organisation)


class _NoteWriter:
    """Writes reference_note() for 311 bodies, looking each translation up once, not 311 times
    (a catalogue lookup costs more than the rest of the note)."""

    def __init__(self, dates: set[datetime.date]) -> None:
        self.language = get_language()
        self.template = gettext("Reference figure: %(population)s, %(inhabitants)s.")
        self.dates = {date: format_population_date(date) for date in dates}
        self.inhabitants: dict[bool, str] = {}

    def _inhabitants(self, count: int) -> str:
        # Swedish and English both have one form for 1 and another for the rest.
        one = count == 1
        if one not in self.inhabitants:
            self.inhabitants[one] = ngettext("%(count)s inhabitant", "%(count)s inhabitants", count)
        return self.inhabitants[one] % {"count": format_number(count, language=self.language)}

    def note(self, body: Organisation) -> str:
        return self.template % {
            "population": self.dates[body.population_date],
            "inhabitants": self._inhabitants(body.population),
        }

    def option(self, body: Organisation, selected: str) -> dict[str, object]:
        return {
            "code": body.code,
            "selected": body.code == selected,
            "name": body.name,
            "population": body.population,
            "note": self.note(body),
        }


class FeeCalculatorForm(forms.Form):
    # Plain text fields: rules.parse_* give the clear messages ("10 000" is read, "1e9" is refused).
    year = forms.CharField(required=False)
    organisation = forms.CharField(required=False)
    kind = forms.CharField(required=False)
    inhabitants = forms.CharField(required=False)
    # The body whose reference population was filled into `inhabitants`. A figure typed for that
    # body replaces the reference (as an applicant may correct it); after choosing another body
    # the old figure is stale and the new body's reference figure is used.
    # A plain Field: only compared with a code, so even a NUL in it is no error to show.
    population_for = forms.Field(required=False)

    def __init__(self, data: QueryDict | None = None, *, this_year: int) -> None:
        super().__init__(data, initial={"year": this_year})
        self.this_year = this_year
        self.quote: FeeQuote | None = None

    def _fail(self, error: rules.FeeError) -> forms.ValidationError:
        return forms.ValidationError(describe_error(error), code=error.code)

    def clean_year(self) -> int:
        text = self.cleaned_data["year"]
        try:
            year = rules.parse_year(text, example=self.this_year) if text else self.this_year
            FeeSchedule.objects.in_force(year)  # told here, beside the year, with the other fields' errors
        except rules.FeeError as error:
            raise self._fail(error) from error
        return year

    def clean_organisation(self) -> Organisation | None:
        code = self.cleaned_data["organisation"]
        if not code:
            return None
        try:
            return find_organisation(code)
        except rules.FeeError as error:
            raise self._fail(error) from error

    def clean_kind(self) -> str:
        kind = self.cleaned_data["kind"]
        if not kind:
            return ""
        try:
            return rules.check_kind(kind).value
        except rules.FeeError as error:
            raise self._fail(error) from error

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        if "organisation" not in data or "kind" not in data:
            return data  # their own errors are shown; the rest cannot be judged without them
        organisation: Organisation | None = data["organisation"]
        inhabitants = self._inhabitants(organisation, data)
        if organisation is None and not data["kind"]:
            self.add_error("kind", self._fail(rules.FeeError("kind_missing")))
        if self.errors:
            return data
        try:
            if organisation is not None:
                quote = fee_for(data["year"], organisation=organisation, inhabitants=inhabitants)
            else:
                quote = fee_for(data["year"], kind=data["kind"], inhabitants=inhabitants)
        except rules.FeeError as error:
            self.add_error(_ERROR_FIELDS.get(error.code), self._fail(error))
            return data
        self.quote = quote
        if organisation is not None and quote.population_date is not None:
            # Show the reference figure that was used, and mark it as this body's.
            prefilled = cast(QueryDict, self.data).copy()
            prefilled["inhabitants"] = str(organisation.population)
            prefilled["population_for"] = organisation.code
            self.data = prefilled
        return data

    def _inhabitants(self, organisation: Organisation | None, data: dict[str, Any]) -> int | None:
        """The typed figure, or None for the chosen body's reference figure; adds the field's error."""
        if "inhabitants" not in data:
            return None  # refused by the field itself (a NUL character); its error is shown
        typed = data["inhabitants"]
        if organisation is not None and not (typed and data.get("population_for") == organisation.code):
            return None
        try:
            return rules.parse_inhabitants(typed)
        except rules.FeeError as error:
            self.add_error("inhabitants", self._fail(error))
            return None
