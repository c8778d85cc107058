"""Applications complete enough to submit, built through the portal's own forms and services.

Nothing here sets a status: a draft is opened by workflow.start_application (through
tests.factories.make_application), its parts are cleaned by the journey's forms and saved by
applications.drafts and evaluation.services, exactly as the pages do it; submissions and offers
go through applications.workflow. Only the session cookies are made in-process (force_login).
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import Any

from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from bench import common

# A real (tiny) PDF for the decisions' minutes: validate_pdf_upload checks the content.
MINUTES_PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\n"
    b"xref\n0 4\n0000000000 65535 f \n0000000009 00000 n \n0000000052 00000 n \n0000000101 00000 n \n"
    b"trailer<</Size 4/Root 1 0 R>>\nstartxref\n165\n%%EOF\n"
)
CSRF_SECRET = common.CSRF_SECRET


def org_number(organisation: Any) -> str:
    """A valid organisation number for the body (public-sector prefix and Luhn check digit)."""
    from stdnum import luhn

    from applications.orgnumbers import expected_prefix

    digits = f"{expected_prefix(organisation)}{int(organisation.pk) % 100000:05d}"
    return digits + luhn.calc_check_digit(digits)


def organisation_data(application: Any) -> dict[str, str]:
    organisation = application.organisation
    return {
        "official_name": organisation.name,
        "org_number": org_number(organisation),
        "street_address": "Stadshusgatan 1",
        "postal_code": "123 45",
        "city": organisation.short_name,
        "inhabitants": str(organisation.population),
        "inhabitants_reason": "",
    }


def contacts_data(domain: str) -> dict[str, str]:
    return {
        "elected-name": "Anna Andersson",
        "elected-title": "Kommunstyrelsens ordförande",
        "elected-email": f"anna@{domain}",
        "elected-phone": "08-123 456 00",
        "official-name": "Bo Berg",
        "official-title": "Klimatstrateg",
        "official-email": f"bo@{domain}",
        "official-phone": "08-123 456 01",
    }


def section_data(section: Any, today: datetime.date) -> tuple[dict[str, str], dict[str, Any]]:
    """POST data answering every question of a section (best option; decisions taken, minutes attached)."""
    from evaluation import scoring
    from evaluation.forms import field_name

    data: dict[str, str] = {}
    files: dict[str, Any] = {}
    for question in section.questions.all():
        name = field_name(question)
        kind = question.answer_type
        if kind in (scoring.CHOICE, scoring.YES_NO):
            best = max(question.options.all(), key=lambda option: option.points)
            data[name] = str(best.pk)
        elif kind == scoring.DECISION:
            data.update(
                {
                    name: scoring.DECISION_YES,
                    f"{name}_date": (today - datetime.timedelta(days=90)).isoformat(),
                    f"{name}_body": "kf",
                    f"{name}_ref": "KF § 42",
                }
            )
            files[f"{name}_file"] = SimpleUploadedFile("protokoll.pdf", MINUTES_PDF, "application/pdf")
        elif kind == scoring.FILE:
            files[f"{name}_file"] = SimpleUploadedFile("underlag.pdf", MINUTES_PDF, "application/pdf")
        elif kind == scoring.NUMBER:
            data[name] = "1 234"
        elif kind == scoring.TEXT:
            data[name] = "Vi arbetar med klimatfrågorna i alla förvaltningar."
        elif kind == scoring.LINK:
            data[name] = "https://example.se/klimat"
    return data, files


def answer_test(application: Any) -> None:
    """Every section of the test answered through SectionForm and services.save_answers."""
    from django.utils import timezone

    from evaluation import services
    from evaluation.forms import SectionForm

    state = services.test_state(application)
    today = timezone.localdate()
    for section in state.sections:
        data, files = section_data(section, today)
        form = SectionForm(data, files, section=section, answers=state.answers)
        if not form.is_valid():
            raise RuntimeError(f"bench answers refused in {section.slug}: {form.errors.as_json()[:500]}")
        services.save_answers(state, section, form.answer_values())


def complete_draft(code: str, *, answers: bool = True) -> Any:
    """A draft for the body `code` with every part filled in; its applicant is a new user."""
    from applications import drafts
    from applications.forms import ContactForm, OrganisationForm
    from applications.models import ContactRole
    from tests.factories import make_application

    application = make_application(code, contacts=False)
    form = OrganisationForm(organisation_data(application), instance=application)
    if not form.is_valid():
        raise RuntimeError(f"bench organisation refused for {code}: {form.errors.as_json()}")
    drafts.save_organisation(application=application, data=form.cleaned_data)
    domain = f"{code}.example.se"
    post = contacts_data(domain)
    contact_forms = [ContactForm(post, role=role) for role in (ContactRole.ELECTED, ContactRole.OFFICIAL)]
    if not all(f.is_valid() for f in contact_forms):
        raise RuntimeError(f"bench contacts refused for {code}: {[f.errors for f in contact_forms]}")
    drafts.save_contacts(application=application, contacts={f.role: f.cleaned_data for f in contact_forms})
    if answers:
        answer_test(application)
    application.refresh_from_db()
    return application


def missing_for_submit(application: Any) -> list[str]:
    from applications import drafts

    return [f"{part.key}: {', '.join(part.missing)}" for part in drafts.missing_parts(application)]


def complete_drafts(codes: Iterable[str]) -> list[Any]:
    """complete_draft for many bodies; the first is checked against what submission requires."""
    applications = []
    for code in codes:
        application = complete_draft(code)
        if not applications:
            missing = missing_for_submit(application)
            if missing:
                raise RuntimeError(f"the bench's draft would not be accepted for submission: {missing}")
        applications.append(application)
    return applications


def copy_answers(source: Any, targets: list[Any]) -> None:
    """The answers of `source` (entered through the forms) copied row for row to `targets`.

    Entering 80 answers through the ORM costs about 0.4 s per application here; copying them
    with bulk_create keeps the whole country's preparation within the bench's time. The
    evidence files are shared, as read-only copies. The submit view still checks every copy
    with drafts.missing_parts, so an incomplete copy would be refused and counted as an error.
    """
    from evaluation.models import Answer, Response

    template = Response.objects.get(application=source)
    answers = list(Answer.objects.filter(response=template))
    responses = Response.objects.bulk_create([Response(application=t, bank_id=template.bank_id) for t in targets])
    skip = {"id", "response", "updated_at"}
    names = [f.attname for f in Answer._meta.concrete_fields if f.name not in skip]
    copies = [
        Answer(response=response, **{name: getattr(answer, name) for name in names})
        for response in responses
        for answer in answers
    ]
    Answer.objects.bulk_create(copies, batch_size=5000)


def country_drafts(codes: list[str]) -> list[Any]:
    """A complete draft for every body in `codes`: parts through the services, answers per bank.

    The first body of each kind (municipality, region) answers the test through SectionForm
    and save_answers; the other bodies of that kind get copies of those answers.
    """
    from applications.models import Organisation

    kinds = dict(Organisation.objects.filter(code__in=codes).values_list("code", "kind"))
    applications = [complete_draft(code, answers=False) for code in codes]
    for kind in sorted(set(kinds.values())):
        same = [a for a in applications if kinds[a.organisation.code] == kind]
        answer_test(same[0])
        copy_answers(same[0], same[1:])
    missing = [(a.organisation.code, missing_for_submit(a)) for a in (applications[0], applications[-1])]
    if any(parts for _code, parts in missing):
        raise RuntimeError(f"the bench's drafts would not be accepted for submission: {missing}")
    return applications


def applicant(application: Any) -> User:
    return application.applicants.get()


def session_cookie(user: User) -> str:
    """The sessionid of a signed-in applicant, made in-process by Client.force_login (same DB, same key)."""
    client = Client()
    client.force_login(user)
    return client.cookies["sessionid"].value


def cookie_header(session: str) -> str:
    return f"sessionid={session}; csrftoken={CSRF_SECRET}"


def post_headers(session: str) -> dict[str, str]:
    """Headers of a signed-in POST: session and CSRF cookie, the token in the header Django accepts."""
    return {
        "Cookie": cookie_header(session),
        "X-CSRFToken": CSRF_SECRET,
        "Content-Type": "application/x-www-form-urlencoded",
    }


def staff_user() -> User:
    from tests.factories import make_staff

    return make_staff("bench-kansli")
