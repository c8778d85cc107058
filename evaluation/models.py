"""Question banks (versioned, one per kind of body) and the applicant's answers to them.

A bank is data: the secretariat can load a new version from a file or edit one in the admin
without a deploy. A response stays with the bank version it was started on, and a submitted
response keeps the score it was given (`result`), so a later version never re-scores it.
"""

from __future__ import annotations

from django.db import models
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from applications.models import Application, DecidingBody, OrganisationKind, private_upload_path
from evaluation import scoring


class Localised:
    """Text kept in two columns, `<name>_sv` and `<name>_en`, read in the active language.

    Swedish is the site's default and the fallback when the English text is empty.
    """

    def localised(self, name: str) -> str:
        language = (translation.get_language() or "sv")[:2]
        value = getattr(self, f"{name}_{language}", "") if language in {"sv", "en"} else ""
        return str(value or getattr(self, f"{name}_sv", ""))


class AnswerType(models.TextChoices):
    # The values are scoring's; tests/evaluation keep the two in step.
    CHOICE = scoring.CHOICE, _("Choice")
    YES_NO = scoring.YES_NO, _("Yes or no")
    NUMBER = scoring.NUMBER, _("Number")
    TEXT = scoring.TEXT, _("Free text")
    LINK = scoring.LINK, _("Link")
    FILE = scoring.FILE, _("File (PDF)")
    DECISION = scoring.DECISION, _("Political decision")


class Requirement(models.TextChoices):
    """The four baskrav (statutes § 3)."""

    R1 = "R1", _("R1 Inventory of emissions")
    R2 = "R2", _("R2 Targets for the emissions")
    R3 = "R3", _("R3 Action plan and measures")
    R4 = "R4", _("R4 Informing the network")


class Decision(models.TextChoices):
    YES = scoring.DECISION_YES, _("Yes")
    NO = scoring.DECISION_NO, _("No")
    PLANNED = scoring.DECISION_PLANNED, _("Decision planned")


class QuestionBankQuerySet(models.QuerySet["QuestionBank"]):
    def active_for(self, kind: str) -> QuestionBank | None:
        """The version new tests use; the latest one if the secretariat has switched them all off."""
        banks = self.filter(kind=kind).order_by("-is_active", "-version")
        return banks.first()


class QuestionBank(Localised, models.Model):
    kind = models.CharField(_("kind of body"), max_length=20, choices=OrganisationKind.choices)
    version = models.PositiveIntegerField(_("version"))
    title_sv = models.CharField(_("title (Swedish)"), max_length=200)
    title_en = models.CharField(_("title (English)"), max_length=200)
    # Where the questions come from, the file's checksum, notes for the secretariat.
    metadata = models.JSONField(_("metadata"), default=dict, blank=True)
    offer_threshold = models.DecimalField(
        _("offer from (%)"), max_digits=5, decimal_places=2, default=60, help_text=_("Recommend an offer at or above.")
    )
    dialogue_threshold = models.DecimalField(
        _("dialogue from (%)"),
        max_digits=5,
        decimal_places=2,
        default=40,
        help_text=_("Suggest a dialogue at or above."),
    )
    is_active = models.BooleanField(_("used for new tests"), default=True)
    created_at = models.DateTimeField(_("loaded"), auto_now_add=True)
    # Raised by every admin edit of the bank or its sections, questions and options: each process
    # keeps a bank's content in memory (evaluation.state.bank_content) under this number.
    revision = models.PositiveIntegerField(_("revision"), default=0, editable=False)

    objects = QuestionBankQuerySet.as_manager()

    class Meta:
        ordering = ["kind", "-version"]
        verbose_name = _("question bank")
        verbose_name_plural = _("question banks")
        constraints = [
            models.UniqueConstraint(fields=["kind", "version"], name="one_bank_per_kind_and_version"),
            models.UniqueConstraint(
                fields=["kind"], condition=models.Q(is_active=True), name="one_active_bank_per_kind"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title} v{self.version}"

    @property
    def title(self) -> str:
        return self.localised("title")


class Section(Localised, models.Model):
    bank = models.ForeignKey(QuestionBank, on_delete=models.CASCADE, related_name="sections", verbose_name=_("bank"))
    order = models.PositiveSmallIntegerField(_("order"))
    slug = models.SlugField(_("slug"), max_length=60)
    title_sv = models.CharField(_("title (Swedish)"), max_length=200)
    title_en = models.CharField(_("title (English)"), max_length=200)
    intro_sv = models.TextField(_("introduction (Swedish)"), blank=True)
    intro_en = models.TextField(_("introduction (English)"), blank=True)
    is_gate = models.BooleanField(_("basic requirements (not scored)"), default=False)
    max_points = models.PositiveSmallIntegerField(_("maximum points"), default=0)

    class Meta:
        ordering = ["bank", "order"]
        verbose_name = _("section")
        verbose_name_plural = _("sections")
        constraints = [models.UniqueConstraint(fields=["bank", "slug"], name="one_section_slug_per_bank")]

    def __str__(self) -> str:
        return self.title

    @property
    def title(self) -> str:
        return self.localised("title")

    @property
    def intro(self) -> str:
        return self.localised("intro")

    @property
    def part_key(self) -> str:
        """The key the secretariat reopens this section with ("test:<slug>")."""
        return f"test:{self.slug}"


class Question(Localised, models.Model):
    section = models.ForeignKey(Section, on_delete=models.CASCADE, related_name="questions", verbose_name=_("section"))
    order = models.PositiveSmallIntegerField(_("order"))
    code = models.CharField(_("code"), max_length=10, help_text=_("For example 1.4 or G2."))
    text_sv = models.TextField(_("question (Swedish)"))
    text_en = models.TextField(_("question (English)"))
    guidance_sv = models.TextField(_("guidance (Swedish)"), blank=True)
    guidance_en = models.TextField(_("guidance (English)"), blank=True)
    answer_type = models.CharField(_("answer type"), max_length=10, choices=AnswerType.choices)
    requirement = models.CharField(_("requirement"), max_length=2, choices=Requirement.choices)
    allows_dont_know = models.BooleanField(_("allows “Don't know”"), default=False)
    allows_not_applicable = models.BooleanField(_("allows “Not applicable”"), default=False)
    required = models.BooleanField(_("required at submission"), default=True)

    class Meta:
        ordering = ["section", "order"]
        verbose_name = _("question")
        verbose_name_plural = _("questions")
        constraints = [models.UniqueConstraint(fields=["section", "code"], name="one_question_code_per_section")]

    def __str__(self) -> str:
        return f"{self.code} {self.text}"

    @property
    def text(self) -> str:
        return self.localised("text")

    @property
    def guidance(self) -> str:
        return self.localised("guidance")

    @property
    def is_scored(self) -> bool:
        return self.answer_type in scoring.SCORED_TYPES


class Option(Localised, models.Model):
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="options", verbose_name=_("question"))
    order = models.PositiveSmallIntegerField(_("order"))
    label_sv = models.CharField(_("answer (Swedish)"), max_length=300)
    label_en = models.CharField(_("answer (English)"), max_length=300)
    points = models.PositiveSmallIntegerField(_("points"))

    class Meta:
        ordering = ["question", "order"]
        verbose_name = _("answer option")
        verbose_name_plural = _("answer options")

    def __str__(self) -> str:
        return f"{self.label} ({self.points})"

    @property
    def label(self) -> str:
        return self.localised("label")


class Response(models.Model):
    """An application's answers to the test, on one bank version."""

    application = models.OneToOneField(
        Application, on_delete=models.CASCADE, related_name="evaluation", verbose_name=_("application")
    )
    bank = models.ForeignKey(QuestionBank, on_delete=models.PROTECT, related_name="responses", verbose_name=_("bank"))
    created_at = models.DateTimeField(_("started"), auto_now_add=True)
    updated_at = models.DateTimeField(_("last saved"), auto_now=True)
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    # scoring.Result.to_dict() as computed at submission; never recomputed afterwards.
    result = models.JSONField(_("score at submission"), null=True, blank=True)

    class Meta:
        verbose_name = _("test response")
        verbose_name_plural = _("test responses")

    def __str__(self) -> str:
        return f"{self.application.organisation.name}: {self.bank}"


class Answer(models.Model):
    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(Question, on_delete=models.PROTECT, related_name="answers")
    option = models.ForeignKey(Option, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    value_text = models.TextField(_("text"), blank=True)
    value_number = models.DecimalField(_("number"), max_digits=14, decimal_places=2, null=True, blank=True)
    dont_know = models.BooleanField(_("don't know"), default=False)
    not_applicable = models.BooleanField(_("not applicable"), default=False)
    decision = models.CharField(_("decision"), max_length=10, choices=Decision.choices, blank=True)
    decision_date = models.DateField(_("date of the decision"), null=True, blank=True)
    decision_body = models.CharField(_("deciding body"), max_length=10, choices=DecidingBody.choices, blank=True)
    decision_reference = models.CharField(_("minute reference (§ or case number)"), max_length=100, blank=True)
    evidence_link = models.URLField(_("link"), max_length=500, blank=True)
    # Stored under a generated name (private_upload_path); the applicant's name is kept apart
    # and only ever used as the download's suggested name.
    evidence_file = models.FileField(_("file (PDF)"), upload_to=private_upload_path, blank=True)
    evidence_filename = models.CharField(_("file name"), max_length=200, blank=True)
    comment = models.TextField(_("comment"), blank=True)
    updated_at = models.DateTimeField(_("last saved"), auto_now=True)

    class Meta:
        verbose_name = _("answer")
        verbose_name_plural = _("answers")
        constraints = [models.UniqueConstraint(fields=["response", "question"], name="one_answer_per_question")]

    def __str__(self) -> str:
        return f"{self.question.code}: {self.summary}"

    @property
    def summary(self) -> str:
        if self.not_applicable:
            return str(_("Not applicable"))
        if self.dont_know:
            return str(_("Don't know"))
        if self.option_id:
            return self.option.label if self.option else ""
        if self.decision:
            return self.get_decision_display()
        if self.value_number is not None:
            return str(self.value_number)
        return self.value_text or self.evidence_filename or self.evidence_link
