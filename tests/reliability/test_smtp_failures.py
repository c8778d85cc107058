"""Issue 7 §10: a mail the SMTP server refuses for good is marked failed, and the admin shows it.

In-process (tasks run after commit, as in `make run`) against a real SMTP server that answers
550, so this runs on SQLite too. Retries after temporary refusals are in test_outbox_delivery.py.
"""

import pytest

from applications import workflow
from applications.models import EmailStatus, OutboundEmail, Status
from tests.factories import make_application, make_staff

pytestmark = pytest.mark.django_db

CHANGELIST = "/admin/applications/outboundemail/"


@pytest.fixture
def smtp(flaky_smtp, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", flaky_smtp.port
    flaky_smtp.reset()
    return flaky_smtp


def test_a_refused_mail_is_failed_shown_in_the_admin_and_can_be_sent_again(
    smtp, client, settings, django_capture_on_commit_callbacks
):
    settings.LANGUAGE_CODE = "en"
    smtp.refuse_all = "550 5.1.1 Mailbox unavailable"
    application = make_application(status=Status.IN_REVIEW)
    with django_capture_on_commit_callbacks(execute=True):
        workflow.decline_application(application=application, by=make_staff(), reason="Saknar mål.")
    email = OutboundEmail.objects.get()
    assert (email.status, email.attempts) == (EmailStatus.FAILED, 1)
    assert "550" in email.last_error
    assert smtp.delivered() == {}

    client.force_login(make_staff("kansli"))
    listed = client.get(CHANGELIST, {"status__exact": EmailStatus.FAILED}).content.decode()
    assert email.subject in listed
    assert 'value="send_again"' in listed  # the action the secretariat uses once the address is fixed
    change = client.get(f"/admin/applications/application/{application.pk}/change/").content.decode()
    assert "5.1.1 Mailbox unavailable" in change  # beside the application, in the server's words

    smtp.refuse_all = None
    with django_capture_on_commit_callbacks(execute=True):
        page = client.post(CHANGELIST, {"action": "send_again", "_selected_action": [email.pk]}, follow=True)
    assert "1 mail queued again." in page.content.decode()
    email.refresh_from_db()
    assert (email.status, email.attempts) == (EmailStatus.SENT, 2)
    assert smtp.delivered() == {str(email.pk): 1}
