"""1. Pages under gunicorn (2 sync workers) on PostgreSQL, next to three baselines from the same server.

wrk (a separate C process, bench/wrk.lua) drives 4 concurrent connections at one URL at a time.
The seven URLs are measured in rounds (ok, naive, floor, home, section GET, section POST, status,
then again), so a slow minute on a shared machine hits every URL alike; the table gives the median
requests/s and p50 over the rounds and the worst p99.
"""

from __future__ import annotations

import http.client
import json
import os
import shutil
import subprocess
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

from bench import common
from bench.common import Row, fmt

P99_GOAL_MS = 50.0


@dataclass
class Target:
    key: str
    label: str
    path: str
    method: str = "GET"
    cookie: str = ""
    body: str = ""
    expect: int = 200
    expect_text: str = ""
    expect_location: str = ""
    runs: list[dict[str, float]] = field(default_factory=list)

    def env(self) -> dict[str, str]:
        post = self.method == "POST"
        return {
            "BENCH_METHOD": self.method,
            "BENCH_BODY": self.body,
            "BENCH_COOKIE": self.cookie,
            "BENCH_CSRF": common.CSRF_SECRET if post else "",
            "BENCH_CONTENT_TYPE": "application/x-www-form-urlencoded" if post else "",
        }

    @property
    def rps(self) -> float:
        return common.median([run["rps"] for run in self.runs])

    @property
    def p50(self) -> float:
        return common.median([run["p50"] for run in self.runs])

    @property
    def p99(self) -> float:
        return max((run["p99"] for run in self.runs), default=0.0)

    @property
    def errors(self) -> int:
        return int(sum(run["errors"] for run in self.runs))


def prepare() -> tuple[list[Target], str]:
    """The applicant's pages: a draft with the test answered (section GET/POST), a submitted one (status)."""
    from django.utils import timezone

    from applications import workflow
    from bench import fixtures
    from evaluation import scoring, services

    common.reset_data()
    draft = fixtures.complete_draft("2422")  # Sorsele: a municipality, so the municipal bank
    submitted = fixtures.complete_draft("0180")
    workflow.submit_application(application=submitted, by=fixtures.applicant(submitted))
    state = services.test_state(draft)
    # The first scored section whose answers a plain form POST can carry (no file fields).
    section = next(
        s
        for s in state.sections
        if not s.is_gate and all(q.answer_type not in (scoring.DECISION, scoring.FILE) for q in s.questions.all())
    )
    data, _files = fixtures.section_data(section, timezone.localdate())
    data["action"] = "next"
    draft_cookie = fixtures.cookie_header(fixtures.session_cookie(fixtures.applicant(draft)))
    status_cookie = fixtures.cookie_header(fixtures.session_cookie(fixtures.applicant(submitted)))
    section_url = services.section_url(draft, section.slug)
    slugs = [s.slug for s in state.sections]
    next_url = services.section_url(draft, slugs[slugs.index(section.slug) + 1])
    status_url = f"/ansokan/{submitted.pk}/status/"
    targets = [
        Target("ok", "bare view /bench/ok", "/bench/ok", expect_text="ok"),
        Target("naive", "naive 15-field crispy form", "/bench/naive-form", expect_text="Organisationsnummer"),
        Target("floor", "floor: signed in, own application read", f"/bench/floor/{submitted.pk}",
               cookie=status_cookie, expect_text=f"ok {submitted.pk}"),
        Target("home", "home page /", "/", expect_text="Klimatkommunerna"),
        Target("section_get", f"test section GET ({section.slug})", section_url, cookie=draft_cookie,
               expect_text=section.title),
        Target("section_post", f"test section POST ({section.slug})", section_url, method="POST",
               cookie=draft_cookie, body=urlencode(data), expect=302, expect_location=next_url),
        Target("status", "status page (submitted)", status_url, cookie=status_cookie,
               expect_text=submitted.organisation.name),
    ]  # fmt: skip
    questions = len(list(section.questions.all()))
    return targets, f"section “{section.title}” has {questions} questions"


def probe(base_port: int, target: Target) -> None:
    """One request before the load: the page answers what it should (not a login redirect, not a 403)."""
    connection = http.client.HTTPConnection(common.HOST, base_port, timeout=30)
    env = target.env()
    headers = {"Cookie": target.cookie} if target.cookie else {}
    if target.method == "POST":
        headers.update({"X-CSRFToken": env["BENCH_CSRF"], "Content-Type": env["BENCH_CONTENT_TYPE"]})
    connection.request(target.method, target.path, body=target.body or None, headers=headers)
    response = connection.getresponse()
    text = response.read().decode("utf-8", "replace")
    location = response.getheader("Location", "")
    connection.close()
    if response.status != target.expect or (target.expect_text and target.expect_text not in text):
        raise RuntimeError(f"{target.label}: got {response.status} {location} instead of {target.expect}")
    if target.expect_location and not location.endswith(target.expect_location):
        raise RuntimeError(f"{target.label}: redirected to {location}, not {target.expect_location}")


def wrk(url: str, target: Target, seconds: float, connections: int) -> dict[str, float]:
    script = os.path.join(os.path.dirname(__file__), "wrk.lua")
    # wrk takes whole seconds only.
    command = ["wrk", "-t1", f"-c{connections}", f"-d{max(1, round(seconds))}s", "--latency", "-s", script, url]
    out = subprocess.run(
        command, capture_output=True, text=True, env={**os.environ, **target.env()}, timeout=seconds + 60
    )
    line = next((text for text in out.stdout.splitlines() if text.startswith("BENCHJSON ")), None)
    if line is None:
        raise RuntimeError(f"wrk gave no result for {url}: {out.stdout[-500:]} {out.stderr[-500:]}")
    data = json.loads(line.removeprefix("BENCHJSON "))
    errors = data["connect"] + data["read"] + data["write"] + data["status"] + data["timeout"]
    return {
        "rps": data["requests"] / (data["duration_us"] / 1e6),
        "p50": data["p50_us"] / 1000,
        "p99": data["p99_us"] / 1000,
        "errors": float(errors),
    }


def measure(*, seconds: int = 4, rounds: int = 3, warmup: int = 1, connections: int = 4) -> tuple[list[Target], str]:
    if shutil.which("wrk") is None:
        raise RuntimeError("wrk is not installed (apt-get install wrk)")
    targets, note = prepare()
    server = common.Gunicorn().start()
    try:
        for target in targets:
            probe(server.port, target)
            wrk(server.base + target.path, target, warmup, connections)  # templates, connections, caches
        for _round in range(rounds):
            for target in targets:
                target.runs.append(wrk(server.base + target.path, target, seconds, connections))
    finally:
        server.stop()
    return targets, note


def rows(targets: list[Target], note: str) -> list[Row]:
    by = {t.key: t for t in targets}
    ok, naive, floor = by["ok"], by["naive"], by["floor"]
    out = [
        Row(f"pages: {ok.label} req/s", fmt(ok.rps, 0), "", "", "baseline", None,
            f"4 connections (wrk -t1 -c4), median of rounds, worst p99; {note}"),
        Row(f"pages: {naive.label} req/s", fmt(naive.rps, 0), f"ok {fmt(ok.rps, 0)}",
            f"{common.ratio(naive.rps, ok.rps):.1%} of ok", "baseline", None),
        Row(f"pages: {floor.label} req/s", fmt(floor.rps, 0), f"ok {fmt(ok.rps, 0)}",
            f"{common.ratio(floor.rps, ok.rps):.1%} of ok", "baseline", None,
            f"{common.ratio(floor.rps, naive.rps):.2f}x naive: what an applicant's page costs before it "
            "draws anything (session, user, the application by the access rule)"),
    ]  # fmt: skip
    for key in ("home", "section_get", "section_post", "status"):
        target = by[key]
        if key.startswith("section"):
            value = common.ratio(target.rps, naive.rps)
            out.append(Row(f"pages: {target.label} req/s", fmt(target.rps, 0), f"naive {fmt(naive.rps, 0)}",
                           f"{value:.2f}x naive", ">= 2x naive", value >= 2))  # fmt: skip
        else:
            value = common.ratio(target.rps, ok.rps)
            out.append(Row(f"pages: {target.label} req/s", fmt(target.rps, 0), f"ok {fmt(ok.rps, 0)}",
                           f"{value:.1%} of ok", ">= 25% of ok", value >= 0.25))  # fmt: skip
        if key != "home":  # the home page reads no session: the floor does not apply to it
            out.append(Row(f"pages: {target.label} req/s vs the floor", fmt(target.rps, 0),
                           f"floor {fmt(floor.rps, 0)}", f"{common.ratio(target.rps, floor.rps):.1%} of floor",
                           "(explains the line above)", None))  # fmt: skip
    for target in targets:
        baseline = target.key in ("ok", "naive", "floor")
        out.append(
            Row(
                f"pages: {target.label} p50/p99 ms",
                f"{fmt(target.p50)} / {fmt(target.p99)}",
                f"ok p99 {fmt(ok.p99)}",
                f"{common.ratio(target.p99, ok.p99):.1f}x ok p99",
                "baseline" if baseline else f"p99 < {P99_GOAL_MS:.0f} ms",
                None if baseline else target.p99 < P99_GOAL_MS and target.errors == 0,
                f"{target.errors} errors" if target.errors else "",
            )
        )
    return out


def run(**params: Any) -> list[Row]:
    targets, note = measure(**params)
    return rows(targets, note)
