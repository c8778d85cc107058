"""Issue 7 §13: the audit trail cannot be changed or deleted, and every status change has its row.

The trail is StatusChange. Its guards are in applications/audit.py (Python, every database) and
migration 0007 (a PostgreSQL trigger, for anything that bypasses the ORM).
"""

import ast
import datetime
from pathlib import Path

import pytest
from django.contrib.admin.sites import site
from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, connection, transaction
from django.test import RequestFactory

from applications import workflow
from applications.admin.applications import ApplicationAdmin, StatusChangeInline
from applications.audit import AuditRecordImmutable, StatusOutsideWorkflow
from applications.models import Application, JoiningDecision, Member, Organisation, Status, StatusChange
from tests.applications.conftest import PDF, fake_test
from tests.factories import make_application, make_staff, make_user

pytestmark = pytest.mark.django_db
S = Status
ROOT = Path(__file__).resolve().parents[2]


# --- Every status change has its row ---------------------------------------------------------

YEAR = 2023


def _report_decision(application, by):
    minutes = SimpleUploadedFile("protokoll.pdf", PDF, content_type="application/pdf")
    workflow.report_joining_decision(
        application=application,
        by=by,
        decided_on=datetime.date(2024, 3, 11),
        body="kf",
        minute_reference="KF § 42",
        minutes=minutes,
    )


def _record_membership(application, by):
    if application.status == S.OFFERED:  # staff entered the decision the applicant did not report
        JoiningDecision.objects.create(
            application=application, decided_on=datetime.date(2024, 3, 11), body="kf", minute_reference="§ 1"
        )
    workflow.record_membership(application=application, by=by)


def _expire(application, by):
    Application.objects.filter(pk=application.pk).update(observer_until=datetime.date(2020, 1, 1))
    assert workflow.expire_observers() == 1
    application.refresh_from_db()


# How the portal makes each status: the workflow function behind every admin action and view.
MAKES = {
    S.SUBMITTED: lambda application, by: workflow.submit_application(application=application, by=by),
    S.IN_REVIEW: lambda application, by: workflow.start_review(application=application, by=by),
    S.COMPLETION_REQUESTED: lambda application, by: workflow.request_completion(
        application=application, by=by, message="Komplettera.", parts=["organisation"]
    ),
    S.OFFERED: lambda application, by: workflow.make_offer(application=application, by=by, year=YEAR),
    S.ACCEPTED: _report_decision,
    S.MEMBER: _record_membership,
    S.DECLINED: lambda application, by: workflow.decline_application(application=application, by=by, reason="Nej."),
    S.WITHDRAWN: lambda application, by: workflow.withdraw_application(application=application, by=by),
    S.OBSERVER: lambda application, by: workflow.approve_observer(application=application, by=by),
    S.OBSERVER_EXPIRED: _expire,
}
# Derived from the workflow's own table: a new transition without an entry above fails here.
TRANSITIONS = sorted((start, end) for start, ends in workflow.ALLOWED.items() for end in ends)


def test_every_status_has_a_way_to_reach_it():
    assert {end for _start, end in TRANSITIONS} <= set(MAKES)


@pytest.mark.parametrize(("start", "end"), TRANSITIONS, ids=[f"{a}->{b}" for a, b in TRANSITIONS])
def test_every_transition_writes_exactly_one_audit_row(start, end, monkeypatch):
    fake_test(monkeypatch)
    staff = make_staff()
    application = make_application(status=start, inhabitants=2535)
    before = list(StatusChange.objects.values_list("pk", flat=True))
    MAKES[end](application, staff)
    application.refresh_from_db()
    assert application.status == end
    rows = StatusChange.objects.exclude(pk__in=before)
    assert [(row.application_id, row.from_status, row.to_status) for row in rows] == [(application.pk, start, end)]


def test_starting_an_application_writes_its_first_row():
    application = make_application()
    assert list(application.status_changes.values_list("from_status", "to_status")) == [("", S.DRAFT)]


# --- The status changes only through the workflow ---------------------------------------------


def test_saving_a_new_status_outside_the_workflow_is_refused():
    application = make_application(status=S.IN_REVIEW)
    application.status = S.MEMBER
    with pytest.raises(StatusOutsideWorkflow):
        application.save()
    with pytest.raises(StatusOutsideWorkflow):
        application.save(update_fields=["status"])
    application.refresh_from_db()
    assert application.status == S.IN_REVIEW
    assert not application.status_changes.filter(to_status=S.MEMBER).exists()


def test_the_proxy_models_and_new_rows_are_guarded_too():
    member = Member.objects.get(pk=make_application(status=S.OFFERED).pk)
    member.status = S.MEMBER
    with pytest.raises(StatusOutsideWorkflow):
        member.save()
    with pytest.raises(StatusOutsideWorkflow):
        Application.objects.create(organisation=Organisation.objects.get(code="0180"), status=S.MEMBER)


def test_saving_other_fields_still_works_after_a_workflow_change():
    application = make_application(status=S.SUBMITTED)
    workflow.start_review(application=application, by=make_staff())
    application.city = "Sorsele"
    application.save()  # the instance knows its new status: nothing to refuse
    deferred = Application.objects.only("pk", "city").get(pk=application.pk)
    deferred.city = "Vindeln"
    deferred.save()
    assert Application.objects.get(pk=application.pk).city == "Vindeln"


def _status_writes(path: Path) -> list[str]:
    """`x.status = …` and `Application…update(status=…)` in one module, as "file:line"."""
    found = []
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.Assign):
            pairs = []
            for target in node.targets:
                if isinstance(target, ast.Tuple) and isinstance(node.value, ast.Tuple):
                    pairs += list(zip(target.elts, node.value.elts, strict=False))
                else:
                    pairs.append((target, node.value))
            for target, value in pairs:
                outbox = "EmailStatus" in ast.unparse(value)  # an outgoing mail's status, not an application's
                if isinstance(target, ast.Attribute) and target.attr == "status" and not outbox:
                    found.append(f"{path.relative_to(ROOT)}:{node.lineno}")
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
            receiver = ast.unparse(node.func.value)
            writes = {keyword.arg for keyword in node.keywords} & {"status", None}
            if (
                node.func.attr in {"update", "bulk_update"}
                and writes
                and ("Application" in receiver or "Member" in receiver)
            ):
                found.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    return found


def test_no_code_outside_the_workflow_writes_an_application_status():
    modules = [
        path
        for app in ("applications", "evaluation", "fees", "klimat")
        for path in (ROOT / app).rglob("*.py")
        if "migrations" not in path.parts
    ]
    assert len(modules) > 30
    writes = [place for path in modules for place in _status_writes(path)]
    assert all(place.startswith("applications/workflow.py:") for place in writes), writes
    assert writes  # the scan does see the workflow's own assignment


# --- The trail cannot be changed or deleted through the app -------------------------------------


@pytest.fixture
def trail() -> StatusChange:
    application = make_application(status=S.SUBMITTED)
    workflow.start_review(application=application, by=make_staff())
    return application.status_changes.get(to_status=S.IN_REVIEW)


def test_a_row_cannot_be_changed_or_deleted_through_the_orm(trail):
    trail.reason = "rewritten"
    with pytest.raises(AuditRecordImmutable):
        trail.save()
    with pytest.raises(AuditRecordImmutable):
        trail.delete()
    with pytest.raises(AuditRecordImmutable):
        StatusChange.objects.filter(pk=trail.pk).update(reason="rewritten")
    with pytest.raises(AuditRecordImmutable):
        StatusChange.objects.filter(pk=trail.pk).delete()
    with pytest.raises(AuditRecordImmutable):
        StatusChange.objects.bulk_update([trail], ["reason"])
    with pytest.raises(AuditRecordImmutable):
        StatusChange.objects.update_or_create(pk=trail.pk, defaults={"reason": "x"})
    stored = StatusChange.objects.get(pk=trail.pk)
    assert (stored.reason, stored.to_status) == ("", S.IN_REVIEW)


def test_the_admin_gives_nobody_change_or_delete_on_the_trail(trail, client):
    superuser = make_staff("chef", superuser=True)
    request = RequestFactory().get("/")
    request.user = superuser
    inline = StatusChangeInline(Application, site)
    assert not inline.has_add_permission(request, trail.application)
    assert not inline.has_change_permission(request, trail.application)
    assert not inline.has_delete_permission(request, trail.application)
    assert StatusChange not in site._registry  # no page of its own to edit it from
    assert not ApplicationAdmin(Application, site).has_delete_permission(request, trail.application)

    client.force_login(superuser)
    page = client.get(f"/admin/applications/application/{trail.application_id}/change/").content.decode()
    assert "History (audit)" in page or "Historik" in page  # the trail is on the page, as text only
    assert 'name="status_changes-0-reason"' not in page
    assert 'name="status_changes-0-DELETE"' not in page


@pytest.fixture
def postgresql():
    if connection.vendor != "postgresql":
        pytest.skip("the audit trigger is PostgreSQL's (CI runs PostgreSQL); SQLite has the Python guards")


def raw(sql: str, *params) -> None:
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql, params)


def test_the_database_refuses_to_change_or_delete_a_row(postgresql, trail):
    with pytest.raises(IntegrityError, match="append-only"):
        raw("UPDATE applications_statuschange SET reason = 'rewritten' WHERE id = %s", trail.pk)
    with pytest.raises(IntegrityError, match="append-only"):
        raw("UPDATE applications_statuschange SET to_status = 'member', by_id = NULL WHERE id = %s", trail.pk)
    with pytest.raises(IntegrityError, match="append-only"):
        raw("DELETE FROM applications_statuschange WHERE id = %s", trail.pk)
    with pytest.raises(IntegrityError, match="append-only"), transaction.atomic():
        Application.objects.filter(pk=trail.application_id).delete()  # the cascade meets the trigger
    assert StatusChange.objects.filter(application=trail.application_id).count() == 2


def test_the_database_lets_a_user_go_and_a_never_submitted_draft_be_deleted(postgresql, trail):
    """What the portal needs: on_delete=SET_NULL for `by`, and the 90-day deletion of drafts."""
    by = trail.by
    User.objects.filter(pk=by.pk).delete()
    trail_after = StatusChange.objects.get(pk=trail.pk)
    assert trail_after.by is None and trail_after.reason == trail.reason

    draft = make_application("0180", user=make_user("klimat@stockholm.se"))
    assert draft.status_changes.count() == 1
    Application.objects.filter(pk=draft.pk).delete()
    assert not StatusChange.objects.filter(application=draft.pk).exists()
