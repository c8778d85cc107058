"""Review in the admin: the changelist, the change page, and the offer letter download."""

import re
from decimal import Decimal
from typing import Any

from django.contrib import admin
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404, HttpRequest
from django.http.response import HttpResponseBase
from django.template.loader import render_to_string
from django.urls import URLPattern, path, reverse
from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from applications.admin.actions import ACTIONS
from applications.admin.confirm import acting_user
from applications.letters import offer_letter_filename
from applications.models import Application, Contact, OrganisationKind, OutboundEmail, StaffComment, StatusChange
from applications.review import BAND_LABELS, describe_flag
from applications.uploads import private_pdf_response

# Population differing from the reference figure by more than this is flagged for the secretariat.
POPULATION_TOLERANCE = Decimal("0.01")
ORG_NUMBER_WRITTEN = re.compile(r"\b(\d{6})-(\d{4})\b")
# The changelist's checkbox for each row, as django.contrib.admin's CheckboxInput draws it.
ACTION_CHECKBOX = '<input type="checkbox" name="%s" value="%s" class="action-select" aria-label="%s">'
ACTION_CHECKBOX_LABEL = "Select this object for an action - {}"  # Django's msgid: its catalogue translates it
KIND_LABELS = dict(OrganisationKind.choices)


class RecordInline(admin.TabularInline):
    """Rows shown on the application as a record: nothing added, changed or deleted here."""

    extra = 0
    can_delete = False

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        return [str(field) for field in self.fields or []]

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class ContactInline(RecordInline):
    model = Contact
    fields = ["role", "name", "title", "email", "phone"]


class StatusChangeInline(RecordInline):
    model = StatusChange
    fields = ["at", "from_status", "to_status", "by", "reason"]
    verbose_name_plural = _("History (audit)")

    # The audit trail is append-only (applications/audit.py): not even a superuser edits it.
    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class OutboundEmailInline(RecordInline):
    model = OutboundEmail
    fields = ["created_at", "template", "subject", "status", "sent_at", "last_error"]
    show_change_link = True
    verbose_name_plural = _("Mail sent")


class StaffCommentInline(admin.StackedInline):
    """Internal notes: staff add them; nobody edits what a colleague wrote."""

    model = StaffComment
    extra = 1
    fields = ["text", "author", "created_at"]
    readonly_fields = ["author", "created_at"]
    can_delete = False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class CountyFilter(admin.SimpleListFilter):
    title = _("county")
    parameter_name = "county"

    def lookups(self, request: HttpRequest, model_admin: admin.ModelAdmin) -> list[tuple[str, str]]:
        from applications.models import Organisation

        counties = Organisation.objects.regions().order_by("county_code").values_list("county_code", "county_name")
        return list(counties)

    def queryset(self, request: HttpRequest, queryset: QuerySet[Application]) -> QuerySet[Application]:
        return queryset.filter(organisation__county_code=self.value()) if self.value() else queryset


class BandFilter(admin.SimpleListFilter):
    title = _("advice")
    parameter_name = "band"

    def lookups(self, request: HttpRequest, model_admin: admin.ModelAdmin) -> list[tuple[str, str]]:
        return [(code, str(label)) for code, label in BAND_LABELS.items()]

    def queryset(self, request: HttpRequest, queryset: QuerySet[Application]) -> QuerySet[Application]:
        return queryset.filter(advice_band=self.value()) if self.value() else queryset


def population_deviates(application: Application) -> bool:
    reference = application.organisation.population
    if not application.inhabitants or not reference:
        return False
    return abs(Decimal(application.inhabitants - reference)) > POPULATION_TOLERANCE * reference


@admin.register(Application)
class ApplicationAdmin(admin.ModelAdmin):
    list_display = [
        "organisation_name",
        "kind",
        "status",
        "submitted_at",
        "score",
        "advice",
        "inhabitants",
        "fee",
        "flags",
    ]
    list_filter = [
        "status",
        "organisation__kind",
        BandFilter,
        CountyFilter,
        ("submitted_at", admin.DateFieldListFilter),
    ]
    search_fields = ["organisation__name", "organisation__code", "org_number", "contacts__email", "official_name"]
    list_select_related = ["organisation"]
    date_hierarchy = "created_at"
    actions = ACTIONS
    inlines = [ContactInline, StaffCommentInline, OutboundEmailInline, StatusChangeInline]
    fieldsets = [
        (
            None,
            {
                "fields": [
                    "organisation",
                    "track",
                    "status",
                    "language",
                    "submitted_at",
                    "offered_at",
                    "member_since",
                    "observer_until",
                ]
            },
        ),
        (
            _("Organisation"),
            {
                "fields": [
                    "official_name",
                    "org_number_display",
                    "street_address",
                    "postal_code",
                    "city",
                    "inhabitants_with_reference",
                    "inhabitants_reason",
                    "observer_reason",
                ]
            },
        ),
        (_("Evaluation test"), {"fields": ["review_panel"]}),
        (_("Fee and offer"), {"fields": ["fee_display", "offer_letter_link", "joining_decision_display"]}),
        (_("Secretariat"), {"fields": ["completion_message", "reopened_parts", "decline_reason"]}),
    ]

    # Everything on the change page is a record; changes happen through the actions.
    readonly_fields = [str(field) for _name, options in fieldsets for field in options["fields"]]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # applications start in the portal, by the applicant

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # withdraw instead: the history stays

    def get_queryset(self, request: HttpRequest) -> QuerySet[Application]:
        return super().get_queryset(request).select_related("organisation")

    def get_search_results(
        self, request: HttpRequest, queryset: QuerySet[Application], search_term: str
    ) -> tuple[QuerySet[Application], bool]:
        # Organisation numbers are stored as ten digits but written 212000-0142 everywhere else.
        search_term = ORG_NUMBER_WRITTEN.sub(r"\1\2", search_term)
        return super().get_search_results(request, queryset, search_term)

    def save_formset(self, request: HttpRequest, form: Any, formset: Any, change: bool) -> None:
        for instance in formset.save(commit=False):
            if isinstance(instance, StaffComment) and not instance.author_id:
                instance.author = acting_user(request)
            instance.save()
        formset.save_m2m()

    # --- Columns ------------------------------------------------------------------------------
    @admin.display(description=mark_safe('<input type="checkbox" id="action-toggle">'))
    def action_checkbox(self, application: Application) -> SafeString:
        # Django's markup, written here: its CheckboxInput renders three templates a row, a fifth
        # of the 100-row page's time. The label is Django's message, from Django's catalogue,
        # escaped as format_html would (the field's name and the key have nothing to escape).
        label = gettext(ACTION_CHECKBOX_LABEL).format(escape(str(application)))
        return SafeString(ACTION_CHECKBOX % (ACTION_CHECKBOX_NAME, application.pk, label))

    @admin.display(description=_("body"), ordering="organisation__name")
    def organisation_name(self, application: Application) -> str:
        return application.organisation.name

    @admin.display(description=_("kind"), ordering="organisation__kind")
    def kind(self, application: Application) -> str:
        # Not get_kind_display(): it translates every kind's label on each call (to hash the choices).
        return str(KIND_LABELS.get(application.organisation.kind, application.organisation.kind))

    @admin.display(description=_("score %"), ordering="score_percent")
    def score(self, application: Application) -> str:
        return "–" if application.score_percent is None else f"{application.score_percent} %"

    @admin.display(description=_("fee"))
    def fee(self, application: Application) -> str:
        if application.fee_due is not None:
            return f"{application.fee_due:,.0f} kr".replace(",", "\u00a0")
        preview = application.fee_preview or {}
        return f"({preview['due']} kr)" if preview.get("due") else "–"

    @admin.display(description=_("advice"), ordering="advice_band")
    def advice(self, application: Application) -> str:
        return str(BAND_LABELS.get(application.advice_band, "–"))

    @admin.display(description=_("flags"))
    def flags(self, application: Application) -> str:
        flags = [describe_flag(flag) for flag in application.review_flags]
        if population_deviates(application):
            flags.append(str(_("population differs from SCB > 1 %")))
        return "; ".join(str(flag) for flag in flags) or "–"

    # --- Change page --------------------------------------------------------------------------
    @admin.display(description=_("organisation number"))
    def org_number_display(self, application: Application) -> str:
        number = application.org_number
        return f"{number[:6]}-{number[6:]}" if len(number) == 10 else number

    @admin.display(description=_("inhabitants"))
    def inhabitants_with_reference(self, application: Application) -> str:
        reference = application.organisation
        text = _("%(given)s (SCB %(date)s: %(reference)s)") % {
            "given": application.inhabitants,
            "date": reference.population_date.isoformat(),
            "reference": reference.population,
        }
        return f"{text} ⚠" if population_deviates(application) else text

    @admin.display(description=_("fee"))
    def fee_display(self, application: Application) -> str:
        if application.fee_due is None:
            return str(_("Set when the offer is made."))
        return _("%(due)s kr for %(year)s: %(arithmetic)s (annual meeting's decision %(decision)s)") % {
            "due": application.fee_due,
            "year": application.fee_year,
            "arithmetic": application.fee_breakdown,
            "decision": application.fee_schedule_year,
        }

    @admin.display(description=_("offer letter"))
    def offer_letter_link(self, application: Application) -> SafeString | str:
        letter = getattr(application, "offer_letter", None)
        if letter is None:
            return "–"
        if not letter.pdf:
            return str(_("Being rendered by the worker…"))
        url = reverse("admin:applications_application_letter", args=[application.pk])
        return format_html('<a href="{}">{}</a>', url, offer_letter_filename(application))

    @admin.display(description=_("joining decision"))
    def joining_decision_display(self, application: Application) -> str:
        decision = getattr(application, "joining_decision", None)
        return str(decision) if decision else "–"

    @admin.display(description=_("result"))
    def review_panel(self, application: Application) -> SafeString:
        return render_to_string("admin/applications/review_panel.html", review_context(application))

    # --- The letter download ------------------------------------------------------------------
    def get_urls(self) -> list[URLPattern]:
        letter = path(
            "<int:pk>/letter/",
            self.admin_site.admin_view(self.download_letter),
            name="applications_application_letter",
        )
        return [letter, *super().get_urls()]

    def download_letter(self, request: HttpRequest, pk: int) -> HttpResponseBase:
        if not request.user.has_perm("applications.view_offerletter"):
            raise PermissionDenied
        application = Application.objects.filter(pk=pk).select_related("offer_letter", "organisation").first()
        letter = getattr(application, "offer_letter", None) if application else None
        if letter is None or not letter.pdf:
            raise Http404
        return private_pdf_response(letter.pdf, offer_letter_filename(application))  # type: ignore[arg-type]


def review_context(application: Application) -> dict[str, Any]:
    """What the change page shows of the test: the result and every answer with its evidence."""
    try:
        from evaluation.services import review_for
    except ImportError:
        return {"application": application, "review": None}
    return {"application": application, "review": review_for(application)}
