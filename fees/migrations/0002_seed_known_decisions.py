"""The fee decisions found on the association's pages (DOMAIN.md §1.6); 2020–2022 were not found.

Loading twice changes nothing, and a year the secretariat has already entered is left alone.
"""

from decimal import Decimal

from django.db import migrations

KNOWN_DECISIONS = [
    {
        "year": 2018,
        "municipality_shape": "capped_amount",
        "municipality_base": Decimal("4000"),
        "municipality_rate": Decimal("0.25"),
        "municipality_cap_amount": Decimal("36000"),
        "region_shape": "capped_amount",
        "region_base": Decimal("4000"),
        "region_rate": Decimal("0.10"),
        "region_cap_amount": Decimal("36000"),
        "note": (
            "Årsmötets beslut: kommuner 4 000 kr + 0,25 kr/invånare, max 36 000 kr; regioner (landsting) "
            "4 000 kr + 0,10 kr/invånare, max 36 000 kr. Källa: klimatkommunerna.se/Om-klimatkommunerna/"
            "Medlemskap/ (ändrad 2018-06-26)."
        ),
    },
    {
        "year": 2019,
        "municipality_shape": "capped_amount",
        "municipality_base": Decimal("4000"),
        "municipality_rate": Decimal("0.25"),
        "municipality_cap_amount": Decimal("36000"),
        "region_shape": "capped_amount",
        "region_base": Decimal("4000"),
        "region_rate": Decimal("0.10"),
        "region_cap_amount": Decimal("36000"),
        "note": (
            "Årsmötets beslut: kommuner 4 000 kr + 0,25 kr/invånare, max 36 000 kr; regioner (landsting) "
            "4 000 kr + 0,10 kr/invånare, max 36 000 kr. Källa: klimatkommunerna.se/om-oss/blimedlem/ "
            "(2019 års version)."
        ),
    },
    {
        "year": 2023,
        "municipality_shape": "capped_inhabitants",
        "municipality_base": Decimal("4000"),
        "municipality_rate": Decimal("0.30"),
        "municipality_cap_inhabitants": 150_000,
        "region_shape": "flat",
        "region_flat_amount": Decimal("49000"),
        "note": (
            "Årsmötets beslut: kommuner 4 000 kr + 0,30 kr/invånare upp till 150 000 invånare "
            "(dvs. högst 49 000 kr); regioner 49 000 kr. Källa: klimatkommunerna.se/om-oss/blimedlem/ "
            "(2023 års version)."
        ),
    },
]


def seed(apps, schema_editor):
    FeeSchedule = apps.get_model("fees", "FeeSchedule")
    for decision in KNOWN_DECISIONS:
        values = dict(decision)
        year = values.pop("year")
        # Region Gotland follows the region rule unless the secretariat enters otherwise (DESIGN §2).
        values.setdefault("gotland_rule", "region")
        FeeSchedule.objects.get_or_create(year=year, defaults=values)


class Migration(migrations.Migration):
    dependencies = [("fees", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
