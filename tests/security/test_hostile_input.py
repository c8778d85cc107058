"""Hostile input in every public form and in GET /api/fee: never a server error, and a refused
submission changes no row (issue 7, item 5).

The strategies below are the one place where hostile input is made: NUL, 100 000 characters,
RTL overrides, emoji, SQL, HTML and template fragments, format strings, and, where only raw
bytes can carry them, lone surrogates and invalid UTF-8 (request bodies, query strings and
uploads). Each example runs in a savepoint that is rolled back, so one example's save never
hides the next one's effect, and every request is judged by a snapshot of the rows a form can
write taken before and after it. Hypothesis is derandomized and keeps no example database, so
CI runs the same examples every time; the counts are small because every example is a request.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any
from urllib.parse import quote_from_bytes, urlencode

import pytest
from django.apps import apps
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection, transaction
from django.forms import BooleanField, FileField
from django.http import HttpResponse
from django.test import Client
from django.urls import reverse
from django.utils import translation
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from applications.models import Application, ContactRole, Status, Track
from evaluation import state as evaluation_state
from evaluation.forms import SectionForm
from tests.factories import make_application, make_user, signed_in

pytestmark = pytest.mark.django_db

# --- Hostile input: the one place it is made -----------------------------------------------------

HOSTILE_SAMPLES = [
    "\x00",
    "Anna\x00Andersson",
    "a" * 100_000,
    "\u202eredro\u202c",
    "\u202e" * 20,
    "😀" * 50,
    "👩🏽‍🚒\u200d\ufe0f",
    "\ufeff\u200b\u2060",
    "e" + "\u0301" * 200,
    "'; DROP TABLE applications_application; --",
    "' OR '1'='1",
    "%' OR 1=1 --",
    "\\",
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
    "{{ request.user }}{% debug %}",
    "%(name)s %s %n {0.__class__}",
    "../../../../etc/passwd",
    "file:///etc/passwd",
    "javascript:alert(1)",
    "//evil.example/",
    "http://127.0.0.1:6379/",
    "a@b.se\r\nBcc: victim@example.org",
    "-0",
    "-1",
    "2147483648",
    "9223372036854775808",
    "1e9999",
    "NaN",
    "Infinity",
    "9" * 400,
    "٣٤٥",
    "１２３",
    "2026-02-30",
    "99999-12-31",
    " ",
    "\t\r\n",
    "",
]
# Short pieces that combine into new strings ("0180\x00", "<b>\u202e", ...).
PIECES = [s for s in HOSTILE_SAMPLES if len(s) < 60] + [
    "0180",
    "01",
    "2422",
    "kf",
    "municipality",
    "region",
    "2023",
    "anna@kommun.se",
]

hostile_text = st.one_of(
    st.sampled_from(HOSTILE_SAMPLES),
    st.text(alphabet=st.characters(exclude_categories=["Cs"]), max_size=200),
    st.lists(st.sampled_from(PIECES), min_size=2, max_size=4).map("".join),
)

# Bytes no UTF-8 encoder makes: lone surrogates, overlong forms, beyond U+10FFFF, cut sequences.
INVALID_UTF8 = [b"\xff", b"\xfe\xff", b"\xc0\xaf", b"\xed\xa0\x80", b"\xed\xbf\xbf", b"\xf4\x90\x80\x80", b"\xe2\x80"]
lone_surrogates = st.text(alphabet=st.characters(categories=["Cs"]), min_size=1, max_size=5)
hostile_bytes = st.one_of(
    st.sampled_from(INVALID_UTF8),
    st.binary(max_size=200),
    lone_surrogates.map(lambda s: s.encode("utf-8", "surrogatepass")),
    st.tuples(hostile_text, st.sampled_from(INVALID_UTF8)).map(lambda t: t[0][:200].encode() + t[1]),
)

UPLOAD_NAMES = [
    "../../x.pdf",
    "..\\..\\x.pdf",
    "/etc/passwd",
    "\u202efdp.exe",
    "protokoll\x00.pdf",
    "😀.pdf",
    "x" * 300 + ".pdf",
    "CON.pdf",
    ".pdf",
    '"; filename=evil.html',
    "protokoll.pdf",
]
upload_names = st.one_of(st.sampled_from(UPLOAD_NAMES), hostile_text.map(lambda s: s[:300] + ".pdf"))


def overrides(valid: dict[str, str], *, max_size: int = 3) -> st.SearchStrategy[dict[str, str]]:
    """A valid submission with one to a few of its fields replaced by hostile text."""
    return st.dictionaries(st.sampled_from(sorted(valid)), hostile_text, min_size=1, max_size=max_size).map(
        lambda hostile: {**valid, **hostile}
    )


HOSTILE = settings(
    max_examples=15,
    deadline=None,
    database=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.data_too_large],
)

# --- Judging a request ---------------------------------------------------------------------------

# Tables no form writes: counted, not read row by row (reference data, permissions, logs).
COUNTED_ONLY = {
    "applications.Organisation",
    "applications.PopulationFigure",
    "evaluation.QuestionBank",
    "evaluation.Section",
    "evaluation.Question",
    "evaluation.Option",
    "auth.Permission",
    "contenttypes.ContentType",
    "admin.LogEntry",
}


def rows() -> tuple[Any, ...]:
    """Every row (updated_at included) of each table a request could write, and the row count of
    every other table. Raw SQL: the ORM's compiling would cost more than the request under test."""
    tables = {model._meta.db_table: model._meta.label for model in apps.get_models() if not model._meta.proxy}
    quote = connection.ops.quote_name
    counted = sorted(table for table, label in tables.items() if label in COUNTED_ONLY)
    read = sorted(table for table, label in tables.items() if label not in COUNTED_ONLY)
    with connection.cursor() as cursor:
        counts = ", ".join(f"(SELECT COUNT(*) FROM {quote(table)})" for table in counted)  # noqa: S608
        cursor.execute(f"SELECT {counts}")
        snapshot: list[Any] = [cursor.fetchone()]
        for table in read:
            cursor.execute(f"SELECT * FROM {quote(table)} ORDER BY 1")  # noqa: S608 (our own table names)
            snapshot.append((table, cursor.fetchall()))
    return tuple(snapshot)


@contextmanager
def example_isolated() -> Iterator[None]:
    """One example's writes are rolled back, and its rate-limit counters forgotten."""
    cache.clear()
    with transaction.atomic():
        yield
        transaction.set_rollback(True)


def redirected(response: HttpResponse) -> bool:
    return response.status_code == 302


def never(response: HttpResponse) -> bool:
    return False


def judged(
    send: Callable[..., HttpResponse],
    *args: Any,
    allowed: set[int],
    saved: Callable[[HttpResponse], bool] = redirected,
    **kwargs: Any,
) -> HttpResponse:
    """Send the request; no server error, and unless it was accepted (`saved`), no row changed."""
    before = rows()
    response = send(*args, **kwargs)
    assert response.status_code in allowed, response.status_code
    if not saved(response):
        assert rows() == before, "a refused submission changed the database"
    return response


def url(name: str, *args: object, language: str = "sv") -> str:
    with translation.override(language):
        return reverse(name, args=args)


def multipart(fields: dict[str, bytes], files: dict[str, tuple[bytes, bytes]]) -> tuple[bytes, str]:
    """A multipart body built by hand, so that names and values may be any bytes at all."""
    boundary = b"hostile-3f1c9a7e5b2d4c6e8a0b"
    parts = []
    for name, value in fields.items():
        parts.append(b'Content-Disposition: form-data; name="' + name.encode() + b'"\r\n\r\n' + value)
    for name, (filename, content) in files.items():
        parts.append(
            b'Content-Disposition: form-data; name="'
            + name.encode()
            + b'"; filename="'
            + filename
            + b'"\r\nContent-Type: application/pdf\r\n\r\n'
            + content
        )
    body = b"".join(b"--" + boundary + b"\r\n" + part + b"\r\n" for part in parts) + b"--" + boundary + b"--\r\n"
    return body, f"multipart/form-data; boundary={boundary.decode()}"


def form_encoded(fields: dict[str, bytes]) -> bytes:
    return urlencode(fields).encode()


# --- The forms and their valid submissions -------------------------------------------------------

CONTACT = {"name": "Anna Andersson", "email": "anna@kommun.se", "organisation": "Sorsele kommun", "message": "Hej!"}
ORGANISATION = {
    "official_name": "Stockholms kommun",
    "org_number": "212000-0142",
    "street_address": "Ragnar Östbergs plan 1",
    "postal_code": "105 35",
    "city": "Stockholm",
    "inhabitants": "",
    "inhabitants_reason": "",
}
CONTACTS = {
    f"{role}-{name}": value
    for role in (ContactRole.ELECTED, ContactRole.OFFICIAL, ContactRole.DELEGATE)
    for name, value in {
        "name": "Anna Andersson",
        "title": "Ordförande",
        "email": f"{role}@stockholm.se",
        "phone": "08-508 290 00",
    }.items()
}
JOINING = {"decided_on": "2026-03-18", "body": "kf", "minute_reference": "§ 42"}
CALCULATOR = {
    "year": "2023",
    "organisation": "2422",
    "kind": "municipality",
    "inhabitants": "2535",
    "population_for": "",
}
FEE_API = {"year": "2023", "organisation": "2422", "kind": "municipality", "inhabitants": "2535", "lang": "sv"}
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def applicant():
    return make_user("strateg@stockholm.se")


@pytest.fixture
def client_for(applicant) -> Client:
    return signed_in(applicant)


@pytest.fixture
def draft(applicant) -> Application:
    return make_application("0180", user=applicant, contacts=False)


@pytest.fixture
def observer_draft(applicant) -> Application:
    application = make_application("2422", user=applicant, contacts=False)
    Application.objects.filter(pk=application.pk).update(track=Track.OBSERVER)
    return application


@pytest.fixture
def offered(applicant) -> Application:
    return make_application(
        "2480", user=applicant, status=Status.OFFERED, offered_at=datetime.datetime.now(datetime.UTC)
    )


def section_fields(application: Application) -> dict[str, list[str]]:
    """Every field of every section of the application's test, by section slug."""
    state = evaluation_state.test_state(application)
    return {
        section.slug: list(SectionForm(section=section, answers=state.answers).fields) for section in state.sections
    }


@pytest.fixture
def post_forms(draft, observer_draft, offered) -> dict[str, tuple[str, dict[str, str]]]:
    """Every form that is sent by POST, with its path and a valid submission (the signed-in
    applicant's own applications; the public forms answer a signed-in user as anyone else)."""
    slug, names = next(iter(section_fields(draft).items()))
    return {
        "contact": (url("contact"), {**CONTACT, "website": ""}),
        "signin": (url("applications:signin"), {"email": "anna@kommun.se", "next": "/ansokan/"}),
        "start": (url("applications:start"), {"organisation": "0180", "observer": "", "q": "Stock"}),
        "organisation": (url("applications:organisation", draft.pk), ORGANISATION),
        "contacts": (url("applications:contacts", draft.pk), CONTACTS),
        "observer_reason": (url("applications:observer_reason", observer_draft.pk), {"reason": "Vi förbereder."}),
        "section": (url("evaluation:section", draft.pk, slug), dict.fromkeys(names, "")),
        "joining_decision": (url("applications:joining_decision", offered.pk), JOINING),
        "set_language": (reverse("set_language"), {"language": "en", "next": "/"}),
    }


# What each form may answer besides 200 (errors shown) and 302 (saved, or sent on its way).
ALSO_ALLOWED = {
    "contact": {429},  # too many messages from one address
    "signin": {429},
    "start": {409},  # the body already has an open application: shown, not started again
    "section": {400},  # an autosave's refusal, as JSON
}


def post_form_saved(form: str) -> Callable[[HttpResponse], bool]:
    return section_saved if form == "section" else redirected


def section_saved(response: HttpResponse) -> bool:
    """A section saves on a redirect, or on an autosave's {"saved": true}."""
    if response.status_code == 200 and response["Content-Type"].startswith("application/json"):
        return bool(response.json()["saved"])
    return response.status_code == 302


GET_FORMS = {
    "fee_calculator": (lambda: url("fees:calculator"), CALCULATOR),
    "fee_api": (lambda: reverse("fees_api:fee"), FEE_API),
    "start": (lambda: url("applications:start"), {"q": "Stock", "track": "observer", "kind": "region"}),
    "organisation_search": (lambda: url("applications:organisation_search"), {"q": "Stock", "kind": ""}),
    "signin": (lambda: url("applications:signin"), {"next": "/ansokan/"}),
}


# --- Hostile text in every form ----------------------------------------------------------------


@pytest.mark.parametrize(
    "form", ["contact", "signin", "start", "organisation", "contacts", "observer_reason", "set_language"]
)
@HOSTILE
@given(data=st.data())
def test_post_form(client_for, post_forms, form, data):
    path, valid = post_forms[form]
    submission = data.draw(overrides(valid, max_size=4), label="submission")
    with example_isolated():
        judged(
            client_for.post,
            path,
            submission,
            REMOTE_ADDR="192.0.2.1",
            allowed={200, 302, *ALSO_ALLOWED.get(form, ())},
            saved=post_form_saved(form),
        )


@pytest.mark.parametrize("form", sorted(GET_FORMS))
@HOSTILE
@given(data=st.data())
def test_get_form(client_for, form, data):
    path, valid = GET_FORMS[form]
    params = data.draw(overrides(valid, max_size=5), label="params")
    with example_isolated():
        response = judged(client_for.get, path(), params, allowed={200, 400}, saved=never)
    if form == "fee_api":
        assert ("error" in response.json()) == (response.status_code == 400)
    else:
        assert response.status_code == 200


@pytest.mark.parametrize(
    "form", ["contact", "signin", "start", "organisation", "contacts", "observer_reason", "section", "joining_decision"]
)
def test_100_000_characters_in_every_field(client_for, post_forms, form):
    path, valid = post_forms[form]
    with example_isolated():
        data = {name: "" if name == "website" else "a" * 100_000 for name in valid}  # not as a robot
        response = judged(
            client_for.post, path, data, REMOTE_ADDR="192.0.2.1", allowed={200, 400}, saved=post_form_saved(form)
        )
        assert response.status_code == 200 or form == "section"


@HOSTILE
@given(
    token=st.text(
        alphabet=st.characters(exclude_categories=["Cs"], exclude_characters="/\x00?#"), min_size=1, max_size=300
    )
)
def test_signin_link_with_any_token(client, token):
    # NUL, "/", "?" and "#" never reach the view: the URL would not match, or not as the token.
    path = url("applications:signin") + token + "/"
    with example_isolated():
        judged(client.get, path, allowed={200, 404}, saved=never)
        judged(client.post, path, allowed={200, 404}, saved=never)


@HOSTILE
@given(data=st.data(), autosave=st.booleans())
def test_evaluation_sections(client_for, draft, data, autosave):
    fields = section_fields(draft)
    slug = data.draw(st.sampled_from(sorted(fields)), label="section")
    values = data.draw(st.dictionaries(st.sampled_from(fields[slug]), hostile_text, min_size=1, max_size=6))
    values.setdefault("action", data.draw(st.sampled_from(["save", "next", "previous"]) | hostile_text))
    headers = {"X-Autosave": "1"} if autosave else {}
    path = url("evaluation:section", draft.pk, slug)
    with example_isolated():
        judged(client_for.post, path, values, headers=headers, allowed={200, 302, 400}, saved=section_saved)


@HOSTILE
@given(data=overrides(JOINING), name=upload_names, content=hostile_bytes | st.just(PDF))
@example(data=JOINING, name="x" * 300 + ".pdf", content=PDF)  # a valid upload whose name is too long to store
def test_joining_decision_form(client_for, offered, data, name, content):
    minutes = SimpleUploadedFile(name, content, content_type="application/pdf")
    path = url("applications:joining_decision", offered.pk)
    with example_isolated():
        judged(client_for.post, path, {**data, "minutes": minutes}, allowed={200, 302})


# --- Raw bytes: invalid UTF-8 and lone surrogates in bodies, query strings and uploads -----------

ENCODINGS = ["urlencoded", "unencoded", "multipart"]


def raw_body(encoding: str, fields: dict[str, bytes]) -> tuple[bytes, str]:
    if encoding == "multipart":
        return multipart(fields, {})
    if encoding == "urlencoded":
        return form_encoded(fields), "application/x-www-form-urlencoded"
    # Bytes as they came, not even percent-encoded: "&" and "=" in them split fields anew.
    body = b"&".join(name.encode() + b"=" + value for name, value in fields.items())
    return body, "application/x-www-form-urlencoded"


@HOSTILE
@given(data=st.data(), encoding=st.sampled_from(ENCODINGS))
def test_raw_request_bodies(client_for, post_forms, data, encoding):
    form = data.draw(st.sampled_from(sorted(post_forms)), label="form")
    path, valid = post_forms[form]
    hostile = data.draw(st.dictionaries(st.sampled_from(sorted(valid)), hostile_bytes, min_size=1), label="fields")
    body, content_type = raw_body(encoding, {name: value.encode() for name, value in valid.items()} | hostile)
    with example_isolated():
        judged(
            client_for.post,
            path,
            body,
            content_type=content_type,
            REMOTE_ADDR="192.0.2.1",
            allowed={200, 302, 400, *ALSO_ALLOWED.get(form, ())},
            saved=post_form_saved(form),
        )


@HOSTILE
@given(data=st.data())
def test_raw_query_strings(client_for, data):
    form = data.draw(st.sampled_from(sorted(GET_FORMS)), label="form")
    path, valid = GET_FORMS[form]
    hostile = data.draw(st.dictionaries(st.sampled_from(sorted(valid)), hostile_bytes, min_size=1), label="fields")
    fields = {name: value.encode() for name, value in valid.items()} | hostile
    query = "&".join(f"{name}={quote_from_bytes(value)}" for name, value in fields.items())
    with example_isolated():
        judged(client_for.get, f"{path()}?{query}", allowed={200, 400}, saved=never)


@HOSTILE
@given(
    filename=hostile_bytes | upload_names.map(str.encode),
    content=hostile_bytes,
    target=st.sampled_from(["joining", "section"]),
)
@example(filename=b"\xed\xa0\x80.pdf", content=b"%PDF-1.4\n\xff\xfe\xed\xa0\x80\n%%EOF\n", target="joining")
@example(filename=b"../../x\xff.pdf", content=b"%PDF-1.4\n\xff\n%%EOF\n", target="section")
def test_uploads_with_invalid_utf8(client_for, draft, offered, filename, content, target):
    if target == "joining":
        path, fields, file_field = url("applications:joining_decision", offered.pk), JOINING, "minutes"
    else:
        names = section_fields(draft)["baskrav"]
        file_field = next(name for name in names if name.endswith("_file"))
        path, fields = url("evaluation:section", draft.pk, "baskrav"), {"action": "save"}
    body, content_type = multipart(
        {name: value.encode() for name, value in fields.items()}, {file_field: (filename, content)}
    )
    with example_isolated():
        judged(client_for.post, path, body, content_type=content_type, allowed={200, 302, 400})


# --- NUL: a clear error beside the field, on every database --------------------------------------

# Posted values that are no form field's text, so a NUL in them has no error to show.
NOT_TEXT = {
    "website": "the honeypot: anything in it is answered as success and dropped",
    "next": "where to go after signing in: an unsafe value is ignored",
    "q": "the start page's search term, only compared",
    "observer": "a hidden check box",
    "language": "Django's language switch ignores a language it does not know",
}
NUL_MESSAGE = "Null-tecken är inte tillåtna."
# A choice, a date or a number refuses NUL as it refuses any other wrong value, with its own message.
NOT_CHARFIELDS = {
    ("start", "organisation"),
    ("organisation", "inhabitants"),
    ("joining_decision", "decided_on"),
    ("joining_decision", "body"),
}


def field_error(html: str, name: str) -> bool:
    """Whether the page shows an error beside the field (the templates' two id patterns)."""
    return f'id="id_{name}_error"' in html or f'id="{name}-error"' in html


@pytest.mark.parametrize(
    "form", ["contact", "signin", "start", "organisation", "contacts", "observer_reason", "joining_decision"]
)
def test_nul_in_a_text_field_is_a_clear_error(client_for, post_forms, form):
    path, valid = post_forms[form]
    checked = [name for name in valid if name not in NOT_TEXT]
    assert checked
    for name in checked:
        with example_isolated():
            data = {**valid, name: "Sorsele\x00kommun"}
            if form == "joining_decision":
                data["minutes"] = SimpleUploadedFile("protokoll.pdf", PDF, content_type="application/pdf")
            response = judged(client_for.post, path, data, REMOTE_ADDR="192.0.2.1", allowed={200}, saved=never)
            html = response.content.decode()
            assert field_error(html, name), f"{form}: no error beside {name}"
            if (form, name) not in NOT_CHARFIELDS:
                assert NUL_MESSAGE in html, f"{form}: {name} does not say why"


def test_nul_in_any_field_of_any_section_is_a_clear_error(client_for, draft):
    state = evaluation_state.test_state(draft)
    for section in state.sections:
        form = SectionForm(section=section, answers=state.answers)
        checked = [name for name, field in form.fields.items() if not isinstance(field, BooleanField | FileField)]
        path = url("evaluation:section", draft.pk, section.slug)
        with example_isolated():
            data = {name: "1\x00" for name in checked}
            response = judged(client_for.post, path, data, allowed={200}, saved=never)
            missing = [name for name in checked if not field_error(response.content.decode(), name)]
            assert missing == [], f"{section.slug}: no error beside {missing}"
        with example_isolated():
            autosave = judged(client_for.post, path, data, headers={"X-Autosave": "1"}, allowed={400}, saved=never)
            assert autosave.json()["saved"] is False


@pytest.mark.parametrize("name", ["year", "organisation", "kind", "inhabitants"])
def test_nul_in_the_fee_calculator_and_its_api_is_a_clear_error(client, name):
    with example_isolated():
        page = judged(client.get, url("fees:calculator"), {**CALCULATOR, name: "2\x00"}, allowed={200}, saved=never)
        assert field_error(page.content.decode(), name)
        answer = judged(client.get, reverse("fees_api:fee"), {**FEE_API, name: "2\x00"}, allowed={400}, saved=never)
        assert answer.json()["error"]
