"""Organisations: the 311 public bodies that may apply, with their reference population."""

import datetime
import uuid
from typing import Any

from django.db import models
from django.utils.translation import gettext_lazy as _

from applications.audit import AuditQuerySet, StatusOutsideWorkflow, refuse, status_change_allowed


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


STATUS_LABELS = dict(Status.choices)

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

    # Frozen at submission: what the applicant saw (fee preview) when it submitted, and the
    # test's result as columns, so the secretariat's list can sort and filter without the JSON.
    fee_preview = models.JSONField(_("fee preview at submission"), null=True, blank=True)
    score_percent = models.DecimalField(_("score %"), max_digits=5, decimal_places=1, null=True, blank=True)
    advice_band = models.CharField(_("advice"), max_length=20, blank=True, db_index=True)
    review_flags = models.JSONField(_("flags"), default=list, blank=True)
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
        indexes = [
            # The secretariat's list: its order (the admin adds -pk to make it total) and the date
            # hierarchy's first and last date, read from the index instead of sorting the table.
            models.Index(fields=["created_at", "id"], name="application_created_idx"),
        ]
        constraints = [
            # One open application per body (the rule), enforced by the database.
            models.UniqueConstraint(
                fields=["organisation"],
                condition=models.Q(status__in=OPEN_STATUSES),
                name="one_open_application_per_body",
            )
        ]

    def __str__(self) -> str:
        # Not get_status_display(): it translates every status' label on each call (to hash the
        # choices), and the admin's changelist calls this for each row's checkbox label.
        return f"{self.organisation.name} ({STATUS_LABELS.get(self.status, self.status)})"

    # The status as last read or written, so save() can tell a status change (workflow.py only,
    # with its audit row) from a save of other fields. See applications/audit.py.
    _stored_status: str | None = None

    def save(self, *args: Any, **kwargs: Any) -> None:
        update_fields = kwargs.get("update_fields")
        if (update_fields is None or "status" in update_fields) and not status_change_allowed():
            current = self.status  # first: reading a deferred status refreshes the stored one
            stored = Status.DRAFT if self._state.adding else self._stored_status
            if current != stored:
                raise StatusOutsideWorkflow(
                    f"Application {self.pk}: status {stored!r} → {current!r} outside applications/workflow.py"
                )
        super().save(*args, **kwargs)
        self._stored_status = self.status

    @classmethod
    def from_db(cls, *args: Any, **kwargs: Any) -> "Application":
        instance = super().from_db(*args, **kwargs)
        instance._stored_status = instance.__dict__.get("status")
        return instance

    def refresh_from_db(self, *args: Any, **kwargs: Any) -> None:
        super().refresh_from_db(*args, **kwargs)
        self._stored_status = self.__dict__.get("status")

    @property
    def kind(self) -> str:
        return self.organisation.kind

    @property
    def is_editable(self) -> bool:
        return self.status in {Status.DRAFT, Status.COMPLETION_REQUESTED}

    def part_is_editable(self, part: str) -> bool:
        """A part ("organisation", "contacts", "test:<section>") may be edited now.

        When the secretariat requests completion, only the parts it reopened are editable.
        """
        if self.status == Status.DRAFT:
            return True
        return self.status == Status.COMPLETION_REQUESTED and part in self.reopened_parts

    @property
    def has_required_contacts(self) -> bool:
        """Statutes § 3: one elected official and one civil servant, each with name and email."""
        roles = {contact.role for contact in self.contacts.all() if contact.name and contact.email}
        return {"elected", "official"} <= roles


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

    # Append-only (applications/audit.py): no update or delete through the ORM.
    objects = AuditQuerySet.as_manager()

    class Meta:
        ordering = ["at", "pk"]
        verbose_name = _("status change")
        verbose_name_plural = _("status changes")

    def __str__(self) -> str:
        return f"{self.from_status} → {self.to_status}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            refuse("changing a row")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        refuse("deleting a row")


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
    # The offer mail attaches its letter, rendered by the worker just before the first send
    # (never in the request) and stored once on the letter row.
    offer_letter = models.ForeignKey(
        "OfferLetter", on_delete=models.PROTECT, null=True, blank=True, related_name="emails"
    )
    status = models.CharField(
        _("status"), max_length=10, choices=EmailStatus.choices, default=EmailStatus.PENDING, db_index=True
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    last_error = models.TextField(_("last error"), blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    claimed_at = models.DateTimeField(_("claimed"), null=True, blank=True)
    # The Celery task id that holds the claim: a redelivery of that same task (its worker died
    # mid-send) may take the claim over at once instead of waiting for the sweep.
    claimed_by = models.CharField(max_length=255, blank=True, editable=False)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("outgoing mail")
        verbose_name_plural = _("outgoing mail")

    def __str__(self) -> str:
        return f"{self.subject} → {', '.join(self.to)}"


class ContactRole(models.TextChoices):
    """Statutes § 3: one elected official and one civil servant; § 5: one delegate (ombud)."""

    ELECTED = "elected", _("Elected official")
    OFFICIAL = "official", _("Civil servant")
    DELEGATE = "delegate", _("Delegate to the annual meeting")


class Contact(models.Model):
    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="contacts")
    role = models.CharField(_("role"), max_length=20, choices=ContactRole.choices)
    name = models.CharField(_("name"), max_length=150)
    title = models.CharField(_("title or position"), max_length=150, blank=True)
    email = models.EmailField(_("email"))
    phone = models.CharField(_("phone"), max_length=40, blank=True)

    class Meta:
        # application_id, not application: ordering by the relation would join the application
        # table on every read of an application's contacts, only to sort by its creation date.
        ordering = ["application_id", "role"]
        verbose_name = _("contact person")
        verbose_name_plural = _("contact persons")
        constraints = [models.UniqueConstraint(fields=["application", "role"], name="one_contact_per_role")]

    def __str__(self) -> str:
        return f"{self.name} ({self.get_role_display()})"


class DecidingBody(models.TextChoices):
    MUNICIPAL_COUNCIL = "kf", _("Municipal council (kommunfullmäktige)")
    MUNICIPAL_BOARD = "ks", _("Municipal executive board (kommunstyrelse)")
    REGIONAL_COUNCIL = "rf", _("Regional council (regionfullmäktige)")
    REGIONAL_BOARD = "rs", _("Regional executive board (regionstyrelse)")
    COMMITTEE = "namnd", _("Committee (nämnd)")


def private_upload_path(instance: models.Model, filename: str) -> str:
    """A generated name: the applicant's filename never reaches the file system."""
    return f"private/{instance._meta.model_name}/{uuid.uuid4().hex}.pdf"


class JoiningDecision(models.Model):
    """The applicant's political decision to join, reported after the offer (DESIGN.md §1, step 4)."""

    application = models.OneToOneField(Application, on_delete=models.CASCADE, related_name="joining_decision")
    decided_on = models.DateField(_("date of the decision"))
    body = models.CharField(_("deciding body"), max_length=10, choices=DecidingBody.choices)
    minute_reference = models.CharField(_("minute reference (§ or case number)"), max_length=100)
    minutes = models.FileField(_("minutes (PDF)"), upload_to=private_upload_path, blank=True)
    minutes_name = models.CharField(_("file name"), max_length=200, blank=True)
    reported_by = models.ForeignKey(
        "auth.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("reported by")
    )
    reported_at = models.DateTimeField(_("reported"), auto_now_add=True)

    class Meta:
        verbose_name = _("joining decision")
        verbose_name_plural = _("joining decisions")

    def __str__(self) -> str:
        return f"{self.get_body_display()} {self.decided_on:%Y-%m-%d} {self.minute_reference}"


class SignInToken(models.Model):
    """An emailed sign-in link: single use, stored as a SHA-256 hash, valid 30 minutes."""

    email = models.EmailField(_("email"), db_index=True)
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)
    next_url = models.CharField(max_length=200, blank=True)

    class Meta:
        verbose_name = _("sign-in link")
        verbose_name_plural = _("sign-in links")

    def __str__(self) -> str:
        return f"{self.email} {self.created_at:%Y-%m-%d %H:%M}"


class StaffComment(models.Model):
    """The secretariat's internal notes on an application; never shown to the applicant."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="staff_comments")
    author = models.ForeignKey("auth.User", on_delete=models.SET_NULL, null=True, related_name="+")
    text = models.TextField(_("comment"))
    created_at = models.DateTimeField(_("written"), auto_now_add=True)

    class Meta:
        ordering = ["created_at"]
        verbose_name = _("internal comment")
        verbose_name_plural = _("internal comments")

    def __str__(self) -> str:
        return self.text[:60]


class OfferLetter(models.Model):
    """The offer letter as rendered once by WeasyPrint; the same bytes are mailed and downloaded."""

    application = models.OneToOneField(Application, on_delete=models.CASCADE, related_name="offer_letter")
    language = models.CharField(_("language"), max_length=5)
    pdf = models.FileField(_("PDF"), upload_to=private_upload_path, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    rendered_at = models.DateTimeField(_("rendered"), null=True, blank=True)

    class Meta:
        verbose_name = _("offer letter")
        verbose_name_plural = _("offer letters")

    def __str__(self) -> str:
        return f"{self.application.organisation.name} ({self.created_at:%Y-%m-%d})"


class Member(Application):
    """The members register: members and observers, as the secretariat lists and invoices them."""

    class Meta:
        proxy = True
        verbose_name = _("member or observer")
        verbose_name_plural = _("members register")


class PersonalDataRequest(models.Model):
    """A request about a person's data that the secretariat handled: an export or an erasure.

    It records who acted and when, and how many rows were touched, never whose data it was: a
    record of an erasure that named the person would keep what was erased (issue 7 §8).
    """

    class Kind(models.TextChoices):
        EXPORT = "export", _("Export")
        ERASURE = "erasure", _("Erasure")

    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    reference = models.CharField(
        _("case reference"),
        max_length=100,
        blank=True,
        help_text=_("The request's case number, if it has one. Never the person's name or address."),
    )
    by = models.ForeignKey("auth.User", on_delete=models.PROTECT, related_name="+", verbose_name=_("handled by"))
    at = models.DateTimeField(_("when"), auto_now_add=True)
    # How many rows of each kind were exported or erased, e.g. {"contacts": 2, "sign_in_links": 1}.
    counts = models.JSONField(_("rows"), default=dict)

    class Meta:
        ordering = ["-at"]
        verbose_name = _("personal data request")
        verbose_name_plural = _("personal data requests")
        # Rows are written by applications/personal_data.py only: no add, change or delete.
        default_permissions = ("view",)
        permissions = [
            ("export_personaldatarequest", _("Can export a person's data")),
            ("erase_personaldatarequest", _("Can erase a person's data")),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.at:%Y-%m-%d %H:%M}"
