"""A unit's nominations for an occasion: one list submitted at once, whose nominees are then decided one by one —
selected, returned or rejected by DOLISA, appraised by the Emulation Board, proposed, decided — each step logged."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from common.workflow import TransitionLog
from households.models import Fold, Sex

from .catalogue import AwardType, NomineeKind, Occasion


class NominationState(models.TextChoices):
    DRAFT = "draft", pgettext_lazy("nomination state", "draft")
    SUBMITTED = "submitted", pgettext_lazy("nomination state", "submitted")


class Nomination(models.Model):
    """A unit's list of nominees for an occasion, with the minutes of its emulation council's vote. Submitted as a
    whole; a list some of whose nominees were returned is submitted again with just those."""

    occasion = models.ForeignKey(Occasion, verbose_name=_("occasion"), on_delete=models.PROTECT, related_name="+")
    unit = models.ForeignKey(
        "units.Unit", verbose_name=_("nominating unit"), on_delete=models.PROTECT, related_name="+"
    )
    state = models.CharField(_("state"), max_length=12, choices=NominationState.choices, default=NominationState.DRAFT)
    version = models.PositiveIntegerField(default=1)
    council_date = models.DateField(_("date of the council's vote"), null=True, blank=True)
    votes_for = models.PositiveSmallIntegerField(_("members voting for"), null=True, blank=True)
    votes_total = models.PositiveSmallIntegerField(_("members of the council"), null=True, blank=True)
    # The minutes of the council's vote: one file for the whole list (PDF, DOCX, JPEG or PNG by content).
    minutes = models.FileField(
        _("minutes of the council's vote"), upload_to="awards/%Y/%m/", max_length=255, blank=True
    )
    minutes_name = models.CharField(_("name of the minutes file"), max_length=255, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    submitted_at = models.DateTimeField(_("first submitted at"), null=True, blank=True)

    scope_path = "unit__path"

    class Meta:
        verbose_name = _("nomination list")
        verbose_name_plural = _("nomination lists")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["occasion", "unit"], name="one_nomination_list_per_occasion"),
            models.CheckConstraint(
                condition=Q(votes_for__isnull=True) | Q(votes_total__isnull=True) | Q(votes_for__lte=F("votes_total")),
                name="nomination_votes_within_council",
            ),
        ]

    def __str__(self):
        return f"{self.unit} — {self.occasion}"

    def get_absolute_url(self):
        return reverse("awards:nomination", args=[self.pk])


class NomineeState(models.TextChoices):
    DRAFT = "draft", pgettext_lazy("nominee state", "draft")
    AT_DISTRICT = "at_district", pgettext_lazy("nominee state", "with the district")
    AT_DOLISA = "at_dolisa", pgettext_lazy("nominee state", "with DOLISA")
    RETURNED = "returned", pgettext_lazy("nominee state", "returned for correction")
    SELECTED = "selected", pgettext_lazy("nominee state", "selected, with the Emulation Board")
    ELIGIBLE = "eligible", pgettext_lazy("nominee state", "eligible")
    INELIGIBLE = "ineligible", pgettext_lazy("nominee state", "ineligible")
    PROPOSED = "proposed", pgettext_lazy("nominee state", "proposed to the Chairman")
    DECIDED = "decided", pgettext_lazy("nominee state", "awarded")
    REJECTED = "rejected", pgettext_lazy("nominee state", "rejected")


class Nominee(models.Model):
    """One nominee of a list and its dossier: a collective (a unit), an individual, or a family (a household of
    the registry, or a name and an address when it is not in it); the award proposed; the achievement report's
    structured part; the checks' findings at the last step; where it stands."""

    nomination = models.ForeignKey(
        Nomination, verbose_name=_("list"), on_delete=models.CASCADE, related_name="nominees"
    )
    kind = models.CharField(_("nominee kind"), max_length=12, choices=NomineeKind.choices)
    award_type = models.ForeignKey(AwardType, verbose_name=_("award"), on_delete=models.PROTECT, related_name="+")
    state = models.CharField(_("state"), max_length=12, choices=NomineeState.choices, default=NomineeState.DRAFT)
    version = models.PositiveIntegerField(default=1)
    # A collective.
    unit = models.ForeignKey(
        "units.Unit", verbose_name=_("collective"), on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # An individual, or the representative of a family outside the registry.
    full_name = models.CharField(_("full name"), max_length=200, blank=True)
    name_folded = models.GeneratedField(expression=Fold("full_name"), output_field=models.TextField(), db_persist=True)
    birth_year = models.PositiveSmallIntegerField(_("year of birth"), null=True, blank=True)
    sex = models.CharField(_("sex"), max_length=6, choices=Sex.choices, blank=True)
    position = models.CharField(_("position"), max_length=200, blank=True)
    workplace = models.CharField(_("workplace"), max_length=255, blank=True)
    cccd = models.CharField(_("citizen ID (CCCD)"), max_length=12, blank=True)
    # A family.
    household = models.ForeignKey(
        "households.Household",
        verbose_name=_("household"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    address = models.CharField(_("address"), max_length=255, blank=True)
    # The achievement report's structured part (the file is a NomineeFile).
    achievements = models.TextField(_("achievements"))
    households_helped = models.PositiveIntegerField(_("households helped"), null=True, blank=True)
    amount_contributed = models.BigIntegerField(_("amount contributed (VND)"), null=True, blank=True)
    # Past a quota, the step that went past it and why.
    justification = models.TextField(_("justification beyond the quota"), blank=True)
    # The checks' findings at the last step (duplicates, quota, contradicted evidence), shown to the appraiser.
    flags = models.JSONField(_("findings of the checks"), default=list, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    scope_path = "nomination__unit__path"

    class Meta:
        verbose_name = _("nominee")
        verbose_name_plural = _("nominees")
        ordering = ["nomination", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind="collective", unit__isnull=False, household__isnull=True)
                | Q(kind="individual", unit__isnull=True, household__isnull=True) & ~Q(full_name="")
                | Q(kind="family", unit__isnull=True) & (Q(household__isnull=False) | ~Q(full_name="")),
                name="nominee_names_its_kind",
            ),
            models.CheckConstraint(condition=Q(cccd="") | Q(cccd__regex=r"^\d{12}$"), name="nominee_cccd_12_digits"),
            models.CheckConstraint(condition=Q(amount_contributed__gte=0), name="nominee_amount_not_negative"),
        ]
        indexes = [
            models.Index(fields=["state"], name="nominee_state"),
            models.Index(fields=["cccd"], condition=~Q(cccd=""), name="nominee_cccd"),
            models.Index(fields=["name_folded", "birth_year"], name="nominee_name_year"),
        ]

    def __str__(self):
        return self.display_name

    def get_absolute_url(self):
        return reverse("awards:nominee", args=[self.pk])

    @property
    def display_name(self):
        if self.kind == NomineeKind.COLLECTIVE:
            return str(self.unit)
        if self.kind == NomineeKind.FAMILY and not self.full_name and self.household_id:
            return str(self.household)
        return self.full_name


class Claim(models.Model):
    """A criterion of the movement the nominee claims, what it states, and the evidence from the records beside it
    (the unit's registry figures, support from the ledger, good practices; a family's class history). A claim the
    records contradict is flagged to the appraiser."""

    nominee = models.ForeignKey(Nominee, verbose_name=_("nominee"), on_delete=models.CASCADE, related_name="claims")
    criterion = models.ForeignKey(
        "movement.Criterion", verbose_name=_("criterion"), on_delete=models.PROTECT, related_name="+"
    )
    statement = models.TextField(_("what the nominee states"))
    claimed_value = models.BigIntegerField(_("claimed figure"), null=True, blank=True)
    evidence = models.JSONField(_("evidence from the records"), default=dict, blank=True)
    contradicted = models.BooleanField(_("contradicted by the records"), default=False)

    scope_path = "nominee__nomination__unit__path"

    class Meta:
        verbose_name = _("claimed criterion")
        verbose_name_plural = _("claimed criteria")
        ordering = ["nominee", "criterion__group", "criterion__order"]
        constraints = [models.UniqueConstraint(fields=["nominee", "criterion"], name="claim_once_per_criterion")]

    def __str__(self):
        return f"{self.nominee}: {self.criterion}"


class NomineeFileKind(models.TextChoices):
    ACHIEVEMENT_REPORT = "achievement", _("achievement report")
    MINUTES = "minutes", _("minutes of the council's vote")
    EVIDENCE = "evidence", _("evidence")


class NomineeFile(models.Model):
    """A part of a nominee's dossier: its achievement report, the council's minutes, evidence (PDF, DOCX, JPEG or
    PNG by content, size-capped)."""

    nominee = models.ForeignKey(Nominee, verbose_name=_("nominee"), on_delete=models.CASCADE, related_name="files")
    kind = models.CharField(_("part of the dossier"), max_length=12, choices=NomineeFileKind.choices)
    file = models.FileField(_("file"), upload_to="awards/%Y/%m/", max_length=255)
    name = models.CharField(_("name"), max_length=255)
    size = models.PositiveIntegerField(_("size"))
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("uploaded by"), on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    scope_path = "nominee__nomination__unit__path"

    class Meta:
        verbose_name = _("dossier file")
        verbose_name_plural = _("dossier files")
        ordering = ["uploaded_at", "pk"]

    def __str__(self):
        return self.name


class NomineeTransition(TransitionLog):
    """Who moved a nominee from one state to another, when, and why."""

    nominee = models.ForeignKey(Nominee, on_delete=models.CASCADE, related_name="transitions")
    from_state = models.CharField(max_length=12, choices=NomineeState.choices)
    to_state = models.CharField(max_length=12, choices=NomineeState.choices)

    class Meta(TransitionLog.Meta):
        verbose_name = _("nominee step")
        verbose_name_plural = _("nominee steps")
