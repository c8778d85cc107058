from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _

from klimat.models import ContactMessage, Testimonial


@admin.register(Testimonial)
class TestimonialAdmin(admin.ModelAdmin):
    list_display = ["short_quote", "role_sv", "organisation_name", "published", "is_example", "order"]
    list_editable = ["published", "order"]
    list_filter = ["published", "is_example"]
    search_fields = ["quote_sv", "quote_en", "person_name", "role_sv", "organisation_name"]
    fieldsets = [
        (None, {"fields": ["quote_sv", "quote_en"]}),
        (_("Who said it"), {"fields": ["person_name", "role_sv", "role_en", "organisation_name"]}),
        (_("Publishing"), {"fields": ["published", "is_example", "order"]}),
    ]

    @admin.display(description=_("quote"))
    def short_quote(self, obj: Testimonial) -> str:
        return Truncator(obj.quote_sv).chars(80)


@admin.register(ContactMessage)
class ContactMessageAdmin(admin.ModelAdmin):
    """Messages are what the sender wrote: readable, never editable; the mail's status is shown."""

    list_display = ["created_at", "name", "email", "organisation", "language", "mail_status"]
    list_filter = ["language", "outbound_email__status"]
    search_fields = ["name", "email", "organisation", "message"]
    date_hierarchy = "created_at"
    fields = ("name", "email", "organisation", "message", "language", "created_at", "outbound_email")
    readonly_fields = ("name", "email", "organisation", "message", "language", "created_at", "outbound_email")

    def get_queryset(self, request: HttpRequest) -> QuerySet[ContactMessage]:
        return super().get_queryset(request).select_related("outbound_email")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: ContactMessage | None = None) -> bool:
        return False

    @admin.display(description=_("forwarding mail"), ordering="outbound_email__status")
    def mail_status(self, obj: ContactMessage) -> str:
        return obj.outbound_email.get_status_display() if obj.outbound_email else "–"
