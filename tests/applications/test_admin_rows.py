"""The applications' changelist draws its rows itself (applications/admin/rows.py): the same page as Django's."""

import re
from decimal import Decimal

import pytest
from django.contrib import admin
from django.urls import reverse
from django.utils import timezone

from applications.models import Application
from applications.models import Status as S
from tests.factories import make_application, make_staff

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:applications_application_changelist")
QUERIES = [
    "",
    "?o=-3.2",  # sorted by two columns: the links keep the order (_changelist_filters)
    "?status__exact=offered&o=5",
    "?band=offer",
    "?q=212000-0142",
    "?submitted_at__isnull=True",
    "?all=",
]


@pytest.fixture
def varied():
    """Rows with every kind of cell: empty values, a fixed fee, a preview, flags, a population off SCB's."""
    submitted = timezone.now()
    make_application("2422", status=S.DRAFT)
    make_application(
        "0180",
        status=S.OFFERED,
        submitted_at=submitted,
        score_percent=Decimal("72.5"),
        advice_band="offer",
        fee_due=Decimal(125000),
        fee_preview={"due": "125000"},
        review_flags=["dont_know:2", "inconsistent:K3"],
        org_number="2120000142",
    )
    make_application(
        "1280",
        status=S.SUBMITTED,
        submitted_at=submitted,
        score_percent=Decimal("31.0"),
        advice_band="observer",
        fee_preview={"due": "40000"},
        review_flags=["gate_failed"],
        inhabitants=1,
        official_name="<Malmö & co>",
    )


def without_tokens(page: bytes) -> str:
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", page.decode())


def changelist(query: str, language: str, staff) -> bytes:
    """The changelist in a language. Through the view, not the client: the admin lies outside the
    language-prefixed URLs, so LocaleMiddleware would give it the site's default language."""
    from django.test import RequestFactory
    from django.utils import translation

    request = RequestFactory().get(CHANGELIST + query)
    request.user = staff
    with translation.override(language):
        response = admin.site._registry[Application].changelist_view(request)
        response.render()
    assert response.status_code == 200
    return response.content


@pytest.mark.parametrize("language", ["sv", "en"])
@pytest.mark.parametrize("query", QUERIES)
def test_the_page_is_the_one_django_draws(varied, monkeypatch, settings, query, language):
    """Dates, numbers and labels too: rows.py looks up the language's formats once a page."""
    settings.USE_THOUSAND_SEPARATOR = True  # so the numbers differ between the languages too
    staff = make_staff()
    model_admin = admin.site._registry[Application]
    ours = changelist(query, language, staff)
    monkeypatch.setattr(model_admin, "change_list_template", "admin/change_list.html")
    djangos = changelist(query, language, staff)
    assert without_tokens(ours) == without_tokens(djangos)
    assert ours.count(b'class="action-select"') == djangos.count(b'class="action-select"')
    if query == "":  # the rows are in the language asked for, so the comparison covers both
        assert {"sv": "Erbjuden medlemskap", "en": "Offered membership"}[language] in ours.decode()
        assert ours.count(b'class="action-select"') == 3


def test_the_rows_are_drawn_here_not_by_django(client, varied, monkeypatch):
    from django.contrib.admin.templatetags import admin_list

    def refuse(*args, **kwargs):
        raise AssertionError("Django drew the rows")

    monkeypatch.setattr(admin_list, "items_for_result", refuse)
    client.force_login(make_staff())
    assert client.get(CHANGELIST).content.count(b'class="action-select"') == 3


@pytest.mark.parametrize("language", ["sv", "en"])
def test_the_checkbox_and_kind_are_djangos(varied, language):
    from django.contrib.admin import ModelAdmin
    from django.utils import translation

    from applications.models import Organisation

    Organisation.objects.filter(code="1280").update(name='Malmö <stad> & "co"')
    model_admin = admin.site._registry[Application]
    with translation.override(language):
        for application in Application.objects.select_related("organisation"):
            assert model_admin.action_checkbox(application) == ModelAdmin.action_checkbox(model_admin, application)
            assert model_admin.kind(application) == application.organisation.get_kind_display()
            assert str(application).endswith(f" ({application.get_status_display()})")
