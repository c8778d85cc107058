"""Hostile text in the public forms: never a 500, and an invalid submission stores nothing."""

import pytest
from django.urls import reverse
from django.utils import translation
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from applications.models import SignInToken
from klimat.models import ContactMessage

pytestmark = pytest.mark.django_db

NASTY = st.one_of(
    st.text(max_size=300),
    st.sampled_from(["\x00", "a" * 100_000, "\u202eevil", "😀" * 50, "'; DROP TABLE x; --", "<script>x</script>"]),
)


def url(name: str) -> str:
    with translation.override("sv"):
        return reverse(name)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(name=NASTY, email=NASTY, organisation=NASTY, message=NASTY)
def test_contact_form_survives_hostile_text(client, name, email, organisation, message):
    before = ContactMessage.objects.count()
    data = {"name": name, "email": email, "organisation": organisation, "message": message, "website": ""}
    response = client.post(url("contact"), data, REMOTE_ADDR="192.0.2.1")
    assert response.status_code in {200, 302, 429}
    if response.status_code != 302:
        assert ContactMessage.objects.count() == before


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(email=NASTY, next_url=NASTY)
def test_signin_form_survives_hostile_text(client, email, next_url):
    before = SignInToken.objects.count()
    response = client.post(url("applications:signin"), {"email": email, "next": next_url}, REMOTE_ADDR="192.0.2.1")
    assert response.status_code in {200, 302, 429}
    if response.status_code != 302:
        assert SignInToken.objects.count() == before


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    token=st.text(
        alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="/\x00"), min_size=1, max_size=300
    )
)
def test_confirm_page_survives_any_token(client, token):
    path = url("applications:signin") + token.replace("?", "").replace("#", "") + "/"
    assert client.get(path).status_code in {200, 404}
    assert client.post(path).status_code in {200, 404}
