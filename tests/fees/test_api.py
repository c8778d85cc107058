"""GET /api/fee: the examples, the reference table, and bad input in both languages."""

import pytest

pytestmark = pytest.mark.django_db
URL = "/api/fee"


def ask(client, language="sv", **params):
    return client.get(URL, params, HTTP_ACCEPT_LANGUAGE=language)


def test_the_issue_example(client):
    response = ask(client, year=2023, kind="municipality", inhabitants=1005)
    assert response.status_code == 200
    answer = response.json()
    assert {
        key: answer[key] for key in ("year", "kind", "inhabitants", "exact", "due", "currency", "schedule_year")
    } == {
        "year": 2023,
        "kind": "municipality",
        "inhabitants": 1005,
        "exact": "4301.50",
        "due": "4302",
        "currency": "SEK",
        "schedule_year": 2023,
    }
    assert answer["breakdown"] == "4\u00a0000\u00a0kr + 0,30\u00a0kr × 1\u00a0005 invånare = 4\u00a0301,50\u00a0kr"
    assert answer["decision"] == "årsmötets beslut 2023"
    assert "organisation" not in answer


def test_the_breakdown_is_in_english_when_asked(client):
    answer = ask(client, "en", year=2023, kind="municipality", inhabitants=1005).json()
    assert answer["breakdown"] == "SEK\u00a04,000 + SEK\u00a00.30 × 1,005 inhabitants = SEK\u00a04,301.50"
    assert answer["decision"] == "annual meeting decision 2023"
    assert answer["text"]["due"] == "SEK\u00a04,302"


@pytest.mark.parametrize(
    ("year", "kind", "inhabitants", "exact", "due", "schedule_year"),
    [
        (2023, "municipality", 10_000, "7000.00", "7000", 2023),
        (2023, "municipality", 150_000, "49000.00", "49000", 2023),
        (2023, "municipality", 200_000, "49000.00", "49000", 2023),
        (2023, "region", 1_000, "49000.00", "49000", 2023),
        (2019, "municipality", 100_000, "29000.00", "29000", 2019),
        (2019, "municipality", 200_000, "36000.00", "36000", 2019),
        (2019, "region", 300_000, "34000.00", "34000", 2019),
        (2026, "municipality", 10_000, "7000.00", "7000", 2023),
        (2023, "municipality", 2_535, "4760.50", "4761", 2023),
    ],
)
def test_the_table_of_the_issue(client, year, kind, inhabitants, exact, due, schedule_year):
    answer = ask(client, year=year, kind=kind, inhabitants=inhabitants).json()
    assert (answer["exact"], answer["due"], answer["schedule_year"], answer["year"]) == (
        exact,
        due,
        schedule_year,
        year,
    )


def test_organisation_by_kommunkod(client):
    answer = ask(client, year=2023, organisation="0180").json()
    assert answer["organisation"] == {"code": "0180", "name": "Stockholms kommun", "population": 935_619}
    assert answer["kind"] == "municipality"
    assert answer["inhabitants"] == 935_619
    assert answer["population_date"] == "2016-12-31"
    assert (answer["exact"], answer["due"]) == ("49000.00", "49000")
    assert answer["text"]["population"] == "folkmängd 31 december 2016"


def test_organisation_by_lanskod(client):
    answer = ask(client, "en", year=2019, organisation="01").json()
    assert answer["kind"] == "region"
    assert answer["organisation"]["name"] == "Region Stockholm"
    assert answer["population_date"] == "2016-12-31"
    assert answer["exact"] == "36000.00"  # 4 000 + 0,10 × 2,27 million is over the cap
    assert answer["text"]["population"] == "population on 31 December 2016"


def test_organisation_with_inhabitants_uses_the_given_figure(client):
    answer = ask(client, year=2023, organisation="2422", inhabitants="3000").json()
    assert (answer["inhabitants"], answer["exact"], answer["population_date"]) == (3000, "4900.00", None)
    assert answer["organisation"]["population"] == 2535


def test_gotland_municipality_pays_by_the_region_rule(client):
    answer = ask(client, year=2023, organisation="0980").json()
    assert (answer["kind"], answer["rule_kind"], answer["due"]) == ("municipality", "region", "49000")


def test_year_defaults_to_the_current_year(client):
    from django.utils import timezone

    answer = ask(client, kind="region", inhabitants=5).json()
    assert answer["year"] == timezone.localdate().year


def test_lang_parameter_overrides_accept_language(client):
    answer = client.get(
        URL, {"year": 2017, "kind": "region", "inhabitants": 5, "lang": "en"}, HTTP_ACCEPT_LANGUAGE="sv"
    )
    assert "first decision is from 2018" in answer.json()["error"]
    assert answer["Content-Language"] == "en"


@pytest.mark.parametrize(
    ("params", "sv", "en"),
    [
        (
            {"year": 2017, "kind": "municipality", "inhabitants": 10_000},
            "det första beslutet är från 2018",
            "the first decision is from 2018",
        ),
        ({"year": 2023, "kind": "municipality", "inhabitants": 0}, "större än 0", "greater than 0"),
        ({"year": 2023, "kind": "municipality", "inhabitants": -5}, "större än 0", "greater than 0"),
        ({"year": 2023, "kind": "municipality", "inhabitants": "10.5"}, "heltal", "whole number"),
        ({"year": 2023, "kind": "municipality", "inhabitants": "1e9"}, "heltal", "whole number"),
        ({"year": 2023, "kind": "municipality", "inhabitants": "١٢"}, "heltal", "whole number"),
        ({"year": 2023, "kind": "municipality", "inhabitants": "12\x00"}, "heltal", "whole number"),
        (
            {"year": 2023, "kind": "municipality", "inhabitants": "9" * 10_000},
            "högst 10\u00a0000\u00a0000",
            "at most 10,000,000",
        ),
        ({"year": 2023, "kind": "municipality", "inhabitants": "10000001"}, "högst", "at most"),
        (
            {"year": 2023, "kind": "municipality", "inhabitants": ""},
            "Ange antalet invånare",
            "Enter the number of inhabitants",
        ),
        ({"year": 2023, "kind": "municipality"}, "Ange antalet invånare", "Enter the number of inhabitants"),
        ({"year": 2023, "kind": "kommun", "inhabitants": 5}, "Typen måste", "must be"),
        ({"year": 2023, "inhabitants": 5}, "Välj kommun eller region", "Choose municipality or region"),
        ({}, "Välj kommun eller region", "Choose municipality or region"),
        ({"year": "abc", "kind": "region", "inhabitants": 5}, "fyra siffror", "four digits"),
        ({"year": "1e3", "kind": "region", "inhabitants": 5}, "fyra siffror", "four digits"),
        ({"year": "9" * 5000, "kind": "region", "inhabitants": 5}, "fyra siffror", "four digits"),
        ({"year": "", "kind": "region", "inhabitants": 5}, "Ange avgiftsåret", "Enter the year"),
        (
            {"year": 2023, "organisation": "9999"},
            "Ingen kommun eller region har koden 9999",
            "No municipality or region has the code 9999",
        ),
        ({"year": 2023, "organisation": "<script>"}, "kommunkod", "kommunkod"),
        ({"year": 2023, "organisation": ""}, "kommunkod", "kommunkod"),
        ({"year": 2023, "organisation": "0180", "kind": "region"}, "inte både", "not an organisation and a kind"),
    ],
)
def test_bad_input_is_a_400_in_the_requests_language(client, params, sv, en):
    for language, expected in (("sv", sv), ("en", en)):
        response = ask(client, language, **params)
        assert response.status_code == 400
        assert response["Content-Type"].startswith("application/json")
        answer = response.json()
        assert list(answer) == ["error"]
        assert expected in answer["error"]


def test_raw_query_strings_never_give_a_500(client):
    for query in [
        "year=2023&kind=municipality&inhabitants=%00",
        "inhabitants=%ff%fe",
        "year=%E2%80%8F2023",
        "&&&=&=",
        "kind[]=x",
    ]:
        assert client.get(f"{URL}?{query}").status_code == 400


def test_too_many_fields_is_a_400_json(client):
    query = "&".join(f"f{n}=1" for n in range(1200))
    response = client.get(f"{URL}?{query}", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400
    assert response.json() == {"error": "The query string could not be read."}


def test_only_get(client):
    assert client.post(URL, {"year": 2023}).status_code == 405
