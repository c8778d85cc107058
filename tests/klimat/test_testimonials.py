import pytest
from django.urls import reverse
from django.utils import translation

from klimat.models import Testimonial as MemberVoice

pytestmark = pytest.mark.django_db


def url(name: str, language: str = "sv", **kwargs) -> str:
    """The page's path in a language, whatever language the last request left active."""
    with translation.override(language):
        return reverse(name, kwargs=kwargs or None)


@pytest.fixture
def only_ours():
    MemberVoice.objects.all().delete()  # the example texts from the data migration


def test_only_published_testimonials_are_shown(client, only_ours):
    MemberVoice.objects.create(quote_sv="Synlig text", role_sv="Klimatstrateg", published=True)
    MemberVoice.objects.create(quote_sv="Dold text", role_sv="Klimatstrateg", published=False)
    html = client.get(url("testimonials")).content.decode()
    assert "Synlig text" in html
    assert "Dold text" not in html


def test_english_page_shows_the_english_quote_or_falls_back_to_swedish(client, only_ours):
    MemberVoice.objects.create(
        quote_sv="Citatet på svenska",
        quote_en="In English",
        role_sv="Strateg",
        role_en="Strategist",
        published=True,
        order=1,
    )
    MemberVoice.objects.create(quote_sv="Bara svenska", role_sv="Ordförande", published=True, order=2)
    html = client.get(url("testimonials", "en")).content.decode()
    assert "In English" in html and "Strategist" in html and "Citatet på svenska" not in html
    assert "Bara svenska" in html and "Ordförande" in html
    assert html.index("In English") < html.index("Bara svenska")


def test_quotes_are_escaped(client, only_ours):
    MemberVoice.objects.create(quote_sv="<script>alert(1)</script>", role_sv="x", published=True)
    html = client.get(url("testimonials")).content.decode()
    assert "<script>alert(1)" not in html and "&lt;script&gt;" in html


def test_page_says_so_when_there_are_none(client, only_ours):
    assert "Det finns inga berättelser" in client.get(url("testimonials")).content.decode()


def test_shipped_examples_are_labelled_as_examples_and_name_no_one(client):
    examples = MemberVoice.objects.filter(is_example=True)
    assert examples.count() == 3
    assert all(not t.person_name and not t.organisation_name and t.quote_en and t.role_en for t in examples)
    html = client.get(url("testimonials")).content.decode()
    assert html.count("Exempeltext, inte ett verkligt citat") == 3


def test_secretariat_edits_testimonials_in_the_admin(admin_client):
    response = admin_client.post(
        reverse("admin:klimat_testimonial_add"),
        {
            "quote_sv": "Ny röst",
            "quote_en": "",
            "person_name": "",
            "role_sv": "Energistrateg",
            "role_en": "",
            "organisation_name": "",
            "published": "on",
            "order": "5",
        },
    )
    assert response.status_code == 302
    assert MemberVoice.objects.get(quote_sv="Ny röst").published
    assert admin_client.get(reverse("admin:klimat_testimonial_changelist")).status_code == 200
