"""The test's pages: one section per page, the summary, and the private evidence download.

Only the applicants of an application see its test (every other URL answers 404). The pages are
read-only once the application is submitted; after a completion request only the reopened
sections can be changed (Application.part_is_editable).
"""

from typing import cast

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import User
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from applications.models import Application
from applications.uploads import private_pdf_response
from evaluation import services
from evaluation.forms import SectionForm
from evaluation.models import Answer

AUTOSAVE_HEADER = "X-Autosave"


def _application(request: HttpRequest, pk: int) -> Application:
    """The user's own application, or 404 (never 403: other applications' ids stay unknown)."""
    # The test's response and its bank come in the same query (evaluation.state.test_state).
    applications = Application.objects.for_user(cast(User, request.user)).select_related(
        "organisation", "evaluation__bank"
    )
    return get_object_or_404(applications.prefetch_related("contacts"), pk=pk)


@login_required
@require_GET
def start(request: HttpRequest, pk: int) -> HttpResponse:
    return redirect(services.first_section_url(_application(request, pk)))


@login_required
@require_http_methods(["GET", "POST"])
def section(request: HttpRequest, pk: int, slug: str) -> HttpResponse:
    application = _application(request, pk)
    state = services.test_state(application)
    current = state.section(slug)
    if current is None:
        raise Http404
    editable = services.section_is_editable(application, current)
    autosave = request.headers.get(AUTOSAVE_HEADER) == "1"
    if request.method == "POST":
        if not editable:
            message = _("This part of the application can no longer be changed.")
            if autosave:
                return JsonResponse({"saved": False, "message": message}, status=403)
            messages.error(request, message)
            return redirect(services.section_url(application, slug))
        form = SectionForm(request.POST, request.FILES, section=current, answers=state.answers)
        if form.is_valid():
            services.save_answers(state, current, form.answer_values())
            saved = _("Saved %(time)s") % {"time": timezone.localtime().strftime("%H:%M")}
            if autosave:
                return JsonResponse({"saved": True, "message": saved})
            return redirect(_after_save(request, application, state, slug))
        if autosave:
            errors = {anchor: message for anchor, message in form.error_summary()}
            message = _("Not saved: check the answers marked as wrong.")
            return JsonResponse({"saved": False, "message": message, "errors": errors}, status=400)
    else:
        form = SectionForm(section=current, answers=state.answers, editable=editable)
        if request.GET.get("check"):
            form.flag_missing([m for m in services.missing_answers(application, state) if m.section == slug])
    slugs = [s.slug for s in state.sections]
    index = slugs.index(slug)
    return render(
        request,
        "evaluation/section.html",
        {
            "application": application,
            "bank": state.bank,
            "section": current,
            "form": form,
            "rows": form.rows,
            "error_summary": form.error_summary(),
            "editable": editable,
            "sections": services.sections_for(application, state),
            "step": index + 1,
            "steps": len(slugs),
            "previous_url": services.section_url(application, slugs[index - 1]) if index else "",
            "next_url": (
                services.section_url(application, slugs[index + 1]) if index + 1 < len(slugs) else _summary_url(pk)
            ),
            "contacts_complete": application.has_required_contacts,
            "last_saved": state.response.updated_at if state.response else None,
        },
    )


def _summary_url(pk: int) -> str:
    return reverse("evaluation:summary", args=[pk])


def _after_save(request: HttpRequest, application: Application, state: services.TestState, slug: str) -> str:
    """Next, Previous or Save: every button saves first, then goes where it says."""
    slugs = [s.slug for s in state.sections]
    index = slugs.index(slug)
    action = request.POST.get("action", "next")
    if action == "previous" and index > 0:
        return services.section_url(application, slugs[index - 1])
    if action == "next":
        return (
            services.section_url(application, slugs[index + 1])
            if index + 1 < len(slugs)
            else _summary_url(application.pk)
        )
    messages.success(request, _("Your answers are saved."))
    return services.section_url(application, slug)


@login_required
@require_http_methods(["GET", "POST"])
def summary(request: HttpRequest, pk: int) -> HttpResponse:
    application = _application(request, pk)
    state = services.test_state(application)
    missing = services.missing_answers(application, state) if application.is_editable else []
    if request.method == "POST":
        # "Check my answers": the same rule submission applies (required answers only now).
        if missing:
            messages.error(request, _("Some required answers are missing. They are marked on the page."))
            # Without the field's #anchor: the error summary takes the focus and is read first.
            return redirect(missing[0].url.split("#")[0])
        messages.success(request, _("All required answers are given."))
        return redirect(_summary_url(pk))
    return render(
        request,
        "evaluation/summary.html",
        {
            "application": application,
            "bank": state.bank,
            "result": services.result_for(application, state),
            "sections": services.sections_for(application, state),
            "missing": missing,
            "contacts_complete": application.has_required_contacts,
            "editable": application.is_editable,
        },
    )


@login_required
@require_GET
def evidence(request: HttpRequest, pk: int, answer_id: int) -> HttpResponseBase:
    """An uploaded PDF, to the application's applicants (or staff allowed to see answers) only."""
    if request.user.has_perm("evaluation.view_answer"):
        application = get_object_or_404(Application, pk=pk)
    else:
        application = _application(request, pk)
    answer = get_object_or_404(Answer, pk=answer_id, response__application=application)
    if not answer.evidence_file:
        raise Http404
    return private_pdf_response(answer.evidence_file, answer.evidence_filename or "dokument.pdf")
