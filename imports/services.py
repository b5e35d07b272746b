"""Every write of the imports app that a user starts: upload (with the one-import-per-unit lock), confirm, cancel."""

import uuid
from datetime import timedelta

from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from common import jobs
from common.text import nfc, unsafe_characters_problem

from . import reading
from .importers import IMPORTERS, get_importer
from .models import ACTIVE_STATES, ExportJob, ImportJob, ImportMode, JobState
from .pipeline import drop_staging, drop_upload
from .workflow import JOBS, require_import

# pg_advisory_xact_lock key that serialises the "is another import running here?" check.
_LOCK_KEY = 0x696D706F7274


def _busy_message(job):
    return _(
        "An import into %(unit)s is already in progress (no. %(job)s, uploaded by %(user)s: %(state)s). "
        "Wait until it finishes, or cancel it, then upload again."
    ) % {
        "unit": job.unit,
        "job": job.pk,
        "user": job.requested_by.get_full_name() or job.requested_by.username,
        "state": job.get_state_display().lower(),
    }


def _check_unit_free(unit, *, importer, exclude=None):
    """Refuse a second active import of the same lock group on the unit, on a unit above it or on one under it.

    Imports of another group (users while households are imported) do not touch the same rows and may overlap;
    the database still allows one active job per unit whatever its kind.
    """
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_LOCK_KEY])
    group = [kind for kind, other in IMPORTERS.items() if other.lock_group == importer.lock_group]
    busy = (
        ImportJob.objects.filter(state__in=ACTIVE_STATES, kind__in=group)
        .filter(Q(unit_id__in=[*unit.ancestor_ids, unit.pk]) | Q(unit__path__startswith=unit.path))
        .exclude(pk=exclude)
        .select_related("unit", "requested_by")
        .first()
    )
    if busy:
        raise ValidationError(_busy_message(busy))


@transaction.atomic
def create_job(*, user, kind, unit, upload, mode=ImportMode.ALL_OR_NOTHING):
    """Store an uploaded roster and queue its check. Refuses bad files and busy units before storing anything."""
    from .tasks import validate_job

    try:
        importer = get_importer(kind)
    except KeyError:
        raise ValidationError({"kind": _("Choose what to import.")}) from None
    if importer.target_kinds:
        if unit is None or unit.kind not in importer.target_kinds:
            raise ValidationError({"unit": _("Choose a unit of the right kind for this import.")})
        require_import(user, importer, unit)
    if unsafe_characters_problem(upload.name):
        # A right-to-left override in a name shows "danh-sach\u202exslx.exe" as "danh-sachexe.xlsx".
        raise ValidationError(
            {"file": _("The file name contains an invisible or control character. Rename the file and upload it.")}
        )
    try:
        sniffed = reading.sniff(reading.stream_for_sniff(upload), upload.name, upload.size)
    except reading.FileRefused as exc:
        raise ValidationError({"file": str(exc)}) from None
    if unit is not None:
        _check_unit_free(unit, importer=importer)
    job = ImportJob(
        kind=kind,
        unit=unit,
        original_name=nfc(upload.name)[:255],
        file_format=sniffed.format,
        size=upload.size,
        mode=mode,
        requested_by=user,
    )
    upload.seek(0)
    job.file.save(f"{uuid.uuid4().hex}.{sniffed.format}", upload, save=False)
    try:
        with transaction.atomic():
            job.save()
    except IntegrityError as exc:
        job.file.delete(save=False)
        busy = (
            ImportJob.objects.filter(unit=unit, state__in=ACTIVE_STATES).select_related("unit", "requested_by").first()
        )
        raise ValidationError(_busy_message(busy) if busy else _("The import could not be started.")) from exc
    transaction.on_commit(lambda: validate_job.delay(job.pk))
    return job


@transaction.atomic
def confirm_job(*, user, job, valid_only=False):
    """Confirm a checked job and queue the import. `valid_only` imports the valid rows of a job with errors."""
    from .tasks import apply_job

    if job.unit_id:
        require_import(user, job.importer, job.unit)
    now = timezone.now()
    if job.state == JobState.INVALID and valid_only:
        if not job.staging:
            raise ValidationError(_("There is no valid row to import."))
        _check_unit_free(job.unit, importer=job.importer, exclude=job.pk)
        moved = JOBS.move(
            job.pk,
            "import_valid",
            by=user,
            comment="import the valid rows only",
            mode=ImportMode.VALID_ONLY,
            confirmed_at=now,
            confirmed_by=user,
            finished_at=None,
        )
    else:
        moved = ImportJob.objects.filter(pk=job.pk, state=JobState.VALIDATED, confirmed_at__isnull=True).update(
            confirmed_at=now, confirmed_by=user
        )
    if not moved:
        raise ValidationError(_("This import is not waiting for confirmation any more."))
    transaction.on_commit(lambda: apply_job.delay(job.pk))


def cancel_job(*, user, job):
    """Cancel a job: at once if it is waiting, at the next block if it is running. Returns the outcome."""
    if job.unit_id:
        require_import(user, job.importer, job.unit)
    now = timezone.now()
    if JOBS.move(job.pk, "cancel", by=user, finished_at=now):
        drop_staging(job.pk)
        drop_upload(job.pk)
        return JobState.CANCELLED
    if job.is_stale and JOBS.move(
        job.pk,
        "abandon",
        by=user,
        comment="abandoned: no progress",
        finished_at=now,
        error=_("The job stopped reporting progress and was abandoned; nothing was written."),
    ):
        drop_staging(job.pk)
        return JobState.FAILED
    if JOBS.move(job.pk, "request_cancel", by=user, comment="cancel requested"):
        return JobState.CANCEL_REQUESTED
    raise ValidationError(_("This import can no longer be cancelled."))


# Background exports -----------------------------------------------------------------------------------------


@transaction.atomic
def request_export(*, user, kind, params, year):
    """Queue a big export of the household list (its query string `params`); the worker writes it."""
    from .tasks import export_job

    job = ExportJob.objects.create(kind=kind, params=params, year=year, requested_by=user)
    transaction.on_commit(lambda: export_job.delay(job.pk))
    return job


def run_export(job_id):
    """Write a queued export. Idempotent: only the first delivery of the task does the work."""
    import tempfile

    from django.core.files import File

    from households import selectors as household_selectors
    from households.forms import household_filters

    from . import exports

    def write(job):
        user = job.requested_by
        _form, year, filters = household_filters(user, job.params, today=timezone.localdate())
        select = (
            household_selectors.household_list if job.kind == "households" else household_selectors.household_filter
        )
        households = select(user, year=year, **filters)
        total = exports.estimate(job.kind, households, year)
        job.report(0, total=total)

        def progress(rows):
            job.report(min(99, round(100 * rows / total)) if total else 0, rows_done=rows)

        with tempfile.TemporaryFile() as handle:
            filename, rows = exports.write(job.kind, households, year, handle, user=user, progress=progress)
            handle.seek(0)
            job.file.save(filename, File(handle), save=False)
        return {"file": job.file.name, "rows_done": rows, "total": max(total, rows)}

    return jobs.run(
        ExportJob,
        job_id,
        write,
        failure=_("The file could not be written. Try again; if it fails again, tell your administrator."),
    )


def clean_up_files(*, now, keep_days=7):
    """Run daily: after `keep_days`, delete exported files (they hold personal data), cancel imports that were
    checked but never confirmed (a checked job holds its commune), drop the staged rows of finished imports and
    delete the uploaded rosters of failed ones (done and cancelled ones lose theirs at once). Job records and their
    row errors stay on record. Returns (exports cleared, imports cancelled, stagings dropped, uploads deleted)."""
    cutoff = now - timedelta(days=keep_days)
    cleared = 0
    for job in ExportJob.objects.filter(finished_at__lt=cutoff).exclude(file=""):
        job.file.delete(save=False)
        ExportJob.objects.filter(pk=job.pk).update(file="")
        cleared += 1
    cancelled = 0
    waiting = [JobState.VALIDATED, JobState.INVALID]
    for job_id in ImportJob.objects.filter(state__in=waiting, created_at__lt=cutoff).values_list("pk", flat=True):
        cancelled += JOBS.move(job_id, "expire", comment=f"not confirmed within {keep_days} days")
    dropped = 0
    finished = ImportJob.objects.exclude(staging="").exclude(state__in=ACTIVE_STATES).filter(created_at__lt=cutoff)
    for job_id in finished.values_list("pk", flat=True):
        drop_staging(job_id)
        dropped += 1
    deleted = 0
    old = ImportJob.objects.exclude(file="").exclude(state__in=ACTIVE_STATES).filter(created_at__lt=cutoff)
    for job_id in old.values_list("pk", flat=True):
        deleted += drop_upload(job_id, states=(JobState.DONE, JobState.CANCELLED, JobState.FAILED, JobState.INVALID))
    return cleared, cancelled, dropped, deleted
