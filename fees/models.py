"""Fee schedules: the annual meeting's decisions, entered by the secretariat in the admin."""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from applications.models import OrganisationKind
from fees import rules

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


class FeeShape(models.TextChoices):
    # The values are rules.Shape's; a test keeps the two in step.
    CAPPED_AMOUNT = "capped_amount", _("Base + rate per inhabitant, at most an amount")
    CAPPED_INHABITANTS = "capped_inhabitants", _("Base + rate per inhabitant, up to a number of inhabitants")
    FLAT = "flat", _("Flat amount")


class FeeScheduleQuerySet(models.QuerySet["FeeSchedule"]):
    def in_force(self, year: int) -> FeeSchedule:
        """The decision that sets the fee for `year`: the latest decided for a year <= `year`."""
        schedule = self.filter(year__lte=year).order_by("-year").first()
        if schedule is None:
            first_year = self.order_by("year").values_list("year", flat=True).first()
            if first_year is None:
                raise rules.FeeError("no_schedules")
            raise rules.FeeError("no_schedule", year=year, first_year=first_year)
        return schedule


def _amount(
    verbose_name: StrOrPromise, help_text: StrOrPromise = ""
) -> models.DecimalField[Decimal | None, Decimal | None]:
    return models.DecimalField(
        verbose_name,
        max_digits=10,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal(0))],
        help_text=help_text,
    )


def _rate(verbose_name: StrOrPromise) -> models.DecimalField[Decimal | None, Decimal | None]:
    return models.DecimalField(
        verbose_name,
        max_digits=8,
        decimal_places=4,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal(0))],
        help_text=_("Kronor per inhabitant, e.g. 0.30."),
    )


def _cap_inhabitants(verbose_name: StrOrPromise) -> models.PositiveIntegerField[int | None, int | None]:
    return models.PositiveIntegerField(
        verbose_name,
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(rules.MAX_INHABITANTS)],
    )


class FeeSchedule(models.Model):
    """One annual meeting's decision on the fee: from `year` until a later decision replaces it.

    Each kind of body has a rule of one shape; only the amounts of that shape are filled in
    (rules.SHAPE_PARTS), which clean() checks field by field.
    """

    year = models.PositiveSmallIntegerField(
        _("year"),
        unique=True,
        validators=[MinValueValidator(1990), MaxValueValidator(2200)],
        help_text=_("The fee year the annual meeting decided for; it applies until a later decision."),
    )

    municipality_shape = models.CharField(_("municipalities: shape"), max_length=20, choices=FeeShape.choices)
    municipality_base = _amount(_("municipalities: base amount (kr)"))
    municipality_rate = _rate(_("municipalities: rate (kr per inhabitant)"))
    municipality_cap_amount = _amount(_("municipalities: maximum amount (kr)"))
    municipality_cap_inhabitants = _cap_inhabitants(_("municipalities: inhabitants counted at most"))
    municipality_flat_amount = _amount(_("municipalities: flat amount (kr)"))

    region_shape = models.CharField(_("regions: shape"), max_length=20, choices=FeeShape.choices)
    region_base = _amount(_("regions: base amount (kr)"))
    region_rate = _rate(_("regions: rate (kr per inhabitant)"))
    region_cap_amount = _amount(_("regions: maximum amount (kr)"))
    region_cap_inhabitants = _cap_inhabitants(_("regions: inhabitants counted at most"))
    region_flat_amount = _amount(_("regions: flat amount (kr)"))

    gotland_rule = models.CharField(
        _("Region Gotland pays by"),
        max_length=20,
        choices=OrganisationKind.choices,
        default=OrganisationKind.REGION,
        help_text=_("Region Gotland is a municipality with a region's tasks: which rule its fee follows."),
    )
    note = models.TextField(_("note"), blank=True, help_text=_("The decision and where it is recorded."))

    objects = FeeScheduleQuerySet.as_manager()

    class Meta:
        ordering = ["-year"]
        verbose_name = _("fee schedule")
        verbose_name_plural = _("fee schedules")

    def __str__(self) -> str:
        return str(self.year)

    def rule_values(self, kind: str) -> dict[str, Any]:
        """The shape and amounts of one kind's rule, as they are stored."""
        return {part: getattr(self, f"{kind}_{part}") for part in ("shape", *rules.RULE_PARTS)}

    def rule(self, kind: str) -> rules.Rule:
        """One kind's rule for the pure arithmetic; FeeError("invalid_rule") when it is incomplete."""
        values = self.rule_values(kind)
        try:
            shape = rules.Shape(values.pop("shape"))
        except ValueError as error:
            raise rules.FeeError("invalid_rule") from error
        return rules.Rule(shape=shape, **values)

    def as_schedule(self) -> rules.Schedule:
        """This decision as rules.Schedule, which annual_fee() takes."""
        return rules.Schedule(
            year=self.year,
            rules={kind.value: self.rule(kind.value) for kind in rules.Kind},
            gotland_rule=rules.Kind(self.gotland_rule),
            note=self.note,
        )

    def clean(self) -> None:
        # Each shape has exactly the amounts it needs: a stray cap would look decided but do nothing.
        errors: dict[str, list[StrOrPromise]] = {}
        for kind in rules.Kind:
            shape_value = getattr(self, f"{kind.value}_shape")
            if shape_value not in rules.SHAPE_PARTS:
                continue  # the field's own validation reports a missing or unknown shape
            needed = rules.SHAPE_PARTS[rules.Shape(shape_value)]
            for part in rules.RULE_PARTS:
                name = f"{kind.value}_{part}"
                value = getattr(self, name)
                if part in needed and value is None:
                    errors.setdefault(name, []).append(_("This shape needs this amount."))
                elif part not in needed and value is not None:
                    errors.setdefault(name, []).append(_("This shape does not use this amount; leave it empty."))
        if errors:
            raise ValidationError(errors)
