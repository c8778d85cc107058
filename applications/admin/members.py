"""The members register: members and observers, their contacts, delegate and this year's fee."""

import csv
from typing import Any

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.urls import URLPattern, path
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from applications.models import Contact, ContactRole, Member, Status
from fees.rules import FeeError
from fees.services import fee_for


def contact(application: Member, role: str) -> Contact | None:
    return next((c for c in application.contacts.all() if c.role == role), None)


def current_fee(application: Member, year: int) -> tuple[str, str]:
    """(due, arithmetic) for this year's fee, or ("", reason) when it cannot be calculated."""
    try:
        quote = fee_for(year, organisation=application.organisation, inhabitants=application.inhabitants)
    except FeeError as error:
        return "", str(error)
    return str(quote.due), quote.breakdown_text


@admin.register(Member)
class MemberAdmin(admin.ModelAdmin):
    list_display = ["name", "status", "member_since", "observer_until", "elected", "official", "delegate", "fee"]
    list_filter = ["status", "organisation__kind"]
    search_fields = ["organisation__name", "organisation__code", "contacts__email"]
    list_select_related = ["organisation"]
    ordering = ["organisation__name"]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Member]:
        return (
            super()
            .get_queryset(request)
            .filter(status__in=[Status.MEMBER, Status.OBSERVER])
            .select_related("organisation")
            .prefetch_related("contacts")
        )

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    @admin.display(description=_("body"), ordering="organisation__name")
    def name(self, application: Member) -> str:
        return application.organisation.name

    @admin.display(description=_("elected official"))
    def elected(self, application: Member) -> str:
        person = contact(application, ContactRole.ELECTED)
        return f"{person.name} <{person.email}>" if person else "–"

    @admin.display(description=_("civil servant"))
    def official(self, application: Member) -> str:
        person = contact(application, ContactRole.OFFICIAL)
        return f"{person.name} <{person.email}>" if person else "–"

    @admin.display(description=_("delegate"))
    def delegate(self, application: Member) -> str:
        person = contact(application, ContactRole.DELEGATE)
        return person.name if person else "–"

    @admin.display(description=_("fee this year"))
    def fee(self, application: Member) -> str:
        if application.status != Status.MEMBER:
            return "–"
        due, _arithmetic = current_fee(application, timezone.localdate().year)
        return f"{due} kr" if due else "–"

    def get_urls(self) -> list[URLPattern]:
        export = path("export.csv", self.admin_site.admin_view(self.export_csv), name="applications_member_export")
        return [export, *super().get_urls()]

    def changelist_view(self, request: HttpRequest, extra_context: dict[str, Any] | None = None) -> HttpResponse:
        return super().changelist_view(request, {**(extra_context or {}), "export_url": "export.csv"})

    def export_csv(self, request: HttpRequest) -> HttpResponse:
        """Members with this year's fee, for invoicing (opens in Excel: UTF-8 with BOM, semicolons)."""
        if not self.has_view_permission(request):
            from django.core.exceptions import PermissionDenied

            raise PermissionDenied
        year = timezone.localdate().year
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="medlemmar-{year}.csv"'
        response.write("\ufeff")
        writer = csv.writer(response, delimiter=";")
        writer.writerow(
            [
                "kod",
                "namn",
                "organisationsnummer",
                "status",
                "medlem sedan",
                "observatör till",
                "förtroendevald",
                "e-post",
                "tjänsteperson",
                "e-post",
                "ombud",
                "invånare",
                f"avgift {year}",
                "beräkning",
            ]
        )
        for application in self.get_queryset(request):
            elected, official = contact(application, ContactRole.ELECTED), contact(application, ContactRole.OFFICIAL)
            delegate = contact(application, ContactRole.DELEGATE)
            due, arithmetic = current_fee(application, year) if application.status == Status.MEMBER else ("", "")
            writer.writerow(
                [
                    application.organisation.code,
                    application.organisation.name,
                    application.org_number,
                    application.get_status_display(),
                    application.member_since or "",
                    application.observer_until or "",
                    elected.name if elected else "",
                    elected.email if elected else "",
                    official.name if official else "",
                    official.email if official else "",
                    delegate.name if delegate else "",
                    application.inhabitants or "",
                    due,
                    arithmetic,
                ]
            )
        return response
