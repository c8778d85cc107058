"""The applicant's dashboard and starting an application for a body of the reference list."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import IntegrityError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from applications import retention, workflow
from applications.forms import OrganisationSearchForm, StartForm
from applications.models import Application, Organisation, OrganisationKind, Track
from applications.views.common import error_summary

MAX_RESULTS = 25


@login_required
@require_GET
def dashboard(request: HttpRequest) -> HttpResponse:
    applications = Application.objects.for_user(request.user).select_related("organisation", "evaluation")  # type: ignore[arg-type]
    # Each draft says when it will be deleted if left untouched (issue 7 §8).
    rows = [(application, retention.draft_deletion_date(application)) for application in applications]
    context = {"applications": applications, "rows": rows, "retention_days": settings.KLIMAT_DRAFT_RETENTION_DAYS}
    return render(request, "applications/dashboard.html", context)


def search_organisations(query: str) -> list[Organisation]:
    """Bodies whose name, short name, code or county matches, the names that start with it first.

    The list has 311 rows, so it is matched in Python: casefold() treats "Ö" and "ö" alike on
    every database (SQLite's LIKE does not for non-ASCII letters).
    """
    needle = query.strip().casefold()
    if not needle:
        return []
    matches = []
    for organisation in Organisation.objects.all():
        names = [organisation.name.casefold(), organisation.short_name.casefold()]
        if organisation.code == needle or any(needle in name for name in names):
            starts = any(name.startswith(needle) for name in names) or organisation.code == needle
            matches.append((not starts, organisation.name, organisation))
    return [organisation for *_key, organisation in sorted(matches, key=lambda m: (m[0], m[1]))][:MAX_RESULTS]


@login_required
@require_http_methods(["GET", "POST"])
def start(request: HttpRequest) -> HttpResponse:
    observer = request.GET.get("track") == Track.OBSERVER or request.POST.get("observer") == "True"
    search = OrganisationSearchForm(request.GET or None)
    query = search.cleaned_data["q"] if search.is_valid() else ""
    regions = request.GET.get("kind") == OrganisationKind.REGION
    form = StartForm(request.POST if request.method == "POST" else None, initial={"observer": observer})
    if request.method == "POST" and form.is_valid():
        organisation = form.cleaned_data["organisation"]
        track = Track.OBSERVER if form.cleaned_data["observer"] else Track.MEMBERSHIP
        return _start_for(request, organisation, track)
    if form.is_bound and request.POST.get("q"):
        query = request.POST["q"]
    results = list(Organisation.objects.regions()) if regions else search_organisations(query)
    context = {
        "search": search,
        "form": form,
        "query": query,
        "regions": regions,
        "results": results,
        "observer": observer,
        "searched": bool(query) or regions,
        "error_summary": error_summary([form]),
    }
    return render(request, "applications/start.html", context)


def _start_for(request: HttpRequest, organisation: Organisation, track: str) -> HttpResponse:
    existing = Application.objects.open().filter(organisation=organisation).first()
    if existing is not None:
        return _already_under_way(request, existing, organisation)
    try:
        application = workflow.start_application(
            organisation=organisation,
            by=request.user,  # type: ignore[arg-type]
            language=get_language() or "sv",
            track=track,
        )
    except IntegrityError:
        # Someone from the same body started one between our check and our insert.
        existing = Application.objects.open().filter(organisation=organisation).first()
        return _already_under_way(request, existing, organisation)
    messages.success(request, _("Your application for %(body)s is started.") % {"body": organisation.name})
    return redirect("applications:organisation", pk=application.pk)


def _already_under_way(request: HttpRequest, existing: Application | None, organisation: Organisation) -> HttpResponse:
    """One open application per body. Its own applicant goes to it; anyone else learns only
    that one is under way (its status and date, never who started it) and whom to ask."""
    if existing is not None and existing.applicants.filter(pk=request.user.pk or 0).exists():
        messages.info(request, _("You already have an application for %(body)s.") % {"body": organisation.name})
        return redirect("applications:summary", pk=existing.pk)
    context = {"organisation": organisation, "existing": existing}
    return render(request, "applications/already_under_way.html", context, status=409)


@login_required
@require_GET
def organisation_search(request: HttpRequest) -> JsonResponse:
    """The start page's search as you type (static/js/org-search.js); the page works without it."""
    if request.GET.get("kind") == OrganisationKind.REGION:
        results = list(Organisation.objects.regions())
    else:
        results = search_organisations(request.GET.get("q", "")[:100])
    return JsonResponse(
        {
            "results": [
                {"code": o.code, "name": o.name, "detail": f"{o.get_kind_display()}, {o.county_name}"} for o in results
            ]
        }
    )
