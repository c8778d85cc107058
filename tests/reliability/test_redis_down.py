"""Issue 7 §10: with Redis stopped, applicants still sign in, save and submit; nothing is lost.

Redis is two things to the portal: the cache (only the rate limits of sign-in links and the
contact form) and Celery's broker (queuing outgoing mail after commit). Sessions live in the
database. With Redis down:

- signing in works: the link mail is sent by the request itself over SMTP (applications/signin.py),
  not through Redis; the rate limit cannot count and lets the request through (fails open,
  klimat/ratelimit.py), logging a warning, so for the outage links are limited only by SMTP;
- everyone signed in stays signed in; drafts save; submitting works: its receipt and the
  secretariat's notice are outbox rows written in the submit's transaction, and queuing them
  fails quietly after commit (applications/emails.py), so they wait as "pending";
- when Redis returns, the outbox sweep (beat, every minute) queues every pending row and the
  worker sends each exactly once.

The Redis here is a private redis-server (tests/reliability/support.py), really stopped.
"""

import re
import signal
import socket
import time

import pytest
from django.core import mail
from django.urls import reverse

from applications import tasks, workflow
from applications.models import Application, EmailStatus, OutboundEmail, Status, StatusChange
from tests.applications.conftest import url
from tests.applications.test_journey_contacts import contacts_data
from tests.applications.test_journey_whole import answer_the_whole_test, organisation_data
from tests.factories import make_application, make_staff
from tests.reliability.conftest import postgresql_only
from tests.reliability.support import celery_on, wait_until

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.services]

LINK = re.compile(r"/logga-in/([A-Za-z0-9_-]+)/")
EMAIL = "ingrid.lindqvist@stockholm.se"


@pytest.fixture
def on_private_redis(private_redis, reliability_queue, settings):
    """The cache and the broker on the private Redis, as REDIS_URL and CELERY_BROKER_URL set them."""
    settings.CACHES = {
        **settings.CACHES,
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": private_redis.url.removesuffix("/0") + "/1",
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
        },
    }
    if not private_redis.is_up():
        private_redis.start()
    with celery_on(private_redis.url, reliability_queue):
        yield private_redis
    if not private_redis.is_up():
        private_redis.start()


def sign_in(client, email: str = EMAIL) -> None:
    assert client.post(url("applications:signin"), {"email": email}).status_code == 302
    token = LINK.search(mail.outbox[-1].body).group(1)
    confirm = reverse("applications:signin_confirm", kwargs={"token": token})
    assert client.get(confirm).status_code == 200
    assert client.post(confirm).status_code == 302


def journey_with_redis_down(client, redis_server, caplog) -> Application:
    """Sign in with Redis up, lose Redis, then do everything else; returns the submitted application."""
    sign_in(client)
    assert redis_server.client(db=1).dbsize() > 0  # the rate limit counted in Redis, the cache's db
    redis_server.stop()
    assert not redis_server.is_up()

    # Still signed in: sessions are in the database.
    assert client.get(url("applications:dashboard")).status_code == 200
    # A colleague signs in during the outage: the link still comes; the rate limit lets it through.
    other = client.__class__()
    sign_in(other, "bo@stockholm.se")
    assert "Rate-limit cache unavailable" in caplog.text

    # Start, save each part, answer the test, submit: every step a redirect, never a 500.
    assert client.post(url("applications:start"), {"organisation": "0180"}).status_code == 302
    application = Application.objects.get()
    assert client.post(url("applications:organisation", application.pk), organisation_data()).status_code == 302
    contacts = client.post(url("applications:contacts", application.pk), {**contacts_data(), "go": "next"})
    assert contacts.status_code == 302
    answer_the_whole_test(client, application)
    started = time.monotonic()
    response = client.post(url("applications:submit", application.pk))
    assert response["Location"] == url("applications:status", application.pk)
    assert time.monotonic() - started < 10  # queuing two mails on a dead broker fails fast
    assert client.get(response["Location"]).status_code == 200
    assert "the outbox sweep will send it" in caplog.text

    application.refresh_from_db()
    assert application.status == Status.SUBMITTED
    assert StatusChange.objects.filter(application=application, to_status=Status.SUBMITTED).count() == 1
    return application


def test_with_redis_down_applicants_sign_in_save_and_submit(client, on_private_redis, caplog):
    from django.db import connection

    if connection.vendor == "postgresql":
        pytest.skip("on PostgreSQL the same journey runs in test_when_redis_returns_every_queued_mail_goes_out_once")
    application = journey_with_redis_down(client, on_private_redis, caplog)
    # Receipt and notice wait in the outbox; nothing was sent and nothing is lost.
    queued = OutboundEmail.objects.filter(application=application)
    assert sorted(queued.values_list("status", flat=True)) == [EmailStatus.PENDING] * 2


def test_sessions_never_depend_on_the_cache(settings):
    assert settings.SESSION_ENGINE == "django.contrib.sessions.backends.db"


def test_when_redis_returns_every_queued_mail_goes_out_once(
    client, on_private_redis, on_worker, flaky_smtp, reliability_queue, caplog
):
    postgresql_only()
    on_worker.stop()  # the worker goes down with Redis and comes back after it
    application = journey_with_redis_down(client, on_private_redis, caplog)
    pending = list(OutboundEmail.objects.filter(application=application).values_list("pk", flat=True))
    assert len(pending) == 2

    on_private_redis.start()  # an empty Redis: the tasks that could not be queued are not in it
    on_worker.start()
    OutboundEmail.objects.update(created_at=OutboundEmail.objects.first().created_at - tasks.SWEEP_GRACE * 2)
    assert tasks.sweep_outbox() == 2
    tasks.sweep_outbox()  # the next minute's sweep, before the worker got to them: still once

    def all_sent() -> bool:
        return set(OutboundEmail.objects.filter(pk__in=pending).values_list("status", flat=True)) == {EmailStatus.SENT}

    wait_until(all_sent, timeout=60, message=lambda: "".join(on_worker.log[-30:]))
    wait_until(lambda: on_private_redis.queued(reliability_queue) == 0, timeout=60, message="tasks still queued")
    assert flaky_smtp.delivered() == {str(pk): 1 for pk in pending}


def test_a_redis_that_hangs_delays_a_change_but_never_blocks_it(reliability_queue):
    """A Redis that accepts connections and never answers (a half-dead server, a firewall): the
    broker's socket timeouts (settings) end the wait after commit, and the mail stays pending."""

    def never_returned(signum, frame):
        raise AssertionError("queuing a mail on a hanging Redis never returned")

    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(16)  # the kernel accepts connections; nobody ever answers them
    application = make_application(status=Status.IN_REVIEW)
    previous = signal.signal(signal.SIGALRM, never_returned)
    signal.alarm(30)
    started = time.monotonic()
    try:
        with celery_on(f"redis://127.0.0.1:{listener.getsockname()[1]}/0", reliability_queue):
            workflow.decline_application(application=application, by=make_staff(), reason="x")
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)
        listener.close()
    assert time.monotonic() - started < 15
    assert OutboundEmail.objects.get().status == EmailStatus.PENDING
