import datetime

import pytest
from django.core.management import CommandError, call_command

from applications.models import Organisation, PopulationFigure

pytestmark = pytest.mark.django_db

SCB_FILE = (
    '"Folkmängd efter region och år"\n'
    "\n"
    '"region","2017","2018"\n'
    '"00 Riket","10120242","10230185"\n'
    '"0180 Stockholm","949761","962154"\n'
    '"2422 Sorsele","2528","2506"\n'
    '"01 Stockholms län","2308143","2344124"\n'
)


def write(tmp_path, text, encoding="utf-8-sig"):
    path = tmp_path / "BE0101.csv"
    path.write_bytes(text.encode(encoding))
    return path


def test_import_adds_new_years_and_keeps_the_old(tmp_path, capsys):
    call_command("import_population", write(tmp_path, SCB_FILE))

    stockholm = Organisation.objects.get(code="0180")
    assert (stockholm.population, stockholm.population_date) == (962154, datetime.date(2018, 12, 31))
    dates = list(stockholm.population_figures.order_by("date").values_list("date", "population"))
    assert dates == [
        (datetime.date(2016, 12, 31), 935619),
        (datetime.date(2017, 12, 31), 949761),
        (datetime.date(2018, 12, 31), 962154),
    ]
    assert Organisation.objects.get(code="01").population == 2344124
    # Bodies the file does not mention keep their figure.
    assert Organisation.objects.get(code="0114").population_date == datetime.date(2016, 12, 31)
    assert "Imported 6 figures for 2017, 2018" in capsys.readouterr().out


def test_import_reads_semicolons_and_latin1(tmp_path):
    text = '"region";"2019"\n"2422 Sorsele";"2 489"\n'
    call_command("import_population", write(tmp_path, text, encoding="latin-1"))
    assert Organisation.objects.get(code="2422").population == 2489


def test_importing_the_same_file_twice_changes_nothing(tmp_path):
    path = write(tmp_path, SCB_FILE)
    call_command("import_population", path)
    call_command("import_population", path)
    assert PopulationFigure.objects.count() == 311 + 6


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('"region","2017"\n"0180 Stockholm","949761"\n"9999 Atlantis","12"\n', "line 3: unknown municipality"),
        ('"region","2017"\n"0180 Stockholm","949761"\n"2422 Sorsele","many"\n', "line 3: 'many' is not a population"),
        ('"region","2017"\n"0180 Stockholm","949761","1"\n', "line 2: expected 2 columns"),
        ('"region","2017"\n"Stockholm","949761"\n', "line 2: 'Stockholm' does not start with a region code"),
        ('"kommun","folkmängd"\n"0180 Stockholm","949761"\n', "no header row"),
    ],
)
def test_a_broken_file_is_rejected_naming_the_line_and_nothing_is_imported(tmp_path, text, message):
    with pytest.raises(CommandError, match=message):
        call_command("import_population", write(tmp_path, text))
    assert PopulationFigure.objects.count() == 311
    assert Organisation.objects.get(code="0180").population == 935619


def test_a_missing_file_is_a_clear_error(tmp_path):
    with pytest.raises(CommandError, match="cannot read"):
        call_command("import_population", tmp_path / "nope.csv")
