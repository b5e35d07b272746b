"""The official documents the reports app renders through `documents` (the rows live there), the units' yearly
reports on the movement with their history and attachments, and the lead unit's (DOLISA's) yearly summary."""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from common.workflow import TransitionLog


class DocumentKind(models.TextChoices):
    UNIT_SUMMARY = "unit_summary", _("Unit summary report")
    UNIT_ROSTER = "unit_roster", _("Roster of administrative units")
    UNIT_REPORT = "unit_report", _("Report on the movement")
    PROVINCIAL_SUMMARY = "provincial_summary", _("Summary of the movement's results")


# Unit reports (báo cáo kết quả thực hiện Phong trào thi đua) ---------------------------------------------------


class UnitReportState(models.TextChoices):
    DRAFT = "draft", pgettext_lazy("unit report state", "draft")
    SUBMITTED = "submitted", pgettext_lazy("unit report state", "submitted")
    RETURNED = "returned", pgettext_lazy("unit report state", "returned for correction")
    ACCEPTED = "accepted", pgettext_lazy("unit report state", "accepted")


class UnitReport(models.Model):
    """A participant unit's yearly report on the movement (due 20 November): figures filled in from the records
    (refreshed until submission, frozen at it), its narrative in the plan's sections, and its attachments.

    A commune reports to its district; every other unit to the movement's lead unit (DOLISA)."""

    movement = models.ForeignKey(
        "movement.Movement", verbose_name=_("movement"), on_delete=models.CASCADE, related_name="+"
    )
    unit = models.ForeignKey("units.Unit", verbose_name=_("unit"), on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField(_("year"))
    deadline = models.ForeignKey(
        "deadlines.Deadline", verbose_name=_("deadline"), on_delete=models.PROTECT, related_name="+"
    )
    state = models.CharField(_("state"), max_length=20, choices=UnitReportState.choices, default="draft")
    version = models.PositiveIntegerField(default=0)
    figures = models.JSONField(_("figures"), default=dict)
    figures_at = models.DateTimeField(_("figures computed at"))
    direction = models.TextField(_("I. Direction and deployment"), blank=True)
    results = models.TextField(_("II. Results against the criteria and targets"), blank=True)
    practices = models.TextField(_("III. Models and good practices"), blank=True)
    difficulties = models.TextField(_("IV. Difficulties and shortcomings"), blank=True)
    proposals = models.TextField(_("V. Proposals"), blank=True)
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("opened by"), on_delete=models.PROTECT, related_name="+"
    )
    opened_at = models.DateTimeField(_("opened at"))
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("last changed by"), on_delete=models.PROTECT, related_name="+"
    )
    updated_at = models.DateTimeField(_("last changed at"))
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    # The document's number (…/BC-…) in the unit's register, taken at the first submission and kept after it.
    number = models.PositiveIntegerField(_("number"), null=True, blank=True)

    scope_path = "unit__path"

    class Meta:
        verbose_name = _("unit report")
        verbose_name_plural = _("unit reports")
        constraints = [
            models.UniqueConstraint(fields=["movement", "unit", "year"], name="one_unit_report_a_year"),
            models.CheckConstraint(
                condition=models.Q(state="draft") | models.Q(submitted_at__isnull=False),
                name="unit_report_submitted_when",
            ),
        ]

    def __str__(self):
        return f"{self.unit} — {self.year}"

    def get_absolute_url(self):
        return reverse("reports:unit_report", args=[self.pk])

    @property
    def is_editable(self):
        return self.state in (UnitReportState.DRAFT, UnitReportState.RETURNED)


class UnitReportTransition(TransitionLog):
    """Who moved a unit report from one state to another, when, and why (a return's comment)."""

    report = models.ForeignKey(UnitReport, on_delete=models.CASCADE, related_name="transitions")
    from_state = models.CharField(max_length=20, choices=UnitReportState.choices)
    to_state = models.CharField(max_length=20, choices=UnitReportState.choices)

    class Meta(TransitionLog.Meta):
        verbose_name = _("unit report step")
        verbose_name_plural = _("unit report steps")


class UnitReportFile(models.Model):
    """A document or photo attached to a unit report (PDF, DOCX, JPEG or PNG by its content, at most 10 MB)."""

    report = models.ForeignKey(UnitReport, on_delete=models.CASCADE, related_name="files")
    file = models.FileField(_("file"), upload_to="reports/unit-reports/%Y/%m/", max_length=255)
    name = models.CharField(_("name"), max_length=255)
    size = models.PositiveIntegerField(_("size"))
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("uploaded by"), on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(_("uploaded at"))

    scope_path = "report__unit__path"

    class Meta:
        verbose_name = _("unit report attachment")
        verbose_name_plural = _("unit report attachments")
        ordering = ["uploaded_at", "pk"]

    def __str__(self):
        return self.name


# The lead unit's yearly summary (báo cáo tổng hợp kết quả thực hiện Phong trào thi đua) ---------------------------


class SummaryState(models.TextChoices):
    DRAFT = "draft", pgettext_lazy("summary state", "draft")
    SUBMITTED = "submitted", pgettext_lazy("summary state", "submitted")
    RETURNED = "returned", pgettext_lazy("summary state", "returned for correction")
    ACKNOWLEDGED = "acknowledged", pgettext_lazy("summary state", "receipt acknowledged")


class Summary(models.Model):
    """The movement's yearly summary (due 25 November): compiled by the lead unit (DOLISA) from the unit reports,
    the registry, the ledger and the good practices (tables recomputed while it is a draft, frozen at submission),
    with its narrative in the plan's sections; submitted to the Emulation Board, which acknowledges receipt or
    returns it with a comment. Its number (…/BC-…) comes from the register at the first submission."""

    movement = models.ForeignKey(
        "movement.Movement", verbose_name=_("movement"), on_delete=models.CASCADE, related_name="+"
    )
    year = models.PositiveSmallIntegerField(_("year"))
    issuer = models.ForeignKey("units.Unit", verbose_name=_("issuer"), on_delete=models.PROTECT, related_name="+")
    deadline = models.ForeignKey(
        "deadlines.Deadline", verbose_name=_("deadline"), on_delete=models.PROTECT, related_name="+"
    )
    state = models.CharField(_("state"), max_length=20, choices=SummaryState.choices, default="draft")
    version = models.PositiveIntegerField(default=0)
    figures = models.JSONField(_("tables"), default=dict)
    figures_at = models.DateTimeField(_("tables compiled at"))
    direction = models.TextField(_("I. Direction and deployment"), blank=True)
    results = models.TextField(_("II. Results against the criteria and targets"), blank=True)
    practices = models.TextField(_("III. Models and good practices"), blank=True)
    difficulties = models.TextField(_("IV. Difficulties and shortcomings"), blank=True)
    proposals = models.TextField(_("V. Proposals"), blank=True)
    number = models.PositiveIntegerField(_("number"), null=True, blank=True)
    issued_on = models.DateField(_("issued on"), null=True, blank=True)
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("opened by"), on_delete=models.PROTECT, related_name="+"
    )
    opened_at = models.DateTimeField(_("opened at"))
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("last changed by"), on_delete=models.PROTECT, related_name="+"
    )
    updated_at = models.DateTimeField(_("last changed at"))
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)

    scope_path = "issuer__path"

    class Meta:
        verbose_name = _("summary of the movement")
        verbose_name_plural = _("summaries of the movement")
        ordering = ["-year", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["movement", "year"], name="one_summary_a_year"),
            models.CheckConstraint(
                condition=models.Q(state="draft")
                | models.Q(submitted_at__isnull=False, number__isnull=False, issued_on__isnull=False),
                name="summary_numbered_when_submitted",
            ),
        ]

    def __str__(self):
        return f"{self.movement} — {self.year}"

    def get_absolute_url(self):
        return reverse("reports:summary", args=[self.pk])

    @property
    def is_editable(self):
        return self.state in (SummaryState.DRAFT, SummaryState.RETURNED)


class SummaryTransition(TransitionLog):
    """Who moved a summary from one state to another, when, and why (a return's or an acknowledgement's
    comment)."""

    summary = models.ForeignKey(Summary, on_delete=models.CASCADE, related_name="transitions")
    from_state = models.CharField(max_length=20, choices=SummaryState.choices)
    to_state = models.CharField(max_length=20, choices=SummaryState.choices)

    class Meta(TransitionLog.Meta):
        verbose_name = _("summary step")
        verbose_name_plural = _("summary steps")
