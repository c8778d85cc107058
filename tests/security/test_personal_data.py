"""Personal data (issue 7 §8): export and erasure on request, retention, sign-in tokens and logs.

Each test fails if its protection is removed: the export misses a kind of row, the erasure
leaves the address somewhere or touches the audit, a stale draft or an old message stays, a
token reaches a log line.
"""

import datetime
import io
import json
import logging
import re
from unittest import mock

import pytest
from axes.models import AccessLog
from django.contrib.auth.models import Group, Permission, User
from django.core import mail
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.urls import reverse
from django.utils import timezone, translation

from applications import personal_data, retention, signin, workflow
from applications.models import (
    Application,
    Contact,
    ContactRole,
    EmailStatus,
    OfferLetter,
    OutboundEmail,
    PersonalDataRequest,
    SignInToken,
    Status,
    StatusChange,
)
from applications.retention_tasks import purge_old_contact_messages, purge_stale_drafts
from applications.roles import KANSLI_GROUP, ensure_kansli_group
from evaluation.models import Answer, Question, QuestionBank, Response
from klimat.contact import send_contact_message
from klimat.models import ContactMessage
from tests.factories import make_application, make_staff, make_user

pytestmark = pytest.mark.django_db

PERSON = "anna.andersson@sorsele.se"
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
FIND = reverse("admin:applications_personal_data")
EXPORT = reverse("admin:applications_personal_data_export")
ERASE = reverse("admin:applications_personal_data_erase")


@pytest.fixture(autouse=True)
def _swedish():
    """A request to /en/ leaves English active in the thread; these tests start in Swedish."""
    with translation.override("sv"):
        yield


@pytest.fixture
def kansli_user() -> User:
    ensure_kansli_group(Group, Permission)
    user = make_staff("kansli-eva", superuser=False)
    user.groups.add(Group.objects.get(name=KANSLI_GROUP))
    return user


@pytest.fixture
def kansli(client, kansli_user):
    client.force_login(kansli_user)
    return client


def days_ago(days: float) -> datetime.datetime:
    return timezone.now() - datetime.timedelta(days=days)


def contact(application: Application, role: str, name: str, email: str) -> Contact:
    Contact.objects.filter(application=application, role=role).delete()
    return Contact.objects.create(application=application, role=role, name=name, email=email, phone="070-123 45 67")


def mail_row(to: list[str], body: str, **fields) -> OutboundEmail:
    return OutboundEmail.objects.create(template="test", to=to, subject="Ansökan", body_text=body, **fields)


@pytest.fixture
def person():
    """Anna: contact on two applications (one offered, with its letter), an applicant account,
    a sign-in link, a message to the secretariat, mail to and about her, a sign-in log entry."""
    user = signin.applicant_for(PERSON)
    offered = make_application("2422", status=Status.SUBMITTED, user=user)
    workflow.start_review(application=offered, by=make_staff())
    Application.objects.filter(pk=offered.pk).update(
        status=Status.OFFERED, fee_year=2024, fee_schedule_year=2023, fee_exact="4760.50", fee_due=4761
    )
    contact(offered, ContactRole.ELECTED, "Anna Andersson", PERSON)
    letter = OfferLetter.objects.create(application=offered, language="sv")
    letter.pdf.save("letter.pdf", ContentFile(PDF))
    draft = make_application("0180", contacts=False)
    contact(draft, ContactRole.OFFICIAL, "Anna Andersson", PERSON.upper())  # case differs
    signin.create_token(PERSON)
    send_contact_message(name="Anna Andersson", email=PERSON, organisation="Sorsele", message="Hej!", language="sv")
    mail_row([PERSON, "bo@example.se"], "Välkommen!", application=offered, status=EmailStatus.SENT)
    mail_row(["kansliet@klimatkommunerna.se"], f"Kontakt: Anna Andersson <{PERSON}>", status=EmailStatus.SENT)
    AccessLog.objects.create(
        username=PERSON, ip_address="192.0.2.7", user_agent="Firefox", http_accept="*/*", path_info="/logga-in/x/"
    )
    return {"user": user, "offered": offered, "draft": draft, "letter": letter}


def export(client, email: str = PERSON):
    response = client.post(EXPORT, {"email": email})
    assert response.status_code == 200, response.status_code
    return response, json.loads(response.content)


def erase(client, email: str = PERSON, **extra):
    return client.post(ERASE, {"email": email, "erase": "1", "confirm": "on", **extra}, follow=True)


def everything_stored() -> str:
    """Every row of the tables that hold personal data, as text, to search for the person."""
    rows = [
        *Contact.objects.values(),
        *User.objects.values(),
        *SignInToken.objects.values(),
        *ContactMessage.objects.values(),
        *OutboundEmail.objects.values(),
        *AccessLog.objects.values(),
        *PersonalDataRequest.objects.values(),
    ]
    return repr(rows).lower()


# --- Export -----------------------------------------------------------------------------------


def test_export_is_a_json_download_of_everything_held_about_the_address(kansli, person):
    response, data = export(kansli, PERSON.title())  # any case finds the person
    assert response["Content-Type"] == "application/json; charset=utf-8"
    assert response["Content-Disposition"].startswith("attachment;")
    assert PERSON not in response["Content-Disposition"]
    assert "\n  " in response.content.decode() and "Välkommen!" in response.content.decode()  # readable
    assert data["email"] == PERSON
    assert sorted(c["organisation"] for c in data["contact_persons"]) == ["Sorsele kommun", "Stockholms kommun"]
    assert data["contact_persons"][0]["phone"] == "070-123 45 67"
    [account] = data["accounts"]
    assert account["username"] == PERSON and [a["organisation"] for a in account["applications"]] == ["Sorsele kommun"]
    assert len(data["sign_in_links"]) == 1 and "token_hash" not in data["sign_in_links"][0]
    assert [m["message"] for m in data["contact_messages"]] == ["Hej!"]
    # The mail to her, the notice naming her, and the contact form's forwarding mail.
    assert len(data["emails"]) == 3
    assert [entry["ip_address"] for entry in data["sign_in_log"]] == ["192.0.2.7"]
    assert [letter["organisation"] for letter in data["offer_letters_naming_the_person"]] == ["Sorsele kommun"]
    assert "bo@example.se" not in json.dumps(data["contact_persons"])  # nobody else's contact rows


def test_export_leaves_out_whoever_only_resembles_the_address(kansli, person):
    mail_row(["hanna.andersson@sorsele.se"], "Till hanna.andersson@sorsele.se", status=EmailStatus.SENT)
    _response, data = export(kansli)
    assert all("hanna" not in json.dumps(row) for row in data["emails"])


def test_the_lookup_page_shows_the_data_readably(kansli, person):
    assert kansli.get(FIND).status_code == 200
    html = kansli.post(FIND, {"email": PERSON}).content.decode()
    assert "Anna Andersson" in html and "070-123 45 67" in html and "Hej!" in html
    assert '<th scope="col">Telefon</th>' in html and '<th scope="col">IP-adress</th>' in html
    assert f'action="{EXPORT}"' in html and f'action="{ERASE}"' in html


def test_export_is_recorded_without_the_address(kansli, kansli_user, person):
    export(kansli)
    record = PersonalDataRequest.objects.get()
    assert record.kind == "export" and record.by == kansli_user and record.counts["contacts"] == 2
    assert "anna" not in repr(PersonalDataRequest.objects.values().get()).lower()


@pytest.mark.parametrize("url", [FIND, EXPORT, ERASE])
def test_only_the_kansli_reaches_the_tool(client, person, url):
    outsider = make_staff("it-support", superuser=False)
    client.force_login(outsider)
    assert client.post(url, {"email": PERSON}).status_code == 403
    client.force_login(person["user"])  # an applicant: not staff, so the admin's login page
    response = client.post(url, {"email": PERSON})
    assert response.status_code == 302 and response["Location"].startswith(reverse("admin:login"))
    assert Contact.objects.filter(email__iexact=PERSON).count() == 2  # nothing erased by anyone
    assert not PersonalDataRequest.objects.exists()


def test_export_and_erase_take_the_address_by_post_only(kansli):
    assert kansli.get(EXPORT, {"email": PERSON}).status_code == 405
    assert kansli.get(ERASE, {"email": PERSON}).status_code == 405


# --- Erasure ----------------------------------------------------------------------------------


def test_erasure_asks_for_confirmation_and_changes_nothing_until_given(kansli, person):
    before = everything_stored()
    page = kansli.post(ERASE, {"email": PERSON})
    assert page.status_code == 200 and 'name="confirm"' in page.content.decode()
    unticked = kansli.post(ERASE, {"email": PERSON, "erase": "1"})
    assert unticked.status_code == 200 and "errorlist" in unticked.content.decode()
    assert everything_stored() == before


def test_erasure_removes_the_person_everywhere(kansli, person):
    response = erase(kansli)
    assert response.status_code == 200 and "raderade" in response.content.decode()
    assert PERSON not in everything_stored() and "anna andersson" not in everything_stored()
    erased = Contact.objects.filter(name=personal_data.ERASED_NAME)
    assert erased.count() == 2 and all(c.email.endswith("@erased.invalid") and not c.phone for c in erased)
    user = User.objects.get(pk=person["user"].pk)
    assert not user.is_active and not user.has_usable_password() and user.username == f"erased-{user.pk}"
    assert not SignInToken.objects.exists() and not ContactMessage.objects.exists()
    assert not AccessLog.objects.filter(username__iexact=PERSON).exists()
    welcome = OutboundEmail.objects.get(body_text="Välkommen!")
    assert welcome.to == ["bo@example.se"]  # the other recipient's copy is intact


def test_erasure_keeps_the_decision_records_and_never_touches_the_audit(kansli, person):
    offered = person["offered"]
    audit = list(StatusChange.objects.order_by("pk").values())
    fee = Application.objects.filter(pk=offered.pk).values("status", "fee_due", "fee_exact", "fee_schedule_year")
    frozen = list(fee)
    erase(kansli)
    assert list(StatusChange.objects.order_by("pk").values()) == audit
    assert list(fee) == frozen
    assert Application.objects.count() == 2
    letter = OfferLetter.objects.get(pk=person["letter"].pk)
    with letter.pdf.open("rb") as handle:
        assert handle.read() == PDF  # kept as sent: the decision record
    assert Contact.objects.filter(name="Bo Berg").exists()  # the other contact person stays


def test_erasure_is_recorded_with_who_and_when_but_not_whom(kansli, kansli_user, person):
    erase(kansli, reference="KK 2026/17")
    record = PersonalDataRequest.objects.get()
    assert (record.kind, record.by, record.reference) == ("erasure", kansli_user, "KK 2026/17")
    assert record.at is not None and record.counts["contacts"] == 2 and record.counts["sign_in_links"] == 1
    assert "anna" not in repr(PersonalDataRequest.objects.values().get()).lower()


def test_a_second_erasure_changes_and_records_nothing(kansli, kansli_user, person):
    erase(kansli)
    after_first = everything_stored()
    assert personal_data.erase_personal_data(email=PERSON, by=kansli_user) is None
    assert "Inget finns" in erase(kansli).content.decode()
    assert everything_stored() == after_first
    assert PersonalDataRequest.objects.count() == 1


def test_erasure_is_all_or_nothing(kansli_user, person):
    before = everything_stored()
    failing = mock.patch.object(personal_data, "_anonymise_account", side_effect=RuntimeError("disk full"))
    with failing, pytest.raises(RuntimeError):
        personal_data.erase_personal_data(email=PERSON, by=kansli_user)
    assert everything_stored() == before


def test_a_mail_not_yet_sent_still_reaches_others_but_never_a_redacted_one(kansli_user, person):
    shared = mail_row([PERSON, "bo@example.se"], "Ert erbjudande", status=EmailStatus.PENDING)
    hers = mail_row([PERSON], "Hej Anna", status=EmailStatus.PENDING)
    personal_data.erase_personal_data(email=PERSON, by=kansli_user)
    shared.refresh_from_db()
    hers.refresh_from_db()
    assert (shared.to, shared.body_text, shared.status) == (["bo@example.se"], "Ert erbjudande", "pending")
    assert hers.status == "failed" and hers.body_text == personal_data.ERASED_TEXT and PERSON not in hers.to[0]


def test_the_forwarded_message_loses_its_subject_naming_the_sender(kansli_user, person):
    forwarded = OutboundEmail.objects.get(template="contact_message")
    assert "Anna Andersson" in forwarded.subject
    personal_data.erase_personal_data(email=PERSON, by=kansli_user)
    forwarded.refresh_from_db()
    assert "anna" not in (forwarded.subject + forwarded.body_text).lower()


def test_an_erased_account_is_signed_out_and_a_new_sign_in_starts_afresh(client, kansli_user, person):
    client.force_login(person["user"])
    personal_data.erase_personal_data(email=PERSON, by=kansli_user)
    dashboard = reverse("applications:dashboard")
    assert client.get(dashboard).status_code == 302  # the old session no longer signs anyone in
    fresh = signin.applicant_for(PERSON)
    assert fresh.pk != person["user"].pk and not fresh.applications.exists()


def test_a_staff_account_is_never_erased_through_a_request(kansli_user):
    staff = make_staff("admin-anna")
    User.objects.filter(pk=staff.pk).update(email=PERSON)
    assert personal_data.erase_personal_data(email=PERSON, by=kansli_user) is None
    staff.refresh_from_db()
    assert staff.is_active and staff.email == PERSON


# --- Drafts never submitted -------------------------------------------------------------------


def draft_with_evidence(code: str, *, untouched_days: float) -> tuple[Application, Answer]:
    application = make_application(code, user=make_user(f"{code}@kommun.se"))
    bank = QuestionBank.objects.active_for(application.kind)
    response = Response.objects.create(application=application, bank=bank)
    question = Question.objects.filter(section__bank=bank).order_by("pk").first()
    answer = Answer.objects.create(response=response, question=question, evidence_filename="protokoll.pdf")
    answer.evidence_file.save("evidence.pdf", ContentFile(PDF))
    Application.objects.filter(pk=application.pk).update(updated_at=days_ago(untouched_days))
    Response.objects.filter(pk=response.pk).update(updated_at=days_ago(untouched_days))
    return application, answer


def test_a_draft_untouched_for_90_days_goes_with_its_answers_files_and_contacts(django_capture_on_commit_callbacks):
    stale, answer = draft_with_evidence("2422", untouched_days=90.1)
    stored = answer.evidence_file.name
    assert default_storage.exists(stored)
    with django_capture_on_commit_callbacks(execute=True):
        assert purge_stale_drafts() == 1
    assert not Application.objects.filter(pk=stale.pk).exists()
    assert not Contact.objects.filter(application=stale.pk).exists()
    assert not Answer.objects.filter(pk=answer.pk).exists()
    assert not default_storage.exists(stored)


def test_drafts_changed_within_90_days_and_anything_submitted_are_kept(django_capture_on_commit_callbacks):
    recent, _answer = draft_with_evidence("2422", untouched_days=89.9)
    answered, _answer = draft_with_evidence("0180", untouched_days=200)
    Response.objects.filter(application=answered).update(updated_at=days_ago(1))  # answers saved yesterday
    kept = [recent, answered]
    for code, status in [("0980", Status.SUBMITTED), ("1480", Status.WITHDRAWN), ("2480", Status.MEMBER)]:
        application = make_application(code, status=status)
        Application.objects.filter(pk=application.pk).update(updated_at=days_ago(400))
        kept.append(application)
    with django_capture_on_commit_callbacks(execute=True):
        assert purge_stale_drafts() == 0
    assert Application.objects.filter(pk__in=[a.pk for a in kept]).count() == 5


def test_the_dashboard_says_when_an_untouched_draft_will_be_deleted(client):
    user = make_user("klimat@sorsele.se")
    draft = make_application("2422", user=user)
    Application.objects.filter(pk=draft.pk).update(updated_at=datetime.datetime(2026, 1, 10, 12, tzinfo=datetime.UTC))
    submitted = make_application("0180", user=user, status=Status.SUBMITTED)
    client.force_login(user)
    with translation.override("sv"):
        sv = client.get(reverse("applications:dashboard")).content.decode()
    with translation.override("en"):
        en = client.get(reverse("applications:dashboard")).content.decode()
    assert "Raderas den 10 april 2026 om det inte ändras innan dess" in sv
    assert "ingen ändrar på 90 dagar raderas" in sv
    assert "Deleted on 10 April 2026 unless changed before then" in en
    assert en.count("Deleted on") == 1, submitted  # a submitted application is never deleted


def test_the_deletion_date_counts_from_the_last_saved_answer():
    application, _answer = draft_with_evidence("2422", untouched_days=30)
    Response.objects.filter(application=application).update(updated_at=days_ago(10))
    application = Application.objects.select_related("evaluation").get(pk=application.pk)
    assert retention.draft_deletion_date(application) == timezone.localdate(days_ago(10 - 90))


# --- Messages to the secretariat --------------------------------------------------------------


def test_messages_older_than_a_year_go_with_their_forwarding_mail(settings):
    assert settings.KLIMAT_CONTACT_MESSAGE_RETENTION_DAYS == 365
    old = send_contact_message(name="Per", email="per@x.se", organisation="", message="Gammalt", language="sv")
    new = send_contact_message(name="Eva", email="eva@x.se", organisation="", message="Nytt", language="sv")
    ContactMessage.objects.filter(pk=old.pk).update(created_at=days_ago(366))
    ContactMessage.objects.filter(pk=new.pk).update(created_at=days_ago(364))
    assert purge_old_contact_messages() == 1
    assert list(ContactMessage.objects.values_list("message", flat=True)) == ["Nytt"]
    assert not OutboundEmail.objects.filter(pk=old.outbound_email_id).exists()
    assert OutboundEmail.objects.filter(pk=new.outbound_email_id).exists()


@pytest.mark.parametrize(
    ("name", "task"),
    [
        ("purge-stale-drafts", "applications.retention_tasks.purge_stale_drafts"),
        ("purge-old-contact-messages", "applications.retention_tasks.purge_old_contact_messages"),
        ("purge-signin-tokens", "applications.signin_tasks.purge_signin_tokens"),
    ],
)
def test_retention_runs_from_beat(settings, name, task):
    from klimat import celery_app

    assert settings.CELERY_BEAT_SCHEDULE[name]["task"] == task
    celery_app.loader.import_default_modules()
    assert task in celery_app.tasks


# --- Sign-in tokens ---------------------------------------------------------------------------


def test_purge_deletes_expired_and_used_tokens_only_and_runs_hourly(settings):
    assert settings.CELERY_BEAT_SCHEDULE["purge-signin-tokens"]["schedule"] == 3600.0
    expired = signin.create_token("a@kommun.se")
    used = signin.create_token("b@kommun.se")
    fresh = signin.create_token("c@kommun.se")
    SignInToken.objects.filter(token_hash=signin.hash_token(expired)).update(expires_at=timezone.now())
    signin.use_token(used)
    from applications.signin_tasks import purge_signin_tokens

    assert purge_signin_tokens() == 2
    assert list(SignInToken.objects.values_list("token_hash", flat=True)) == [signin.hash_token(fresh)]


LINK = re.compile(r"/logga-in/([A-Za-z0-9_-]{20,})/")


@pytest.fixture
def console_output():
    """What the configured console handlers (root and runserver's) actually write."""
    handlers = {h for name in ("", "django.server") for h in logging.getLogger(name).handlers}
    handlers = {h for h in handlers if type(h) is logging.StreamHandler}
    assert handlers, "the settings configure a console handler"
    stream = io.StringIO()
    previous = {handler: handler.setStream(stream) for handler in handlers}
    levels = {name: logging.getLogger(name).level for name in ("", "django.server")}
    for name in levels:
        logging.getLogger(name).setLevel(logging.DEBUG)
    yield stream
    for handler, old in previous.items():
        handler.setStream(old)
    for name, level in levels.items():
        logging.getLogger(name).setLevel(level)


def test_no_log_line_holds_a_sign_in_token(client, caplog, console_output):
    client.post(reverse("applications:signin"), {"email": "anna@kommun.se"}, REMOTE_ADDR="192.0.2.1")
    token = LINK.search(mail.outbox[-1].body).group(1)
    confirm = reverse("applications:signin_confirm", kwargs={"token": token})
    client.get(confirm)
    client.post(confirm)  # signs in (django-axes logs the sign-in)
    client.post(confirm)  # reused
    client.put(confirm)  # 405: Django logs the path
    client.__class__(enforce_csrf_checks=True).post(confirm)  # 403 CSRF failure: Django logs the path
    with mock.patch("django.core.mail.backends.locmem.EmailBackend.send_messages", side_effect=OSError(token)):
        client.post(reverse("applications:signin"), {"email": "b@kommun.se"}, REMOTE_ADDR="192.0.2.1")
    # runserver's request line (development) and a line from any other logger.
    logging.getLogger("django.server").info('"%s" %s %s', f"GET {confirm} HTTP/1.1", "200", "10")
    logging.getLogger("applications.anything").warning("Odd request to %s", confirm)
    records = [record.getMessage() for record in caplog.records]
    assert any("logga-in/[redacted]" in m for m in records), records  # the paths were logged, redacted
    assert not [m for m in records if token in m and not m.startswith("Odd request")]
    written = console_output.getvalue()
    assert written.count("/logga-in/[redacted]/") >= 4 and token not in written
    # django-axes also stores the path of each sign-in.
    assert list(AccessLog.objects.values_list("path_info", flat=True)) == ["/logga-in/[redacted]/"]


# --- The public privacy note ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("language", "phrases"),
    [
        ("sv", ["Så hanterar vi personuppgifter", "inte har ändrats på 90 dagar", "raderas efter 365 dagar"]),
        ("en", ["How we handle personal data", "nobody has changed it for 90 days", "deleted after 365 days"]),
    ],
)
def test_the_privacy_note_states_the_retention_periods_from_the_settings(client, language, phrases):
    with translation.override(language):
        page = reverse("privacy")
        home = client.get(reverse("home")).content.decode()
    html = client.get(page).content.decode()
    assert all(phrase in html for phrase in phrases), html
    assert f'href="{page}"' in home  # linked from every page's footer


def test_the_draft_itself_says_when_it_will_be_deleted(client):
    user = make_user("klimat@sorsele.se")
    draft = make_application("2422", user=user)
    Application.objects.filter(pk=draft.pk).update(updated_at=datetime.datetime(2026, 1, 10, 12, tzinfo=datetime.UTC))
    client.force_login(user)
    with translation.override("sv"):
        summary = reverse("applications:summary", args=[draft.pk])
    assert "Utkastet raderas den 10 april 2026 om ingen ändrar det innan dess" in client.get(summary).content.decode()
    Application.objects.filter(pk=draft.pk).update(status=Status.SUBMITTED)
    assert "raderas den" not in client.get(summary).content.decode()
