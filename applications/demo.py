"""Demo data for `make run`: a staff login and applications in different statuses.

Built with the same workflow functions the portal uses, so the demo shows real audit rows,
frozen fees and a rendered offer letter. Running it again changes nothing.
"""

import datetime
from dataclasses import dataclass

from django.contrib.auth.models import User
from django.db import transaction
from stdnum import luhn

from applications import workflow
from applications.models import Application, Contact, ContactRole, JoiningDecision, Organisation, Status, Track

DEMO_USERNAME = "kansli"
DEMO_PASSWORD = "klimat-demo-2026"  # noqa: S105 - the demo's published login, never used in production


@dataclass(frozen=True)
class DemoCase:
    code: str
    status: str
    quality: int  # 0..2: how strong the demo answers are (worst, middle, best option)
    track: str = Track.MEMBERSHIP


CASES = [
    DemoCase("2422", Status.DRAFT, 1),  # Sorsele: a draft in progress
    DemoCase("1281", Status.SUBMITTED, 2),  # Lund
    DemoCase("0780", Status.IN_REVIEW, 1),  # Växjö
    DemoCase("2480", Status.OFFERED, 2),  # Umeå
    DemoCase("1480", Status.MEMBER, 2),  # Göteborg
    DemoCase("1780", Status.OBSERVER, 0, Track.OBSERVER),  # Karlstad
]


def demo_org_number(organisation: Organisation) -> str:
    """A number of the right public-sector shape with a valid check digit (not the real one)."""
    prefix = "212000" if organisation.kind == "municipality" else "232100"
    body = prefix + organisation.code.zfill(4)[-3:]
    return body + luhn.calc_check_digit(body)


def ensure_staff() -> User:
    user, _created = User.objects.get_or_create(
        username=DEMO_USERNAME,
        defaults={"email": "kansli@example.org", "first_name": "Demo", "last_name": "Kansli"},
    )
    user.is_staff = user.is_superuser = True
    user.set_password(DEMO_PASSWORD)
    user.save()
    return user


def answer_test(application: Application, quality: int) -> None:
    """Answer every question of the body's active bank at the given level."""
    from evaluation.models import Answer, QuestionBank, Response

    bank = QuestionBank.objects.active_for(application.organisation.kind)
    if bank is None:
        return
    response, _created = Response.objects.get_or_create(application=application, defaults={"bank": bank})
    for section in bank.sections.prefetch_related("questions__options"):
        for question in section.questions.all():
            answer = Answer(response=response, question=question)
            if question.answer_type == "decision":
                answer.decision = "yes"
                answer.decision_date = datetime.date(2025, 3, 10)
                answer.decision_body = "kf"
                answer.decision_reference = "KF § 42"
            elif question.is_scored:
                options = sorted(question.options.all(), key=lambda option: option.points)
                answer.option = options[min(quality * (len(options) - 1) // 2, len(options) - 1)]
            else:
                continue
            answer.save()


def build_case(case: DemoCase, staff: User) -> Application | None:
    organisation = Organisation.objects.get(code=case.code)
    if Application.objects.filter(organisation=organisation).exists():
        return None
    applicant, _created = User.objects.get_or_create(
        username=f"demo.{case.code}@example.org", defaults={"email": f"demo.{case.code}@example.org"}
    )
    with transaction.atomic():
        application = workflow.start_application(
            organisation=organisation, by=applicant, language="sv", track=case.track
        )
        application.org_number = demo_org_number(organisation)
        application.street_address, application.postal_code = "Stadshuset", "000 00"
        application.city = organisation.short_name
        application.observer_reason = (
            "Vi vill följa nätverket ett år innan beslut." if case.track == Track.OBSERVER else ""
        )
        application.save()
        Contact.objects.create(
            application=application,
            role=ContactRole.ELECTED,
            name="Kim Karlsson",
            title="Kommunstyrelsens ordförande",
            email=f"ks.{case.code}@example.org",
        )
        Contact.objects.create(
            application=application,
            role=ContactRole.OFFICIAL,
            name="Alex Lind",
            title="Klimatstrateg",
            email=f"klimat.{case.code}@example.org",
        )
        if case.track == Track.MEMBERSHIP:
            answer_test(application, case.quality)
    if case.status == Status.DRAFT:
        return application
    workflow.submit_application(application=application, by=applicant)
    if case.status == Status.OBSERVER:
        workflow.approve_observer(application=application, by=staff)
        return application
    if case.status == Status.SUBMITTED:
        return application
    workflow.start_review(application=application, by=staff)
    if case.status == Status.IN_REVIEW:
        return application
    workflow.make_offer(application=application, by=staff, year=datetime.date.today().year)
    if case.status == Status.MEMBER:
        JoiningDecision.objects.create(
            application=application,
            decided_on=datetime.date(2026, 5, 4),
            body="kf",
            minute_reference="KF § 71",
            reported_by=staff,
        )
        workflow.record_membership(application=application, by=staff, joined_on=datetime.date(2026, 6, 1))
    return application


def build_demo() -> tuple[User, list[Application]]:
    staff = ensure_staff()
    created = [app for case in CASES if (app := build_case(case, staff)) is not None]
    return staff, created
