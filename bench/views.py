"""Baseline views: the cheapest Django response, a naive 15-field crispy-forms page, and the floor
of an applicant's page (signed in, the own application read, nothing drawn)."""

from django import forms
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from applications.views.common import own_application

CHOICES = [("a", "Alternativ A"), ("b", "Alternativ B"), ("c", "Alternativ C"), ("d", "Alternativ D")]


def ok(request: HttpRequest) -> HttpResponse:
    return HttpResponse("ok", content_type="text/plain; charset=utf-8")


@login_required
def signed_in_floor(request: HttpRequest, pk: int) -> HttpResponse:
    """What every applicant's page does before drawing anything: the session, the user, and the
    application read by the portal's own access rule (one query, with its organisation)."""
    application = own_application(request, pk)
    return HttpResponse(f"ok {application.pk}", content_type="text/plain; charset=utf-8")


class NaiveForm(forms.Form):
    """Fifteen fields of the kinds the portal uses, rendered field by field by crispy-forms."""

    name = forms.CharField(label="Namn", max_length=100)
    title = forms.CharField(label="Titel", max_length=100, required=False)
    email = forms.EmailField(label="E-post")
    phone = forms.CharField(label="Telefon", max_length=30, required=False)
    organisation = forms.CharField(label="Organisation", max_length=150)
    org_number = forms.CharField(label="Organisationsnummer", max_length=11)
    street = forms.CharField(label="Gatuadress", max_length=200, required=False)
    postal_code = forms.CharField(label="Postnummer", max_length=6, required=False)
    city = forms.CharField(label="Ort", max_length=100, required=False)
    inhabitants = forms.IntegerField(label="Invånare", min_value=1)
    decided_on = forms.DateField(label="Beslutsdatum", widget=forms.DateInput(attrs={"type": "date"}))
    body = forms.ChoiceField(label="Beslutande organ", choices=CHOICES)
    answer = forms.ChoiceField(label="Svar", choices=CHOICES, widget=forms.RadioSelect)
    agree = forms.BooleanField(label="Jag intygar att uppgifterna stämmer", required=False)
    comment = forms.CharField(label="Kommentar", widget=forms.Textarea(attrs={"rows": 3}), required=False)


def naive_form(request: HttpRequest) -> HttpResponse:
    return render(request, "bench/naive_form.html", {"form": NaiveForm()})
