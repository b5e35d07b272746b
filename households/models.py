"""Households, their members, poverty standards (as dated data) and yearly reviews."""

import pghistory
from django.conf import settings
from django.contrib.postgres.constraints import ExclusionConstraint
from django.contrib.postgres.fields import ArrayField, RangeOperators
from django.contrib.postgres.indexes import GinIndex, OpClass
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Case, F, Func, Q, Value, When
from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from common.workflow import TransitionLog
from units.models import Unit

MAX_MONTHLY_INCOME = 1_000_000_000  # VND per person per month; anything above is a typing error
# VND per person per month under which an income (0 included) is saved only once the officer confirms it: a
# figure typed in thousands ("1.500" for 1.500.000) or cut short lands here.
LOW_MONTHLY_INCOME = 100_000


class Fold(Func):
    """Accent- and case-blind form of a text, by the immutable SQL function vnn_fold (see common.text.fold)."""

    function = "vnn_fold"
    output_field = models.TextField()


class PovertyClass(models.TextChoices):
    POOR = "poor", _("Poor")
    NEAR_POOR = "near_poor", _("Near-poor")
    AVERAGE = "average", _("Average living standard")
    NONE = "none", _("Not classified")


class ClassChange(models.TextChoices):
    """How the class proposed this year compares with last year's recognised class (the leader's queue)."""

    SAME = "same", _("Unchanged")
    NEWLY_POOR = "newly_poor", _("Newly poor")
    LEFT_POVERTY = "left_poverty", _("Left poverty")
    OTHER = "other", _("Class changed")
    FIRST = "first", _("No result last year")


class PovertyStandard(models.Model):
    """A multidimensional poverty standard in force for a range of review years (inclusive)."""

    code = models.SlugField(_("code"), unique=True)
    name = models.CharField(_("name"), max_length=255)
    legal_basis = models.CharField(_("legal basis"), max_length=255, blank=True)
    first_year = models.PositiveSmallIntegerField(_("first review year"))
    last_year = models.PositiveSmallIntegerField(_("last review year"), null=True, blank=True)
    rural_poverty_line = models.PositiveIntegerField(_("rural poverty line (VND/person/month)"))
    urban_poverty_line = models.PositiveIntegerField(_("urban poverty line (VND/person/month)"))
    rural_average_line = models.PositiveIntegerField(_("rural average living standard ceiling"))
    urban_average_line = models.PositiveIntegerField(_("urban average living standard ceiling"))
    deprivation_threshold = models.PositiveSmallIntegerField(_("deprivations that make a household poor"), default=3)
    confirmed = models.BooleanField(
        _("confirmed"), default=True, help_text=_("Unconfirmed standards are shown with a warning.")
    )
    note = models.TextField(_("note"), blank=True)

    class Meta:
        verbose_name = _("poverty standard")
        verbose_name_plural = _("poverty standards")
        ordering = ["first_year"]
        constraints = [
            ExclusionConstraint(
                name="standard_years_do_not_overlap",
                expressions=[
                    (
                        Func(F("first_year"), F("last_year"), models.Value("[]"), function="int4range"),
                        RangeOperators.OVERLAPS,
                    ),
                ],
            ),
            models.CheckConstraint(
                condition=Q(last_year__isnull=True) | Q(last_year__gte=F("first_year")), name="standard_year_range"
            ),
        ]

    def __str__(self):
        return self.name


class Indicator(models.Model):
    """One deprivation indicator of a standard, grouped by basic social service."""

    standard = models.ForeignKey(PovertyStandard, on_delete=models.CASCADE, related_name="indicators")
    number = models.PositiveSmallIntegerField(_("number"))
    service = models.CharField(_("basic social service"), max_length=100)
    name = models.CharField(_("indicator"), max_length=200)
    help_text = models.TextField(_("deprived when"), blank=True)

    class Meta:
        verbose_name = _("deprivation indicator")
        verbose_name_plural = _("deprivation indicators")
        ordering = ["standard", "number"]
        constraints = [models.UniqueConstraint(fields=["standard", "number"], name="indicator_number_unique")]

    def __str__(self):
        return f"{self.number}. {self.name}"


class PovertyCause(models.Model):
    code = models.SlugField(_("code"), unique=True)
    name = models.CharField(_("cause"), max_length=200)
    order = models.PositiveSmallIntegerField(_("display order"), default=0)

    class Meta:
        verbose_name = _("cause of poverty")
        verbose_name_plural = _("causes of poverty")
        ordering = ["order"]

    def __str__(self):
        return self.name


class ArchiveReason(models.TextChoices):
    MOVED_AWAY = "moved_away", _("Moved away")
    MERGED = "merged", _("Merged into another household")
    DISSOLVED = "dissolved", _("Dissolved (no member left)")


class HouseholdQuerySet(models.QuerySet):
    def active(self):
        return self.filter(archived_at__isnull=True)


@pghistory.track(pghistory.InsertEvent(), pghistory.UpdateEvent())
class Household(models.Model):
    province = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+", editable=False)
    village = models.ForeignKey(
        Unit,
        verbose_name=_("village"),
        on_delete=models.PROTECT,
        related_name="households",
        limit_choices_to={"kind": "village"},
    )
    code = models.CharField(_("registry code"), max_length=30)
    address = models.CharField(_("address"), max_length=255, blank=True)
    archived_at = models.DateField(_("archived on"), null=True, blank=True)
    archive_reason = models.CharField(_("archive reason"), max_length=20, choices=ArchiveReason.choices, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    # Compare-and-swap on edits; a database default too, since imports and the demo load insert with COPY.
    version = models.PositiveIntegerField(default=1, db_default=1, editable=False)

    objects = HouseholdQuerySet.as_manager()
    scope_path = "village__path"

    class Meta:
        verbose_name = _("household")
        verbose_name_plural = _("households")
        ordering = ["code"]
        constraints = [
            models.UniqueConstraint(fields=["province", "code"], name="household_code_unique_in_province"),
            models.CheckConstraint(
                condition=Q(archived_at__isnull=True, archive_reason="")
                | (Q(archived_at__isnull=False) & ~Q(archive_reason="")),
                name="household_archive_has_reason",
            ),
        ]
        indexes = [
            models.Index(fields=["village", "code"]),
            # The commune's highest number (`code LIKE '13249-%'`), whatever the database's collation.
            models.Index(
                fields=["province", "code"], opclasses=["int8_ops", "varchar_pattern_ops"], name="household_code_prefix"
            ),
        ]

    def __str__(self):
        return self.code

    def get_absolute_url(self):
        return reverse("households:detail", args=[self.pk])

    @property
    def is_active(self):
        return self.archived_at is None


class Sex(models.TextChoices):
    MALE = "M", _("Male")
    FEMALE = "F", _("Female")


class Relation(models.TextChoices):
    HEAD = "head", _("Head of household")
    SPOUSE = "spouse", _("Spouse")
    CHILD = "child", _("Child")
    PARENT = "parent", _("Parent")
    GRANDPARENT = "grandparent", _("Grandparent")
    GRANDCHILD = "grandchild", _("Grandchild")
    SIBLING = "sibling", _("Sibling")
    OTHER = "other", _("Other")


class WorkingCapacity(models.TextChoices):
    FULL = "full", _("Able to work")
    LIMITED = "limited", _("Limited working capacity")
    NONE = "none", _("No working capacity")


class Schooling(models.TextChoices):
    NOT_APPLICABLE = "na", _("Not of school age")
    PRESCHOOL = "preschool", _("Pre-school")
    PRIMARY = "primary", _("Primary school")
    LOWER_SECONDARY = "lower_secondary", _("Lower secondary school")
    UPPER_SECONDARY = "upper_secondary", _("Upper secondary school")
    HIGHER = "higher", _("Vocational school, college or university")
    OUT_OF_SCHOOL = "out_of_school", _("Out of school")


# Members in the order people list them: the head first, then by date of birth.
HEAD_FIRST = Case(When(relation=Relation.HEAD, then=Value(0)), default=Value(1))

cccd_validator = RegexValidator(r"^\d{12}$", _("A citizen ID (CCCD) has exactly 12 digits."))


# What the registry records about a person: the member form, the roster import and its change detection.
MEMBER_RECORD_FIELDS = (
    "full_name",
    "birth_date",
    "sex",
    "relation",
    "cccd",
    "ethnicity",
    "has_health_insurance",
    "has_disability",
    "working_capacity",
    "schooling",
)


@pghistory.track(pghistory.InsertEvent(), pghistory.UpdateEvent(), pghistory.DeleteEvent())
class Member(models.Model):
    household = models.ForeignKey(Household, on_delete=models.CASCADE, related_name="members")
    full_name = models.CharField(_("full name"), max_length=150)
    name_folded = models.GeneratedField(expression=Fold("full_name"), output_field=models.TextField(), db_persist=True)
    birth_date = models.DateField(_("date of birth"))
    sex = models.CharField(_("sex"), max_length=1, choices=Sex.choices)
    relation = models.CharField(_("relation to the head"), max_length=20, choices=Relation.choices)
    cccd = models.CharField(
        _("citizen ID (CCCD)"), max_length=12, null=True, blank=True, unique=True, validators=[cccd_validator]
    )
    ethnicity = models.CharField(_("ethnicity"), max_length=50, default="Kinh")
    has_health_insurance = models.BooleanField(_("has health insurance"), default=True)
    has_disability = models.BooleanField(_("has a disability"), default=False)
    working_capacity = models.CharField(
        _("working capacity"), max_length=10, choices=WorkingCapacity.choices, default=WorkingCapacity.FULL
    )
    schooling = models.CharField(
        _("schooling"), max_length=20, choices=Schooling.choices, default=Schooling.NOT_APPLICABLE
    )
    version = models.PositiveIntegerField(default=1, db_default=1, editable=False)

    scope_path = "household__village__path"

    class Meta:
        verbose_name = _("member")
        verbose_name_plural = _("members")
        ordering = ["household", HEAD_FIRST, "birth_date"]
        constraints = [
            models.UniqueConstraint(fields=["household"], condition=Q(relation="head"), name="one_head_per_household"),
        ]
        indexes = [
            GinIndex(OpClass(F("name_folded"), name="gin_trgm_ops"), name="member_name_trgm"),
        ]

    def __str__(self):
        return self.full_name


class ReviewState(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    RETURNED = "returned", _("Returned for correction")
    RECOGNISED = "recognised", _("Recognised")
    LOCKED = "locked", _("Locked")


@pghistory.track(pghistory.InsertEvent(), pghistory.UpdateEvent())
class Review(models.Model):
    """One household's review for one year: never overwritten by the next year's.

    `village` is where the household lived for that year's review, and every figure of the year counts it there
    (households.figures): a household that moves later leaves its past years where they were. A review without a
    recognised result follows its household when it moves (services.follow_household); a recognised or locked
    one stays in the village that recognised it.
    """

    # No index of its own: the unique (household, year) constraint's index serves household lookups.
    household = models.ForeignKey(Household, on_delete=models.PROTECT, related_name="reviews", db_index=False)
    village = models.ForeignKey(
        Unit, verbose_name=_("village of the review"), on_delete=models.PROTECT, related_name="+", db_index=False
    )
    year = models.PositiveSmallIntegerField(_("year"))
    standard = models.ForeignKey(PovertyStandard, on_delete=models.PROTECT, related_name="reviews")
    is_urban = models.BooleanField(_("urban area"))
    income = models.PositiveIntegerField(
        _("income per person per month (VND)"), validators=[MaxValueValidator(MAX_MONTHLY_INCOME)]
    )
    deprived = ArrayField(models.PositiveSmallIntegerField(), default=list, blank=True, verbose_name=_("deprived on"))
    deprivation_count = models.GeneratedField(
        expression=Func(F("deprived"), function="cardinality"), output_field=models.IntegerField(), db_persist=True
    )
    member_count = models.PositiveSmallIntegerField(_("members"), validators=[MinValueValidator(1)])
    computed_class = models.CharField(_("computed class"), max_length=10, choices=PovertyClass.choices)
    class_override = models.CharField(
        _("class agreed by the village meeting"),
        max_length=10,
        choices=PovertyClass.choices,
        blank=True,
        help_text=_("Only when it differs from the computed class; give the reason."),
    )
    class_reason = models.TextField(_("reason for the different class"), blank=True)
    recognised_class = models.CharField(
        _("recognised class"),
        max_length=10,
        choices=PovertyClass.choices,
        blank=True,
        help_text=_("Set when the commune leader recognises the result."),
    )
    no_working_capacity = models.BooleanField(_("household with no working capacity"), default=False)
    social_protection = models.BooleanField(_("social protection beneficiary"), default=False)
    meritorious_service = models.BooleanField(_("household of a person with meritorious service"), default=False)
    ethnic_minority = models.BooleanField(_("ethnic minority household"), default=False)
    causes = models.ManyToManyField(PovertyCause, verbose_name=_("causes of poverty"), blank=True)
    state = models.CharField(_("state"), max_length=12, choices=ReviewState.choices, default=ReviewState.DRAFT)
    version = models.PositiveIntegerField(default=1)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )

    # Access follows the household where it lives now; the year's figures follow `village`.
    scope_path = "household__village__path"

    class Meta:
        verbose_name = _("review")
        verbose_name_plural = _("reviews")
        ordering = ["household", "year"]
        constraints = [
            models.UniqueConstraint(fields=["household", "year"], name="one_review_per_household_year"),
            models.CheckConstraint(condition=Q(income__lte=MAX_MONTHLY_INCOME), name="review_income_plausible"),
            models.CheckConstraint(
                condition=Q(class_override="") | ~Q(class_reason=""), name="review_override_has_reason"
            ),
        ]
        indexes = [
            models.Index(
                fields=["year", "household"], include=["recognised_class", "member_count"], name="review_year_household"
            ),
            models.Index(fields=["year", "state"], name="review_year_state"),
            models.Index(
                fields=["year", "village"],
                include=["household", "recognised_class", "member_count"],
                name="review_year_village",
            ),
        ]

    def __str__(self):
        return f"{self.household} — {self.year}"

    def save(self, *args, **kwargs):
        if self.village_id is None and self.household_id is not None:
            self.village_id = self.household.village_id  # a new review is placed where its household lives
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("households:review", args=[self.household_id, self.year])

    @property
    def proposed_class(self):
        return self.class_override or self.computed_class

    @property
    def last_transition(self):
        """The latest workflow step (uses prefetched transitions when present)."""
        transitions = list(self.transitions.all())
        return transitions[-1] if transitions else None


class ReviewTransition(TransitionLog):
    """Who moved a review from one state to another, when, and why (the log of households.workflow.REVIEWS)."""

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="transitions")
    from_state = models.CharField(max_length=12, choices=ReviewState.choices)
    to_state = models.CharField(max_length=12, choices=ReviewState.choices)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")

    class Meta:
        verbose_name = _("review transition")
        verbose_name_plural = _("review transitions")
        ordering = ["at", "pk"]

    def __str__(self):
        return f"{self.review}: {self.from_state} → {self.to_state}"

    @property
    def note(self):
        """The comment; for the lock the system applies when the period closes, that reason in the reader's
        language (the row itself stores no text)."""
        if not self.comment and self.by_id is None and self.to_state == ReviewState.LOCKED:
            return gettext("the review period closed")
        return self.comment


# Yearly snapshots of the figures (households.snapshots) ----------------------------------------------------------


class FiguresYear(models.Model):
    """One year's snapshot of the registry's figures: when it was computed, how long it took, and whether a
    recognised result of that year or an earlier one changed since (then the figures are read live again)."""

    year = models.PositiveSmallIntegerField(_("year"), primary_key=True)
    computed_at = models.DateTimeField(_("computed at"), null=True, blank=True)
    seconds = models.FloatField(_("seconds taken"), null=True, blank=True)
    units = models.PositiveIntegerField(_("units"), default=0)
    stale = models.BooleanField(_("out of date"), default=True)

    class Meta:
        verbose_name = _("figures snapshot")
        verbose_name_plural = _("figures snapshots")
        ordering = ["-year"]

    def __str__(self):
        return str(self.year)


class UnitFigures(models.Model):
    """A unit's figures for a year, as households.figures computes them live: the class counts, the group
    counts and its own movement table's total (both tables; columns 1-9 in each array)."""

    year = models.PositiveSmallIntegerField()
    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="figure_snapshots")
    # Whether the unit is a row of its parent's movement table even when it is no longer in force.
    in_movement = models.BooleanField(default=False)
    poor_households = models.PositiveIntegerField(default=0)
    poor_persons = models.PositiveIntegerField(default=0)
    near_poor_households = models.PositiveIntegerField(default=0)
    near_poor_persons = models.PositiveIntegerField(default=0)
    average_households = models.PositiveIntegerField(default=0)
    average_persons = models.PositiveIntegerField(default=0)
    groups_poor = ArrayField(models.PositiveIntegerField(), size=4)  # in the order of figures.GROUPS
    groups_near_poor = ArrayField(models.PositiveIntegerField(), size=4)
    moves_poor_households = ArrayField(models.IntegerField(), size=9)
    moves_poor_persons = ArrayField(models.IntegerField(), size=9)
    moves_near_households = ArrayField(models.IntegerField(), size=9)
    moves_near_persons = ArrayField(models.IntegerField(), size=9)
    pending = models.PositiveIntegerField(default=0)
    households = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["year", "unit"], name="unit_figures_unique")]

    def __str__(self):
        return f"{self.unit_id} — {self.year}"


class UnitDeprivation(models.Model):
    """Poor and near-poor households of a unit deprived on one indicator of the year's standard."""

    year = models.PositiveSmallIntegerField()
    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="+")
    number = models.PositiveSmallIntegerField()
    name = models.CharField(max_length=200)
    poor = models.PositiveIntegerField(default=0)
    near_poor = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["year", "unit", "number"], name="unit_deprivation_unique"),
        ]

    def __str__(self):
        return f"{self.unit_id} — {self.year}: {self.number}"


class UnitCause(models.Model):
    """Recognised poor households of a unit that give one cause of poverty (only causes given at least once)."""

    year = models.PositiveSmallIntegerField()
    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="+")
    cause = models.ForeignKey(PovertyCause, on_delete=models.CASCADE, related_name="+")
    households = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["year", "unit", "cause"], name="unit_cause_unique")]

    def __str__(self):
        return f"{self.unit_id} — {self.year}: {self.cause_id}"
