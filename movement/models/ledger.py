"""The support ledger: what a giver (a department, the Front, an organisation, a bank, an enterprise, a commune)
gave to a household of the registry or to a commune as a whole, by kind, value and date."""

import pghistory
from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from households.models import Household
from units.choices import UnitKind
from units.models import Unit

# VND in one row above which the value is a typing error (three zeros too many), not a gift: a preferential loan
# to a household is at most a few hundred million đồng and a commune's largest project (a road, a school) a few
# billion, so 10 billion leaves room for both.
MAX_SUPPORT_VALUE = 10_000_000_000


class SupportKind(models.TextChoices):
    CASH = "cash", _("Cash")
    LOAN = "loan", _("Preferential loan")
    HOUSING = "housing", _("House built or repaired")
    JOB = "job", _("Job")
    TRAINING = "training", _("Vocational training")
    PRODUCTION = "production", _("Production inputs or livestock")
    HEALTH_INSURANCE = "health_insurance", _("Health-insurance card")
    SCHOOLING = "schooling", _("Schooling support")


# Kinds whose value is money itself: a row of them must carry an amount. The others are given in kind and may
# be recorded with no value put on them (0).
MONEY_KINDS = frozenset({SupportKind.CASH, SupportKind.LOAN})
JOB_KINDS = frozenset({SupportKind.JOB, SupportKind.TRAINING})

# The kinds of unit that give: each records (and imports) what it gave itself.
GIVER_KINDS = (
    UnitKind.DEPARTMENT,
    UnitKind.FRONT,
    UnitKind.MASS_ORG,
    UnitKind.BANK,
    UnitKind.ENTERPRISE,
    UnitKind.COOPERATIVE,
    UnitKind.COUNCIL,
    UnitKind.LEADERSHIP,
    UnitKind.DISTRICT,
    UnitKind.COMMUNE,
)


@pghistory.track(pghistory.InsertEvent(), pghistory.UpdateEvent(), pghistory.DeleteEvent())
class Support(models.Model):
    """One contribution. `commune` is always the recipient's commune (for a household, its commune on the day),
    so the commune's and district's totals never need the household; `donor` names the person or company outside
    the tree when the giver records on its behalf."""

    giver = models.ForeignKey(Unit, verbose_name=_("giver"), on_delete=models.PROTECT, related_name="+")
    donor = models.CharField(
        _("donor"),
        max_length=255,
        blank=True,
        help_text=_("The person or company who gave, when the giver records on their behalf."),
    )
    household = models.ForeignKey(
        Household,
        verbose_name=_("household"),
        on_delete=models.PROTECT,
        related_name="support",
        null=True,
        blank=True,
    )
    commune = models.ForeignKey(
        Unit, verbose_name=_("recipient commune"), on_delete=models.PROTECT, related_name="+", db_index=False
    )
    kind = models.CharField(_("kind of support"), max_length=20, choices=SupportKind.choices)
    value = models.PositiveBigIntegerField(_("value (VND)"))
    given_on = models.DateField(_("date given"))
    note = models.TextField(_("note"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("recorded by"), on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    # The recipients' side of the scope; the giver's side is `giver__path` (movement.selectors.ledger).
    scope_path = "commune__path"

    class Meta:
        verbose_name = _("support")
        verbose_name_plural = _("support")
        ordering = ["-given_on", "-pk"]
        constraints = [
            models.CheckConstraint(condition=Q(value__lte=MAX_SUPPORT_VALUE), name="support_value_plausible"),
            models.CheckConstraint(
                condition=~Q(kind__in=sorted(MONEY_KINDS)) | Q(value__gt=0),
                name="support_money_has_value",
            ),
        ]
        indexes = [
            models.Index(fields=["commune", "given_on"], include=["value", "kind"], name="support_commune_day"),
            models.Index(fields=["giver", "given_on"], include=["value", "kind"], name="support_giver_day"),
            models.Index(fields=["household", "given_on"], name="support_household_day"),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} — {self.value:,} đ"
