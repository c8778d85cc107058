"""CSRF (issue 7 §2): every view that accepts POST refuses one without a token.

The census POSTs to every URL pattern as someone who may use it (the owning applicant on the
site, a superuser in the admin): what does not answer 405 accepts POST. Each of those must answer
403 to a POST without a token, and with the token exactly what it answers without CSRF checks. A
new POST view changes the count below and must be acknowledged here.
"""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User
from django.http import HttpResponse
from django.test import Client

from applications import signin
from tests.security.urlmap import Pattern, World, admin_model, build_world, project_patterns

# The site's own POST views, by name (or route when unnamed).
SITE_POST_VIEWS = {
    "set_language",
    "contact",
    "applications:signin",
    "applications:signin_confirm",
    "applications:signout",
    "applications:start",
    "applications:organisation",
    "applications:contacts",
    "applications:observer_reason",
    "applications:switch_to_observer",
    "applications:summary",
    "applications:submit",
    "applications:joining_decision",
    "evaluation:summary",
    "evaluation:section",
}
# The admin's POST views outside the ModelAdmins' standard pages.
ADMIN_POST_VIEWS = {
    "admin:index",
    "admin:login",
    "admin:logout",
    "admin:password_change",
    "admin:app_list",
    "admin:view_on_site",
    "admin/(?P<url>.*)$",
    "admin:auth_user_password_change",
    "admin:applications_application_letter",
    "admin:applications_member_export",
    "admin:applications_personal_data",
    "admin:applications_personal_data_export",
    "admin:applications_personal_data_erase",
}
# Each ModelAdmin's standard pages that take a POST (the change list takes actions).
MODEL_ADMIN_POST_FAMILIES = {
    "",
    "add/",
    "<path:object_id>/history/",
    "<path:object_id>/delete/",
    "<path:object_id>/change/",
    "<path:object_id>/",
}
POST_VIEW_COUNT = 130


@pytest.fixture
def world(db) -> World:
    world = build_world()
    world.users["superuser"] = User.objects.create(username="root", is_staff=True, is_superuser=True)
    return world


def user_for(pattern: Pattern) -> str:
    return "superuser" if pattern.route.startswith("admin/") else "owner"


class Browsers:
    """A signed-in client per role, with and without CSRF checks, replaced when its session changes."""

    def __init__(self, world: World) -> None:
        self.world = world
        self.clients: dict[tuple[str, bool], Client] = {}

    def post(self, role: str, path: str, *, checked: bool, token: bool = False) -> HttpResponse:
        if (role, checked) not in self.clients:
            client = self.world.client(role, enforce_csrf_checks=checked)
            client.get("/logga-in/")  # any page with a form sets the CSRF cookie
            self.clients[role, checked] = client
        client = self.clients[role, checked]
        headers = {"HTTP_X_CSRFTOKEN": client.cookies["csrftoken"].value} if token else {}
        response = client.post(path, **headers)
        # Signing in or out gives a new session and token: the next request needs a new client.
        if {"sessionid", "csrftoken"} & set(response.cookies):
            del self.clients[role, checked]
        return response


def describe(pattern: Pattern) -> str:
    model = admin_model(pattern)
    return f"{model[0]} {model[1]!r}" if model and pattern.key not in ADMIN_POST_VIEWS else pattern.key


def fresh_path(world: World, pattern: Pattern, index: int) -> str:
    """The path of one variant, with an unused sign-in link (a POST to the link uses it up)."""
    world.token = signin.create_token("owner@sorsele.se")
    return world.paths(pattern)[index][1]


@pytest.mark.django_db
def test_every_post_view_refuses_a_post_without_a_token(world):
    browsers = Browsers(world)
    accepting: list[str] = []
    wrong: list[str] = []
    for pattern in project_patterns():
        role = user_for(pattern)
        for index, (_variant, path) in enumerate(world.paths(pattern)):
            unchecked = browsers.post(role, fresh_path(world, pattern, index), checked=False)
            if unchecked.status_code == 405:
                continue
            accepting.append(describe(pattern))
            refused = browsers.post(role, path, checked=True)
            if refused.status_code != 403 or b"CSRF" not in refused.content:
                wrong.append(f"{path}: {refused.status_code} without a token")
            # With the token (in the header: a form field would confirm the admin's delete page).
            allowed = browsers.post(role, fresh_path(world, pattern, index), checked=True, token=True)
            if allowed.status_code != unchecked.status_code:
                wrong.append(f"{path}: {allowed.status_code} with a token, {unchecked.status_code} unchecked")
    assert wrong == [], "\n".join(wrong)
    views = set(accepting)
    models = {describe(p).split()[0] for p in project_patterns() if admin_model(p) and p.key not in ADMIN_POST_VIEWS}
    expected = SITE_POST_VIEWS | ADMIN_POST_VIEWS | {f"{m} {f!r}" for m in models for f in MODEL_ADMIN_POST_FAMILIES}
    assert views == expected
    assert len(views) == POST_VIEW_COUNT


@pytest.mark.django_db
def test_the_fee_api_is_get_only(client):
    for method in ("post", "put", "patch", "delete"):
        assert getattr(client, method)("/api/fee?kind=municipality&inhabitants=2535").status_code == 405
    assert client.get("/api/fee?organisation=2422&year=2023").status_code == 200


@pytest.mark.django_db
def test_a_token_from_another_session_is_refused(world):
    """The token is bound to the browser's cookie: one lifted from another visitor does not pass."""
    victim, attacker = (world.client("owner", enforce_csrf_checks=True) for _ in range(2))
    victim.get("/logga-in/")
    attacker.get("/logga-in/")
    victims_token = victim.cookies["csrftoken"].value
    path = f"/ansokan/{world.application.pk}/skicka/"
    response = attacker.post(path, {"csrfmiddlewaretoken": "x" * 64})
    assert response.status_code == 403
    attacker.cookies["csrftoken"] = "y" * 32
    assert attacker.post(path, HTTP_X_CSRFTOKEN=victims_token).status_code == 403
