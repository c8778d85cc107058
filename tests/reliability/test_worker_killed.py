"""Issue 7 §11: a worker killed (SIGKILL) while it renders an offer letter loses nothing.

The worker renders through tests/reliability/gated_worker.py, so the test knows the moment it
is mid-render and which process renders. Afterwards there must be exactly one stored letter
and exactly one mail at the SMTP server, whatever path brought the task back.
"""

import os
import signal
import uuid
from pathlib import Path

import pytest

from applications import tasks, workflow
from applications.models import EmailStatus, OfferLetter, OutboundEmail, Status
from tests.factories import make_application, make_staff
from tests.reliability.support import celery_on, wait_until, worker_on

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.services]


@pytest.fixture(scope="module")
def gate(tmp_path_factory):
    return tmp_path_factory.mktemp("render-gate")


@pytest.fixture(scope="module")
def killable(django_db_setup, private_redis, flaky_smtp, private_root, gate):
    """A gated worker on a queue of its own; restarted when a test has killed it."""
    worker = worker_on(
        private_redis,
        flaky_smtp,
        private_root,
        f"klimat-killed-{uuid.uuid4().hex[:12]}",
        concurrency=1,
        app="tests.reliability.gated_worker",
        # Messages a dead worker held come back to a new one after this (an hour in production).
        env={"RELIABILITY_RENDER_GATE": str(gate), "CELERY_VISIBILITY_TIMEOUT": "1"},
    )
    yield worker
    worker.stop()


@pytest.fixture
def gated(killable, gate, private_redis, flaky_smtp, private_root, settings):
    for path in gate.iterdir():
        path.unlink()
    if killable.process is None or killable.process.poll() is not None:
        killable.start()
    settings.MEDIA_ROOT = private_root
    flaky_smtp.reset()
    with celery_on(private_redis.url, killable.queue):
        yield killable


def rendering_pid(gate) -> int:
    """The pool process that is rendering the letter now."""
    started = wait_until(lambda: list(gate.glob("rendering-*")), timeout=60, message="no letter is being rendered")
    return int(started[0].name.removeprefix("rendering-"))


def letter_files(private_root) -> set[str]:
    return {path.name for path in (private_root / "private" / "offerletter").glob("*.pdf")}


def offer() -> OutboundEmail:
    workflow.make_offer(application=make_application(status=Status.IN_REVIEW), by=make_staff(), year=2023)
    return OutboundEmail.objects.get(template="offer")


def assert_one_letter_and_one_mail(email, worker, flaky_smtp, private_redis, private_root, files_before) -> None:
    def sent() -> bool:
        email.refresh_from_db()
        return email.status == EmailStatus.SENT

    wait_until(sent, timeout=60, message=lambda: f"{email.status} {email.last_error}\n" + "".join(worker.log[-30:]))
    wait_until(lambda: private_redis.queued(worker.queue) == 0, timeout=60, message="tasks still queued")
    assert flaky_smtp.delivered() == {str(email.pk): 1}
    letter = OfferLetter.objects.get()
    assert letter.pdf and letter.rendered_at
    assert letter_files(private_root) - files_before == {Path(letter.pdf.name).name}  # one file written
    attachments = [p for p in flaky_smtp.messages[0].walk() if p.get_content_disposition() == "attachment"]
    with letter.pdf.open("rb") as handle:
        assert [part.get_payload(decode=True) for part in attachments] == [handle.read()]


def test_a_pool_process_killed_mid_render_is_replaced_and_the_letter_sent_once(
    gated, gate, flaky_smtp, private_redis, private_root
):
    """The OOM killer's usual victim: the pool child. The worker re-queues its task
    (task_reject_on_worker_lost), and the redelivered task takes over its own claim."""
    files_before = letter_files(private_root)
    email = offer()
    child = rendering_pid(gate)
    assert OutboundEmail.objects.get(pk=email.pk).status == EmailStatus.SENDING
    os.kill(child, signal.SIGKILL)
    (gate / "open").touch()
    assert_one_letter_and_one_mail(email, gated, flaky_smtp, private_redis, private_root, files_before)
    assert OutboundEmail.objects.get(pk=email.pk).attempts == 2
    assert any("WorkerLostError" in line or "SIGKILL" in line for line in gated.log)


def test_a_whole_worker_killed_mid_render_is_finished_by_a_new_worker_once(
    gated, gate, flaky_smtp, private_redis, private_root
):
    """The machine or container goes: the main process and its child die together. The task
    stays unacknowledged in Redis (acks_late) and comes back after the visibility timeout; the
    sweep re-queues the mail as well. Two deliveries of one mail, one send."""
    files_before = letter_files(private_root)
    email = offer()
    child = rendering_pid(gate)
    os.kill(gated.process.pid, signal.SIGKILL)
    os.kill(child, signal.SIGKILL)
    gated.process.wait(timeout=10)
    assert private_redis.client().hlen("unacked") == 1  # held, not lost: acknowledged only when done

    # The sweep finds the claim stale (its worker is gone) and queues the mail a second time.
    OutboundEmail.objects.filter(pk=email.pk).update(
        claimed_at=email.created_at - tasks.STALE_CLAIM * 2, created_at=email.created_at - tasks.STALE_CLAIM * 2
    )
    assert tasks.sweep_outbox() == 1
    (gate / "open").touch()
    gated.start()  # a new worker: restores the unacknowledged task and takes the sweep's
    assert_one_letter_and_one_mail(email, gated, flaky_smtp, private_redis, private_root, files_before)
