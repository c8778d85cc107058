import pytest
from django.urls import reverse
from django.utils import translation

pytestmark = pytest.mark.django_db


def test_home_is_swedish_by_default(client):
    response = client.get("/")
    html = response.content.decode()
    assert response.status_code == 200
    assert '<html lang="sv">' in html
    assert "Bli medlem i Klimatkommunerna" in html
    assert 'href="#main"' in html and 'id="main"' in html


def test_home_in_english_under_en(client):
    response = client.get("/en/")
    html = response.content.decode()
    assert '<html lang="en">' in html
    assert "Become a member of Klimatkommunerna" in html


def test_language_switch_goes_to_the_english_page(client):
    response = client.post(reverse("set_language"), {"language": "en", "next": "/tillganglighet/"})
    assert response.status_code == 302
    assert response["Location"] == "/en/tillganglighet/"


def test_footer_links_the_accessibility_statement_and_the_secretariat(client, settings):
    html = client.get("/").content.decode()
    assert reverse("accessibility") in html
    assert f"mailto:{settings.SECRETARIAT_EMAIL}" in html
    statement = client.get(reverse("accessibility")).content.decode()
    assert "Tillgänglighetsredogörelse" in statement and "WCAG 2.1" in statement


def test_static_files_are_local(client):
    html = client.get("/").content.decode()
    assert "/static/vendor/bootstrap/bootstrap.min.css" in html
    assert "cdn" not in html.lower()


def test_health_answers_when_the_database_does(client):
    assert client.get("/health/").json() == {"status": "ok"}


def test_admin_login_page_works(client):
    assert client.get("/admin/login/").status_code == 200


def test_admin_works_for_staff(admin_client):
    assert admin_client.get("/admin/applications/organisation/?q=Sorsele").status_code == 200


def test_unknown_page_is_a_404(client):
    with translation.override("sv"):
        assert client.get("/finns-inte/").status_code == 404
