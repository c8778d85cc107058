"""The secretariat edits fee schedules in the admin."""

from decimal import Decimal

import pytest

from fees.models import FeeSchedule

pytestmark = pytest.mark.django_db
CHANGELIST = "/admin/fees/feeschedule/"


def test_changelist_shows_each_decision_in_words(admin_client):
    response = admin_client.get(CHANGELIST)
    html = response.content.decode()
    assert response.status_code == 200
    assert "2018" in html and "2019" in html and "2023" in html
    assert "150\u00a0000" in html  # 2023 municipalities: up to 150 000 inhabitants


@pytest.mark.parametrize(
    "query", ["?q=2023", "?q=blimedlem", "?q=abc", "?municipality_shape__exact=flat", "?gotland_rule__exact=region"]
)
def test_changelist_search_and_filters_work(admin_client, query):
    assert admin_client.get(CHANGELIST + query).status_code == 200


def test_changelist_query_count_does_not_grow_with_rows(admin_client, django_assert_max_num_queries):
    for year in range(2030, 2040):
        FeeSchedule.objects.create(
            year=year,
            municipality_shape="flat",
            municipality_flat_amount=Decimal(1),
            region_shape="flat",
            region_flat_amount=Decimal(1),
        )
    with django_assert_max_num_queries(8):
        assert admin_client.get(CHANGELIST).status_code == 200


def test_change_form_opens(admin_client):
    schedule = FeeSchedule.objects.get(year=2023)
    assert admin_client.get(f"{CHANGELIST}{schedule.pk}/change/").status_code == 200


def _form(**overrides):
    data = {
        "year": "2027",
        "note": "Årsmötets beslut 2027",
        "municipality_shape": "capped_inhabitants",
        "municipality_base": "4000",
        "municipality_rate": "0.35",
        "municipality_cap_amount": "",
        "municipality_cap_inhabitants": "150000",
        "municipality_flat_amount": "",
        "region_shape": "flat",
        "region_base": "",
        "region_rate": "",
        "region_cap_amount": "",
        "region_cap_inhabitants": "",
        "region_flat_amount": "55000",
        "gotland_rule": "region",
    }
    data.update(overrides)
    return data


def test_secretariat_adds_a_decision(admin_client):
    response = admin_client.post(f"{CHANGELIST}add/", _form())
    assert response.status_code == 302
    schedule = FeeSchedule.objects.get(year=2027)
    assert schedule.municipality_rate == Decimal("0.35") and schedule.region_flat_amount == Decimal(55000)


def test_admin_refuses_an_amount_the_shape_does_not_use(admin_client):
    response = admin_client.post(f"{CHANGELIST}add/", _form(region_base="4000"))
    assert response.status_code == 200
    assert "errorlist" in response.content.decode()
    assert not FeeSchedule.objects.filter(year=2027).exists()


def test_admin_refuses_a_second_decision_for_a_year(admin_client):
    response = admin_client.post(f"{CHANGELIST}add/", _form(year="2023"))
    assert response.status_code == 200
    assert FeeSchedule.objects.filter(year=2023).count() == 1
