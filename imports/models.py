"""Import jobs: an uploaded roster, its state, counts and progress, its row errors and its transitions."""

from datetime import timedelta

from django.conf import settings
from django.db import models
from django.db.models import BigIntegerField, Case, F, PositiveSmallIntegerField, Q, Value, When
from django.db.models.functions import Cast, Least
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from common import jobs
from common.workflow import TransitionLog
from units.models import Unit


class JobState(models.TextChoices):
    UPLOADED = "uploaded", _("Uploaded")
    VALIDATING = "validating", _("Checking")
    VALIDATED = "validated", _("Waiting for confirmation")
    INVALID = "invalid", _("Has errors")
    APPLYING = "applying", _("Importing")
    DONE = "done", _("Done")
    FAILED = "failed", _("Failed")
    CANCEL_REQUESTED = "cancel_requested", _("Cancelling")
    CANCELLED = "cancelled", _("Cancelled")


# A job in one of these states holds its unit: no second import may start on the unit, its sub-units or the
# units above it until the job is done, failed, invalid or cancelled.
ACTIVE_STATES = (
    JobState.UPLOADED,
    JobState.VALIDATING,
    JobState.VALIDATED,
    JobState.APPLYING,
    JobState.CANCEL_REQUESTED,
)
RUNNING_STATES = (JobState.UPLOADED, JobState.VALIDATING, JobState.APPLYING, JobState.CANCEL_REQUESTED)

STATE_BADGES = {
    JobState.DONE: "text-bg-success",
    JobState.VALIDATED: "text-bg-primary",
    JobState.INVALID: "text-bg-danger",
    JobState.FAILED: "text-bg-danger",
    JobState.CANCELLED: "text-bg-secondary",
}

# A running job reports progress every few seconds; one silent for this long has lost its worker.
STALE_AFTER = timedelta(minutes=15)


class ImportMode(models.TextChoices):
    ALL_OR_NOTHING = "all_or_nothing", _("All or nothing: import only if every row is valid")
    VALID_ONLY = "valid_only", _("Import the valid rows, skip the rows with errors")


class Severity(models.TextChoices):
    ERROR = "error", _("Error")
    WARNING = "warning", _("Warning")


def _rows_percent():
    """Rows done of the phase in percent, rounded half up (the integer form of round(100 * done / total))."""
    done, total = Cast(F("rows_done"), BigIntegerField()), Cast(F("phase_total"), BigIntegerField())
    return Cast(
        Case(
            When(phase_total=0, then=Value(0)),
            default=Least(Value(100), (done * 200 + total) / (total * 2)),
        ),
        PositiveSmallIntegerField(),
    )


class ImportJob(jobs.Job):
    """An uploaded roster on its way into the registry. Its workflow is richer than the job base's (check,
    confirm, import), so it keeps its own states and cancels through CANCEL_REQUESTED; its progress is the rows
    done of the running phase, computed by the database from the counters the pipeline writes."""

    RUNNING_STATES = RUNNING_STATES
    DONE_STATES = (JobState.DONE,)
    FAILED_STATES = (JobState.FAILED,)

    kind = models.CharField(_("import"), max_length=30)
    unit = models.ForeignKey(
        Unit, verbose_name=_("unit"), on_delete=models.PROTECT, null=True, blank=True, related_name="import_jobs"
    )
    # The uploaded roster holds personal data: it is deleted once the job is done or cancelled (failed ones after a
    # few days, see services.clean_up_files); the job row, its counts and row errors stay as the record.
    file = models.FileField(_("file"), upload_to="imports/%Y/%m/", max_length=255, blank=True)
    file_deleted_at = models.DateTimeField(_("file deleted at"), null=True, blank=True)
    original_name = models.CharField(_("file name"), max_length=255)
    file_format = models.CharField(max_length=4)
    size = models.PositiveBigIntegerField(_("size (bytes)"), default=0)
    mode = models.CharField(_("mode"), max_length=20, choices=ImportMode.choices, default=ImportMode.ALL_OR_NOTHING)
    state = models.CharField(_("state"), max_length=20, choices=JobState.choices, default=JobState.UPLOADED)
    progress = models.GeneratedField(
        expression=_rows_percent(), output_field=PositiveSmallIntegerField(), db_persist=True
    )
    cancel_requested = None

    scope_path = "unit__path"

    # What the reader found: the sheet, the header row and its cells (the error workbook repeats them).
    sheet = models.CharField(max_length=100, blank=True)
    header_row = models.PositiveIntegerField(null=True, blank=True)
    header = models.JSONField(default=list, blank=True)
    staging = models.CharField(max_length=255, blank=True, help_text="Normalised valid rows, for the apply step.")
    staged_rows = models.PositiveIntegerField(default=0)

    # Counts of data rows (blank rows are not counted). Entity counts per importer go in `details`.
    total_rows = models.PositiveIntegerField(_("rows"), default=0)
    new_rows = models.PositiveIntegerField(_("new"), default=0)
    updated_rows = models.PositiveIntegerField(_("changed"), default=0)
    unchanged_rows = models.PositiveIntegerField(_("unchanged"), default=0)
    error_rows = models.PositiveIntegerField(_("rows with errors"), default=0)
    warning_rows = models.PositiveIntegerField(_("rows with warnings"), default=0)
    details = models.JSONField(default=dict, blank=True)

    # Progress of the running phase (checking, then importing): rows done of phase_total since started_at.
    phase_total = models.PositiveIntegerField(default=0)
    rows_done = models.PositiveIntegerField(default=0)
    started_at = models.DateTimeField(null=True, blank=True)
    progress_at = models.DateTimeField(null=True, blank=True)
    validated_at = models.DateTimeField(null=True, blank=True)
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("confirmed by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    summary = models.TextField(_("summary"), blank=True)

    class Meta:
        verbose_name = _("import job")
        verbose_name_plural = _("import jobs")
        ordering = ["-created_at", "-pk"]
        constraints = [
            # The service also refuses overlapping units (a district while one of its communes imports);
            # this index makes the same-unit case impossible even under a race.
            models.UniqueConstraint(
                fields=["unit"], condition=Q(state__in=ACTIVE_STATES), name="one_active_import_per_unit"
            ),
        ]
        indexes = [models.Index(fields=["state"], name="import_job_state")]

    def __str__(self):
        return f"#{self.pk} {self.original_name}"

    def get_absolute_url(self):
        return reverse("imports:job", args=[self.pk])

    @property
    def importer(self):
        from .importers import get_importer

        return get_importer(self.kind)

    @property
    def state_badge(self):
        return STATE_BADGES.get(self.state, "text-bg-info")

    @classmethod
    def visible_to(cls, user):
        from .selectors import jobs_for

        return jobs_for(user)

    @property
    def is_stale(self):
        last = self.progress_at or self.started_at or self.created_at
        return self.is_running and last is not None and timezone.now() - last > STALE_AFTER

    @property
    def valid_rows(self):
        return self.new_rows + self.updated_rows + self.unchanged_rows

    def rate(self):
        """Rows per second of the running phase, or None before the first checkpoint."""
        if not (self.started_at and self.progress_at and self.rows_done):
            return None
        seconds = (self.progress_at - self.started_at).total_seconds()
        return self.rows_done / seconds if seconds > 0 else None

    def seconds_left(self):
        rate = self.rate()
        if not rate or not self.phase_total:
            return None
        return max(self.phase_total - self.rows_done, 0) / rate

    def progress_figures(self):
        """The numbers beside the progress bar, formatted for the reader's language."""
        rate = self.rate()
        left = self.seconds_left()
        if left is None:
            eta = ""
        elif left < 60:
            eta = gettext("about %(s)s s left") % {"s": max(int(left), 1)}
        else:
            eta = gettext("about %(m)s min left") % {"m": round(left / 60)}
        return {
            "percent": self.progress,
            "rows": gettext("%(done)s of %(total)s rows")
            % {
                "done": formats.number_format(self.rows_done, force_grouping=True),
                "total": formats.number_format(self.phase_total, force_grouping=True),
            },
            "rate": gettext("%(rate)s rows/s") % {"rate": formats.number_format(round(rate), force_grouping=True)}
            if rate
            else "",
            "eta": eta,
        }

    def status_extra(self):
        return {
            "running": self.is_running or (self.state == JobState.VALIDATED and self.confirmed_at is not None),
            "rows_done": self.rows_done,
            "total": self.phase_total,
            "seconds_left": self.seconds_left(),
            **self.progress_figures(),
        }


class ImportRowError(models.Model):
    """One problem on one row (row numbers as the sheet shows them); warnings do not stop the import."""

    job = models.ForeignKey(ImportJob, on_delete=models.CASCADE, related_name="row_errors")
    row_number = models.PositiveIntegerField(_("row"))
    column = models.CharField(_("column"), max_length=200, blank=True)
    message = models.TextField(_("problem"))
    severity = models.CharField(_("severity"), max_length=10, choices=Severity.choices, default=Severity.ERROR)
    key = models.CharField(max_length=100, blank=True, help_text="The entity the row belongs to, e.g. the household.")
    raw = models.JSONField(default=list, blank=True, help_text="The row's cells as read, for the error workbook.")

    class Meta:
        verbose_name = _("row error")
        verbose_name_plural = _("row errors")
        ordering = ["job", "row_number", "pk"]
        indexes = [models.Index(fields=["job", "severity", "row_number"], name="import_error_job_row")]

    def __str__(self):
        return f"{self.row_number}: {self.message}"


class ImportTransition(TransitionLog):
    """Who (or the worker) moved an import job, when, and what happened (the log of imports.workflow.JOBS)."""

    job = models.ForeignKey(ImportJob, on_delete=models.CASCADE, related_name="transitions")
    from_state = models.CharField(max_length=20, choices=JobState.choices)
    to_state = models.CharField(max_length=20, choices=JobState.choices)
    comment = None
    note = models.TextField(blank=True)

    comment_field = "note"

    class Meta:
        verbose_name = _("import transition")
        verbose_name_plural = _("import transitions")
        ordering = ["at", "pk"]

    def __str__(self):
        return f"{self.job_id}: {self.from_state} → {self.to_state}"


class ExportJob(jobs.Job):
    """A registry list too big to write during a request, written by the worker; only its requester fetches it.

    The filters are the household list's query string, applied again (with the requester's current rights) when
    the worker writes the file.
    """

    kind = models.CharField(_("export"), max_length=20)
    params = models.JSONField(default=dict, blank=True)
    year = models.PositiveSmallIntegerField(_("year"))
    # An export is its requester's personal file: it goes with the account.
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("requested by"), on_delete=models.CASCADE, related_name="+"
    )
    total = models.PositiveIntegerField(default=0)
    rows_done = models.PositiveIntegerField(default=0)
    file = models.FileField(_("file"), upload_to="exports/%Y/%m/", max_length=255, blank=True)

    class Meta:
        verbose_name = _("export")
        verbose_name_plural = _("exports")
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return f"#{self.pk} {self.kind} {self.year}"

    def get_absolute_url(self):
        return reverse("imports:export", args=[self.pk])

    @classmethod
    def visible_to(cls, user):
        """Only the person who asked for an export may see it (it holds personal data)."""
        return cls.objects.filter(requested_by=user) if user.is_authenticated else cls.objects.none()

    def get_result_url(self):
        return reverse("imports:export_download", args=[self.pk])

    def status_extra(self):
        return {
            "label": gettext("%(state)s: %(done)s of %(total)s rows")
            % {
                "state": self.get_state_display(),
                "done": formats.number_format(self.rows_done, force_grouping=True),
                "total": formats.number_format(self.total, force_grouping=True),
            }
        }
