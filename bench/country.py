"""4. The whole country at once: every body submits at the same moment, then is offered membership.

311 complete drafts (one per organisation of the reference data) are submitted concurrently
through HTTP (the real submit URL, each with its applicant's session) under gunicorn; the
secretariat then makes every offer (workflow.start_review and workflow.make_offer, in this
process, one after the other); the clock stops when the last offer letter has been rendered by
the 2 Celery worker processes and has reached the SMTP sink. Every outbox row must arrive
exactly once (X-Klimat-Mail-Id), the offers with their PDF.

Baseline: the pure rendering work, 311 x the median render time of one letter (measured in this
process after the run) / 2 worker processes: the time no sending pipeline could beat.
"""

from __future__ import annotations

import time
from typing import Any

from bench import common, stack
from bench.common import Row, fmt

GOAL_SECONDS = 120.0


def prepare(bodies: int | None) -> tuple[list[Any], dict[int, str], Any]:
    from django.db import transaction

    from applications.models import Organisation
    from bench import fixtures

    common.reset_data()
    codes = list(Organisation.objects.order_by("code").values_list("code", flat=True))[:bodies]
    with common.unsynced():
        applications = fixtures.country_drafts(codes)
        with transaction.atomic():
            sessions = {a.pk: fixtures.session_cookie(fixtures.applicant(a)) for a in applications}
        staff = fixtures.staff_user()
    return applications, sessions, staff


def make_offers(applications: list[Any], staff: Any) -> list[str]:
    from applications import workflow

    failures = []
    for application in applications:
        try:
            workflow.start_review(application=application, by=staff)
            workflow.make_offer(application=application, by=staff)
        except workflow.WorkflowError as error:
            failures.append(f"{application.organisation.code}: {error}")
    return failures


def render_baseline(applications: list[Any], repeats: int = 5) -> float:
    """Median ms of one offer letter rendered in this process (warm), the unit of the workers' work."""
    from applications.letters import render_offer_letter_pdf

    application = applications[0]
    application.refresh_from_db()
    render_offer_letter_pdf(application)
    timings = []
    for _ in range(repeats):
        began = time.perf_counter()
        render_offer_letter_pdf(application)
        timings.append((time.perf_counter() - began) * 1000)
    return common.median(timings)


def run(*, bodies: int | None = None, deadline: float = 420, workers: int = 2) -> list[Row]:
    from applications.models import OfferLetter, OutboundEmail

    prepare_began = time.monotonic()
    applications, sessions, staff = prepare(bodies)
    prepared = time.monotonic() - prepare_began
    n = len(applications)
    with stack.running() as services:
        requests = [stack.submit_request(a, sessions[a.pk], at=0) for a in applications]
        began = time.monotonic()
        results = stack.send(services.server, requests, timeout=deadline)
        submitted = time.monotonic()
        failures = make_offers(applications, staff)
        offered = time.monotonic()
        offer_ids = {str(pk) for pk in OutboundEmail.objects.filter(template="offer").values_list("pk", flat=True)}
        done = stack.wait_for(services.sink, offer_ids, began + deadline)
        all_ids = {str(pk) for pk in OutboundEmail.objects.values_list("pk", flat=True)}
        stack.wait_for(services.sink, all_ids, max(done or 0, began + deadline) + 10)
        mails = stack.check_mail(services.sink)
        with_pdf = sum(1 for m in list(services.sink.messages) if stack.mail_id(m) in offer_ids and stack.has_pdf(m))
    by_id = {str(a.pk): a for a in applications}
    acknowledged = [r for r in results if stack.submit_ok(r, by_id[r["id"]])]
    errors = len(results) - len(acknowledged) + len(failures)
    latencies = [float(r.get("latency", 0)) * 1000 for r in results]
    audit = stack.audit_counts()
    # An acknowledged submit (302 to the status page) without its audit row would be lost.
    lost_submits = max(len(acknowledged) - audit["submitted"], 0)
    extra_audit = max(audit["submitted"] - n, 0) + max(audit["offered"] - n, 0)
    letters = OfferLetter.objects.exclude(pdf="").count()
    render_ms = render_baseline(applications)
    ideal = n * render_ms / 1000 / workers
    total = (done - began) if done else float("inf")
    consistent = audit["offered"] == n and letters == n and with_pdf == len(offer_ids) == n
    return [
        Row(
            f"country: {n} submitted, offered, letters mailed (s)",
            fmt(total) if done else f"> {deadline:.0f} (deadline)",
            f"render-bound {fmt(ideal)}",
            f"{common.ratio(total, ideal):.1f}x" if done else "",
            f"< {GOAL_SECONDS:.0f} s",
            total < GOAL_SECONDS,
            f"submits {fmt(submitted - began)} s, offers made in {fmt(offered - submitted)} s, last letter "
            f"{fmt(total - (offered - began)) if done else '?'} s after the last offer; one letter renders in "
            f"{fmt(render_ms)} ms here; preparation {prepared:.0f} s (not counted)",
        ),
        Row(
            f"country: {n} concurrent submit requests p50/p99 ms",
            f"{fmt(common.percentile(latencies, 50))} / {fmt(common.percentile(latencies, 99))}",
            "",
            "",
            "0 errors",
            errors == 0,
            f"{errors} errors" + (f": {failures[:3]}" if failures else ""),
        ),
        Row(
            f"country: lost / duplicated (of {n} submissions, {mails.expected} mails)",
            f"{lost_submits + mails.lost} / {mails.duplicated + extra_audit}",
            "",
            "",
            "0 / 0, all delivered",
            lost_submits == 0 and extra_audit == 0 and mails.clean and consistent,
            f"{mails.describe()}; audit rows submitted {audit['submitted']}, offered {audit['offered']}; "
            f"letters stored {letters}; offer mails with their PDF {with_pdf}",
        ),
    ]
