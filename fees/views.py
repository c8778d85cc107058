"""The public fee calculator: a GET form the server answers, which fees.js enhances."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET

from fees.forms import FeeCalculatorForm, organisation_groups, reference_note
from fees.services import schedules_described


@require_GET
def calculator(request: HttpRequest) -> HttpResponse:
    # Bound only when the form was sent: a bare visit (or ?utm_source=...) shows no errors.
    sent = any(name in request.GET for name in FeeCalculatorForm.base_fields)
    form = FeeCalculatorForm(request.GET if sent else None, this_year=timezone.localdate().year)
    quote = form.quote if sent and form.is_valid() else None
    chosen = form.cleaned_data.get("organisation") if sent else None
    context = {
        "form": form,
        "quote": quote,
        "groups": organisation_groups(selected=str(form["organisation"].value() or "").strip()),
        "schedules": schedules_described(),
        "api_url": reverse("fees_api:fee"),
        "reference_note": reference_note(chosen) if chosen else "",
    }
    return render(request, "fees/calculator.html", context)
