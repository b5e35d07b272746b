"""The proposals (tờ trình) that carry selected nominees up — DOLISA's to the Emulation Board, the Board's to the
Chairman — the Chairman's decisions, and the award registry: every award decided, with its bonus as computed on the
decision date."""

from django.conf import settings
from django.contrib.postgres.indexes import GinIndex, OpClass
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from households.models import Fold, Sex

from .catalogue import AwardType, NomineeKind, Occasion
from .nominations import Nominee


class ProposalStage(models.TextChoices):
    DOLISA = "dolisa", _("DOLISA's proposal to the Emulation Board")
    BOARD = "board", _("the Emulation Board's proposal to the Chairman")


class Proposal(models.Model):
    """A numbered proposal with its list of nominees, issued by DOLISA or by the Emulation Board's unit."""

    stage = models.CharField(_("stage"), max_length=8, choices=ProposalStage.choices)
    occasion = models.ForeignKey(Occasion, verbose_name=_("occasion"), on_delete=models.PROTECT, related_name="+")
    issuer = models.ForeignKey("units.Unit", verbose_name=_("issuer"), on_delete=models.PROTECT, related_name="+")
    number = models.PositiveIntegerField(_("number"))
    year = models.PositiveSmallIntegerField(_("year"))
    issued_on = models.DateField(_("issued on"))
    nominees = models.ManyToManyField(Nominee, verbose_name=_("nominees"), related_name="proposals")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    scope_path = "issuer__path"

    class Meta:
        verbose_name = _("proposal")
        verbose_name_plural = _("proposals")
        ordering = ["-issued_on", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["issuer", "year", "number"], name="proposal_number_once"),
        ]

    def __str__(self):
        return f"{self.number}/TTr — {self.occasion}"

    def get_absolute_url(self):
        return reverse("awards:proposal", args=[self.pk])


class Decision(models.Model):
    """The Chairman's decision awarding the nominees of a proposal: its number (never given twice by its issuer in a
    year), the day it was signed and who signed it."""

    occasion = models.ForeignKey(Occasion, verbose_name=_("occasion"), on_delete=models.PROTECT, related_name="+")
    proposal = models.ForeignKey(
        Proposal, verbose_name=_("proposal"), on_delete=models.PROTECT, related_name="decisions"
    )
    issuer = models.ForeignKey("units.Unit", verbose_name=_("issuer"), on_delete=models.PROTECT, related_name="+")
    number = models.PositiveIntegerField(_("number"))
    year = models.PositiveSmallIntegerField(_("year"))
    signed_on = models.DateField(_("signed on"))
    signer = models.CharField(_("signed by"), max_length=200)
    signer_title = models.CharField(_("signer's title"), max_length=200)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    scope_path = "issuer__path"

    class Meta:
        verbose_name = _("decision")
        verbose_name_plural = _("decisions")
        ordering = ["-signed_on", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["issuer", "year", "number"], name="decision_number_once"),
        ]

    def __str__(self):
        return f"{self.number}/QĐ — {self.signed_on:%d/%m/%Y}"

    def get_absolute_url(self):
        return reverse("awards:decision", args=[self.pk])


class AwardMethod(models.TextChoices):
    """The method of an award in form 0603.N of Circular 02/2023/TT-BNV."""

    REGULAR = "regular", _("regular (yearly)")
    THEMATIC = "thematic", _("thematic (a movement's review)")
    AD_HOC = "ad_hoc", _("ad hoc")


class Award(models.Model):
    """One award decided: who received it (copied from the nominee on the decision, so the registry keeps what the
    decision said), for what, by which decision, and the bonus as computed on the decision date."""

    decision = models.ForeignKey(Decision, verbose_name=_("decision"), on_delete=models.PROTECT, related_name="awards")
    nominee = models.OneToOneField(
        Nominee, verbose_name=_("nominee"), on_delete=models.PROTECT, null=True, blank=True, related_name="award"
    )
    award_type = models.ForeignKey(AwardType, verbose_name=_("award"), on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(_("recipient kind"), max_length=12, choices=NomineeKind.choices)
    method = models.CharField(_("method"), max_length=10, choices=AwardMethod.choices)
    occasion = models.ForeignKey(Occasion, verbose_name=_("occasion"), on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField(_("year"))
    name = models.CharField(_("recipient"), max_length=255)
    name_folded = models.GeneratedField(expression=Fold("name"), output_field=models.TextField(), db_persist=True)
    birth_year = models.PositiveSmallIntegerField(_("year of birth"), null=True, blank=True)
    sex = models.CharField(_("sex"), max_length=6, choices=Sex.choices, blank=True)
    cccd = models.CharField(_("citizen ID (CCCD)"), max_length=12, blank=True)
    position = models.CharField(_("position"), max_length=200, blank=True)
    # The collective, or the unit that nominated an individual or a family; its district, for the statistics.
    unit = models.ForeignKey("units.Unit", verbose_name=_("unit"), on_delete=models.PROTECT, related_name="+")
    district = models.ForeignKey(
        "units.Unit", verbose_name=_("district"), on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    household = models.ForeignKey(
        "households.Household",
        verbose_name=_("household"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="awards",
    )
    multiple = models.DecimalField(_("multiple"), max_digits=6, decimal_places=3)
    base_salary = models.PositiveIntegerField(_("base salary (VND)"))
    bonus = models.PositiveIntegerField(_("bonus (VND)"))

    scope_path = "unit__path"

    class Meta:
        verbose_name = _("award")
        verbose_name_plural = _("awards")
        ordering = ["-year", "decision", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(cccd="") | Q(cccd__regex=r"^\d{12}$"), name="award_cccd_12_digits"),
        ]
        indexes = [
            models.Index(fields=["year", "kind"], name="award_year_kind"),
            models.Index(fields=["cccd"], condition=~Q(cccd=""), name="award_cccd"),
            models.Index(fields=["occasion", "name_folded", "birth_year"], name="award_occasion_name"),
            GinIndex(OpClass(F("name_folded"), name="gin_trgm_ops"), name="award_name_trgm"),
        ]

    def __str__(self):
        return f"{self.name} — {self.decision}"
