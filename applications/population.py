"""Importing SCB's "Folkmängd 31 december" CSV (table BE0101, "Folkmängd efter region och år").

SCB's download looks like this (a title, a blank line, a header, then one row per region):

    "Folkmängd efter region och år"

    "region","2017"
    "0114 Upplands Väsby","45543"
    "01 Stockholms län","2308143"

Four-digit codes are municipalities, two-digit codes are counties, whose figure is the region's.
"00 Riket" (the whole country) is skipped. Several year columns are allowed.
"""

import csv
import datetime
import io
import re
from dataclasses import dataclass

from django.db import transaction

from applications.models import Organisation, OrganisationKind, PopulationFigure, december_31

_REGION = re.compile(r"^\s*(\d{2}|\d{4})\s+\S")
_YEAR = re.compile(r"^\s*(\d{4})")


class PopulationImportError(Exception):
    pass


@dataclass(frozen=True)
class ImportResult:
    figures: int
    years: list[int]


def _decode(raw: bytes) -> str:
    # SCB offers UTF-8 (often with a BOM) and, in older exports, Latin-1.
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        return raw.decode("latin-1")


def _parse(text: str) -> list[tuple[int, str, int, int]]:
    """Return (line number, code, year, population) for each figure, or raise naming the line."""
    sample = "\n".join(line for line in text.splitlines() if line.strip())[:2000]
    try:
        delimiter = csv.Sniffer().sniff(sample, delimiters=",;\t").delimiter
    except csv.Error:
        delimiter = ","
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    years: list[int] | None = None
    figures: list[tuple[int, str, int, int]] = []
    for line_no, cells in enumerate(reader, start=1):
        cells = [cell.strip() for cell in cells]
        if not any(cells):
            continue
        if years is None:
            if len(cells) >= 2 and cells[0].lower().startswith("region") and all(_YEAR.match(c) for c in cells[1:]):
                years = [int(_YEAR.match(c).group(1)) for c in cells[1:]]  # type: ignore[union-attr]
            continue
        match = _REGION.match(cells[0])
        if not match:
            raise PopulationImportError(f"line {line_no}: {cells[0]!r} does not start with a region code")
        code = match.group(1)
        if code == "00":
            continue
        if len(cells) != len(years) + 1:
            raise PopulationImportError(f"line {line_no}: expected {len(years) + 1} columns, found {len(cells)}")
        for year, cell in zip(years, cells[1:], strict=True):
            value = cell.replace(" ", "").replace("\u00a0", "")
            if not value.isdigit() or int(value) <= 0:
                raise PopulationImportError(f"line {line_no}: {cell!r} is not a population for {year}")
            figures.append((line_no, code, year, int(value)))
    if years is None:
        raise PopulationImportError("no header row with 'region' and year columns was found")
    if not figures:
        raise PopulationImportError("the file holds no figures")
    return figures


def import_population(raw: bytes, *, source: str) -> ImportResult:
    """Store every figure of the file, or none if any line is wrong."""
    figures = _parse(_decode(raw))
    organisations = {org.code: org for org in Organisation.objects.all()}
    # A county's figure is the region's; Gotland's county 09 is region Gotland.
    rows: list[PopulationFigure] = []
    for line_no, code, year, population in figures:
        organisation = organisations.get(code)
        if organisation is None:
            raise PopulationImportError(f"line {line_no}: unknown municipality or county code {code}")
        rows.append(
            PopulationFigure(organisation=organisation, date=december_31(year), population=population, source=source)
        )
    with transaction.atomic():
        for row in rows:
            PopulationFigure.objects.update_or_create(
                organisation=row.organisation,
                date=row.date,
                defaults={"population": row.population, "source": row.source},
            )
        _refresh_current_population()
    return ImportResult(figures=len(rows), years=sorted({year for _, _, year, _ in figures}))


def _refresh_current_population() -> None:
    latest: dict[int, tuple[datetime.date, int]] = {}
    for org_id, date, population in PopulationFigure.objects.order_by("date").values_list(
        "organisation_id", "date", "population"
    ):
        latest[org_id] = (date, population)
    changed = []
    for organisation in Organisation.objects.all():
        date, population = latest[organisation.pk]
        if (organisation.population_date, organisation.population) != (date, population):
            organisation.population_date, organisation.population = date, population
            changed.append(organisation)
    Organisation.objects.bulk_update(changed, ["population", "population_date"])


__all__ = ["ImportResult", "OrganisationKind", "PopulationImportError", "import_population"]
