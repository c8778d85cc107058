import datetime

import pytest
from django.core.management import call_command
from django.db.models import Sum

from applications.models import Organisation, OrganisationKind, PopulationFigure

pytestmark = pytest.mark.django_db


def test_migration_loads_290_municipalities_and_21_regions():
    assert Organisation.objects.municipalities().count() == 290
    assert Organisation.objects.regions().count() == 21


def test_stockholm_keeps_its_leading_zero():
    stockholm = Organisation.objects.get(code="0180")
    assert stockholm.name == "Stockholms kommun"
    assert stockholm.county_code == "01"
    assert stockholm.county_name == "Stockholms län"


def test_population_total_for_2016_is_scbs_national_figure():
    total = Organisation.objects.municipalities().aggregate(total=Sum("population"))["total"]
    assert total == 9_995_153
    assert set(Organisation.objects.values_list("population_date", flat=True)) == {datetime.date(2016, 12, 31)}


def test_each_body_has_its_figure_in_the_history():
    assert PopulationFigure.objects.count() == 311
    sorsele = Organisation.objects.get(code="2422")
    assert sorsele.population_figures.get().population == 2535


def test_gotland_is_both_a_municipality_and_a_region():
    municipality = Organisation.objects.get(code="0980")
    region = Organisation.objects.get(code="09")
    assert (municipality.kind, region.kind) == (OrganisationKind.MUNICIPALITY, OrganisationKind.REGION)
    assert municipality.is_gotland and region.is_gotland
    assert not Organisation.objects.get(code="0180").is_gotland


def test_loading_again_changes_nothing(capsys):
    call_command("load_reference_data")
    assert "0 new, 311 organisations" in capsys.readouterr().out
    assert PopulationFigure.objects.count() == 311
