"""What participant units record in a movement: their registration (đăng ký thi đua) with its commitments, their
implementation plan (kế hoạch thực hiện) with its PDF, and their yearly self-assessment against their group's
criteria."""

import pghistory
from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from units.models import Unit

from .campaign import Criterion, Movement, ParticipantGroup


@pghistory.track(pghistory.InsertEvent(), pghistory.UpdateEvent())
class Registration(models.Model):
    """A unit's registration for a movement: what it commits to, in words and in figures (once per movement)."""

    movement = models.ForeignKey(
        Movement, verbose_name=_("movement"), on_delete=models.CASCADE, related_name="registrations"
    )
    unit = models.ForeignKey(Unit, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="+")
    commitments = models.TextField(_("commitments"))
    households_to_lift = models.PositiveIntegerField(_("poor households it will help out of poverty"), default=0)
    support_pledged = models.PositiveBigIntegerField(_("support pledged (VND)"), default=0)
    models_planned = models.PositiveIntegerField(_("poverty-reduction models it will build"), default=0)
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("registered by"), on_delete=models.PROTECT, related_name="+"
    )
    registered_at = models.DateTimeField(_("registered at"))
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("last changed by"), on_delete=models.PROTECT, related_name="+"
    )
    updated_at = models.DateTimeField(_("last changed at"))

    scope_path = "unit__path"

    class Meta:
        verbose_name = _("registration")
        verbose_name_plural = _("registrations")
        constraints = [models.UniqueConstraint(fields=["movement", "unit"], name="one_registration_per_unit")]

    def __str__(self):
        return f"{self.movement} — {self.unit}"


@pghistory.track(pghistory.InsertEvent(), pghistory.UpdateEvent())
class UnitPlan(models.Model):
    """A unit's implementation plan for a movement: its number, date, signer and PDF. Replacing the file keeps the
    earlier versions (the history's rows and their files); the deadline's delivery is the first filing."""

    movement = models.ForeignKey(Movement, verbose_name=_("movement"), on_delete=models.CASCADE, related_name="plans")
    unit = models.ForeignKey(Unit, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="+")
    number = models.CharField(_("number"), max_length=50, help_text=_("For example 45/KH-UBND."))
    signed_on = models.DateField(_("date"))
    signer = models.CharField(_("signed by"), max_length=255)
    file = models.FileField(_("file (PDF)"), upload_to="movement/plans/%Y/%m/", max_length=255)
    filed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("filed by"), on_delete=models.PROTECT, related_name="+"
    )
    filed_at = models.DateTimeField(_("filed at"))

    scope_path = "unit__path"

    class Meta:
        verbose_name = _("unit plan")
        verbose_name_plural = _("unit plans")
        constraints = [models.UniqueConstraint(fields=["movement", "unit"], name="one_plan_per_unit")]

    def __str__(self):
        return f"{self.number} — {self.unit}"


class AssessmentState(models.TextChoices):
    DRAFT = "draft", _("draft")
    SUBMITTED = "submitted", _("submitted")


class Assessment(models.Model):
    """A unit's self-assessment for one year of a movement against its group's criteria; submitting it freezes
    the computed figures."""

    movement = models.ForeignKey(
        Movement, verbose_name=_("movement"), on_delete=models.CASCADE, related_name="assessments"
    )
    unit = models.ForeignKey(Unit, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField(_("year"))
    group = models.ForeignKey(
        ParticipantGroup, verbose_name=_("participant group"), on_delete=models.PROTECT, related_name="+"
    )
    state = models.CharField(_("state"), max_length=20, choices=AssessmentState.choices, default=AssessmentState.DRAFT)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("last changed by"), on_delete=models.PROTECT, related_name="+"
    )
    updated_at = models.DateTimeField(_("last changed at"))
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("submitted by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)

    scope_path = "unit__path"

    class Meta:
        verbose_name = _("self-assessment")
        verbose_name_plural = _("self-assessments")
        constraints = [
            models.UniqueConstraint(fields=["movement", "unit", "year"], name="one_assessment_a_year"),
            models.CheckConstraint(
                condition=Q(state="draft") | Q(submitted_at__isnull=False, submitted_by__isnull=False),
                name="assessment_submitted_with_who_and_when",
            ),
        ]

    def __str__(self):
        return f"{self.unit} — {self.year}"

    @property
    def is_submitted(self):
        return self.state == AssessmentState.SUBMITTED


class Answer(models.Model):
    """A unit's answer to one criterion: the figure (frozen at submission), a document, or yes/no and a comment."""

    assessment = models.ForeignKey(
        Assessment, verbose_name=_("self-assessment"), on_delete=models.CASCADE, related_name="answers"
    )
    criterion = models.ForeignKey(Criterion, verbose_name=_("criterion"), on_delete=models.PROTECT, related_name="+")
    figure = models.BigIntegerField(_("figure"), null=True, blank=True)
    met = models.BooleanField(_("met"), null=True, blank=True)
    comment = models.TextField(_("comment"), blank=True)
    file = models.FileField(_("document"), upload_to="movement/evidence/%Y/%m/", max_length=255, blank=True)

    scope_path = "assessment__unit__path"

    class Meta:
        verbose_name = _("answer")
        verbose_name_plural = _("answers")
        constraints = [models.UniqueConstraint(fields=["assessment", "criterion"], name="one_answer_per_criterion")]

    def __str__(self):
        return f"{self.assessment} — {self.criterion}"
