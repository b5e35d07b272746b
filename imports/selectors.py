"""Reads of the imports app, scoped by the one access policy (imports are seen by those who may import there)."""

from itertools import groupby

from django.http import Http404

from units import policy
from units.models import Unit
from units.roles import Action

from .importers import IMPORTERS
from .models import ExportJob, ImportJob, Severity


def jobs_for(user):
    """Jobs in units where the user may import, and for importers that need more (users: MANAGE), that too."""
    jobs = ImportJob.objects.select_related("unit", "requested_by", "confirmed_by")
    visible = policy.restrict(user, jobs, action=Action.IMPORT)
    stricter = {importer.action for importer in IMPORTERS.values()} - {Action.IMPORT}
    if not stricter:
        return visible
    plain = [kind for kind, importer in IMPORTERS.items() if importer.action == Action.IMPORT]
    result = visible.filter(kind__in=plain)
    for action in stricter:
        kinds = [kind for kind, importer in IMPORTERS.items() if importer.action == action]
        result |= policy.restrict(user, visible.filter(kind__in=kinds), action=action)
    return result


def importers_for(user):
    """The importers the user may run somewhere (the users importer needs MANAGE)."""
    return [
        importer
        for importer in IMPORTERS.values()
        if policy.can_anywhere(user, Action.IMPORT) and policy.can_anywhere(user, importer.action)
    ]


def job_for(user, pk):
    """One job the user may see; another unit's job does not exist for them (404)."""
    return policy.get_or_404(user, jobs_for(user), pk=pk)


def target_units(user):
    """Units the user may import into, in tree order: every kind some importer targets."""
    kinds = {kind for importer in IMPORTERS.values() for kind in importer.target_kinds}
    units = Unit.objects.current().filter(kind__in=kinds)
    return policy.restrict(user, units, action=Action.IMPORT).order_by("path")


def row_problems(job, *, severity=None):
    problems = job.row_errors.order_by("row_number", "pk")
    return problems.filter(severity=severity) if severity else problems


def error_workbook_rows(job):
    """The rows that have an error, as read, each with its problems joined in a last column."""
    problems = row_problems(job).only("row_number", "column", "message", "severity", "raw").iterator(chunk_size=2000)
    width = len(job.header)
    for _number, items in groupby(problems, key=lambda p: p.row_number):
        items = list(items)
        if not any(p.severity == Severity.ERROR for p in items):
            continue
        raw = list(items[0].raw or [])[:width]
        raw += [None] * (width - len(raw))
        yield [*raw, "; ".join(f"{p.column}: {p.message}" if p.column else p.message for p in items)]


def export_for(user, pk):
    """A background export: only the person who asked for it may see it (it holds personal data)."""
    job = ExportJob.visible_to(user).filter(pk=pk).first()
    if job is None:
        raise Http404
    return job
