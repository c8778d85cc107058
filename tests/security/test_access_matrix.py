"""Who may open what (issue 7 §1): every URL pattern × every role → the status it must answer.

The patterns come from the resolver, so a URL added without a row here fails
`test_every_url_pattern_has_a_row`. Columns: anonymous, the owning applicant, another applicant,
staff outside the Kansli group, Kansli staff. Another applicant gets 404, never 403: an
application's existence is not told.
"""

from __future__ import annotations

import pytest
from django.contrib import admin
from django.test import Client
from django.urls import reverse
from django.utils import translation

from applications.models import Application
from tests.security.urlmap import ROLES, Pattern, World, admin_model, build_world, project_patterns

SIGN_IN = "302 to the sign-in page"
ADMIN_LOGIN = "302 to the admin login"
REDIRECT = "302 elsewhere"
Expect = tuple[object, object, object, object, object]

PUBLIC: Expect = (200, 200, 200, 200, 200)
SIGNED_IN: Expect = (SIGN_IN, 200, 200, 200, 200)
OWNER: Expect = (SIGN_IN, 200, 404, 404, 404)
OWNER_ACTION: Expect = (SIGN_IN, REDIRECT, 404, 404, 404)
STAFF: Expect = (ADMIN_LOGIN, ADMIN_LOGIN, ADMIN_LOGIN, 200, 200)
KANSLI: Expect = (ADMIN_LOGIN, ADMIN_LOGIN, ADMIN_LOGIN, 403, 200)
NOBODY: Expect = (ADMIN_LOGIN, ADMIN_LOGIN, ADMIN_LOGIN, 403, 403)
NOT_FOUND: Expect = (ADMIN_LOGIN, ADMIN_LOGIN, ADMIN_LOGIN, 404, 404)

# Every pattern that is not a ModelAdmin's own: key (name, or route when unnamed) → (method, expect).
ROWS: dict[str, tuple[str, Expect]] = {
    # Public pages, the language switch, health and the JSON API.
    "home": ("GET", PUBLIC),
    "accessibility": ("GET", PUBLIC),
    "privacy": ("GET", PUBLIC),
    "membership": ("GET", PUBLIC),
    "how_to_apply": ("GET", PUBLIC),
    "observer": ("GET", PUBLIC),
    "testimonials": ("GET", PUBLIC),
    "contact": ("GET", PUBLIC),
    "contact_thanks": ("GET", PUBLIC),
    "fees:calculator": ("GET", PUBLIC),
    "set_language": ("POST", (REDIRECT,) * 5),
    "health": ("GET", PUBLIC),
    "fees_api:fee": ("GET", PUBLIC),
    # Signing in and out.
    "applications:signin": ("GET", PUBLIC),
    "applications:signin_sent": ("GET", PUBLIC),
    "applications:signin_confirm": ("GET", PUBLIC),
    "applications:signout": ("POST", (REDIRECT,) * 5),
    # The applicant's own pages: a signed-in user without the application gets 404.
    "applications:dashboard": ("GET", SIGNED_IN),
    "applications:start": ("GET", SIGNED_IN),
    "applications:organisation_search": ("GET", SIGNED_IN),
    "applications:organisation": ("GET", OWNER),
    "applications:contacts": ("GET", OWNER),
    "applications:observer_reason": ("GET", OWNER_ACTION),  # a membership application: to the summary
    "applications:switch_to_observer": ("POST", OWNER_ACTION),
    "applications:summary": ("GET", OWNER),
    "applications:submit": ("POST", OWNER_ACTION),
    "applications:status": ("GET", OWNER),
    "applications:offer_letter": ("GET", OWNER),
    "applications:joining_decision": ("POST", OWNER_ACTION),
    "applications:joining_minutes": ("GET", OWNER),
    "evaluation:start": ("GET", OWNER_ACTION),
    "evaluation:summary": ("GET", OWNER),
    "evaluation:section": ("GET", OWNER),
    # The Kansli reads the evidence through its view_answer permission.
    "evaluation:evidence": ("GET", (SIGN_IN, 200, 404, 404, 200)),
    # The admin outside the ModelAdmins.
    "admin:index": ("GET", STAFF),
    "admin:login": ("GET", (200, 200, 200, REDIRECT, REDIRECT)),
    "admin:logout": ("POST", (REDIRECT, REDIRECT, REDIRECT, 200, 200)),
    "admin:password_change": ("GET", STAFF),
    "admin:password_change_done": ("GET", STAFF),
    "admin:autocomplete": ("GET", NOBODY),  # without a field to complete
    "admin:jsi18n": ("GET", STAFF),
    "admin:view_on_site": ("GET", NOT_FOUND),  # applications have no page on the site
    "admin/(?P<url>.*)$": ("GET", NOT_FOUND),
    "admin:applications_application_letter": ("GET", KANSLI),
    "admin:applications_member_export": ("GET", KANSLI),
    "admin:auth_user_password_change": ("GET", NOBODY),
    # Personal data requests (issue 7 §8); export and erase are POST only, an empty POST goes back.
    "admin:applications_personal_data": ("GET", KANSLI),
    "admin:applications_personal_data_export": ("POST", (ADMIN_LOGIN, ADMIN_LOGIN, ADMIN_LOGIN, 403, REDIRECT)),
    "admin:applications_personal_data_erase": ("POST", (ADMIN_LOGIN, ADMIN_LOGIN, ADMIN_LOGIN, 403, REDIRECT)),
}
QUERIES = {"fees_api:fee": "?organisation=2422&year=2023"}
# The admin's app index, per app: the Kansli has nothing in auth and axes.
APP_LIST = {label: NOT_FOUND for label in ("auth", "axes")} | {
    label: (ADMIN_LOGIN, ADMIN_LOGIN, ADMIN_LOGIN, 404, 200)
    for label in ("klimat", "applications", "evaluation", "fees")
}

# What the Kansli group may do per registered model (staff outside it may do nothing).
KANSLI_MAY: dict[str, set[str]] = {
    "auth.group": set(),
    "auth.user": set(),
    "axes.accessattempt": set(),
    "axes.accesslog": set(),
    "axes.accessfailurelog": set(),
    "klimat.testimonial": {"view", "add", "change", "delete"},
    "klimat.contactmessage": {"view"},
    "applications.application": {"view", "change"},
    "applications.member": {"view"},
    "applications.outboundemail": {"view", "change"},
    "applications.organisation": {"view"},
    "applications.personaldatarequest": {"view"},
    "evaluation.questionbank": {"view", "add", "change"},
    "evaluation.section": {"view", "add", "change"},
    "evaluation.question": {"view", "add", "change"},
    "evaluation.response": {"view"},
    "fees.feeschedule": {"view", "add", "change"},
}
# A ModelAdmin's patterns by family → the permission each needs (a view-only change page opens).
ADMIN_FAMILIES = {
    "": "view",
    "add/": "add",
    "<path:object_id>/history/": "view",
    "<path:object_id>/delete/": "delete",
    "<path:object_id>/change/": "view",
    "<path:object_id>/": "redirect",  # the old change URL, redirected to the new one
}


def expected(pattern: Pattern, variant: str = "") -> tuple[str, Expect]:
    """The row for a pattern; KeyError when it has none (a new URL must be added here)."""
    if pattern.key == "admin:app_list":
        return "GET", APP_LIST[variant]
    if pattern.key in ROWS:
        return ROWS[pattern.key]
    model, family = admin_model(pattern) or ("", "")
    need = ADMIN_FAMILIES[family]
    if need == "redirect":
        return "GET", (ADMIN_LOGIN, ADMIN_LOGIN, ADMIN_LOGIN, REDIRECT, REDIRECT)
    return "GET", KANSLI if need in KANSLI_MAY[model] else NOBODY


def outcome(response, path: str) -> object:
    """What the response was, in the table's terms."""
    if response.status_code != 302:
        return response.status_code
    location = response["Location"]
    with translation.override("en" if path.startswith("/en/") else "sv"):
        sign_in = reverse("applications:signin") + "?next="
    if location.startswith(sign_in):
        return SIGN_IN
    if location.startswith("/admin/login/?next="):
        return ADMIN_LOGIN
    return REDIRECT


def request(client: Client, method: str, path: str):
    return client.post(path) if method == "POST" else client.get(path)


def test_every_url_pattern_has_a_row():
    patterns = project_patterns()
    missing = []
    for pattern in patterns:
        for variant in [label for label in APP_LIST] if pattern.key == "admin:app_list" else [""]:
            try:
                expected(pattern, variant)
            except KeyError:
                missing.append(pattern.key)
    assert missing == [], f"URL patterns without a row in the access matrix: {missing}"
    assert len(patterns) >= 120  # the walk reached the admin's and the apps' includes


def test_every_row_names_a_pattern_that_exists():
    keys = {pattern.key for pattern in project_patterns()}
    assert set(ROWS) - keys == set()
    assert set(KANSLI_MAY) == {model._meta.label_lower for model in admin.site._registry}


def test_another_applicant_and_staff_get_404_on_every_object_of_an_application():
    object_rows = [key for key, (_method, _e) in ROWS.items() if key.startswith(("applications:", "evaluation:"))]
    for pattern in project_patterns():
        if pattern.key in object_rows and "<int:pk>" in pattern.route:
            _method, expect = ROWS[pattern.key]
            assert expect[ROLES.index("other")] == 404, pattern.key
            assert expect[ROLES.index("staff")] == 404, pattern.key


@pytest.fixture
def world(db) -> World:
    return build_world()


@pytest.mark.django_db
def test_every_url_answers_each_role_as_the_matrix_says(world):
    clients = {role: world.client(role) for role in ROLES}
    wrong = []
    checked = 0
    for pattern in project_patterns():
        for variant, path in world.paths(pattern):
            method, expect = expected(pattern, variant)
            path += QUERIES.get(pattern.key, "")
            for role, want in zip(ROLES, expect, strict=True):
                # Signing out ends the session: those requests get a client of their own.
                client = world.client(role) if method == "POST" else clients[role]
                got = outcome(request(client, method, path), path)
                checked += 1
                if got != want:
                    wrong.append(f"{method} {path} as {role}: {got}, expected {want}")
    assert wrong == [], "\n".join(wrong)
    assert checked > 700


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("name", "kwargs"),
    [
        ("applications:offer_letter", {}),
        ("applications:joining_minutes", {}),
        ("evaluation:evidence", {"answer_id": None}),
    ],
)
def test_the_owner_downloads_the_pdf_and_nobody_else_sees_that_it_exists(world, name, kwargs):
    kwargs = {"pk": world.application.pk, **{k: world.answer.pk for k in kwargs}}
    path = reverse(name, kwargs=kwargs)
    owner = world.client("owner").get(path)
    assert owner.status_code == 200 and b"".join(owner.streaming_content).startswith(b"%PDF-")
    assert owner["Content-Disposition"].startswith("attachment")
    for role in ("other", "staff"):
        response = world.client(role).get(path)
        assert response.status_code == 404 and b"%PDF" not in response.content
    # A made-up id answers exactly like someone else's: nothing to tell the two apart.
    made_up = reverse(name, kwargs={**kwargs, "pk": 999_999})
    assert world.client("other").get(made_up).status_code == 404


@pytest.mark.django_db
def test_an_applicants_own_application_id_does_not_open_anothers_evidence(world):
    own = Application.objects.for_user(world.users["other"]).get()
    path = reverse("evaluation:evidence", kwargs={"pk": own.pk, "answer_id": world.answer.pk})
    assert world.client("other").get(path).status_code == 404
    assert world.client("owner").get(path).status_code == 404  # the pair must match, whoever asks
