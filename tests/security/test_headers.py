"""Security headers and cookies (issue 7 §3).

Every HTML page, the admin's included, carries a CSP whose scripts are 'self' only (no
'unsafe-inline', no 'unsafe-eval') and holds no script the CSP would block; every response says
nosniff, a Referrer-Policy and DENY to frames. Under production settings (klimat/settings.py read
with DJANGO_DEBUG=0, as the deployment runs it) the cookies are Secure, HttpOnly and SameSite, and
HSTS follows DJANGO_HSTS_SECONDS.
"""

from __future__ import annotations

import runpy
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.contrib.auth.models import User
from django.test import Client

from tests.security.urlmap import World, build_world, project_patterns

SETTINGS_FILE = Path(__file__).resolve().parents[2] / "klimat" / "settings.py"
PRODUCTION_ENV = {
    "DJANGO_DEBUG": "0",
    "DJANGO_SECRET_KEY": "x7#Vq!pL2m@9zR$wK4nB8cT&dF1hJ6sYgU3eA0oI5uXy-Nm2Qw",
    "DJANGO_ALLOWED_HOSTS": "medlem.klimatkommunerna.se",
}
# Variables that would override what production chooses by itself.
OVERRIDES = ("DJANGO_SECURE_COOKIES", "DJANGO_SECURE_SSL_REDIRECT", "DJANGO_HSTS_SECONDS", "DJANGO_HSTS_PRELOAD")
# Script types a browser does not run: data islands are no way around the CSP.
DATA_SCRIPT_TYPES = {"application/json", "application/ld+json"}


def csp_directives(header: str) -> dict[str, list[str]]:
    directives = {}
    for part in header.split(";"):
        name, *values = part.split()
        directives[name] = values
    return directives


class ScriptFinder(HTMLParser):
    """Scripts that run without a src, inline event handlers and javascript: URLs."""

    def __init__(self) -> None:
        super().__init__()
        self.problems: list[str] = []
        self._in_inline_script = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag == "script" and "src" not in values and values.get("type") not in DATA_SCRIPT_TYPES:
            self._in_inline_script = True
        for name, value in attrs:
            if name.startswith("on"):
                self.problems.append(f"<{tag} {name}=…>")
            if name in {"href", "src", "action", "formaction"} and (value or "").strip().lower().startswith(
                "javascript:"
            ):
                self.problems.append(f"<{tag} {name}={value}>")

    def handle_data(self, data: str) -> None:
        if self._in_inline_script and data.strip():
            self.problems.append(f"inline <script>: {data.strip()[:60]}")

    def handle_endtag(self, tag: str) -> None:
        if tag == "script":
            self._in_inline_script = False


def blocked_scripts(html: str) -> list[str]:
    finder = ScriptFinder()
    finder.feed(html)
    return finder.problems


@pytest.fixture
def world(db) -> World:
    world = build_world()
    world.users["superuser"] = User.objects.create(username="root", is_staff=True, is_superuser=True)
    return world


def every_response(world: World):
    """GET every pattern as someone who may open it: the owner on the site, a superuser in the admin."""
    for pattern in project_patterns():
        role = "superuser" if pattern.route.startswith("admin/") else "owner"
        client = world.client(role)
        for _variant, path in world.paths(pattern):
            yield path, client.get(path)


@pytest.mark.django_db
def test_every_response_sends_the_security_headers_and_html_runs_no_inline_script(world):
    wrong: list[str] = []
    html_pages = admin_pages = 0
    for path, response in every_response(world):
        if response.get("X-Content-Type-Options") != "nosniff":
            wrong.append(f"{path}: no nosniff")
        if response.get("Referrer-Policy") not in {"same-origin", "strict-origin"}:
            wrong.append(f"{path}: Referrer-Policy {response.get('Referrer-Policy')}")
        if response.get("X-Frame-Options") != "DENY":
            wrong.append(f"{path}: X-Frame-Options {response.get('X-Frame-Options')}")
        if not response.get("Content-Type", "").startswith("text/html") or response.status_code >= 300:
            continue
        html_pages += 1
        admin_pages += path.startswith("/admin/")
        csp = csp_directives(response.get("Content-Security-Policy", "default-src *"))
        scripts = csp.get("script-src", csp.get("default-src", []))
        if scripts != ["'self'"]:
            wrong.append(f"{path}: script-src {scripts}")
        if csp.get("frame-ancestors") != ["'none'"] or csp.get("object-src") != ["'none'"]:
            wrong.append(f"{path}: frame-ancestors {csp.get('frame-ancestors')}, object-src {csp.get('object-src')}")
        wrong.extend(f"{path}: {problem}" for problem in blocked_scripts(response.content.decode()))
    assert wrong == [], "\n".join(wrong)
    assert html_pages > 100 and admin_pages > 50


def test_the_finder_sees_what_the_csp_would_block():
    assert blocked_scripts('<script src="/static/a.js"></script><script type="application/json">{}</script>') == []
    assert blocked_scripts("<script>alert(1)</script>") == ["inline <script>: alert(1)"]
    assert blocked_scripts('<a href="javascript:x()" onclick="y()">') == [
        "<a href=javascript:x()>",
        "<a onclick=…>",
    ]


@pytest.mark.django_db
def test_admin_change_form_works_under_the_csp(world):
    """The admin's widgets read their settings from data attributes and static files only."""
    client = world.client("superuser")
    response = client.get(f"/admin/applications/application/{world.application.pk}/change/")
    html = response.content.decode()
    assert response.status_code == 200 and "/static/admin/js/" in html
    assert blocked_scripts(html) == []
    assert csp_directives(response["Content-Security-Policy"])["script-src"] == ["'self'"]


# --- Production settings ------------------------------------------------------------------------


def production_settings(monkeypatch, **env: str) -> dict[str, object]:
    """klimat/settings.py as the deployment reads it, with `env` on top."""
    for name in OVERRIDES:
        monkeypatch.delenv(name, raising=False)
    for name, value in {**PRODUCTION_ENV, **env}.items():
        monkeypatch.setenv(name, value)
    return runpy.run_path(str(SETTINGS_FILE))


COOKIE_SETTINGS = [
    "SESSION_COOKIE_SECURE",
    "SESSION_COOKIE_HTTPONLY",
    "SESSION_COOKIE_SAMESITE",
    "CSRF_COOKIE_SECURE",
    "CSRF_COOKIE_HTTPONLY",
    "CSRF_COOKIE_SAMESITE",
    "LANGUAGE_COOKIE_SECURE",
    "LANGUAGE_COOKIE_HTTPONLY",
    "LANGUAGE_COOKIE_SAMESITE",
    "SECURE_SSL_REDIRECT",
    "SECURE_HSTS_SECONDS",
]


@pytest.fixture
def production(monkeypatch, settings):
    """This process's settings with production's security settings, for requests over HTTPS."""
    values = production_settings(monkeypatch)
    for name in COOKIE_SETTINGS:
        setattr(settings, name, values.get(name, getattr(settings, name)))
    return values


@pytest.mark.django_db
def test_production_cookies_are_secure_httponly_and_samesite(production):
    client = Client()
    # The form page sets the CSRF cookie, asking for a link sets the session, and the switch the language.
    client.get("/logga-in/", secure=True)
    client.post("/logga-in/", {"email": "anna@kommun.se"}, secure=True)
    client.post("/i18n/setlang/", {"language": "en", "next": "/"}, secure=True)
    cookies = {name: client.cookies[name] for name in ("sessionid", "csrftoken", "django_language")}
    for name, cookie in cookies.items():
        assert cookie["secure"] is True, name
        assert cookie["httponly"] is True, name
        assert cookie["samesite"] == "Lax", name


def test_development_cookies_work_over_plain_http(monkeypatch):
    monkeypatch.delenv("DJANGO_SECURE_COOKIES", raising=False)
    monkeypatch.setenv("DJANGO_DEBUG", "1")
    values = runpy.run_path(str(SETTINGS_FILE))
    assert values["SESSION_COOKIE_SECURE"] is False and values["LANGUAGE_COOKIE_SECURE"] is False


@pytest.mark.django_db
def test_production_sends_hsts_and_redirects_plain_http(production):
    assert production["SECURE_HSTS_SECONDS"] == 31_536_000
    response = Client().get("/", secure=True)
    assert response["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains"
    plain = Client().get("/")
    assert plain.status_code == 301 and plain["Location"] == "https://testserver/"


@pytest.mark.parametrize(("seconds", "header"), [("0", None), ("600", "max-age=600; includeSubDomains")])
@pytest.mark.django_db
def test_hsts_follows_the_environment(monkeypatch, settings, seconds, header):
    values = production_settings(monkeypatch, DJANGO_HSTS_SECONDS=seconds)
    settings.SECURE_HSTS_SECONDS = values["SECURE_HSTS_SECONDS"]
    settings.SECURE_HSTS_INCLUDE_SUBDOMAINS = values["SECURE_HSTS_INCLUDE_SUBDOMAINS"]
    assert Client().get("/", secure=True).get("Strict-Transport-Security") == header


def test_hsts_preload_is_the_domain_owners_choice(monkeypatch):
    assert production_settings(monkeypatch)["SECURE_HSTS_PRELOAD"] is False
    assert production_settings(monkeypatch, DJANGO_HSTS_PRELOAD="1")["SECURE_HSTS_PRELOAD"] is True
