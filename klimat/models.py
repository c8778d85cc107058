"""The public site's own data: testimonials the secretariat edits, and messages to the secretariat."""

from django.db import models
from django.utils import translation
from django.utils.translation import gettext_lazy as _


class TestimonialQuerySet(models.QuerySet["Testimonial"]):
    def published(self) -> "TestimonialQuerySet":
        return self.filter(published=True)


class Testimonial(models.Model):
    """A short quote from a member, shown on "Voices from members" when published."""

    quote_sv = models.TextField(_("quote (Swedish)"))
    quote_en = models.TextField(_("quote (English)"), blank=True, help_text=_("Empty: the Swedish quote is shown."))
    person_name = models.CharField(_("person's name"), max_length=150, blank=True)
    role_sv = models.CharField(_("role (Swedish)"), max_length=150, help_text=_("For example: Climate strategist"))
    role_en = models.CharField(_("role (English)"), max_length=150, blank=True)
    organisation_name = models.CharField(_("municipality or region"), max_length=150, blank=True)
    published = models.BooleanField(_("published"), default=False)
    is_example = models.BooleanField(
        _("example text"),
        default=False,
        help_text=_(
            "Example texts shipped with the portal are labelled as examples on the site. Replace them "
            "with real quotes, given with the person's consent, and untick this box."
        ),
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0, help_text=_("Lower numbers come first."))
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = TestimonialQuerySet.as_manager()

    class Meta:
        ordering = ["order", "pk"]
        verbose_name = _("testimonial")
        verbose_name_plural = _("testimonials")

    def __str__(self) -> str:
        return f"{self.role_sv}: {self.quote_sv[:50]}"

    @property
    def quote(self) -> str:
        """The quote in the page's language, falling back to Swedish."""
        return self.quote_en if translation.get_language() == "en" and self.quote_en else self.quote_sv

    @property
    def role(self) -> str:
        return self.role_en if translation.get_language() == "en" and self.role_en else self.role_sv


class ContactMessage(models.Model):
    """A message sent to the secretariat through the contact form.

    Stored in the same transaction as the outgoing mail that forwards it, so the message is kept
    even when Redis or the mail server is down; the outbox sends the mail later.
    """

    name = models.CharField(_("name"), max_length=150)
    email = models.EmailField(_("email"))
    organisation = models.CharField(_("organisation"), max_length=200, blank=True)
    message = models.TextField(_("message"))
    language = models.CharField(_("language"), max_length=5)
    created_at = models.DateTimeField(_("received"), auto_now_add=True, db_index=True)
    outbound_email = models.ForeignKey(
        "applications.OutboundEmail",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("forwarding mail"),
    )

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("message to the secretariat")
        verbose_name_plural = _("messages to the secretariat")

    def __str__(self) -> str:
        return f"{self.name} <{self.email}> {self.created_at:%Y-%m-%d %H:%M}"
