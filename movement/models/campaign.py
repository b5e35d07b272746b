"""An emulation movement (Plan 119 for 2021-2025; a successor is another row), its targets per unit, its dated
milestones (deadline rows of the deadlines app) and the criteria of each kind of participant."""

import pghistory
from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from deadlines.models import Deadline
from units.choices import UnitKind
from units.models import Unit


class Movement(models.Model):
    """A movement: its name and legal basis, its period, the province it covers, the unit that leads it (who plays
    "DOLISA") and the review whose recognised result is its baseline."""

    code = models.SlugField(_("code"), max_length=60, unique=True)
    name = models.CharField(_("name"), max_length=500)
    short_name = models.CharField(_("short name"), max_length=200)
    plan_number = models.CharField(_("plan number"), max_length=50, help_text=_("For example 119/KH-UBND."))
    plan_date = models.DateField(_("plan date"))
    plan_issuer = models.CharField(_("issued by"), max_length=255)
    basis = models.TextField(_("legal basis"), help_text=_("The national decision the plan implements."))
    start_year = models.PositiveSmallIntegerField(_("first year"))
    end_year = models.PositiveSmallIntegerField(_("last year"))
    province = models.ForeignKey(
        Unit,
        verbose_name=_("province"),
        on_delete=models.PROTECT,
        related_name="+",
        limit_choices_to={"kind": "province"},
    )
    lead_unit = models.ForeignKey(Unit, verbose_name=_("lead unit"), on_delete=models.PROTECT, related_name="+")
    baseline_year = models.PositiveSmallIntegerField(
        _("baseline year"), help_text=_("The review whose recognised result is the baseline.")
    )
    final_share_numerator = models.PositiveSmallIntegerField(_("final reduction: numerator"), default=1)
    final_share_denominator = models.PositiveSmallIntegerField(_("final reduction: denominator"), default=3)

    scope_path = "province__path"

    class Meta:
        verbose_name = _("movement")
        verbose_name_plural = _("movements")
        ordering = ["-start_year", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(end_year__gte=F("start_year")), name="movement_period"),
            models.CheckConstraint(
                condition=Q(final_share_numerator__lte=F("final_share_denominator")) & Q(final_share_denominator__gt=0),
                name="movement_final_share",
            ),
        ]

    def __str__(self):
        return self.short_name or self.name

    @property
    def years(self):
        return range(self.start_year, self.end_year + 1)


@pghistory.track(pghistory.InsertEvent(), pghistory.UpdateEvent(), pghistory.DeleteEvent())
class Target(models.Model):
    """What a unit (the province, a district or a commune) is to achieve: a band of poor households fewer each year
    on average, and a number fewer by the end of the period (empty: the movement's share of the unit's baseline)."""

    movement = models.ForeignKey(Movement, verbose_name=_("movement"), on_delete=models.CASCADE, related_name="targets")
    unit = models.ForeignKey(Unit, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="+")
    yearly_min = models.PositiveIntegerField(_("fewer poor households a year, at least"), null=True, blank=True)
    yearly_max = models.PositiveIntegerField(_("fewer poor households a year, at most"), null=True, blank=True)
    final_reduction = models.PositiveIntegerField(
        _("fewer poor households by the end of the period"),
        null=True,
        blank=True,
        help_text=_("Empty: the movement's share of the unit's baseline."),
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    scope_path = "unit__path"

    class Meta:
        verbose_name = _("target")
        verbose_name_plural = _("targets")
        constraints = [
            models.UniqueConstraint(fields=["movement", "unit"], name="one_target_per_unit"),
            models.CheckConstraint(
                condition=Q(yearly_min__isnull=True) | Q(yearly_max__isnull=True) | Q(yearly_max__gte=F("yearly_min")),
                name="target_band",
            ),
        ]

    def __str__(self):
        return f"{self.movement} — {self.unit}"


class MilestoneKind(models.TextChoices):
    UNIT_PLAN = "unit_plan", _("Units' implementation plans")
    MID_TERM_UNITS = "mid_term_units", _("Units' mid-term review")
    MID_TERM = "mid_term", _("Provincial mid-term review")
    FINAL = "final", _("Final review")
    UNIT_REPORT = "unit_report", _("Units' yearly reports")
    SUMMARY = "summary", _("Provincial yearly summary")
    GOOD_PRACTICES = "good_practices", _("Good-practice compilation")


class Milestone(models.Model):
    """A dated step of a movement, as a deadline row (who owes it, by when; reminders and on-time follow it)."""

    movement = models.ForeignKey(
        Movement, verbose_name=_("movement"), on_delete=models.CASCADE, related_name="milestones"
    )
    key = models.SlugField(_("key"), max_length=60, help_text=_("Names the milestone in the movement's data file."))
    kind = models.CharField(_("kind"), max_length=30, choices=MilestoneKind.choices)
    deadline = models.OneToOneField(
        Deadline, verbose_name=_("deadline"), on_delete=models.CASCADE, related_name="milestone"
    )

    class Meta:
        verbose_name = _("milestone")
        verbose_name_plural = _("milestones")
        ordering = ["deadline__due_on", "pk"]
        constraints = [models.UniqueConstraint(fields=["movement", "key"], name="one_milestone_per_key")]

    def __str__(self):
        return self.deadline.label


class Evidence(models.TextChoices):
    COMPUTED = "computed", _("a figure from the records")
    DOCUMENT = "document", _("an uploaded document")
    YES_NO = "yes_no", _("yes or no, with a comment")


class Measure(models.TextChoices):
    """The figures a criterion can be evidenced by, computed from the registry, the ledger and the records."""

    POOR_REDUCTION = "poor_reduction", _("poor households fewer in the year (recognised)")
    NEAR_POOR_REDUCTION = "near_poor_reduction", _("near-poor households fewer in the year (recognised)")
    REPOOR = "repoor", _("households fallen back into poverty in the year")
    SUPPORT_GIVEN = "support_given", _("support given in the year (VND)")
    SUPPORT_RECEIVED = "support_received", _("support received by households of the area in the year (VND)")
    JOBS_GIVEN = "jobs_given", _("jobs and vocational training given to poor households in the year")
    GOOD_PRACTICES = "good_practices", _("good practices proposed in the year")
    REPORTS_ON_TIME = "reports_on_time", _("deadlines of the year met on time")


class ParticipantGroup(models.Model):
    """A kind of participant of the plan (§IV.2 a–g) with its criteria; `unit_kinds` are the units it covers (none
    for households and individuals, who are nominated, not registered)."""

    movement = models.ForeignKey(
        Movement, verbose_name=_("movement"), on_delete=models.CASCADE, related_name="participant_groups"
    )
    letter = models.CharField(_("item"), max_length=5)
    title = models.CharField(_("title"), max_length=500)
    unit_kinds = ArrayField(
        models.CharField(max_length=20, choices=UnitKind.choices),
        verbose_name=_("unit kinds"),
        default=list,
        blank=True,
    )
    order = models.PositiveSmallIntegerField(_("order"))

    class Meta:
        verbose_name = _("participant group")
        verbose_name_plural = _("participant groups")
        ordering = ["movement", "order"]
        constraints = [
            models.UniqueConstraint(fields=["movement", "letter"], name="one_participant_group_per_letter"),
        ]

    def __str__(self):
        return f"{self.letter}) {self.title}"


class Criterion(models.Model):
    """One criterion of a participant group, in the plan's words, and how a unit shows it is met."""

    group = models.ForeignKey(
        ParticipantGroup, verbose_name=_("participant group"), on_delete=models.CASCADE, related_name="criteria"
    )
    order = models.PositiveSmallIntegerField(_("order"))
    text = models.TextField(_("text"))
    evidence = models.CharField(_("evidenced by"), max_length=20, choices=Evidence.choices)
    measure = models.CharField(_("figure"), max_length=30, choices=Measure.choices, blank=True)

    class Meta:
        verbose_name = _("criterion")
        verbose_name_plural = _("criteria")
        ordering = ["group", "order"]
        constraints = [
            models.UniqueConstraint(fields=["group", "order"], name="one_criterion_per_place"),
            models.CheckConstraint(
                condition=Q(evidence="computed", measure__gt="") | (~Q(evidence="computed") & Q(measure="")),
                name="criterion_measure_iff_computed",
            ),
        ]

    def __str__(self):
        return self.text[:80]
