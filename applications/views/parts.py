"""The application's own parts (organisation, contact persons, why observer), the summary, submitting.

Each part is one page, saved on every POST (a draft may be incomplete; what is missing is
listed at submission). The test's sections are the evaluation app's pages, linked from the
part list. A part that may not be edited now is shown read-only and a POST to it changes nothing.
"""

from __future__ import annotations

import copy

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from applications import drafts, integration, retention, workflow
from applications.forms import ContactForm, ObserverReasonForm, OrganisationForm
from applications.models import Application, ContactRole, Status, Track
from applications.orgnumbers import format_org_number
from applications.views.common import after_save_url, error_summary, navigation, own_application

ROLES = (ContactRole.ELECTED, ContactRole.OFFICIAL, ContactRole.DELEGATE)


def _locked(request: HttpRequest, here: str) -> HttpResponse:
    messages.error(request, _("This part cannot be changed now."))
    return redirect(here)


def _saved(request: HttpRequest, nav: dict[str, object], here: str) -> HttpResponse:
    messages.success(request, _("Saved."))
    return redirect(after_save_url(request, nav, here))


@login_required
@require_http_methods(["GET", "POST"])
def organisation(request: HttpRequest, pk: int) -> HttpResponse:
    application = own_application(request, pk)
    here = reverse("applications:organisation", args=[pk])
    nav = navigation(application, drafts.ORGANISATION)
    editable = application.part_is_editable(drafts.ORGANISATION)
    if request.method == "POST" and not editable:
        return _locked(request, here)
    # A copy: the form writes its values on its instance, and the part list must show the saved ones.
    form = OrganisationForm(request.POST if request.method == "POST" else None, instance=copy.copy(application))
    if request.method == "POST" and form.is_valid():
        try:
            drafts.save_organisation(application=application, data=form.cleaned_data)
        except drafts.PartLocked:
            return _locked(request, here)
        return _saved(request, nav, here)
    context = {**nav, "form": form, "error_summary": error_summary([form]), "editable": editable}
    context["org_number"] = format_org_number(application.org_number)
    return render(request, "applications/organisation.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def contacts(request: HttpRequest, pk: int) -> HttpResponse:
    application = own_application(request, pk)
    here = reverse("applications:contacts", args=[pk])
    nav = navigation(application, drafts.CONTACTS)
    editable = application.part_is_editable(drafts.CONTACTS)
    if request.method == "POST" and not editable:
        return _locked(request, here)
    existing = {contact.role: contact for contact in application.contacts.all()}
    forms = [
        ContactForm(request.POST if request.method == "POST" else None, role=role, instance=existing.get(role))
        for role in ROLES
    ]
    if request.method == "POST" and all(form.is_valid() for form in forms):
        values = {form.role: None if form.is_empty else form.cleaned_data for form in forms}
        try:
            drafts.save_contacts(application=application, contacts=values)
        except drafts.PartLocked:
            return _locked(request, here)
        return _saved(request, nav, here)
    context = {
        **nav,
        "forms": forms,
        "error_summary": error_summary(forms),
        "contacts": [existing.get(role) for role in ROLES],
        "editable": editable,
    }
    return render(request, "applications/contacts.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def observer_reason(request: HttpRequest, pk: int) -> HttpResponse:
    application = own_application(request, pk)
    if application.track != Track.OBSERVER:
        return redirect("applications:summary", pk=pk)
    here = reverse("applications:observer_reason", args=[pk])
    nav = navigation(application, drafts.OBSERVER_REASON)
    editable = application.part_is_editable(drafts.OBSERVER_REASON)
    if request.method == "POST" and not editable:
        return _locked(request, here)
    form = ObserverReasonForm(
        request.POST if request.method == "POST" else None, initial={"reason": application.observer_reason}
    )
    if request.method == "POST" and form.is_valid():
        try:
            drafts.save_observer_reason(application=application, reason=form.cleaned_data["reason"].strip())
        except drafts.PartLocked:
            return _locked(request, here)
        return _saved(request, nav, here)
    context = {**nav, "form": form, "error_summary": error_summary([form]), "editable": editable}
    return render(request, "applications/observer_reason.html", context)


def _summary(
    request: HttpRequest, application: Application, *, missing: list[drafts.Part] | None = None
) -> HttpResponse:
    nav = navigation(application, "summary")
    membership = application.track == Track.MEMBERSHIP
    result = integration.test_result(application) if membership else None
    context = {
        **nav,
        "result": result,
        "fee": integration.fee_preview(application),
        "org_number": format_org_number(application.org_number),
        "missing": missing,
        "missing_answers": integration.missing_answers(application) if missing and membership else [],
        "can_submit": application.status in {Status.DRAFT, Status.COMPLETION_REQUESTED},
        # A failed gate means the political decisions are not taken yet: observer status fits.
        "suggest_observer": membership and application.status == Status.DRAFT and result and not result.gate_passed,
        # Issue 7 §8: an untouched draft is deleted; the applicant is told when.
        "deleted_on": retention.draft_deletion_date(application),
    }
    return render(request, "applications/summary.html", context)


@login_required
def summary(request: HttpRequest, pk: int) -> HttpResponse:
    return _summary(request, own_application(request, pk))


@login_required
@require_POST
def submit(request: HttpRequest, pk: int) -> HttpResponse:
    application = own_application(request, pk)
    if application.status not in {Status.DRAFT, Status.COMPLETION_REQUESTED}:
        # A double click or a retried request: the first one submitted; show where it stands.
        return redirect("applications:status", pk=pk)
    missing = drafts.missing_parts(application)
    if missing:
        return _summary(request, application, missing=missing)
    if workflow.submit_application(application=application, by=request.user):  # type: ignore[arg-type]
        messages.success(request, _("Your application has been sent. A receipt is on its way to both contact persons."))
    return redirect("applications:status", pk=pk)


@login_required
@require_POST
def switch_to_observer(request: HttpRequest, pk: int) -> HttpResponse:
    application = own_application(request, pk)
    if application.status != Status.DRAFT:
        return _locked(request, reverse("applications:status", args=[pk]))
    workflow.switch_to_observer(application=application, by=request.user)  # type: ignore[arg-type]
    messages.success(request, _("Your application is now for observer status. Everything you entered is kept."))
    return redirect("applications:observer_reason", pk=pk)
