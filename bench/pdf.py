"""3. The offer letter PDF against a minimal one-page WeasyPrint document, in one process.

The application is offered through the real workflow (submit, review, make_offer), then a fresh
process (`python -m bench.pdf`, so that what earlier parts left in memory does not hide growth)
renders both documents alternately: median time, Python peak memory of one render
(tracemalloc), and the growth of the process's resident memory over N renders of each.
"""

from __future__ import annotations

import gc
import io
import json
import os
import sys
import time
import tracemalloc
from collections.abc import Callable
from typing import Any

from bench import common
from bench.common import Row, fmt

MINIMAL_HTML = "<!doctype html><html lang='sv'><body><h1>Erbjudande</h1><p>En sida.</p></body></html>"
GROWTH_GOAL_MB = 50.0


def minimal_pdf() -> bytes:
    from weasyprint import HTML

    pdf = HTML(string=MINIMAL_HTML).write_pdf()
    assert isinstance(pdf, bytes)
    return pdf


def minimal_pdf_shared_fonts() -> bytes:
    """The minimal page with the letter's one font configuration per process: like for like.

    The issue's baseline (minimal_pdf) lets WeasyPrint make a font configuration per render,
    about half its time here; the letter makes one per process (applications.letters).
    """
    from weasyprint import HTML

    from applications.letters import _font_config

    pdf = HTML(string=MINIMAL_HTML).write_pdf(font_config=_font_config())
    assert isinstance(pdf, bytes)
    return pdf


def rss_mb() -> float:
    """Resident memory of this process now (not the high-water mark)."""
    with open("/proc/self/statm") as statm:
        pages = int(statm.read().split()[1])
    return pages * os.sysconf("SC_PAGE_SIZE") / 2**20


def peak_mb(render: Callable[[], bytes]) -> float:
    gc.collect()
    tracemalloc.start()
    try:
        render()
        return tracemalloc.get_traced_memory()[1] / 2**20
    finally:
        tracemalloc.stop()


def growth_mb(render: Callable[[], bytes], renders: int) -> float:
    gc.collect()
    before = rss_mb()
    for _ in range(renders):
        render()
    gc.collect()
    return rss_mb() - before


def page_count(pdf: bytes) -> int:
    """Pages of a PDF (WeasyPrint packs its objects in compressed streams, so ask a reader)."""
    from pypdf import PdfReader

    return len(PdfReader(io.BytesIO(pdf)).pages)


def measure(
    application: Any, *, repeats: int = 20, growth_renders: int = 100, peak_repeats: int = 2
) -> dict[str, float]:
    """Both documents warm, then alternately `repeats` times; peaks; RSS growth over `growth_renders`."""
    from applications.letters import render_offer_letter_pdf

    def letter() -> bytes:
        return render_offer_letter_pdf(application)

    pages = page_count(letter())
    minimal_pdf()
    minimal_pdf_shared_fonts()
    letter_times, minimal_times, shared_times = [], [], []
    for _ in range(repeats):
        renders = ((minimal_pdf, minimal_times), (minimal_pdf_shared_fonts, shared_times), (letter, letter_times))
        for render, times in renders:
            began = time.perf_counter()
            render()
            times.append((time.perf_counter() - began) * 1000)
    return {
        "letter_ms": common.median(letter_times),
        "minimal_ms": common.median(minimal_times),
        "minimal_shared_ms": common.median(shared_times),
        "letter_peak_mb": max((peak_mb(letter) for _ in range(peak_repeats)), default=0.0),
        "minimal_peak_mb": max((peak_mb(minimal_pdf) for _ in range(peak_repeats)), default=0.0),
        "minimal_growth_mb": growth_mb(minimal_pdf, growth_renders),
        "letter_growth_mb": growth_mb(letter, growth_renders),
        "rss_mb": rss_mb(),
        "pages": float(pages),
        "renders": float(growth_renders),
    }


def offered_application(code: str = "2422", *, answers: bool = True) -> Any:
    """A draft through submit, review and offer (applications.workflow); submitting freezes the test result."""
    from applications import workflow
    from bench import fixtures

    application = fixtures.complete_draft(code, answers=answers)
    staff = fixtures.staff_user()
    workflow.submit_application(application=application, by=fixtures.applicant(application))
    workflow.start_review(application=application, by=staff)
    workflow.make_offer(application=application, by=staff)
    application.refresh_from_db()
    return application


def rows(figures: dict[str, float], note: str = "") -> list[Row]:
    time_ratio = common.ratio(figures["letter_ms"], figures["minimal_ms"])
    shared_ratio = common.ratio(figures["letter_ms"], figures["minimal_shared_ms"])
    peak_ratio = common.ratio(figures["letter_peak_mb"], figures["minimal_peak_mb"])
    growth = figures["letter_growth_mb"]
    renders = int(figures["renders"])
    return [
        Row("pdf: offer letter median render ms", fmt(figures["letter_ms"]), f"minimal {fmt(figures['minimal_ms'])}",
            f"{time_ratio:.2f}x", "<= 2x", time_ratio <= 2, note),
        Row("pdf: offer letter median render ms vs minimal, same fonts", fmt(figures["letter_ms"]),
            f"minimal {fmt(figures['minimal_shared_ms'])}", f"{shared_ratio:.2f}x", "(explains the line above)",
            None, "the minimal page with the letter's one font configuration per process, like for like"),
        Row("pdf: offer letter peak Python memory MB", fmt(figures["letter_peak_mb"]),
            f"minimal {fmt(figures['minimal_peak_mb'])}", f"{peak_ratio:.2f}x", "<= 2x", peak_ratio <= 2,
            "tracemalloc: Python allocations only (pango/harfbuzz memory is not traced)"),
        Row(f"pdf: RSS growth over {renders} letters MB", fmt(growth),
            f"{renders} minimal: {fmt(figures['minimal_growth_mb'])}",
            f"{growth - figures['minimal_growth_mb']:+.1f} MB", f"< {GROWTH_GOAL_MB:.0f} MB", growth < GROWTH_GOAL_MB,
            f"process RSS {fmt(figures['rss_mb'], 0)} MB at the end"),
    ]  # fmt: skip


def run(*, repeats: int = 20, growth_renders: int = 100) -> list[Row]:
    from evaluation.models import Response

    common.reset_data()
    application = offered_application()
    common.purge_broker()  # the offer mail: no worker in this part
    result = Response.objects.filter(application=application).values_list("result", flat=True).first()
    payload = {"application": application.pk, "repeats": repeats, "growth_renders": growth_renders}
    figures = common.run_json([sys.executable, "-m", "bench.pdf"], payload, timeout=600)
    pages = f"{int(figures['pages'])}-page letter" if figures["pages"] else "letter"
    frozen = "with" if result else "without"
    return rows(figures, f"{pages} {frozen} a frozen test result; {repeats} renders of each, alternating")


def child() -> None:
    """`python -m bench.pdf`: measure in a fresh process; JSON in, JSON out."""
    job = json.load(sys.stdin)
    common.setup()
    from applications.models import Application

    application = Application.objects.select_related("organisation").get(pk=job["application"])
    figures = measure(application, repeats=job["repeats"], growth_renders=job["growth_renders"])
    json.dump(figures, sys.stdout)


if __name__ == "__main__":
    child()
