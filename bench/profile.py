"""`python -m bench profile`: where the time of each measured page goes, in-process (cProfile).

Not part of `make bench`: it explains a missed goal. For each page it prints the median time of
a request through the whole middleware stack (django.test.Client, bench settings, bench
database), its query count, and the project's own functions (not Django's, not libraries')
that take the most cumulative time.
"""

from __future__ import annotations

import cProfile
import io
import pstats
import time
from collections.abc import Callable
from typing import Any

from bench import common

REPEATS = 10


def project_functions(profile: cProfile.Profile, calls: int, top: int = 8) -> list[str]:
    stats = pstats.Stats(profile, stream=io.StringIO())
    rows = []
    for (filename, line, name), (_cc, _nc, _tt, cumulative, _callers) in stats.stats.items():  # type: ignore[attr-defined]
        path = filename.replace(str(common.ROOT) + "/", "")
        if filename.startswith(str(common.ROOT)) and ".venv" not in filename and not path.startswith("bench/"):
            rows.append((cumulative / calls * 1000, f"{path}:{line} {name}"))
    return [f"{ms:8.1f} ms  {where}" for ms, where in sorted(rows, reverse=True)[:top]]


def report(label: str, request: Callable[[], Any]) -> None:
    from bench.admin import count_queries

    request()
    _response, queries = count_queries(request)
    timings = []
    for _ in range(REPEATS):
        began = time.perf_counter()
        request()
        timings.append((time.perf_counter() - began) * 1000)
    profile = cProfile.Profile()
    profile.enable()
    for _ in range(REPEATS):
        request()
    profile.disable()
    print(f"\n{label}: median {common.median(timings):.1f} ms in-process, {queries} queries")
    print("\n".join(project_functions(profile, REPEATS)))


def run() -> None:
    from django.test import Client

    from applications.letters import render_offer_letter_pdf
    from bench import admin, fixtures, pages, pdf

    targets, _note = pages.prepare()
    for target in targets:
        client = Client()
        if target.cookie:
            client.cookies["sessionid"] = target.cookie.split(";")[0].split("=", 1)[1]
        if target.method == "POST":
            body, path = target.body, target.path

            def call(client: Client = client, path: str = path, body: str = body) -> Any:
                return client.post(
                    path, data=body, content_type="application/x-www-form-urlencoded", HTTP_X_CSRFTOKEN="x"
                )
        else:

            def call(client: Client = client, path: str = target.path) -> Any:
                return client.get(path)

        report(target.label, call)
    from applications.models import Organisation

    letter_code = "1280"  # Malmö: not one of the pages' bodies (2422, 0180)
    used = ["2422", "0180", letter_code]
    codes = list(Organisation.objects.exclude(code__in=used).order_by("code").values_list("code", flat=True))
    drafts = fixtures.country_drafts(codes[: 2 * REPEATS + 2])
    queue = iter(drafts)

    def submit() -> Any:
        application = next(queue)
        client = Client()
        client.force_login(fixtures.applicant(application))
        return client.post(f"/ansokan/{application.pk}/skicka/", HTTP_X_CSRFTOKEN="x")

    report("submit (POST, a new draft each time)", submit)
    common.purge_broker()
    application = pdf.offered_application(letter_code)
    common.purge_broker()
    report("offer letter render (render_offer_letter_pdf)", lambda: render_offer_letter_pdf(application))
    admin.fill(10_000, 50_000)
    client = Client()
    client.force_login(fixtures.staff_user())
    report("admin changelist, 10 000 applications", lambda: client.get(admin.CHANGELIST))
    common.reset_data()
