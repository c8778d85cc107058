"""Loading the shipped reference data (applications/data/*.csv) into Organisation.

Used by a data migration (with historical models) and by `manage.py load_reference_data`,
so it takes the model classes as arguments. Loading twice changes nothing.
"""

import csv
import datetime
from pathlib import Path
from typing import Any

DATA_DIR = Path(__file__).resolve().parent / "data"
SOURCE = "SCB, Folkmängd 31 december (shipped reference data)"


def _read(name: str) -> list[dict[str, str]]:
    with open(DATA_DIR / name, encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def reference_rows() -> list[dict[str, Any]]:
    """One dict per body: 290 municipalities, then 21 regions."""
    counties = {row["county_code"]: row["county_name"] for row in _read("counties.csv")}
    rows: list[dict[str, Any]] = []
    for row in _read("municipalities.csv"):
        rows.append(
            {
                "kind": "municipality",
                "code": row["municipality_code"],
                "short_name": row["short_name"],
                "name": row["name"],
                "county_code": row["county_code"],
                "county_name": counties[row["county_code"]],
                "population": int(row["population"]),
                "population_date": datetime.date.fromisoformat(row["population_date"]),
            }
        )
    for row in _read("regions.csv"):
        rows.append(
            {
                "kind": "region",
                "code": row["county_code"],
                "short_name": row["name"],
                "name": row["name"],
                "county_code": row["county_code"],
                "county_name": counties[row["county_code"]],
                "population": int(row["population"]),
                "population_date": datetime.date.fromisoformat(row["population_date"]),
            }
        )
    return rows


def load_reference_data(organisation_model: Any, figure_model: Any) -> int:
    """Create the bodies that are missing and their shipped figures; return how many were new."""
    existing = set(organisation_model.objects.values_list("code", flat=True))
    new = [organisation_model(**row) for row in reference_rows() if row["code"] not in existing]
    organisation_model.objects.bulk_create(new)
    by_code = {org.code: org for org in organisation_model.objects.all()}
    figures = [
        figure_model(
            organisation=by_code[row["code"]],
            date=row["population_date"],
            population=row["population"],
            source=SOURCE,
        )
        for row in reference_rows()
    ]
    figure_model.objects.bulk_create(figures, ignore_conflicts=True)
    return len(new)
