"""The contact form: a valid message is kept and forwarded by the outbox; nothing else is kept."""

from unittest import mock

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import translation

from applications.models import EmailStatus, OutboundEmail
from klimat.models import ContactMessage

pytestmark = pytest.mark.django_db


def url(name: str, language: str = "sv", **kwargs) -> str:
    """The page's path in a language, whatever language the last request left active."""
    with translation.override(language):
        return reverse(name, kwargs=kwargs or None)


VALID = {
    "name": "Anna Andersson",
    "email": "Anna.Andersson@Exempel.se",
    "organisation": "Exempels kommun",
    "message": "Hej!\nHur lång tid tar det att få svar på en ansökan?",
    "website": "",
}


def post(client, data, language="sv"):
    return client.post(url("contact", language), data, REMOTE_ADDR="192.0.2.10")


def test_valid_message_is_kept_and_queued_to_the_secretariat(client, settings, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = post(client, VALID)
    assert response.status_code == 302 and response["Location"] == url("contact_thanks")
    message = ContactMessage.objects.get()
    assert (message.name, message.email, message.organisation, message.language) == (
        "Anna Andersson",
        "anna.andersson@exempel.se",
        "Exempels kommun",
        "sv",
    )
    outbound = OutboundEmail.objects.get()
    assert message.outbound_email == outbound
    assert outbound.template == "contact_message" and outbound.to == [settings.SECRETARIAT_EMAIL]
    assert "Hur lång tid tar det" in outbound.body_text and "anna.andersson@exempel.se" in outbound.body_text
    assert "Anna Andersson" in outbound.subject
    # Sent after commit by the outbox task (in-process without a broker).
    assert outbound.status == EmailStatus.SENT
    assert len(mail.outbox) == 1 and mail.outbox[0].to == [settings.SECRETARIAT_EMAIL]


def test_english_message_says_which_language_the_sender_used(client):
    post(client, VALID, language="en")
    message = ContactMessage.objects.get()
    assert message.language == "en"
    assert "Skrivet på: Engelska" in message.outbound_email.body_text


def test_user_text_is_escaped_in_the_html_mail_and_kept_literal_in_the_text(client):
    post(client, {**VALID, "name": "Eve <b>", "message": "<img src=x onerror=alert(1)> & mer"})
    outbound = OutboundEmail.objects.get()
    assert "<img src=x" not in outbound.body_html and "&lt;img src=x" in outbound.body_html
    assert "<img src=x onerror=alert(1)> & mer" in outbound.body_text


@pytest.mark.parametrize(
    ("language", "field_error"),
    [("sv", "Fyll i en giltig e-postadress."), ("en", "Enter a valid email address.")],
)
def test_invalid_message_shows_errors_next_to_fields_and_stores_nothing(client, language, field_error):
    response = post(client, {**VALID, "email": "inte-en-adress", "message": ""}, language=language)
    html = response.content.decode()
    assert response.status_code == 200
    assert 'id="error-summary"' in html and 'role="alert"' in html
    assert 'href="#id_email"' in html and 'href="#id_message"' in html
    assert f'<div class="invalid-feedback d-block" id="id_email_error">{field_error}</div>' in html
    assert 'aria-invalid="true"' in html and 'aria-describedby="id_email_helptext id_email_error"' in html
    assert ContactMessage.objects.count() == 0 and OutboundEmail.objects.count() == 0


def test_required_field_error_in_swedish_and_english(client):
    sv = post(client, {**VALID, "name": ""}).content.decode()
    en = post(client, {**VALID, "name": ""}, language="en").content.decode()
    assert 'id="id_name_error">Detta fält måste fyllas i.' in sv
    assert 'id="id_name_error">This field is required.' in en


def test_too_long_message_is_refused(client):
    response = post(client, {**VALID, "message": "x" * 5001})
    assert response.status_code == 200 and "id_message_error" in response.content.decode()
    assert ContactMessage.objects.count() == 0


def test_honeypot_looks_like_success_but_keeps_and_sends_nothing(client):
    response = post(client, {**VALID, "website": "http://spam.example"})
    assert response.status_code == 302 and response["Location"] == url("contact_thanks")
    assert ContactMessage.objects.count() == 0 and OutboundEmail.objects.count() == 0


def test_honeypot_is_hidden_from_people(client):
    html = client.get(url("contact")).content.decode()
    assert '<div class="hp-field" aria-hidden="true">' in html
    assert 'name="website"' in html and 'tabindex="-1"' in html


def test_message_is_kept_when_the_broker_is_down(client, settings, django_capture_on_commit_callbacks):
    settings.CELERY_TASK_ALWAYS_EAGER = False
    broker_down = mock.patch("applications.tasks.send_email.delay", side_effect=ConnectionError("Redis is down"))
    with broker_down, django_capture_on_commit_callbacks(execute=True):
        response = post(client, VALID)
    assert response.status_code == 302
    assert ContactMessage.objects.count() == 1
    assert OutboundEmail.objects.get().status == EmailStatus.PENDING  # the sweep sends it later


def test_message_is_kept_when_the_mail_server_is_down(client, django_capture_on_commit_callbacks):
    smtp_down = mock.patch(
        "django.core.mail.backends.locmem.EmailBackend.send_messages", side_effect=ConnectionRefusedError
    )
    with smtp_down, django_capture_on_commit_callbacks(execute=True):
        response = post(client, VALID)
    assert response.status_code == 302
    assert ContactMessage.objects.count() == 1
    assert OutboundEmail.objects.get().status == EmailStatus.PENDING  # transient: retried


def test_message_is_kept_when_the_rate_limit_cache_is_down(client):
    with mock.patch("klimat.ratelimit.cache.add", side_effect=ConnectionError("Redis is down")):
        response = post(client, VALID)
    assert response.status_code == 302
    assert ContactMessage.objects.count() == 1


def test_nothing_is_kept_when_queueing_the_mail_fails(client):
    with (
        mock.patch("klimat.contact.queue_email", side_effect=RuntimeError("template broken")),
        pytest.raises(RuntimeError),
    ):
        post(client, VALID)
    assert ContactMessage.objects.count() == 0


def test_secretariat_reads_messages_in_the_admin_without_editing_them(admin_client, django_assert_max_num_queries):
    for n in range(3):
        post(admin_client, {**VALID, "email": f"p{n}@exempel.se"})
    with django_assert_max_num_queries(8):
        response = admin_client.get(reverse("admin:klimat_contactmessage_changelist"))
    assert response.status_code == 200 and "p2@exempel.se" in response.content.decode()
    assert admin_client.get(reverse("admin:klimat_contactmessage_add")).status_code == 403
