"""What can be awarded, for what occasion, how many, and for how much: rows an administrator keeps, dated so that a
later decree or base salary is a new row and an old decision keeps its amounts (DOMAIN.md §5)."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class NomineeKind(models.TextChoices):
    COLLECTIVE = "collective", _("collective")
    INDIVIDUAL = "individual", _("individual")
    FAMILY = "family", _("family")


class AwardLevel(models.TextChoices):
    PROVINCIAL = "provincial", _("decided by the province")
    STATE = "state", _("proposed to the central level")


class AwardType(models.Model):
    """An award a nominee of one kind may receive: the Chairman's Bằng khen for a collective, an individual or a
    family; a state-level award is only proposed upwards."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=200)
    nominee_kind = models.CharField(_("nominee kind"), max_length=12, choices=NomineeKind.choices)
    level = models.CharField(_("level"), max_length=12, choices=AwardLevel.choices, default=AwardLevel.PROVINCIAL)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    active = models.BooleanField(_("in use"), default=True)

    class Meta:
        verbose_name = _("award type")
        verbose_name_plural = _("award types")
        ordering = ["position", "pk"]

    def __str__(self):
        return self.name


class BonusMultiple(models.Model):
    """The multiple of the base salary an award carries from a day on (Decree 91/2017, 98/2023, 152/2025).
    A multiple the law left unclear is a row without a value: no decision in its period can be issued until an
    administrator enters it."""

    award_type = models.ForeignKey(
        AwardType, verbose_name=_("award type"), on_delete=models.CASCADE, related_name="multiples"
    )
    valid_from = models.DateField(_("valid from"))
    multiple = models.DecimalField(_("multiple"), max_digits=6, decimal_places=3, null=True, blank=True)
    basis = models.CharField(_("legal basis"), max_length=200)

    class Meta:
        verbose_name = _("bonus multiple")
        verbose_name_plural = _("bonus multiples")
        ordering = ["award_type", "valid_from"]
        constraints = [
            models.UniqueConstraint(fields=["award_type", "valid_from"], name="bonus_multiple_once_a_day"),
            models.CheckConstraint(condition=Q(multiple__gt=0) | Q(multiple__isnull=True), name="multiple_positive"),
        ]

    def __str__(self):
        return f"{self.award_type} {self.valid_from}: {self.multiple}"


class BaseSalary(models.Model):
    """The base salary (mức lương cơ sở) in force from a day on."""

    valid_from = models.DateField(_("valid from"), unique=True)
    amount = models.PositiveIntegerField(_("amount (VND)"))
    basis = models.CharField(_("legal basis"), max_length=200)

    class Meta:
        verbose_name = _("base salary")
        verbose_name_plural = _("base salaries")
        ordering = ["valid_from"]
        constraints = [models.CheckConstraint(condition=Q(amount__gt=0), name="base_salary_positive")]

    def __str__(self):
        return f"{self.valid_from}: {self.amount}"


class OccasionKind(models.TextChoices):
    MIDTERM = "midterm", _("mid-term review")
    FINAL = "final", _("final review")
    YEARLY = "yearly", _("yearly")
    AD_HOC = "ad_hoc", _("outstanding achievement (ad hoc)")


class OccasionQuerySet(models.QuerySet):
    def open_on(self, today):
        """The occasions still taking nominations on `today` (no closing day, or one not yet past)."""
        return self.filter(Q(closes_on__isnull=True) | Q(closes_on__gte=today))


class Occasion(models.Model):
    """An occasion for nominations in a movement (sơ kết 2023, tổng kết 2025, a year, ad hoc); an ad hoc occasion
    takes the simplified dossier. Nominations are open until `closes_on`."""

    movement = models.ForeignKey(
        "movement.Movement", verbose_name=_("movement"), on_delete=models.PROTECT, related_name="+"
    )
    code = models.SlugField(_("code"), max_length=40)
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=12, choices=OccasionKind.choices)
    year = models.PositiveSmallIntegerField(_("year"))
    closes_on = models.DateField(_("nominations close on"), null=True, blank=True)
    simplified_dossier = models.BooleanField(_("simplified dossier"), default=False)

    objects = OccasionQuerySet.as_manager()

    class Meta:
        verbose_name = _("occasion")
        verbose_name_plural = _("occasions")
        ordering = ["movement", "year", "pk"]
        constraints = [models.UniqueConstraint(fields=["movement", "code"], name="occasion_code_unique")]

    def __str__(self):
        return self.name

    def is_open(self, today):
        """Whether nominations are still taken on `today` (the instance's twin of OccasionQuerySet.open_on)."""
        return self.closes_on is None or self.closes_on >= today


class Quota(models.Model):
    """At most `limit` nominees of an award type from a unit (or from every unit, without one) for an occasion."""

    occasion = models.ForeignKey(Occasion, verbose_name=_("occasion"), on_delete=models.CASCADE, related_name="quotas")
    unit = models.ForeignKey(
        "units.Unit", verbose_name=_("unit"), on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    award_type = models.ForeignKey(AwardType, verbose_name=_("award type"), on_delete=models.CASCADE, related_name="+")
    limit = models.PositiveIntegerField(_("limit"))

    class Meta:
        verbose_name = _("quota")
        verbose_name_plural = _("quotas")
        constraints = [
            models.UniqueConstraint(fields=["occasion", "unit", "award_type"], name="quota_once", nulls_distinct=False),
        ]

    def __str__(self):
        return f"{self.occasion} {self.unit or '*'} {self.award_type}: {self.limit}"
