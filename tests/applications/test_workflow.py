import datetime

import pytest

from applications import workflow
from applications.models import Application, OutboundEmail, StatusChange
from applications.models import Status as S
from tests.factories import make_application, make_staff

pytestmark = pytest.mark.django_db

# Every function that changes a status, with the statuses it accepts and where it leads.
CHANGES = [
    (workflow.start_review, {}, {S.SUBMITTED}, S.IN_REVIEW),
    (
        workflow.decline_application,
        {"reason": "Saknar handlingsplan."},
        {S.SUBMITTED, S.IN_REVIEW, S.COMPLETION_REQUESTED, S.OFFERED},
        S.DECLINED,
    ),
    (workflow.approve_observer, {}, {S.SUBMITTED, S.IN_REVIEW}, S.OBSERVER),
    (
        workflow.withdraw_application,
        {},
        {S.DRAFT, S.SUBMITTED, S.IN_REVIEW, S.COMPLETION_REQUESTED, S.OFFERED, S.ACCEPTED, S.MEMBER, S.OBSERVER},
        S.WITHDRAWN,
    ),
]


@pytest.mark.parametrize(("change", "kwargs", "accepted", "to"), CHANGES, ids=lambda v: getattr(v, "__name__", None))
@pytest.mark.parametrize("status", list(S))
def test_each_change_is_allowed_only_from_its_statuses(change, kwargs, accepted, to, status):
    staff = make_staff()
    application = make_application(status=status)
    before = StatusChange.objects.count()
    if status in accepted:
        change(application=application, by=staff, **kwargs)
        assert application.status == to
        row = StatusChange.objects.latest("pk")
        assert (row.from_status, row.to_status, row.by) == (status, to, staff)
        assert StatusChange.objects.count() == before + 1
    else:
        with pytest.raises(workflow.TransitionNotAllowed):
            change(application=application, by=staff, **kwargs)
        application.refresh_from_db()
        assert application.status == status
        assert StatusChange.objects.count() == before


def test_starting_an_application_writes_the_first_audit_row():
    application = make_application()
    row = application.status_changes.get()
    assert (row.from_status, row.to_status) == ("", S.DRAFT)
    assert application.official_name == "Sorsele kommun"
    assert application.inhabitants == 2535


def test_submitting_twice_submits_once():
    application = make_application()
    user = application.applicants.get()
    assert workflow.submit_application(application=application, by=user) is True
    assert workflow.submit_application(application=application, by=user) is False
    assert application.status == S.SUBMITTED
    assert application.status_changes.filter(to_status=S.SUBMITTED).count() == 1


def test_a_rolled_back_change_leaves_no_audit_row(monkeypatch):
    application = make_application(status=S.SUBMITTED)

    def broken_mail(**kwargs):
        raise RuntimeError("template exploded")

    monkeypatch.setattr(workflow.emails, "queue_applicant_email", broken_mail)
    with pytest.raises(RuntimeError):
        workflow.decline_application(application=application, by=make_staff(), reason="x")
    application.refresh_from_db()
    assert application.status == S.SUBMITTED
    assert not application.status_changes.filter(to_status=S.DECLINED).exists()
    assert not OutboundEmail.objects.exists()


def test_declining_mails_the_reason_to_the_contacts_and_applicant():
    application = make_application(status=S.IN_REVIEW, language="en")
    workflow.decline_application(application=application, by=make_staff(), reason="No action plan & no targets.")
    mail = OutboundEmail.objects.get()
    assert mail.to == ["anna@example.se", "bo@example.se", "klimat@sorsele.se"]
    assert mail.language == "en"
    assert "No action plan & no targets." in mail.body_text  # plain text is not HTML-escaped
    assert "No action plan &amp; no targets." in mail.body_html
    assert mail.subject == "Your application for membership in Klimatkommunerna (Sorsele kommun)"


def test_observer_status_lasts_one_year_and_then_expires():
    application = make_application(status=S.SUBMITTED)
    workflow.approve_observer(application=application, by=make_staff(), today=datetime.date(2026, 3, 1))
    assert application.observer_until == datetime.date(2027, 3, 1)
    assert workflow.expire_observers(today=datetime.date(2027, 3, 1)) == 0
    assert workflow.expire_observers(today=datetime.date(2027, 3, 2)) == 1
    application.refresh_from_db()
    assert application.status == S.OBSERVER_EXPIRED
    assert application.status_changes.latest("pk").by is None


def test_the_database_refuses_a_second_open_application_for_a_body():
    from django.db import IntegrityError, transaction

    make_application()
    with pytest.raises(IntegrityError), transaction.atomic():
        make_application(user=make_staff("other", superuser=False))
    assert Application.objects.count() == 1


def test_a_closed_application_does_not_block_a_new_one():
    make_application(status=S.DECLINED)
    make_application(user=make_staff("other", superuser=False))
    assert Application.objects.count() == 2
