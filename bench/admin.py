"""2. The secretariat's changelist with 10 000 applications and 50 000 audit rows, against 10 rows.

In-process with django.test.Client (signed in as staff), on the bench database. The rows are
made with bulk_create, statuses set directly: this measures the list, not the workflow. Every
body has at most one open application (the database's rule); the others are closed ones
(member, declined, withdrawn, observer periods), as years of history would leave them.
Queries are counted with an execute wrapper (CaptureQueriesContext loses the queries of a
request when request_started resets the log).
"""

from __future__ import annotations

import datetime
import random
import time
from collections.abc import Callable
from typing import Any

from bench import common
from bench.common import Row, fmt

CHANGELIST = "/admin/applications/application/"
MAX_QUERIES = 10
OPEN = ["draft", "submitted", "in_review", "completion_requested", "offered", "accepted"]
CLOSED = ["member", "declined", "withdrawn", "observer", "observer_expired"]


def fill(applications: int, audit_rows: int, *, seed: int = 8) -> None:
    """Replace all applications by `applications` rows and `audit_rows` StatusChange rows."""
    from django.db import connection
    from django.utils import timezone

    from applications.models import Application, Organisation, StatusChange

    common.reset_data()
    rng = random.Random(seed)
    organisations = list(Organisation.objects.all())
    now = timezone.now()
    rows = []
    for index in range(applications):
        organisation = organisations[index % len(organisations)]
        first_round = index < len(organisations)
        status = rng.choice(OPEN) if first_round else rng.choice(CLOSED)
        submitted = status != "draft"
        rows.append(
            Application(
                organisation=organisation,
                status=status,
                official_name=organisation.name,
                org_number="2120000142",
                inhabitants=organisation.population + (rng.randint(-2000, 2000) if index % 7 == 0 else 0),
                submitted_at=now - datetime.timedelta(days=rng.randint(0, 3650)) if submitted else None,
                score_percent=rng.randint(0, 1000) / 10 if submitted else None,
                advice_band=rng.choice(["offer", "dialogue", "observer"]) if submitted else "",
                fee_preview={"due": str(4000 + organisation.population // 4)} if submitted else None,
                fee_due=4000 + organisation.population // 4 if status in {"offered", "member"} else None,
                review_flags=["vet ej: 2"] if index % 5 == 0 else [],
            )
        )
    created = Application.objects.bulk_create(rows, batch_size=2000)
    ids = [application.pk for application in created]
    changes = [
        StatusChange(application_id=ids[i % len(ids)], from_status="draft", to_status=rng.choice(CLOSED + OPEN))
        for i in range(audit_rows)
    ]
    StatusChange.objects.bulk_create(changes, batch_size=5000)
    # Years of history: auto_now_add gave every row the same moment (the changelist's date hierarchy).
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("UPDATE applications_application SET created_at = now() - (id % 3650) * interval '1 day'")
            cursor.execute("ANALYZE applications_application; ANALYZE applications_statuschange")


def count_queries(call: Callable[[], Any]) -> tuple[Any, int]:
    from django.db import connection

    count = 0

    def counter(execute: Callable[..., Any], sql: str, params: Any, many: bool, context: Any) -> Any:
        nonlocal count
        count += 1
        return execute(sql, params, many, context)

    with connection.execute_wrapper(counter):
        result = call()
    return result, count


def changelist(repeats: int) -> tuple[float, int, int]:
    """Median ms of the changelist page, its query count, and the rows it lists."""
    from django.test import Client

    from bench import fixtures

    client = Client()
    client.force_login(fixtures.staff_user())
    response, queries = count_queries(lambda: client.get(CHANGELIST))
    if response.status_code != 200:
        raise RuntimeError(f"the changelist answered {response.status_code}")
    listed = response.content.count(b'class="action-select"')
    timings = []
    for _ in range(repeats):
        began = time.perf_counter()
        client.get(CHANGELIST)
        timings.append((time.perf_counter() - began) * 1000)
    return common.median(timings), queries, listed


def run(
    *, applications: int = 10_000, audit_rows: int = 50_000, repeats: int = 15, small: int = 10, page: int = 100
) -> list[Row]:
    fill(small, small * 5)
    small_ms, small_queries, small_listed = changelist(repeats)
    # A full first page on a small table: separates the cost of a longer page from that of a bigger table.
    fill(page, page * 5)
    page_ms, _page_queries, _page_listed = changelist(repeats)
    began = time.perf_counter()
    fill(applications, audit_rows)
    seconds = time.perf_counter() - began
    big_ms, big_queries, big_listed = changelist(repeats)
    common.reset_data()
    value = common.ratio(big_ms, small_ms)
    size = f"{applications:,} apps/{audit_rows:,} audit".replace(",", " ")
    return [
        Row(
            f"admin changelist queries ({size})",
            str(big_queries),
            f"{small} rows: {small_queries}",
            f"+{big_queries - small_queries}",
            f"fixed, <= {MAX_QUERIES}",
            big_queries == small_queries and big_queries <= MAX_QUERIES,
        ),
        Row(
            f"admin changelist median ms ({size})",
            fmt(big_ms),
            f"{small} rows: {fmt(small_ms)}",
            f"{value:.2f}x",
            "<= 2x",
            value <= 2,
            f"{big_listed} rows on the page vs {small_listed}; {repeats} requests each; rows made in {seconds:.0f} s",
        ),
        Row(
            f"admin changelist median ms ({size}) vs a full page",
            fmt(big_ms),
            f"{page} rows: {fmt(page_ms)}",
            f"{common.ratio(big_ms, page_ms):.2f}x",
            "(explains the line above)",
            None,
            "same number of rows on the page: what the table's size alone adds",
        ),
    ]
