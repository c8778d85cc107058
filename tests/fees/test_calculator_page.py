"""The public fee calculator, through the client: Swedish and English, with JavaScript off."""

import re

import pytest
from django.urls import reverse
from django.utils import timezone

pytestmark = pytest.mark.django_db
NBSP = "\u00a0"
SV = "/avgifter/"
EN = "/en/avgifter/"


def page(client, url, **params):
    response = client.get(url, params)
    assert response.status_code == 200
    return response.content.decode()


def result_region(html):
    return re.search(r'<section id="fee-result".*?</section>', html, re.S).group(0)


def error_summary(html):
    match = re.search(r'<div class="alert alert-danger" id="error-summary".*?</div>', html, re.S)
    return match.group(0) if match else ""


def test_url_name_and_navigation_link(client):
    assert reverse("fees:calculator") == SV
    nav = re.search(r"<nav.*?</nav>", page(client, "/"), re.S).group(0)
    assert f'href="{SV}">Avgifter</a>' in nav
    nav = re.search(r"<nav.*?</nav>", page(client, EN), re.S).group(0)
    assert f'href="{EN}" aria-current="page">Fees</a>' in nav


def test_bare_page_has_the_form_the_explanation_and_no_errors(client):
    html = page(client, SV)
    assert '<html lang="sv">' in html
    assert "Medlemsavgiften beslutas varje år av föreningens årsmöte" in html
    assert f'value="{timezone.localdate().year}"' in html  # the year defaults to this year
    assert error_summary(html) == ""
    assert 'aria-live="polite"' in result_region(html)
    assert 'data-role="figures" hidden' in html


def test_the_reference_list_has_all_311_bodies_grouped(client):
    html = page(client, SV)
    select = re.search(r'<select name="organisation".*?</select>', html, re.S).group(0)
    assert len(re.findall(r'<option value="\d{2}(?:\d{2})?"', select)) == 311
    assert '<optgroup label="Regioner">' in select and '<optgroup label="Stockholms län">' in select
    assert 'value="2422" data-population="2535"' in select
    assert "Referenssiffra: folkmängd 31 december 2016, 2\u00a0535 invånare." in select


def test_chosen_body_swedish(client):
    html = page(client, SV, year="2023", organisation="2422")
    result = result_region(html)
    assert f"4{NBSP}761{NBSP}kr" in result
    assert f"4{NBSP}760,50{NBSP}kr" in result
    assert f"4{NBSP}000{NBSP}kr + 0,30{NBSP}kr × 2{NBSP}535 invånare = 4{NBSP}760,50{NBSP}kr" in result
    assert "årsmötets beslut 2023" in result
    assert "Sorsele kommun" in result and "folkmängd 31 december 2016" in result
    # The reference figure is filled in and marked as Sorsele's, and its date is shown.
    assert 'name="inhabitants" id="id_inhabitants"' in html
    assert re.search(r'id="id_inhabitants"[^>]*value="2535"', html, re.S)
    assert 'name="population_for" id="id_population_for" value="2422"' in html
    assert "Referenssiffra: folkmängd 31 december 2016" in html
    assert re.search(r'<option value="2422"[^>]* selected>', html)


def test_chosen_body_english(client):
    html = page(client, EN, year="2023", organisation="0180")
    result = result_region(html)
    assert '<html lang="en">' in html
    assert f"SEK{NBSP}49,000" in result
    assert "(only 150,000 of 935,619 count)" in result
    assert "annual meeting decision 2023" in result
    assert "population on 31 December 2016" in result


def test_typed_inhabitants_and_kind(client):
    result = result_region(page(client, SV, year="2023", kind="municipality", inhabitants="1 005"))
    assert f"4{NBSP}302{NBSP}kr" in result and f"4{NBSP}301,50{NBSP}kr" in result
    assert "En kommun med 1\u00a0005 invånare" in result
    result = result_region(page(client, EN, year="2019", kind="region", inhabitants="300000"))
    assert f"SEK{NBSP}34,000" in result and "annual meeting decision 2019" in result


def test_a_year_without_its_own_decision_names_the_one_it_follows(client):
    result = result_region(page(client, EN, year="2026", kind="municipality", inhabitants="10000"))
    assert f"SEK{NBSP}7,000" in result and "annual meeting decision 2023" in result


def test_a_figure_typed_for_the_chosen_body_replaces_its_reference(client):
    result = result_region(
        page(client, SV, year="2023", organisation="2422", inhabitants="3000", population_for="2422")
    )
    assert f"4{NBSP}900{NBSP}kr" in result
    assert "referenssiffran är 2\u00a0535" in result


def test_a_stale_figure_from_another_body_is_not_used(client):
    # Without JavaScript: Sorsele was shown, then Stockholm chosen; Sorsele's figure is still typed.
    html = page(client, SV, year="2023", organisation="0180", inhabitants="2535", population_for="2422")
    assert f"49{NBSP}000{NBSP}kr" in result_region(html)
    assert re.search(r'id="id_inhabitants"[^>]*value="935619"', html, re.S)


def test_organisation_wins_over_a_leftover_kind(client):
    result = result_region(page(client, SV, year="2023", organisation="2422", kind="region"))
    assert f"4{NBSP}761{NBSP}kr" in result


def test_gotland_pays_by_the_region_rule(client):
    result = result_region(page(client, EN, year="2023", organisation="0980"))
    assert f"SEK{NBSP}49,000" in result and "By the region rule" in result


@pytest.mark.parametrize(
    ("params", "field", "sv", "en"),
    [
        ({"year": "2023", "kind": "municipality", "inhabitants": "0"}, "inhabitants", "större än 0", "greater than 0"),
        ({"year": "2023", "kind": "municipality", "inhabitants": "1e9"}, "inhabitants", "heltal", "whole number"),
        ({"year": "2023", "kind": "municipality", "inhabitants": "١٢"}, "inhabitants", "heltal", "whole number"),
        ({"year": "2023", "kind": "municipality", "inhabitants": "12\x00"}, "inhabitants", "", ""),
        ({"year": "2023", "kind": "municipality", "inhabitants": "9" * 5000}, "inhabitants", "högst", "at most"),
        (
            {"year": "2023", "kind": "municipality", "inhabitants": ""},
            "inhabitants",
            "Ange antalet",
            "Enter the number",
        ),
        ({"year": "2023", "inhabitants": "5000"}, "kind", "Välj kommun eller region", "Choose municipality or region"),
        ({"year": "2023", "kind": "county", "inhabitants": "5000"}, "kind", "Typen måste", "must be"),
        ({"year": "2017", "kind": "municipality", "inhabitants": "10000"}, "year", "från 2018", "from 2018"),
        ({"year": "20x3", "kind": "municipality", "inhabitants": "10000"}, "year", "fyra siffror", "four digits"),
        ({"year": "2023", "organisation": "9999"}, "organisation", "koden 9999", "the code 9999"),
        ({"year": "2023", "organisation": "<b>x</b>"}, "organisation", "kommunkod", "kommunkod"),
    ],
)
def test_bad_input_shows_the_error_next_to_the_field_in_both_languages(client, params, field, sv, en):
    for url, expected in ((SV, sv), (EN, en)):
        html = page(client, url, **params)
        summary = error_summary(html)
        assert 'role="alert"' in summary and 'tabindex="-1"' in summary
        anchor = "#id_kind_municipality" if field == "kind" else f"#id_{field}"
        assert f'href="{anchor}"' in summary
        message = re.search(rf'<p id="id_{field}_error"[^>]*>(.*?)</p>', html, re.S).group(1)
        assert expected in message
        assert f"id_{field}_error" in re.search(rf'aria-describedby="[^"]*id_{field}_error', html).group(0)
        assert 'data-role="figures" hidden' in html  # no fee shown for bad input
        assert "<b>x</b>" not in html


def test_all_errors_are_listed_at_once(client):
    summary = error_summary(page(client, EN, year="2017", inhabitants="1e9"))
    assert summary.count("<li>") == 3
    assert "from 2018" in summary and "whole number" in summary and "Choose municipality" in summary


def test_unrelated_parameters_do_not_trigger_errors(client):
    assert error_summary(page(client, SV, utm_source="news")) == ""


def test_no_inline_script_and_the_script_is_local(client):
    html = page(client, SV, year="2023", organisation="2422")
    scripts = re.findall(r"<script\b[^>]*>(.*?)</script>", html, re.S)
    assert scripts and all(body.strip() == "" for body in scripts)
    assert '<script src="/static/js/fees.js" defer></script>' in html
    assert not re.search(r"\son[a-z]+=", html)  # no inline event handlers either
    assert 'data-api-url="/api/fee"' in html


def test_script_exists_and_calls_the_api(project_root):
    source = (project_root / "static" / "js" / "fees.js").read_text(encoding="utf-8")
    assert "fetch(" in source and "data-api-url" in source
    assert "innerHTML" not in source  # texts from the server are set with textContent


def test_a_garbled_hidden_field_is_ignored(client):
    html = page(client, SV, year="2023", organisation="2422", inhabitants="5", population_for="\x00")
    assert error_summary(html) == ""
    assert f"4{NBSP}761{NBSP}kr" in result_region(html)


def test_every_label_points_at_a_field(client):
    html = page(client, SV)
    for target in re.findall(r'<label[^>]*for="([^"]+)"', html):
        assert f'id="{target}"' in html


def test_the_decisions_are_listed(client):
    html = page(client, EN)
    assert "annual meeting decision 2018" in html
    assert f"SEK{NBSP}4,000 + SEK{NBSP}0.30 per inhabitant up to 150,000 inhabitants" in html
    assert f"flat fee SEK{NBSP}49,000" in html


def test_post_is_refused(client):
    assert client.post(SV, {"year": "2023"}).status_code == 405
