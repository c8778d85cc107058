"""Sign-in by emailed link (DESIGN.md §2, issue 5 part 2); rate limits: tests/security/test_abuse.py."""

import datetime
import hashlib
import re
from unittest import mock

import pytest
from django.contrib.auth import SESSION_KEY
from django.contrib.auth.models import User
from django.core import mail
from django.db import connection
from django.urls import reverse
from django.utils import timezone, translation

from applications import signin
from applications.models import SignInToken

pytestmark = pytest.mark.django_db

LINK = re.compile(r"https?://[^\s\"<]+/logga-in/([A-Za-z0-9_-]+)/")


def url(name: str, language: str = "sv", **kwargs) -> str:
    with translation.override(language):
        return reverse(name, kwargs=kwargs or None)


def ask(client, email="anna@kommun.se", ip="192.0.2.1", language="sv", **extra):
    return client.post(url("applications:signin", language), {"email": email, **extra}, REMOTE_ADDR=ip)


def token_in_last_mail() -> str:
    match = LINK.search(mail.outbox[-1].body)
    assert match, mail.outbox[-1].body
    return match.group(1)


def confirm_url(token: str, language: str = "sv") -> str:
    return url("applications:signin_confirm", language, token=token)


# --- Asking for a link ------------------------------------------------------------------------


def test_the_page_asks_for_an_email_address(client):
    html = client.get(url("applications:signin")).content.decode()
    assert "<h1>Logga in</h1>" in html and 'type="email"' in html and 'autocomplete="email"' in html


def test_check_your_inbox_page_names_the_address(client):
    ask(client, "Anna@Kommun.se")
    html = client.get(url("applications:signin_sent")).content.decode()
    assert "Kolla din inkorg" in html and "anna@kommun.se" in html


def test_the_mail_holds_a_link_to_the_confirm_page_in_the_users_language(client, settings):
    ask(client, language="en")
    message = mail.outbox[0]
    assert message.to == ["anna@kommun.se"]
    assert message.subject == "Your sign-in link to Klimatkommunerna"
    token = token_in_last_mail()
    assert f"{settings.SITE_URL}/en/logga-in/{token}/" in message.body
    assert f'href="{settings.SITE_URL}/en/logga-in/{token}/"' in message.alternatives[0][0]
    assert "30" in message.body


def test_swedish_mail(client):
    ask(client)
    assert mail.outbox[0].subject == "Din inloggningslänk till Klimatkommunerna"
    assert "Länken gäller i 30 minuter" in mail.outbox[0].body


def test_invalid_address_is_an_error_in_the_users_language_and_sends_nothing(client):
    sv = ask(client, "inte en adress").content.decode()
    en = ask(client, "not an address", language="en").content.decode()
    assert 'id="id_email_error">Fyll i en giltig e-postadress.' in sv and 'href="#id_email"' in sv
    assert 'id="id_email_error">Enter a valid email address.' in en
    assert mail.outbox == [] and SignInToken.objects.count() == 0


def test_a_mail_server_failure_asks_to_try_again_and_leaves_no_token(client):
    with mock.patch("django.core.mail.backends.locmem.EmailBackend.send_messages", side_effect=OSError("down")):
        response = ask(client)
    assert response.status_code == 503
    assert "Vi kunde inte skicka e-postmeddelandet just nu" in response.content.decode()
    assert SignInToken.objects.count() == 0


# --- The token --------------------------------------------------------------------------------


def test_token_is_stored_only_as_its_hash(client):
    ask(client)
    token = token_in_last_mail()
    stored = SignInToken.objects.get()
    assert stored.token_hash == hashlib.sha256(token.encode()).hexdigest()
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM applications_signintoken")
        assert token not in repr(cursor.fetchall())


def test_token_is_valid_for_thirty_minutes():
    before = timezone.now()
    signin.create_token("anna@kommun.se")
    token = SignInToken.objects.get()
    assert (
        datetime.timedelta(minutes=29, seconds=59)
        < token.expires_at - before
        <= datetime.timedelta(minutes=30, seconds=1)
    )


def test_tokens_are_random_and_long():
    tokens = {signin.create_token("anna@kommun.se") for _ in range(20)}
    assert len(tokens) == 20 and all(len(t) >= 40 for t in tokens)


# --- Following the link -----------------------------------------------------------------------


def test_get_shows_a_confirm_button_and_does_not_sign_in(client):
    ask(client)
    token = token_in_last_mail()
    response = client.get(confirm_url(token))
    html = response.content.decode()
    assert response.status_code == 200
    assert f'<form method="post" action="{confirm_url(token)}">' in html and 'type="submit"' in html
    assert response["Referrer-Policy"] == "strict-origin"  # the origin only, never the path
    assert SESSION_KEY not in client.session
    assert SignInToken.objects.get().used_at is None
    # A mail scanner following the link twice leaves it usable.
    client.get(confirm_url(token))
    assert client.post(confirm_url(token)).status_code == 302


def test_post_signs_in_creates_the_account_and_rotates_the_session(client):
    ask(client, "Anna@Kommun.se")
    token = token_in_last_mail()
    client.get(confirm_url(token))
    before = client.session.session_key
    response = client.post(confirm_url(token))
    assert response.status_code == 302 and response["Location"] == url("applications:dashboard")
    user = User.objects.get(username="anna@kommun.se")
    assert user.email == "anna@kommun.se" and not user.has_usable_password() and not user.is_staff
    assert client.session[SESSION_KEY] == str(user.pk)
    assert client.session.session_key != before
    assert SignInToken.objects.get().used_at is not None


def test_known_applicant_signs_in_to_its_existing_account(client):
    user = User.objects.create(username="anna@kommun.se", email="anna@kommun.se")
    ask(client, "ANNA@kommun.se")
    client.post(confirm_url(token_in_last_mail()))
    assert client.session[SESSION_KEY] == str(user.pk)
    assert User.objects.count() == 1


def test_reused_link_is_refused_with_a_way_to_ask_again(client):
    ask(client)
    token = token_in_last_mail()
    client.post(confirm_url(token))
    client.logout()
    for response in (client.get(confirm_url(token)), client.post(confirm_url(token))):
        html = response.content.decode()
        assert "Länken kan inte användas" in html
        assert f'href="{url("applications:signin")}"' in html
    assert SESSION_KEY not in client.session


def test_expired_link_is_refused_after_thirty_minutes(client):
    ask(client)
    token = token_in_last_mail()
    later = timezone.now() + datetime.timedelta(minutes=31)
    with mock.patch("django.utils.timezone.now", return_value=later):
        get = client.get(confirm_url(token))
        post = client.post(confirm_url(token))
    assert "Länken kan inte användas" in get.content.decode()
    assert "Länken kan inte användas" in post.content.decode()
    assert SESSION_KEY not in client.session


def test_link_still_works_at_twenty_nine_minutes(client):
    ask(client)
    token = token_in_last_mail()
    with mock.patch("django.utils.timezone.now", return_value=timezone.now() + datetime.timedelta(minutes=29)):
        assert client.post(confirm_url(token)).status_code == 302


def test_made_up_link_is_refused_in_english(client):
    html = client.get(confirm_url("not-a-real-token", "en")).content.decode()
    assert "The link cannot be used" in html and "Ask for a new link" in html


def test_token_is_used_once_even_by_two_requests_at_once():
    raw = signin.create_token("anna@kommun.se")
    assert signin.use_token(raw) is not None
    assert signin.use_token(raw) is None  # the conditional UPDATE matched no row


def test_staff_account_cannot_sign_in_by_link(client):
    User.objects.create(username="staff@klimatkommunerna.se", email="staff@klimatkommunerna.se", is_staff=True)
    ask(client, "staff@klimatkommunerna.se")
    response = client.post(confirm_url(token_in_last_mail()))
    assert "Logga in med ditt lösenord" in response.content.decode()
    assert SESSION_KEY not in client.session


def test_inactive_account_cannot_sign_in(client):
    User.objects.create(username="gone@kommun.se", email="gone@kommun.se", is_active=False)
    ask(client, "gone@kommun.se")
    client.post(confirm_url(token_in_last_mail()))
    assert SESSION_KEY not in client.session


# --- Where to go after signing in -------------------------------------------------------------


def test_a_local_next_url_is_followed(client):
    ask(client, next="/ansokan/ny/")
    response = client.post(confirm_url(token_in_last_mail()))
    assert response["Location"] == "/ansokan/ny/"


@pytest.mark.parametrize(
    "evil", ["https://evil.example/", "//evil.example/x", "https:/evil.example", "javascript:alert(1)"]
)
def test_an_external_next_url_is_ignored(client, evil):
    ask(client, next=evil)
    response = client.post(confirm_url(token_in_last_mail()))
    assert response["Location"] == url("applications:dashboard")


def test_next_url_from_login_required_is_carried_into_the_form(client):
    html = client.get(url("applications:signin") + "?next=/ansokan/ny/").content.decode()
    assert 'name="next" value="/ansokan/ny/"' in html


# --- Rate limits (the limits themselves: tests/security/test_abuse.py) -------------------------


def test_sign_in_works_when_the_rate_limit_cache_is_down(client):
    with mock.patch("klimat.ratelimit.cache.add", side_effect=ConnectionError("Redis is down")):
        assert ask(client).status_code == 302
    assert client.post(confirm_url(token_in_last_mail())).status_code == 302


# --- Signing out, clean-up, logs --------------------------------------------------------------


def test_sign_out_is_a_post_and_ends_the_session(client):
    client.force_login(User.objects.create(username="anna@kommun.se"))
    assert client.get(url("applications:signout")).status_code == 405
    response = client.post(url("applications:signout"))
    assert response.status_code == 302 and response["Location"] == url("home")
    assert SESSION_KEY not in client.session
    assert "Du är utloggad" in client.get(response["Location"]).content.decode()


# Purging expired tokens and keeping tokens out of every log: tests/security/test_personal_data.py.
