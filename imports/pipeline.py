"""The import engine: check an uploaded file in the background, then apply it once someone confirms.

`validate` reads the file once (streamed), parses and checks every row, compares blocks of ~1,000 rows with the
database (a couple of queries per block), and leaves three things: the counts, the row errors, and the valid
rows in normalised form (a JSON-lines file in the media storage). `apply` reads those rows back, compares them
again with the database as it is now (someone may have edited a household meanwhile), and writes the
differences — changes through import-export resources, new records of the big importers by COPY (see
imports.bulk) — all in one transaction, so that an all-or-nothing import either happens entirely or not at all.

Both steps report progress every block through a separate autocommit connection (the main one is inside the
transaction, whose updates nobody else can see) and stop at the next block when the job was asked to cancel:
the transaction rolls back and nothing is written.
"""

import contextlib
import gc
import json
import logging
import os
import tempfile
from datetime import date, datetime, time

from django.conf import settings
from django.core.files import File
from django.core.files.storage import default_storage
from django.db import DEFAULT_DB_ALIAS, connection, connections, reset_queries, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from units import policy

from . import history, reading
from .importers.base import NEW, UNCHANGED, UPDATED
from .models import ImportJob, ImportMode, ImportRowError, JobState
from .workflow import JOBS

logger = logging.getLogger(__name__)

ERROR_BATCH = 1000
CONFLICTS_SHOWN = 5


class Cancelled(Exception):
    """Someone asked to cancel the job; the transaction rolls back."""


class Conflict(Exception):
    """The apply step cannot go on (the registry changed, the user lost the right); nothing is written."""


class Progress:
    """Rows done of the phase, written with one UPDATE per block; raises Cancelled when a cancel was asked."""

    def __init__(self, job_id):
        self.job_id = job_id
        # Inside a transaction already (a test, a shell) there is nobody to show progress to: use the connection.
        self.side = None if connection.in_atomic_block else connections.create_connection(DEFAULT_DB_ALIAS)

    def update(self, rows_done, *, total=None):
        if settings.DEBUG:
            reset_queries()  # with DEBUG on, Django would keep every bulk INSERT's SQL text in memory
        table = ImportJob._meta.db_table
        with (self.side or connection).cursor() as cursor:
            cursor.execute(
                f"UPDATE {table} SET rows_done = %s, phase_total = GREATEST(COALESCE(%s, phase_total), %s), "
                "progress_at = %s WHERE id = %s RETURNING state",
                [rows_done, total, rows_done, timezone.now(), self.job_id],
            )
            found = cursor.fetchone()
        if found is None or found[0] == JobState.CANCEL_REQUESTED:
            raise Cancelled

    def close(self):
        if self.side is not None:
            self.side.close()


@contextlib.contextmanager
def few_full_collections():
    """Let Python's garbage collector skip its full collections while a job runs.

    A job keeps a block of rows alive while it works on it, so their objects survive the young collections and,
    block after block, keep triggering full ones — each a walk over every object of the process (Django, the
    openpyxl reader, …): about 30 for a 100,000-row file, a quarter of the check's time. The young collections go
    on as usual (rows hold no reference cycles; the few the database layer makes are freed by them or at the end).
    """
    thresholds = gc.get_threshold()
    gc.set_threshold(thresholds[0], thresholds[1], max(thresholds[2], 1000))
    try:
        yield
    finally:
        gc.set_threshold(*thresholds)


# Rows -------------------------------------------------------------------------------------------------------


def jsonable(value):
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    if isinstance(value, datetime):
        return value.strftime("%d/%m/%Y %H:%M") if value.time() != time(0) else value.strftime("%d/%m/%Y")
    if isinstance(value, date):
        return value.strftime("%d/%m/%Y")
    return str(value)


_PLAIN = frozenset({str, int, float, bool, type(None)})


def row_cells(cells, width):
    cells = list(cells[:width])
    cells += [None] * (width - len(cells))
    # Every valid row's cells are staged: convert only the few that are not JSON already (dates).
    return [cell if cell.__class__ in _PLAIN else jsonable(cell) for cell in cells]


def _storable(cells):
    """PostgreSQL keeps no NUL character, in text or in jsonb: a cell holding one (a row error says so) is kept
    with U+FFFD in its place."""
    return [cell.replace("\x00", "\ufffd") if cell.__class__ is str and "\x00" in cell else cell for cell in cells]


class ErrorSink:
    """Row problems, bulk-inserted a thousand at a time."""

    def __init__(self, job, importer, mapping, header):
        self.job = job
        self.width = len(header)
        self.names = {}
        for column in importer.columns:
            position = mapping.get(column.key)
            self.names[column.key] = header[position] if position is not None and header[position] else column.header
        self.pending = []
        self.rows = 0

    def add(self, row, *, errors_only=False):
        raw = None
        for column, message, severity in row.problems:
            if errors_only and severity != "error":
                continue
            if raw is None:
                raw = _storable(row_cells(row.cells, self.width))
            self.pending.append(
                ImportRowError(
                    job_id=self.job.pk,
                    row_number=row.number,
                    column=str(self.names.get(column, column or ""))[:200],
                    message=message,
                    severity=severity,
                    key=str(row.group or "")[:100],
                    raw=raw,
                )
            )
        if len(self.pending) >= ERROR_BATCH:
            self.flush()

    def flush(self):
        if self.pending:
            ImportRowError.objects.bulk_create(self.pending)
            self.pending = []


class Grouping:
    """Rows of one group (a household) must follow each other; a group seen again later is an error."""

    def __init__(self, importer):
        self.importer = importer
        self.spans = {}
        self.current = None

    def check(self, row):
        key = row.group
        if key is None:
            return
        if key == self.current:
            self.spans[key][1] = row.number
            return
        span = self.spans.get(key)
        if span is not None:
            row.error(
                self.importer.group_by,
                _("%(group)s is already on rows %(first)s–%(last)s; keep all its rows together.")
                % {"group": self.importer.group_label(key), "first": span[0], "last": span[1]},
            )
            row.group = None  # not part of the earlier group: that one stays as it was checked
            return
        self.current = key
        self.spans[key] = [row.number, row.number]


def _propagate(importer, rows):
    """A group with an error is not imported at all: its other rows say so."""
    if not importer.group_by:
        for row in rows:
            if row.has_errors:
                row.status = row.action = row.group_action = None
        return
    bad = {}
    for row in rows:
        if row.has_errors and row.group is not None:
            bad.setdefault(row.group, row.number)
    for row in rows:
        first_bad = bad.get(row.group) if row.group is not None else None
        if first_bad is None and not row.has_errors:
            continue
        row.status = row.action = row.group_action = None
        if first_bad is not None and not row.has_errors:
            row.error(
                importer.group_by,
                _("Not imported: %(group)s has an error on row %(row)s.")
                % {"group": importer.group_label(row.group), "row": first_bad},
            )


class Counts:
    def __init__(self):
        self.total = self.new = self.updated = self.unchanged = self.errors = self.warnings = 0

    def add(self, row):
        self.total += 1
        if row.problems and any(severity == "warning" for _c, _m, severity in row.problems):
            self.warnings += 1
        if row.has_errors:
            self.errors += 1
        elif row.status == NEW:
            self.new += 1
        elif row.status == UPDATED:
            self.updated += 1
        elif row.status == UNCHANGED:
            self.unchanged += 1

    @property
    def changes(self):
        return self.new + self.updated


# Staging ----------------------------------------------------------------------------------------------------


class StagingWriter:
    """Valid rows of the check, one JSON array per block (a block keeps its groups whole)."""

    def __init__(self):
        self.handle = tempfile.NamedTemporaryFile("w+", suffix=".jsonl", encoding="utf-8", delete=False)  # noqa: SIM115
        self.rows = 0

    def write(self, records):
        if records:
            self.handle.write(json.dumps(records, ensure_ascii=False, separators=(",", ":")))
            self.handle.write("\n")
            self.rows += len(records)

    def save(self, job):
        self.handle.flush()
        self.handle.seek(0)
        return default_storage.save(f"imports/staging/job-{job.pk}.jsonl", File(self.handle))

    def discard(self):
        self.handle.close()
        os.unlink(self.handle.name)


def staged_blocks(name):
    with default_storage.open(name, "rb") as handle:
        for line in handle:
            yield json.loads(line)


def drop_staging(job_id, name=None):
    """Delete a job's staged rows: the file `name` (by default the one the job row names) and the row's reference."""
    name = name or ImportJob.objects.filter(pk=job_id).values_list("staging", flat=True).first()
    if name:
        default_storage.delete(name)
        ImportJob.objects.filter(pk=job_id).update(staging="")


def drop_upload(job_id, *, states=(JobState.DONE, JobState.CANCELLED)):
    """Delete the uploaded roster (personal data) of a job in one of `states`: once imported or cancelled, nothing
    needs it. The job row, its counts and row errors stay as the record. Returns whether a file was deleted."""
    name = ImportJob.objects.filter(pk=job_id, state__in=states).exclude(file="").values_list("file", flat=True).first()
    if not name:
        return False
    ImportJob.objects.filter(pk=job_id).update(file="", file_deleted_at=timezone.now())
    default_storage.delete(name)
    return True


# The check --------------------------------------------------------------------------------------------------


def validate(job_id):
    """Check an uploaded job's file. Idempotent: only the delivery that moves the job out of 'uploaded' works."""
    now = timezone.now()
    if not JOBS.move(job_id, "check", started_at=now, progress_at=now, rows_done=0, phase_total=0):
        return False
    job = ImportJob.objects.select_related("unit", "requested_by").get(pk=job_id)
    with translation.override(settings.LANGUAGE_CODE):
        progress = Progress(job_id)
        try:
            with few_full_collections():
                _validate(job, job.importer, progress)
        except Cancelled:
            JOBS.move(job_id, "stop", finished_at=timezone.now(), comment="cancelled while checking")
        except reading.FileRefused as exc:
            if not JOBS.move(job_id, "refuse", error=str(exc), finished_at=timezone.now()):
                JOBS.move(job_id, "stop", finished_at=timezone.now())
        except Exception:
            logger.exception("import job %s: the check failed", job_id)
            JOBS.move(
                job_id,
                "fail",
                error=_(
                    "The file could not be checked because of an unexpected error. Try again; if it fails again, "
                    "tell your administrator."
                ),
                finished_at=timezone.now(),
            )
        finally:
            progress.close()
            drop_upload(job_id)  # nothing to change, or cancelled
    return True


def _validate(job, importer, progress):
    path, cleanup = reading.open_path(job.file)
    try:
        with open(path, "rb") as handle:
            sniffed = reading.sniff(handle, job.original_name, os.path.getsize(path))
        table = reading.open_table(path, sniffed, importer.aliases(), required=importer.required_columns())
        try:
            _check_table(job, importer, table, progress)
        finally:
            table.close()
    finally:
        cleanup()


def _blocks(importer, table, grouping, skipped):
    block = []
    last = object()
    size = importer.block_rows
    for number, cells in table.rows:
        row = importer.parse(number, cells, table.mapping)
        if importer.is_filler(row):
            skipped.append(row)
            continue
        grouping.check(row)
        if len(block) >= size and (row.group is None or row.group != last):
            yield block
            block = []
        block.append(row)
        last = row.group
    if block:
        yield block


def _check_table(job, importer, table, progress):
    progress.update(0, total=table.estimated_rows)
    staging = StagingWriter()
    saved = None
    try:
        with transaction.atomic():
            ctx = importer.prepare(job)
            sink = ErrorSink(job, importer, table.mapping, table.header)
            counts = Counts()
            grouping = Grouping(importer)
            skipped = []
            for block in _blocks(importer, table, grouping, skipped):
                importer.plan(ctx, block)
                _propagate(importer, block)
                valid = [row for row in block if row.status]
                for row in valid:
                    row.cells = row_cells(row.cells, len(table.header))
                staging.write([importer.stage(row) for row in valid])
                for row in block:
                    counts.add(row)
                    if row.problems:
                        sink.add(row)
                for row in skipped:
                    row.problems = [(None, _("Row skipped: none of the required columns is filled."), "warning")]
                    sink.add(row)
                counts.warnings += len(skipped)
                skipped.clear()
                progress.update(counts.total)
            for row in skipped:  # filler rows after the last data row (signatures, notes)
                row.problems = [(None, _("Row skipped: none of the required columns is filled."), "warning")]
                sink.add(row)
            counts.warnings += len(skipped)
            sink.flush()

            step, message, summary = _outcome(job, importer, ctx, counts)
            state = JOBS.transitions[step].target
            fields = {
                "sheet": table.sheet[:100],
                "header_row": table.header_row,
                "header": table.header,
                "total_rows": counts.total,
                "new_rows": counts.new,
                "updated_rows": counts.updated,
                "unchanged_rows": counts.unchanged,
                "error_rows": counts.errors,
                "warning_rows": counts.warnings,
                "details": {"checked": ctx.stats.entities},
                "rows_done": counts.total,
                "phase_total": counts.total,
                "progress_at": timezone.now(),
                "validated_at": timezone.now(),
                "error": message,
                "summary": summary,
            }
            if state in (JobState.VALIDATED, JobState.INVALID) and counts.changes:
                saved = staging.save(job)
                fields.update(staging=saved, staged_rows=staging.rows)
            if state in (JobState.DONE, JobState.INVALID):
                fields["finished_at"] = timezone.now()
            if not JOBS.move(job.pk, step, comment="checked", **fields):
                raise Cancelled
    except BaseException:
        if saved:
            default_storage.delete(saved)
        raise
    finally:
        staging.discard()


def _outcome(job, importer, ctx, counts):
    summary = importer.summary(ctx.stats, error_rows=counts.errors, applied=False)
    if counts.total == 0:
        return "refuse", _("The file has no data rows under its header row."), ""
    if counts.errors == 0 and counts.changes == 0:
        return (
            "settle",
            "",
            _("Nothing to change: the registry already holds every row of this file (%(n)s rows unchanged).")
            % {"n": counts.unchanged},
        )
    if counts.errors == 0 or (job.mode == ImportMode.VALID_ONLY and counts.changes):
        return "pass", "", summary
    return "refuse", "", summary


# The import -------------------------------------------------------------------------------------------------


def apply(job_id):
    """Write a confirmed job. Idempotent: only the delivery that moves the job to 'applying' works."""
    now = timezone.now()
    job = ImportJob.objects.filter(pk=job_id).only("staged_rows").first()
    if job is None or not JOBS.move(
        job_id,
        "start",
        where={"confirmed_at__isnull": False},
        started_at=now,
        progress_at=now,
        rows_done=0,
        phase_total=job.staged_rows,
    ):
        return False
    job = ImportJob.objects.select_related("unit", "requested_by", "confirmed_by").get(pk=job_id)
    with translation.override(settings.LANGUAGE_CODE):
        progress = Progress(job_id)
        try:
            with few_full_collections():
                _apply(job, job.importer, progress)
        except Cancelled:
            JOBS.move(
                job_id, "stop", finished_at=timezone.now(), comment="cancelled while importing; nothing was written"
            )
        except Conflict as exc:
            JOBS.move(job_id, "fail", error=str(exc), finished_at=timezone.now())
        except Exception:
            logger.exception("import job %s: the import failed", job_id)
            JOBS.move(
                job_id,
                "fail",
                error=_(
                    "The import failed because of an unexpected error; nothing was written. Try again; if it fails "
                    "again, tell your administrator."
                ),
                finished_at=timezone.now(),
            )
        finally:
            progress.close()
            drop_staging(job_id, job.staging)
            drop_upload(job_id)
    return True


def _apply(job, importer, progress):
    if job.unit_id and not policy.can(job.requested_by, importer.import_action, job.unit):
        raise Conflict(
            _("%(user)s may no longer import into %(unit)s; nothing was written.")
            % {"user": job.requested_by, "unit": job.unit}
        )
    found = reading.find_header([job.header], importer.aliases())
    sink = ErrorSink(job, importer, found[1] if found else {}, job.header)
    counts = Counts()
    metadata = {"user": job.confirmed_by_id or job.requested_by_id, "import_job": job.pk}
    with transaction.atomic():
        ctx = importer.prepare(job, applying=True)
        with history.recording(metadata) as recorder:
            for records in staged_blocks(job.staging):
                rows = [importer.unstage(record) for record in records]
                importer.plan(ctx, rows)
                _propagate(importer, rows)
                conflicts = [row for row in rows if row.has_errors]
                if conflicts and job.mode == ImportMode.ALL_OR_NOTHING:
                    raise Conflict(_conflict_message(conflicts))
                for row in conflicts:
                    sink.add(row, errors_only=True)
                importer.persist(ctx, [row for row in rows if not row.has_errors and row.status], recorder)
                for row in rows:
                    counts.add(row)
                progress.update(counts.total)
        sink.flush()
        summary = importer.summary(ctx.stats, error_rows=job.error_rows + counts.errors, applied=True)
        done = JOBS.move(
            job.pk,
            "finish",
            by=job.confirmed_by,
            comment="imported",
            new_rows=counts.new,
            updated_rows=counts.updated,
            unchanged_rows=counts.unchanged,
            error_rows=job.error_rows + counts.errors,
            details={**job.details, "applied": ctx.stats.entities, "history_events": recorder.events},
            rows_done=counts.total,
            progress_at=timezone.now(),
            finished_at=timezone.now(),
            summary=summary,
            staging="",  # with the state, so that nobody sees a finished job still holding staged rows
        )
        if not done:
            raise Cancelled


def _conflict_message(rows):
    shown = []
    for row in rows[:CONFLICTS_SHOWN]:
        message = next(m for _c, m, severity in row.problems if severity == "error")
        shown.append(_("row %(row)s: %(message)s") % {"row": row.number, "message": message})
    return _(
        "The registry changed since the file was checked, so nothing was imported: %(problems)s. Upload the file "
        "again to check it against the registry as it is now."
    ) % {"problems": "; ".join(shown)}
