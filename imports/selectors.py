"""Reads of the imports app, scoped by the one access policy (imports are seen by those who may import there)."""

from itertools import groupby

from django.http import Http404

from units import policy
from units.models import Unit

from .importers import IMPORTERS
from .models import ExportJob, ImportJob, Severity


def _restricted(user, queryset, actions):
    for action in sorted(actions):
        queryset = policy.restrict(user, queryset, action=action)
    return queryset


def jobs_for(user):
    """Jobs in units where the user may run their importer: import there, and for importers that need more
    (users: MANAGE), that too; support rows need only the right to record support."""
    jobs = ImportJob.objects.select_related("unit", "requested_by", "confirmed_by")
    kinds_by_actions = {}
    for kind, importer in IMPORTERS.items():
        kinds_by_actions.setdefault(importer.required_actions, []).append(kind)
    result = None
    for actions, kinds in kinds_by_actions.items():
        visible = _restricted(user, jobs.filter(kind__in=kinds), actions)
        result = visible if result is None else result | visible
    return result


def importers_for(user):
    """The importers the user may run somewhere (the users importer needs MANAGE)."""
    return [
        importer
        for importer in IMPORTERS.values()
        if all(policy.can_anywhere(user, action) for action in importer.required_actions)
    ]


def may_import(user):
    """Whether the user may run some importer somewhere (the import pages open)."""
    return bool(importers_for(user))


def job_for(user, pk):
    """One job the user may see; another unit's job does not exist for them (404)."""
    return policy.get_or_404(user, jobs_for(user), pk=pk)


def target_units(user):
    """Units the user may import into, in tree order: the kinds each importer targets, where the user may load
    its files (IMPORT for rosters, RECORD_SUPPORT for support rows)."""
    kinds_by_action = {}
    for importer in IMPORTERS.values():
        kinds_by_action.setdefault(importer.import_action, set()).update(importer.target_kinds)
    result = None
    for action, kinds in kinds_by_action.items():
        units = policy.restrict(user, Unit.objects.current().filter(kind__in=kinds), action=action)
        result = units if result is None else result | units
    return result.order_by("path")


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
