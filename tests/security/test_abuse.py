"""Brute force and abuse (issue 7 §4).

Staff passwords: django-axes locks a username at an address after five failures, for an hour.
Sign-in links and the contact form: rate limits per address and per client IP (klimat/ratelimit.py).
Nothing tells whether an address or a username has an account.
"""

from __future__ import annotations

import datetime
import re

import pytest
from axes.models import AccessAttempt
from django.contrib.auth import SESSION_KEY
from django.contrib.auth.models import User
from django.core import mail
from django.db.models import F
from django.test import Client
from django.urls import reverse
from django.utils import translation

from applications.models import OutboundEmail, SignInToken
from klimat.models import ContactMessage
from klimat.ratelimit import client_ip

pytestmark = pytest.mark.django_db

PASSWORD = "rätt-lösenord-för-kansliet"
ADMIN_LOGIN = "/admin/login/?next=/admin/"
MESSAGE = {
    "name": "Anna Andersson",
    "email": "Anna.Andersson@Exempel.se",
    "organisation": "Exempels kommun",
    "message": "Hur lång tid tar det att få svar på en ansökan?",
    "website": "",
}


def url(name: str, language: str = "sv") -> str:
    with translation.override(language):
        return reverse(name)


def without_csrf_token(response) -> str:
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", response.content.decode())


# --- Staff passwords: django-axes -----------------------------------------------------------------


@pytest.fixture
def staff() -> User:
    user = User.objects.create(username="kansli-anna", email="anna@klimatkommunerna.se", is_staff=True)
    user.set_password(PASSWORD)
    user.save()
    return user


def admin_login(username: str, password: str, ip: str = "192.0.2.10") -> tuple[Client, object]:
    client = Client()
    response = client.post(ADMIN_LOGIN, {"username": username, "password": password}, REMOTE_ADDR=ip)
    return client, response


def test_the_right_password_signs_staff_in(staff):
    client, response = admin_login("kansli-anna", PASSWORD)
    assert response.status_code == 302 and client.session[SESSION_KEY] == str(staff.pk)


def test_five_wrong_passwords_lock_the_account_even_for_the_right_one(staff):
    for _ in range(4):
        _client, response = admin_login("kansli-anna", "fel")
        assert response.status_code == 200 and "för ett personalkonto" in response.content.decode()
    assert admin_login("kansli-anna", "fel")[1].status_code == 429  # the fifth locks
    client, response = admin_login("kansli-anna", PASSWORD)
    assert response.status_code == 429
    assert SESSION_KEY not in client.session
    assert AccessAttempt.objects.get().failures_since_start == 6  # a locked attempt counts as well


def test_the_lock_holds_for_the_username_at_that_address_and_lifts_after_an_hour(staff):
    for _ in range(5):
        admin_login("kansli-anna", "fel")
    # Per username and address: an attacker elsewhere cannot lock the secretariat out.
    assert admin_login("kansli-anna", PASSWORD, ip="198.51.100.1")[1].status_code == 302
    assert admin_login("kansli-anna", PASSWORD)[1].status_code == 429
    AccessAttempt.objects.update(attempt_time=F("attempt_time") - datetime.timedelta(minutes=61))
    assert admin_login("kansli-anna", PASSWORD)[1].status_code == 302


def test_a_success_starts_the_count_again(staff):
    for _ in range(4):
        admin_login("kansli-anna", "fel")
    assert admin_login("kansli-anna", PASSWORD)[1].status_code == 302
    for _ in range(4):
        admin_login("kansli-anna", "fel")
    assert admin_login("kansli-anna", PASSWORD)[1].status_code == 302


def test_known_and_unknown_usernames_get_the_same_answers(staff):
    known = [admin_login("kansli-anna", "fel", ip="192.0.2.1")[1] for _ in range(5)]
    unknown = [admin_login("ingen-sadan", "fel", ip="192.0.2.2")[1] for _ in range(5)]
    assert [r.status_code for r in known] == [r.status_code for r in unknown] == [200] * 4 + [429]
    assert without_csrf_token(known[0]).replace("kansli-anna", "ingen-sadan") == without_csrf_token(unknown[0])
    assert known[-1].content == unknown[-1].content


# --- Sign-in links --------------------------------------------------------------------------------


def ask(client, email="anna@kommun.se", ip="192.0.2.1", language="sv", **extra):
    return client.post(url("applications:signin", language), {"email": email, **extra}, REMOTE_ADDR=ip)


def test_known_and_unknown_addresses_get_the_same_answer(client):
    User.objects.create(username="known@kommun.se", email="known@kommun.se")
    known = ask(client, "known@kommun.se")
    unknown = ask(client, "unknown@kommun.se", ip="192.0.2.2")
    assert known.status_code == unknown.status_code == 302
    assert known["Location"] == unknown["Location"] == url("applications:signin_sent")
    assert known.content == unknown.content
    assert len(mail.outbox) == 2  # a link goes to both: the first sign-in creates the account
    assert SignInToken.objects.count() == 2
    assert not User.objects.filter(username="unknown@kommun.se").exists()  # not before sign-in


def test_sixth_request_for_one_address_in_an_hour_is_refused(client):
    for n in range(5):
        assert ask(client, "anna@kommun.se", ip=f"192.0.2.{n}").status_code == 302
    response = ask(client, "ANNA@kommun.se", ip="192.0.2.99")
    assert response.status_code == 429
    assert "För många inloggningslänkar" in response.content.decode()
    assert len(mail.outbox) == 5 and SignInToken.objects.count() == 5


def test_twenty_first_request_from_one_ip_in_an_hour_is_refused_in_english(client):
    for n in range(20):
        assert ask(client, f"p{n}@kommun.se", ip="198.51.100.7").status_code == 302
    response = ask(client, "new@kommun.se", ip="198.51.100.7", language="en")
    assert response.status_code == 429
    assert "Too many sign-in links" in response.content.decode()
    assert len(mail.outbox) == 20


def test_rate_limit_answers_alike_for_known_and_unknown_addresses(client):
    User.objects.create(username="known@kommun.se", email="known@kommun.se")
    for n in range(5):
        ask(client, "known@kommun.se", ip=f"192.0.2.{n}")
        ask(client, "unknown@kommun.se", ip=f"192.0.2.{n + 10}")
    known, unknown = ask(client, "known@kommun.se", ip="192.0.2.50"), ask(client, "unknown@kommun.se", ip="192.0.2.51")
    assert known.status_code == unknown.status_code == 429
    assert without_csrf_token(known) == without_csrf_token(unknown)


def test_a_forged_forwarded_for_header_does_not_escape_the_ip_limit(client, settings):
    settings.BEHIND_PROXY = False
    for n in range(20):
        response = client.post(
            url("applications:signin"),
            {"email": f"p{n}@kommun.se"},
            REMOTE_ADDR="198.51.100.7",
            HTTP_X_FORWARDED_FOR=f"203.0.113.{n}",
        )
        assert response.status_code == 302
    assert ask(client, "new@kommun.se", ip="198.51.100.7").status_code == 429


def test_behind_our_proxy_the_last_forwarded_hop_is_the_client(rf, settings):
    request = rf.get("/", HTTP_X_FORWARDED_FOR="6.6.6.6, 203.0.113.9", REMOTE_ADDR="10.0.0.2")
    settings.BEHIND_PROXY = False
    assert client_ip(request) == "10.0.0.2"  # a forged header is ignored without a proxy
    settings.BEHIND_PROXY = True
    assert client_ip(request) == "203.0.113.9"  # the hop our proxy appended, not the client's claim


# --- The contact form -----------------------------------------------------------------------------


def test_sixth_message_from_one_address_in_an_hour_is_refused(client):
    for n in range(5):
        response = client.post(url("contact"), MESSAGE, REMOTE_ADDR=f"192.0.2.{n}")
        assert response.status_code == 302
    response = client.post(url("contact"), {**MESSAGE, "email": MESSAGE["email"].upper()}, REMOTE_ADDR="192.0.2.99")
    assert response.status_code == 429
    assert "För många meddelanden" in response.content.decode()
    assert ContactMessage.objects.count() == 5 and OutboundEmail.objects.count() == 5


def test_sixth_message_from_one_ip_in_an_hour_is_refused_in_english(client):
    for n in range(5):
        data = {**MESSAGE, "email": f"p{n}@exempel.se"}
        assert client.post(url("contact", "en"), data, REMOTE_ADDR="198.51.100.7").status_code == 302
    response = client.post(url("contact", "en"), {**MESSAGE, "email": "new@exempel.se"}, REMOTE_ADDR="198.51.100.7")
    assert response.status_code == 429
    assert "Too many messages" in response.content.decode()
    assert ContactMessage.objects.count() == 5


def test_the_contact_form_answers_alike_for_an_applicants_address_and_a_strangers(client):
    User.objects.create(username="known@exempel.se", email="known@exempel.se")
    known = client.post(url("contact"), {**MESSAGE, "email": "known@exempel.se"}, REMOTE_ADDR="192.0.2.1")
    unknown = client.post(url("contact"), {**MESSAGE, "email": "unknown@exempel.se"}, REMOTE_ADDR="192.0.2.2")
    assert (
        (known.status_code, known["Location"])
        == (unknown.status_code, unknown["Location"])
        == (302, url("contact_thanks"))
    )
    assert known.content == unknown.content
