"""Yearly snapshots of the support ledger, computed in the registry's aggregation run (movement.snapshots): every
unit's support totals of a year and the dashboard's comparison of supported and unsupported households, as
movement.selectors.ledger computes them live."""

from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.utils.translation import gettext_lazy as _

from units.models import Unit


class SupportYear(models.Model):
    """One year's snapshot of the ledger: when it was computed, and whether support of that year (or of the year
    before, whose households' outcomes it holds) was recorded since (then it is read live again)."""

    year = models.PositiveSmallIntegerField(_("year"), primary_key=True)
    computed_at = models.DateTimeField(_("computed at"), null=True, blank=True)
    stale = models.BooleanField(_("out of date"), default=True)

    class Meta:
        verbose_name = _("support snapshot")
        verbose_name_plural = _("support snapshots")
        ordering = ["-year"]

    def __str__(self):
        return str(self.year)


class UnitSupport(models.Model):
    """A unit's support in a year: given by it and the units under it (the giver's side), received under it (the
    recipients' side: rows, VND, households, VND by kind in the order of SupportKind), and `outcomes`, what became
    in this year of the households on last year's lists, supported last year or not (ledger.OUTCOME_ORDER)."""

    year = models.PositiveSmallIntegerField()
    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="support_snapshots")
    given_rows = models.PositiveIntegerField(default=0)
    given_value = models.PositiveBigIntegerField(default=0)
    jobs_given = models.PositiveIntegerField(default=0)
    received_rows = models.PositiveIntegerField(default=0)
    received_value = models.PositiveBigIntegerField(default=0)
    households_supported = models.PositiveIntegerField(default=0)
    received_by_kind = ArrayField(models.PositiveBigIntegerField())
    outcomes = ArrayField(models.PositiveIntegerField())

    class Meta:
        constraints = [models.UniqueConstraint(fields=["year", "unit"], name="unit_support_unique")]

    def __str__(self):
        return f"{self.unit_id} — {self.year}"
