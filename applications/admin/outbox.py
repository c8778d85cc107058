from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from applications.emails import dispatch_email
from applications.models import EmailStatus, OutboundEmail


@admin.register(OutboundEmail)
class OutboundEmailAdmin(admin.ModelAdmin):
    list_display = ["created_at", "template", "subject", "recipients", "status", "attempts", "sent_at"]
    list_filter = ["status", "template", "language"]
    search_fields = ["subject", "to", "application__organisation__name"]
    list_select_related = ["application__organisation"]
    readonly_fields = [
        "application",
        "template",
        "to",
        "subject",
        "body_text",
        "language",
        "offer_letter",
        "status",
        "attempts",
        "last_error",
        "created_at",
        "claimed_at",
        "sent_at",
    ]
    exclude = ["body_html"]
    actions = ["send_again"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: OutboundEmail | None = None) -> bool:
        return False

    @admin.display(description=_("to"))
    def recipients(self, email: OutboundEmail) -> str:
        return ", ".join(email.to)

    @admin.action(description=_("Send again"), permissions=["change"])
    def send_again(self, request: HttpRequest, queryset: QuerySet[OutboundEmail]) -> None:
        """Failed mail goes back to pending and is queued; sent mail is left alone."""
        ids = list(queryset.filter(status=EmailStatus.FAILED).values_list("pk", flat=True))
        OutboundEmail.objects.filter(pk__in=ids, status=EmailStatus.FAILED).update(status=EmailStatus.PENDING)
        for email_id in ids:
            dispatch_email(email_id)
        skipped = queryset.count() - len(ids)
        self.message_user(
            request,
            ngettext("%(count)d mail queued again.", "%(count)d mails queued again.", len(ids)) % {"count": len(ids)},
            messages.SUCCESS,
        )
        if skipped:
            self.message_user(
                request, _("Only failed mail is sent again; the others were left alone."), messages.WARNING
            )
