"""Organisations: the 311 public bodies that may apply, with their reference population."""

import datetime

from django.db import models
from django.utils.translation import gettext_lazy as _


class OrganisationKind(models.TextChoices):
    MUNICIPALITY = "municipality", _("Municipality")
    REGION = "region", _("Region")


class OrganisationQuerySet(models.QuerySet["Organisation"]):
    def municipalities(self) -> "OrganisationQuerySet":
        return self.filter(kind=OrganisationKind.MUNICIPALITY)

    def regions(self) -> "OrganisationQuerySet":
        return self.filter(kind=OrganisationKind.REGION)

    def by_code(self, code: str) -> "Organisation | None":
        return self.filter(code=code.strip()).first()


class Organisation(models.Model):
    """A municipality (kommunkod, 4 digits) or a region (länskod, 2 digits).

    Codes are strings: "0180" keeps its leading zero. Region Gotland appears twice, as the
    municipality 0980 and as the region 09, because it carries both roles.
    """

    kind = models.CharField(_("kind"), max_length=20, choices=OrganisationKind.choices)
    code = models.CharField(_("code"), max_length=4, unique=True)
    short_name = models.CharField(_("short name"), max_length=100)
    name = models.CharField(_("official name"), max_length=150)
    county_code = models.CharField(_("county code"), max_length=2, db_index=True)
    county_name = models.CharField(_("county"), max_length=100)
    # The latest imported figure, kept beside the history in PopulationFigure so that every
    # form and list reads it without a join; import_population updates both in one transaction.
    population = models.PositiveIntegerField(_("population"))
    population_date = models.DateField(_("population date"))

    objects = OrganisationQuerySet.as_manager()

    class Meta:
        ordering = ["kind", "name"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(kind="municipality", code__regex=r"^[0-9]{4}$")
                    | models.Q(kind="region", code__regex=r"^[0-9]{2}$")
                ),
                name="organisation_code_matches_kind",
            )
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_gotland(self) -> bool:
        """Region Gotland: a municipality with a region's tasks; the fee schedule decides its rule."""
        return self.code in {"0980", "09"}


class PopulationFigure(models.Model):
    """SCB's "Folkmängd 31 december" for one body and one date; older years are kept."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="population_figures")
    date = models.DateField(_("date"))
    population = models.PositiveIntegerField(_("population"))
    source = models.CharField(_("source"), max_length=200)

    class Meta:
        ordering = ["organisation", "-date"]
        verbose_name = _("population figure")
        verbose_name_plural = _("population figures")
        constraints = [models.UniqueConstraint(fields=["organisation", "date"], name="one_figure_per_date")]

    def __str__(self) -> str:
        return f"{self.organisation}: {self.population} ({self.date:%Y-%m-%d})"


def december_31(year: int) -> datetime.date:
    return datetime.date(year, 12, 31)


class Status(models.TextChoices):
    """An application's place on the membership path (DESIGN.md §2). Changed only by workflow.py."""

    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    IN_REVIEW = "in_review", _("In review")
    COMPLETION_REQUESTED = "completion_requested", _("Completion requested")
    OFFERED = "offered", _("Offered membership")
    ACCEPTED = "accepted", _("Joining decision reported")
    MEMBER = "member", _("Member")
    DECLINED = "declined", _("Declined")
    WITHDRAWN = "withdrawn", _("Withdrawn")
    OBSERVER = "observer", _("Observer")
    OBSERVER_EXPIRED = "observer_expired", _("Observer period ended")


OPEN_STATUSES = [
    Status.DRAFT,
    Status.SUBMITTED,
    Status.IN_REVIEW,
    Status.COMPLETION_REQUESTED,
    Status.OFFERED,
    Status.ACCEPTED,
]


class Track(models.TextChoices):
    MEMBERSHIP = "membership", _("Membership")
    OBSERVER = "observer", _("Observer status")


class ApplicationQuerySet(models.QuerySet["Application"]):
    def open(self) -> "ApplicationQuerySet":
        return self.filter(status__in=OPEN_STATUSES)

    def awaiting_review(self) -> "ApplicationQuerySet":
        return self.filter(status__in=[Status.SUBMITTED, Status.IN_REVIEW])

    def members(self) -> "ApplicationQuerySet":
        return self.filter(status=Status.MEMBER)

    def for_user(self, user: models.Model) -> "ApplicationQuerySet":
        return self.filter(applicants=user)


class Application(models.Model):
    """One body's application for membership (or observer status), from draft to member."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="applications", verbose_name=_("organisation")
    )
    track = models.CharField(_("track"), max_length=20, choices=Track.choices, default=Track.MEMBERSHIP)
    status = models.CharField(_("status"), max_length=30, choices=Status.choices, default=Status.DRAFT, db_index=True)
    language = models.CharField(_("language"), max_length=5, default="sv")
    applicants = models.ManyToManyField(
        "auth.User", related_name="applications", blank=True, verbose_name=_("applicants")
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)

    # The organisation part, filled in by the applicant.
    official_name = models.CharField(_("official name"), max_length=150, blank=True)
    org_number = models.CharField(_("organisation number"), max_length=10, blank=True)
    street_address = models.CharField(_("street address"), max_length=200, blank=True)
    postal_code = models.CharField(_("postal code"), max_length=10, blank=True)
    city = models.CharField(_("city"), max_length=100, blank=True)
    inhabitants = models.PositiveIntegerField(_("inhabitants"), null=True, blank=True)
    inhabitants_reason = models.TextField(_("reason for another figure"), blank=True)
    observer_reason = models.TextField(_("why observer status"), blank=True)

    # Completion requested by the secretariat: its message and the parts reopened for editing.
    completion_message = models.TextField(_("completion message"), blank=True)
    reopened_parts = models.JSONField(_("reopened parts"), default=list, blank=True)

    # Frozen at submission: what the applicant saw (fee preview) when it submitted.
    fee_preview = models.JSONField(_("fee preview at submission"), null=True, blank=True)
    # Frozen when the offer is made (DESIGN.md §2): the fee, its inputs and the schedule used.
    fee_year = models.PositiveIntegerField(_("fee year"), null=True, blank=True)
    fee_inhabitants = models.PositiveIntegerField(_("inhabitants for the fee"), null=True, blank=True)
    fee_population_date = models.DateField(_("population date for the fee"), null=True, blank=True)
    fee_schedule_year = models.PositiveIntegerField(_("fee decision year"), null=True, blank=True)
    fee_exact = models.DecimalField(_("exact fee"), max_digits=12, decimal_places=2, null=True, blank=True)
    fee_due = models.DecimalField(_("fee due"), max_digits=12, decimal_places=0, null=True, blank=True)
    fee_breakdown = models.CharField(_("fee arithmetic"), max_length=300, blank=True)

    offered_at = models.DateTimeField(_("offered"), null=True, blank=True)
    member_since = models.DateField(_("member since"), null=True, blank=True)
    observer_until = models.DateField(_("observer until"), null=True, blank=True)
    decline_reason = models.TextField(_("reason for declining"), blank=True)

    objects = ApplicationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("application")
        verbose_name_plural = _("applications")
        constraints = [
            # One open application per body (the rule), enforced by the database.
            models.UniqueConstraint(
                fields=["organisation"],
                condition=models.Q(status__in=OPEN_STATUSES),
                name="one_open_application_per_body",
            )
        ]

    def __str__(self) -> str:
        return f"{self.organisation.name} ({self.get_status_display()})"

    @property
    def kind(self) -> str:
        return self.organisation.kind

    @property
    def is_editable(self) -> bool:
        return self.status in {Status.DRAFT, Status.COMPLETION_REQUESTED}


class StatusChange(models.Model):
    """The audit trail: one row per status change, written in the change's transaction."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="status_changes")
    # Blank for the row that records the application's creation.
    from_status = models.CharField(_("from"), max_length=30, choices=Status.choices, blank=True)
    to_status = models.CharField(_("to"), max_length=30, choices=Status.choices)
    by = models.ForeignKey(
        "auth.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("by")
    )
    at = models.DateTimeField(_("when"), auto_now_add=True)
    reason = models.TextField(_("why"), blank=True)

    class Meta:
        ordering = ["at", "pk"]
        verbose_name = _("status change")
        verbose_name_plural = _("status changes")

    def __str__(self) -> str:
        return f"{self.from_status} → {self.to_status}"


class EmailStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    SENDING = "sending", _("Sending")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Failed")


class OutboundEmail(models.Model):
    """An outgoing mail, written in the transaction of the change that causes it (the outbox).

    A Celery task sends it after commit and a periodic sweep re-queues what is still pending, so
    a mail survives Redis, SMTP or a worker being down. Sending claims the row with a
    conditional UPDATE, so a duplicate task sends nothing.
    """

    application = models.ForeignKey(Application, on_delete=models.CASCADE, null=True, blank=True, related_name="emails")
    template = models.CharField(_("kind"), max_length=50)
    to = models.JSONField(_("to"))
    subject = models.CharField(_("subject"), max_length=250)
    body_text = models.TextField(_("text"))
    body_html = models.TextField(_("HTML"), blank=True)
    language = models.CharField(_("language"), max_length=5, default="sv")
    attachment_name = models.CharField(_("attachment name"), max_length=200, blank=True)
    attachment = models.FileField(_("attachment"), upload_to="outbox/%Y/%m/", blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=EmailStatus.choices, default=EmailStatus.PENDING, db_index=True
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    last_error = models.TextField(_("last error"), blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    claimed_at = models.DateTimeField(_("claimed"), null=True, blank=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("outgoing mail")
        verbose_name_plural = _("outgoing mail")

    def __str__(self) -> str:
        return f"{self.subject} → {', '.join(self.to)}"
