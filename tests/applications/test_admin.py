"""The secretariat's admin: actions through the workflow, refusals, roles, the register."""

import pytest
from django.contrib.auth.models import Group, Permission
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from applications.models import Application, EmailStatus, JoiningDecision, OutboundEmail, StatusChange
from applications.models import Status as S
from applications.roles import KANSLI_GROUP, ensure_kansli_group
from tests.factories import make_application, make_staff, make_user

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:applications_application_changelist")


@pytest.fixture
def kansli(client):
    ensure_kansli_group(Group, Permission)
    user = make_staff("kansli-anna", superuser=False)
    user.groups.add(Group.objects.get(name=KANSLI_GROUP))
    client.force_login(user)
    return client


def act(client, action, applications, **data):
    """Choose the action, then confirm it on the intermediate page."""
    ids = [a.pk for a in applications]
    first = client.post(CHANGELIST, {"action": action, "_selected_action": ids})
    assert first.status_code == 200 and b'name="confirm"' in first.content
    return client.post(CHANGELIST, {"action": action, "_selected_action": ids, "confirm": "1", **data}, follow=True)


def test_choosing_an_action_asks_for_confirmation_and_changes_nothing(kansli):
    application = make_application(status=S.SUBMITTED)
    response = kansli.post(CHANGELIST, {"action": "start_review", "_selected_action": [application.pk]})
    assert "Sorsele kommun" in response.content.decode()
    application.refresh_from_db()
    assert application.status == S.SUBMITTED


def test_start_review_through_the_admin_writes_one_audit_row(kansli):
    application = make_application(status=S.SUBMITTED)
    act(kansli, "start_review", [application])
    application.refresh_from_db()
    assert application.status == S.IN_REVIEW
    assert StatusChange.objects.filter(application=application, to_status=S.IN_REVIEW).count() == 1


def test_a_bulk_action_refuses_the_ones_that_do_not_fit_and_does_the_rest(kansli):
    ready = make_application(status=S.SUBMITTED)
    draft = make_application("0180", status=S.DRAFT)
    response = act(kansli, "start_review", [ready, draft])
    text = response.content.decode()
    assert "Stockholms kommun" in text
    assert "kan inte gå från" in text
    ready.refresh_from_db()
    draft.refresh_from_db()
    assert (ready.status, draft.status) == (S.IN_REVIEW, S.DRAFT)
    assert not StatusChange.objects.filter(application=draft, to_status=S.IN_REVIEW).exists()


def test_decline_needs_a_reason_and_mails_it(kansli):
    application = make_application(status=S.IN_REVIEW)
    response = kansli.post(
        CHANGELIST, {"action": "decline", "_selected_action": [application.pk], "confirm": "1", "reason": ""}
    )
    assert response.status_code == 200  # the form again, with its error
    application.refresh_from_db()
    assert application.status == S.IN_REVIEW
    act(kansli, "decline", [application], reason="Handlingsplan saknas.")
    application.refresh_from_db()
    assert application.status == S.DECLINED and application.decline_reason == "Handlingsplan saknas."
    assert OutboundEmail.objects.get(application=application).template == "declined"


def test_request_completion_reopens_the_chosen_parts_and_mails_the_message(kansli):
    application = make_application(status=S.IN_REVIEW)
    act(kansli, "request_completion", [application], message="Komplettera kontakterna.", parts=["contacts"])
    application.refresh_from_db()
    assert application.status == S.COMPLETION_REQUESTED
    assert application.reopened_parts == ["contacts"]
    assert application.part_is_editable("contacts") and not application.part_is_editable("organisation")
    mail = OutboundEmail.objects.get(application=application)
    assert "Komplettera kontakterna." in mail.body_text


def test_make_offer_freezes_the_fee_and_queues_the_letter_mail(kansli, settings):
    application = make_application(status=S.IN_REVIEW)  # Sorsele, 2 535 inhabitants
    act(kansli, "make_offer", [application], year="2023")
    application.refresh_from_db()
    assert application.status == S.OFFERED
    assert (str(application.fee_exact), str(application.fee_due)) == ("4760.50", "4761")
    assert (application.fee_year, application.fee_schedule_year, application.fee_inhabitants) == (2023, 2023, 2535)
    assert str(application.fee_population_date) == "2016-12-31"
    assert (
        application.fee_breakdown == "4\u00a0000\u00a0kr + 0,30\u00a0kr × 2\u00a0535 invånare = 4\u00a0760,50\u00a0kr"
    )
    mail = OutboundEmail.objects.get(application=application)
    assert mail.template == "offer" and mail.offer_letter == application.offer_letter


def test_make_offer_for_a_year_without_a_decision_is_refused_with_the_reason(kansli):
    application = make_application(status=S.IN_REVIEW)
    response = act(kansli, "make_offer", [application], year="2017")
    application.refresh_from_db()
    assert application.status == S.IN_REVIEW
    assert not OutboundEmail.objects.exists()
    assert "2018" in response.content.decode()  # the message names the first decision


def test_record_membership_from_the_applicants_report(kansli):
    application = make_application(status=S.ACCEPTED)
    JoiningDecision.objects.create(application=application, decided_on="2026-05-01", body="kf", minute_reference="§ 12")
    act(kansli, "record_membership", [application], joined_on="2026-06-01")
    application.refresh_from_db()
    assert application.status == S.MEMBER and str(application.member_since) == "2026-06-01"


def test_record_membership_entered_by_staff_needs_the_decision(kansli):
    application = make_application(status=S.OFFERED)
    act(kansli, "record_membership", [application], joined_on="2026-06-01")
    application.refresh_from_db()
    assert application.status == S.OFFERED and not JoiningDecision.objects.exists()
    act(
        kansli,
        "record_membership",
        [application],
        joined_on="2026-06-01",
        decided_on="2026-05-20",
        body="kf",
        minute_reference="KF § 44",
    )
    application.refresh_from_db()
    assert application.status == S.MEMBER
    assert application.joining_decision.minute_reference == "KF § 44"


def test_approve_observer_and_withdraw(kansli):
    observer = make_application(status=S.SUBMITTED)
    other = make_application("0180", status=S.IN_REVIEW)
    act(kansli, "approve_observer", [observer])
    act(kansli, "withdraw", [other], reason="Kommunen drar tillbaka.")
    observer.refresh_from_db()
    other.refresh_from_db()
    assert observer.status == S.OBSERVER and observer.observer_until is not None
    assert other.status == S.WITHDRAWN


def test_the_changelist_runs_in_a_fixed_number_of_queries(kansli):
    from applications.models import Organisation

    organisations = list(Organisation.objects.all()[:300])
    # 1 000 applications: closed ones do not block a body's new application.
    rows = [Application(organisation=organisations[i % 300], status=S.DECLINED, inhabitants=1000) for i in range(1000)]
    Application.objects.bulk_create(rows)
    with CaptureQueriesContext(connection) as few:
        assert kansli.get(CHANGELIST + "?all=").status_code == 200
    Application.objects.bulk_create(
        [Application(organisation=organisations[i % 300], status=S.WITHDRAWN, inhabitants=5) for i in range(200)]
    )
    with CaptureQueriesContext(connection) as more:
        assert kansli.get(CHANGELIST).status_code == 200
    assert len(more) == len(few) <= 12


@pytest.mark.parametrize("written", ["2120002411", "212000-2411", "Sorsele 212000-2411"])
def test_search_finds_the_organisation_number_as_it_is_written(kansli, written):
    wanted = make_application("2422", org_number="2120002411")
    make_application("0180", org_number="2120000142")
    found = kansli.get(CHANGELIST, {"q": written}).context["cl"].result_list
    assert list(found) == [wanted]


def test_the_change_page_shows_contacts_history_and_mail(kansli):
    application = make_application(status=S.IN_REVIEW)
    response = kansli.get(reverse("admin:applications_application_change", args=[application.pk]))
    text = response.content.decode()
    assert response.status_code == 200
    assert "Anna Andersson" in text and "Bo Berg" in text
    assert "2535" in text or "2 535" in text


def test_staff_outside_the_kansli_group_cannot_see_applications(client):
    application = make_application(status=S.OFFERED)
    client.force_login(make_staff("vaktmastare", superuser=False))
    assert client.get(CHANGELIST).status_code == 403
    letter = reverse("admin:applications_application_letter", args=[application.pk])
    assert client.get(letter).status_code == 403


def test_the_kansli_group_has_exactly_the_listed_permissions():
    call_command("setup_roles")
    group = Group.objects.get(name=KANSLI_GROUP)
    codenames = set(group.permissions.values_list("codename", flat=True))
    assert "change_application" in codenames and "view_offerletter" in codenames
    assert "delete_application" not in codenames and "add_user" not in codenames


def test_send_again_requeues_only_failed_mail(kansli, django_capture_on_commit_callbacks):
    application = make_application(status=S.IN_REVIEW)
    application.decline_reason = "x"
    from applications.emails import queue_applicant_email

    failed = queue_applicant_email(application=application, name="declined")
    sent = queue_applicant_email(application=application, name="declined")
    OutboundEmail.objects.filter(pk=failed.pk).update(status=EmailStatus.FAILED, last_error="554")
    OutboundEmail.objects.filter(pk=sent.pk).update(status=EmailStatus.SENT)
    with django_capture_on_commit_callbacks(execute=True):
        kansli.post(
            reverse("admin:applications_outboundemail_changelist"),
            {"action": "send_again", "_selected_action": [failed.pk, sent.pk]},
        )
    statuses = dict(OutboundEmail.objects.values_list("pk", "status"))
    assert statuses == {failed.pk: EmailStatus.SENT, sent.pk: EmailStatus.SENT}
    from django.core import mail

    assert len(mail.outbox) == 1


def test_members_register_lists_members_and_observers_and_exports_csv(kansli):
    member = make_application(status=S.MEMBER, member_since="2024-02-01", org_number="2120002411")
    make_application("0180", status=S.OBSERVER, observer_until="2027-01-01")
    make_application("0114", status=S.DRAFT)
    page = kansli.get(reverse("admin:applications_member_changelist")).content.decode()
    assert "Sorsele kommun" in page and "Stockholms kommun" in page and "Upplands Väsby" not in page
    export = kansli.get(reverse("admin:applications_member_export"))
    text = export.content.decode("utf-8-sig")
    assert export["Content-Type"].startswith("text/csv")
    lines = text.strip().splitlines()
    assert len(lines) == 3
    sorsele = next(line for line in lines if "Sorsele" in line)
    assert "Anna Andersson" in sorsele and "2120002411" in sorsele
    assert member.member_since.isoformat() in sorsele


def test_applicants_cannot_reach_the_admin(client):
    client.force_login(make_user())
    assert client.get(CHANGELIST).status_code == 302
