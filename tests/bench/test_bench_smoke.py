"""The benchmark harness cannot rot silently: its modules import, and its cheapest parts run.

No timing is asserted (the figures belong to bench/README.md); these tests check that the
measurements still find what they measure: the admin changelist answers and is counted, the
offer letter and the minimal page render, the submissions schedule has the promised shape, and
the load generator talks HTTP.
"""

import http.server
import importlib
import threading
from types import SimpleNamespace

import pytest

from bench import common
from bench.common import Row

MODULES = ["common", "fixtures", "pages", "admin", "pdf", "country", "load", "client", "stack", "urls", "views"]


@pytest.mark.parametrize("name", MODULES)
def test_bench_module_imports(name):
    importlib.import_module(f"bench.{name}")


@pytest.mark.django_db
def test_admin_changelist_part_runs_and_counts_queries():
    from bench import admin

    rows = admin.run(applications=40, audit_rows=80, repeats=1, small=3, page=6)

    assert [row.measurement.split(" (")[0] for row in rows] == [
        "admin changelist queries",
        "admin changelist median ms",
        "admin changelist median ms",
    ]
    queries = int(rows[0].figure)
    assert 0 < queries < 100
    assert rows[1].note.startswith("40 rows on the page vs 3")


@pytest.mark.django_db
def test_offer_letter_part_renders_the_real_letter_and_the_minimal_page():
    from bench import pdf

    application = pdf.offered_application(answers=False)  # the letter without a test result: quicker
    assert application.status == "offered"

    # Peak memory (tracemalloc) triples a render's time: measured on the minimal page only here.
    figures = pdf.measure(application, repeats=1, growth_renders=1, peak_repeats=0)
    rows = pdf.rows(figures)

    assert figures["letter_ms"] > 0 and figures["minimal_ms"] > 0 and figures["minimal_shared_ms"] > 0
    assert figures["pages"] >= 1
    assert pdf.peak_mb(pdf.minimal_pdf) > 0
    assert len(rows) == 4 and all(isinstance(row, Row) for row in rows)


def test_load_schedule_submits_every_draft_once_then_repeats_within_the_window():
    from bench import load

    applications = [SimpleNamespace(pk=pk) for pk in range(1, 31)]
    sessions = {a.pk: f"session{a.pk}" for a in applications}

    requests = load.schedule(applications, sessions, submissions=50, seconds=10, probes=5)

    submits = [r for r in requests if r["method"] == "POST"]
    assert len(submits) == 50 and len([r for r in requests if r["path"] == "/bench/ok"]) == 5
    assert {r["id"] for r in submits if "-" not in r["id"]} == {str(a.pk) for a in applications}
    assert all(0 <= r["at"] <= 10 for r in requests)
    assert [r["at"] for r in requests] == sorted(r["at"] for r in requests)
    assert all(r["headers"]["Cookie"].startswith("sessionid=session") for r in submits)


def test_load_generator_sends_each_request_and_reports_status_and_latency():
    from bench import client

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_POST(self):
            self.rfile.read(int(self.headers.get("Content-Length", 0)))
            self.send_response(302)
            self.send_header("Location", "/status/")
            self.end_headers()

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        job = {
            "base": f"http://127.0.0.1:{server.server_address[1]}",
            "timeout": 5,
            "requests": [
                {"id": str(i), "at": i * 0.05, "method": "POST", "path": "/x", "body": "a=1"} for i in range(4)
            ],
        }
        results = client.run(job)
    finally:
        server.shutdown()

    assert [(r["id"], r["status"], r["location"]) for r in results] == [(str(i), 302, "/status/") for i in range(4)]
    assert all(r["latency"] >= 0 and not r["error"] for r in results)


def test_table_prints_every_row_with_its_verdict():
    rows = [Row("a", "1", "2", "0.5x", ">= 1x", False, "why"), Row("baseline b", "3")]

    text = common.table(rows)

    assert "| a " in text and "| NO " in text and "- a: why" in text
    assert common.percentile([1, 2, 3, 4], 50) == 2 and common.percentile([], 99) == 0
