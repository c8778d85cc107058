"""The secretariat's tool for requests about a person's data: look up, export, erase (issue 7 §8).

The person is looked up by email address. The address travels in POST bodies only, never in a
URL, so it does not reach an access log. Every export and erasure is recorded (who, when, how
many rows), without the address.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import URLPattern, path
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from applications import personal_data
from applications.admin.confirm import acting_user
from applications.models import PersonalDataRequest

EXPORT_PERMISSION = "applications.export_personaldatarequest"
ERASE_PERMISSION = "applications.erase_personaldatarequest"

SECTION_TITLES = {
    "contact_persons": _("Contact person on applications"),
    "accounts": _("Applicant accounts"),
    "sign_in_links": _("Sign-in links"),
    "contact_messages": _("Messages to the secretariat"),
    "emails": _("Mail addressed to or naming the person"),
    "sign_in_log": _("Sign-in log"),
    "offer_letters_naming_the_person": _("Offer letters naming the person (kept as decision records)"),
}


class PersonForm(forms.Form):
    email = forms.EmailField(label=_("Email address"), max_length=254)
    reference = forms.CharField(
        label=_("Case reference"),
        max_length=100,
        required=False,
        help_text=_("The request's case number, if it has one. Never the person's name or address."),
    )


class ErasureForm(PersonForm):
    confirm = forms.BooleanField(
        label=_("I have checked that the request comes from this person, and the data shown is to be erased."),
    )


def _require(request: HttpRequest, permission: str) -> None:
    if not request.user.has_perm(permission):
        raise PermissionDenied


# The export's keys stay English (a stable, machine-readable format); the page shows these.
COLUMN_LABELS = {
    "application": _("application"),
    "organisation": _("organisation"),
    "role": _("role"),
    "name": _("name"),
    "title": _("title or position"),
    "email": _("email"),
    "phone": _("phone"),
    "username": _("username"),
    "first_name": _("first name"),
    "last_name": _("last name"),
    "date_joined": _("account created"),
    "last_login": _("last sign-in"),
    "is_active": _("active"),
    "is_staff": _("staff"),
    "applications": _("applications"),
    "created_at": _("created"),
    "expires_at": _("expires"),
    "used_at": _("used"),
    "received_at": _("received"),
    "message": _("message"),
    "language": _("language"),
    "sent_at": _("sent"),
    "status": _("status"),
    "to": _("to"),
    "subject": _("subject"),
    "text": _("text"),
    "at": _("when"),
    "kind": _("kind"),
    "ip_address": _("IP address"),
    "user_agent": _("browser"),
    "path": _("path"),
}


@dataclass
class Section:
    title: str
    columns: list[str]
    rows: list[list[str]]


def _sections(export: dict[str, Any]) -> list[Section]:
    """The export's lists as titled tables for the page, nested lists flattened to text."""
    sections = []
    for key, title in SECTION_TITLES.items():
        rows = export.get(key, [])
        names = list(rows[0]) if rows else []
        sections.append(
            Section(
                title=str(title),
                columns=[str(COLUMN_LABELS.get(name, name)) for name in names],
                rows=[[_readable(row[name]) for name in names] for row in rows],
            )
        )
    return sections


def _readable(value: Any) -> str:
    if isinstance(value, bool):
        return str(_("yes") if value else _("no"))
    if isinstance(value, list):
        return ", ".join(str(item.get("organisation", item)) if isinstance(item, dict) else str(item) for item in value)
    if isinstance(value, datetime.datetime):
        return timezone.localtime(value).strftime("%Y-%m-%d %H:%M")
    return "–" if value in (None, "") else str(value)


@admin.register(PersonalDataRequest)
class PersonalDataRequestAdmin(admin.ModelAdmin):
    """The record of handled requests (read-only), and the tool that handles them."""

    list_display = ["at", "kind", "by", "reference", "rows"]
    list_filter = ["kind", ("at", admin.DateFieldListFilter)]
    search_fields = ["reference"]
    list_select_related = ["by"]
    readonly_fields = ["kind", "reference", "by", "at", "counts"]
    change_list_template = "admin/applications/personal_data/change_list.html"

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def get_queryset(self, request: HttpRequest) -> QuerySet[PersonalDataRequest]:
        return super().get_queryset(request).select_related("by")

    @admin.display(description=_("rows"))
    def rows(self, record: PersonalDataRequest) -> str:
        return ", ".join(f"{name}: {count}" for name, count in sorted(record.counts.items())) or "–"

    def get_urls(self) -> list[URLPattern]:
        view = self.admin_site.admin_view
        return [
            path("person/", view(self.find_view), name="applications_personal_data"),
            path("person/export/", view(self.export_view), name="applications_personal_data_export"),
            path("person/erase/", view(self.erase_view), name="applications_personal_data_erase"),
            *super().get_urls(),
        ]

    def _page(self, request: HttpRequest, template: str, **context: Any) -> TemplateResponse:
        return TemplateResponse(
            request,
            f"admin/applications/personal_data/{template}",
            {**self.admin_site.each_context(request), "opts": self.model._meta, **context},
        )

    def find_view(self, request: HttpRequest) -> HttpResponse:
        """GET: the form; POST: everything held about the address, with export and erase."""
        _require(request, EXPORT_PERMISSION)
        form = PersonForm(request.POST if request.method == "POST" else None)
        context: dict[str, Any] = {"title": _("Personal data of a person"), "form": form}
        if form.is_valid():
            holdings = personal_data.find_personal_data(form.cleaned_data["email"])
            context |= {
                "holdings": holdings,
                "sections": _sections(personal_data.export_personal_data(holdings)),
                "may_erase": request.user.has_perm(ERASE_PERMISSION),
            }
        return self._page(request, "find.html", **context)

    def export_view(self, request: HttpRequest) -> HttpResponse:
        """The JSON download (POST only: the address stays out of URLs and logs)."""
        _require(request, EXPORT_PERMISSION)
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        form = PersonForm(request.POST)
        if not form.is_valid():
            return redirect("admin:applications_personal_data")
        holdings = personal_data.find_personal_data(form.cleaned_data["email"])
        personal_data.record_export(
            holdings=holdings, by=acting_user(request), reference=form.cleaned_data["reference"]
        )
        response = HttpResponse(personal_data.export_json(holdings), content_type="application/json; charset=utf-8")
        filename = f"personuppgifter-{timezone.localdate():%Y-%m-%d}.json"
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        response["Cache-Control"] = "no-store"
        return response

    def erase_view(self, request: HttpRequest) -> HttpResponse:
        """POST without the confirmation: what will be erased and kept; confirmed: erase."""
        _require(request, ERASE_PERMISSION)
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        form = ErasureForm(request.POST if "erase" in request.POST else None, initial=request.POST.dict())
        if form.is_valid():
            record = personal_data.erase_personal_data(
                email=form.cleaned_data["email"], by=acting_user(request), reference=form.cleaned_data["reference"]
            )
            if record is None:
                self.message_user(request, _("Nothing is held about this address; nothing was changed."))
            else:
                self.message_user(request, _("The person's data is erased."), messages.SUCCESS)
            return redirect("admin:applications_personaldatarequest_changelist")
        lookup = PersonForm(request.POST)
        if not lookup.is_valid():
            return redirect("admin:applications_personal_data")
        holdings = personal_data.find_personal_data(lookup.cleaned_data["email"])
        return self._page(request, "erase.html", title=_("Erase a person's data"), form=form, holdings=holdings)
