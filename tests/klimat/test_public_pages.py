"""The public pages: each in Swedish and English, one h1, no inline script, linked from the menu."""

import re

import pytest
from django.urls import reverse
from django.utils import translation

pytestmark = pytest.mark.django_db


def url(name: str, language: str = "sv", **kwargs) -> str:
    """The page's path in a language, whatever language the last request left active."""
    with translation.override(language):
        return reverse(name, kwargs=kwargs or None)


# (URL name, a Swedish phrase, an English phrase) — each phrase belongs to that page only.
PAGES = [
    ("home", "Bli medlem i Klimatkommunerna", "Become a member of Klimatkommunerna"),
    ("membership", "Nätverksträffar tre gånger om året", "Network meetings three times a year"),
    ("how_to_apply", "Fyll i medlemstestet", "Fill in the membership test"),
    ("observer", "utan rösträtt", "You have no vote"),
    ("testimonials", "Röster från medlemmar", "Voices from members"),
    ("contact", "Kontakta kansliet", "Contact the secretariat"),
    ("contact_thanks", "Tack för ditt meddelande", "Thank you for your message"),
    ("accessibility", "Tillgänglighetsredogörelse", "Accessibility statement"),
]


@pytest.mark.parametrize(("name", "swedish", "_"), PAGES)
def test_page_is_swedish_at_the_root(client, name, swedish, _):
    response = client.get(url(name))
    html = response.content.decode()
    assert response.status_code == 200
    assert '<html lang="sv">' in html
    assert swedish in html


@pytest.mark.parametrize(("name", "_", "english_text"), PAGES)
def test_page_is_english_under_en(client, name, _, english_text):
    response = client.get(url(name, "en"))
    html = response.content.decode()
    assert response.status_code == 200
    assert '<html lang="en">' in html
    assert english_text in html


@pytest.mark.parametrize("name", [page[0] for page in PAGES])
@pytest.mark.parametrize("language", ["sv", "en"])
def test_page_has_one_h1_and_no_inline_script(client, name, language):
    html = client.get(url(name, language)).content.decode()
    assert len(re.findall(r"<h1[\s>]", html)) == 1
    scripts = re.findall(r"<script\b[^>]*>", html)
    assert scripts, "the browser notice script is loaded on every page"
    assert all("src=" in tag for tag in scripts), scripts
    assert not re.search(r"<[a-z][^>]*\son[a-z]+=", html), "no inline event handlers"


def test_menu_links_every_public_page_and_marks_the_current_one(client):
    html = client.get(url("membership")).content.decode()
    nav = html[html.index("<nav") : html.index("</nav>")]
    for name in ("home", "membership", "how_to_apply", "fees:calculator", "observer", "testimonials", "contact"):
        assert f'href="{url(name)}"' in nav
    assert f'href="{url("membership")}" aria-current="page"' in nav


def test_home_explains_the_requirements_and_leads_to_applying(client):
    html = client.get("/").content.decode()
    assert "kontinuerligt inventera utsläpp av växthusgaser" in html
    assert "Ansök om medlemskap" in html
    assert f'href="{url("applications:signin")}"' in html
    assert f'href="{url("fees:calculator")}"' in html
    assert f'href="{url("observer")}"' in html


def test_apply_button_takes_a_signed_in_applicant_to_the_start_page(client, django_user_model):
    client.force_login(django_user_model.objects.create(username="a@kommun.se", email="a@kommun.se"))
    html = client.get("/").content.decode()
    assert f'btn-lg" href="{url("applications:dashboard")}"' in html
    assert "Logga ut" in html


def test_how_to_apply_lists_the_steps_and_what_to_prepare(client):
    html = client.get(url("how_to_apply")).content.decode()
    for phrase in (
        "Fatta de politiska besluten",
        "Kansliet bedömer er ansökan",
        "Besluta om anslutning",
        "protokollet som pdf",
    ):
        assert phrase in html, phrase


def test_membership_page_states_the_statutes_on_contacts_and_delegate(client):
    html = client.get(url("membership")).content.decode()
    assert "en förtroendevald och en tjänsteperson" in html
    assert "ombud" in html


def test_browser_notice_is_hidden_until_the_script_shows_it(client, project_root):
    html = client.get("/").content.decode()
    assert re.search(r'<div id="browser-notice"[^>]*\bhidden\b', html)
    assert "/static/js/browser-notice.js" in html
    script = (project_root / "static" / "js" / "browser-notice.js").read_text()
    assert "'noModule' in HTMLScriptElement.prototype" in script.replace('"', "'")
    assert "=>" not in script, "the notice must run in old browsers: ES5 only"


def test_the_menu_and_footer_kept_in_memory_follow_the_page_the_language_and_the_address(client, settings):
    """base.html keeps its menu and footer per process (the "fragments" cache): a page must never
    get the menu of another page or language, nor a footer with an address no longer set."""
    for language, label in (("sv", "Medlemskap"), ("en", "Membership"), ("sv", "Medlemskap")):
        for name in ("home", "membership", "observer"):
            client.cookies["django_language"] = language
            html = client.get(url(name, language)).content.decode()
            nav = html[html.index("<nav") : html.index("</nav>")]
            assert nav.count('aria-current="page"') == 1
            assert f'href="{url(name, language)}" aria-current="page"' in nav
            assert f">{label}</a>" in nav
    settings.SECRETARIAT_EMAIL = "ny-adress@example.org"
    assert "mailto:ny-adress@example.org" in client.get(url("home")).content.decode()

    from django.core.cache import caches
    from django.core.cache.utils import make_template_fragment_key

    kept = caches["fragments"]
    assert kept.get(make_template_fragment_key("site_nav", ["en", "observer"])) is not None
    assert kept.get(make_template_fragment_key("site_footer", ["sv", "ny-adress@example.org"])) is not None
