"""Where an application stands, the offer letter, and reporting the decision to join."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from applications import drafts, workflow
from applications.forms import JoiningDecisionForm
from applications.models import Application, JoiningDecision, OfferLetter, Status
from applications.uploads import private_pdf_response
from applications.views.common import error_summary, own_application


def _status_page(
    request: HttpRequest, application: Application, form: JoiningDecisionForm | None = None
) -> HttpResponse:
    if form is None and application.status == Status.OFFERED:
        form = JoiningDecisionForm(kind=application.kind)
    # Building the part list reads the whole question bank; only a completion request needs it
    # (reopened_parts is empty in every other status), so other status pages skip that work.
    parts = drafts.parts_for(application) if application.reopened_parts else []
    context = {
        "application": application,
        "timeline": application.status_changes.all(),
        "offer_letter": _offer_letter(application),
        "joining_decision": _joining_decision(application),
        "reopened": [part for part in parts if part.key in application.reopened_parts],
        "form": form,
        "error_summary": error_summary([form]) if form is not None else [],
    }
    return render(request, "applications/status.html", context)


# Read with the application (own_application(..., related=OUTCOME)) on the status page; read on
# use elsewhere. A missing one raises RelatedObjectDoesNotExist, an AttributeError.
OUTCOME = ("offer_letter", "joining_decision")


def _offer_letter(application: Application) -> OfferLetter | None:
    letter: OfferLetter | None = getattr(application, "offer_letter", None)
    return letter if letter is not None and letter.pdf else None


def _joining_decision(application: Application) -> JoiningDecision | None:
    decision: JoiningDecision | None = getattr(application, "joining_decision", None)
    return decision


@login_required
@require_GET
def status(request: HttpRequest, pk: int) -> HttpResponse:
    return _status_page(request, own_application(request, pk, related=OUTCOME))


@login_required
@require_POST
def joining_decision(request: HttpRequest, pk: int) -> HttpResponse:
    application = own_application(request, pk)
    if application.status != Status.OFFERED:
        # Reported already (a double click) or not offered: nothing to do, show where it stands.
        return redirect("applications:status", pk=pk)
    form = JoiningDecisionForm(request.POST, request.FILES, kind=application.kind)
    if not form.is_valid():
        return _status_page(request, application, form)
    try:
        workflow.report_joining_decision(
            application=application,
            by=request.user,  # type: ignore[arg-type]
            decided_on=form.cleaned_data["decided_on"],
            body=form.cleaned_data["body"],
            minute_reference=form.cleaned_data["minute_reference"],
            minutes=form.cleaned_data["minutes"],
        )
    except workflow.TransitionNotAllowed:
        return redirect("applications:status", pk=pk)
    messages.success(request, _("Thank you. The secretariat has been told about your decision to join."))
    return redirect("applications:status", pk=pk)


@login_required
@require_GET
def offer_letter(request: HttpRequest, pk: int) -> FileResponse:
    application = own_application(request, pk)
    letter = _offer_letter(application)
    if letter is None:
        raise Http404
    name = _("offer-letter-%(body)s.pdf") % {"body": slugify(application.organisation.short_name)}
    return private_pdf_response(letter.pdf, name)


@login_required
@require_GET
def joining_minutes(request: HttpRequest, pk: int) -> FileResponse:
    application = own_application(request, pk)
    decision = _joining_decision(application)
    if decision is None or not decision.minutes:
        raise Http404
    return private_pdf_response(decision.minutes, decision.minutes_name)
