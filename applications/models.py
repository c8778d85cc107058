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
