"""Writes of the unit reports: a unit opens its report for a year (figures filled in from the records), writes its
narrative and attaches documents while it is a draft or returned, and submits it (figures frozen, the deadline
delivered on time or late at the first submission); the receiver (a commune's district, DOLISA for every other
unit) accepts it or returns it with a comment. The states move on the one workflow engine (`UNIT_REPORTS`); every
step is logged and tells the next people to act. Anything refused saves nothing."""

import unicodedata

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from common import files
from common.text import check_text, slug
from common.workflow import Transition, Workflow
from deadlines import services as deadline_services
from deadlines.rules import VIETNAM
from documents import kinds
from documents import services as document_services
from documents.issuers import in_force
from units import policy
from units.roles import Action

from ..models import DocumentKind, UnitReport, UnitReportFile, UnitReportState, UnitReportTransition
from . import figures, selectors

# The action of the receiver's steps (accept, return): granted by selectors.receives, not by a role's actions.
RECEIVE = "receive"
SECTIONS = ("direction", "results", "practices", "difficulties", "proposals")
MAX_SECTION_LENGTH = 20_000
MAX_FILES = 20


def _permission(user, action, report):
    """Out of the user's sight: 404; in sight but not theirs to do: 403."""
    if not policy.can(user, Action.VIEW, report.unit):
        raise Http404
    allowed = selectors.receives(user, report) if action == RECEIVE else selectors.files_for(user, report.unit)
    if not allowed:
        raise PermissionDenied


def _anywhere(user, action):
    if action == RECEIVE:
        return selectors.is_dolisa(user) or selectors.my_district(user) is not None
    return policy.can_anywhere(user, Action.REPORT)


UNIT_REPORTS = Workflow(
    model=UnitReport,
    states=UnitReportState,
    log=UnitReportTransition,
    log_object="report",
    permission=_permission,
    anywhere=_anywhere,
    version_field="version",
    wrong_state=gettext_lazy("A report that is %(state)s cannot be %(action)s."),
    transitions=(
        Transition(
            "submit",
            sources=(UnitReportState.DRAFT, UnitReportState.RETURNED),
            target=UnitReportState.SUBMITTED,
            action=Action.REPORT,
            label=gettext_lazy("submitted"),
        ),
        Transition(
            "return",
            sources=(UnitReportState.SUBMITTED,),
            target=UnitReportState.RETURNED,
            action=RECEIVE,
            label=gettext_lazy("returned"),
            needs_comment=True,
        ),
        Transition(
            "accept",
            sources=(UnitReportState.SUBMITTED,),
            target=UnitReportState.ACCEPTED,
            action=RECEIVE,
            label=gettext_lazy("accepted"),
        ),
    ),
)


class ReportChanged(ValidationError):
    def __init__(self):
        super().__init__(_("Someone else changed this report meanwhile. Reload the page and try again."))


def _multiline(text):
    return unicodedata.normalize("NFC", text or "").replace("\r\n", "\n").strip()


def _refuse_typed_figures(typed):
    """Computed figures come from the records: a value typed over one is refused, whatever it is."""
    typed = {key: value for key, value in (typed or {}).items() if key in figures.FIGURE_KEYS and str(value).strip()}
    if typed:
        raise ValidationError(
            _(
                "The figures are computed from the registry, the ledger and the movement's records and cannot be "
                "typed over; correct the records instead."
            )
        )


@transaction.atomic
def open_report(*, user, movement, unit, year, now=None):
    """Open the unit's report for `year` (once; a second call returns it) with its figures computed now."""
    now = now or timezone.now()
    if not policy.can(user, Action.VIEW, unit) or not unit.path.startswith(movement.province.path):
        raise Http404
    if not selectors.files_for(user, unit):
        raise PermissionDenied
    milestone = selectors.milestone_for(movement, year, today=now.astimezone(VIETNAM).date())
    if not selectors.owes(milestone.deadline, unit):
        raise ValidationError(_("This unit owes no report on the movement for %(year)s.") % {"year": year})
    report = UnitReport.objects.filter(movement=movement, unit=unit, year=year).first()
    if report is not None:
        return report
    return UnitReport.objects.create(
        movement=movement,
        unit=unit,
        year=year,
        deadline=milestone.deadline,
        figures=figures.compute(movement, unit, year),
        figures_at=now,
        opened_by=user,
        opened_at=now,
        updated_by=user,
        updated_at=now,
    )


def _locked(report):
    return (
        UnitReport.objects.select_for_update(of=("self",))
        .select_related("unit__parent", "movement__lead_unit", "deadline")
        .get(pk=report.pk)
    )


def _check_editable(user, report):
    _permission(user, Action.REPORT, report)
    if not report.is_editable:
        raise ValidationError(_("This report has been submitted and can no longer be changed."))


def clean_sections(sections):
    check_text(**{name: sections.get(name) or "" for name in SECTIONS}, max_length=MAX_SECTION_LENGTH)
    return {name: _multiline(sections.get(name)) for name in SECTIONS}


@transaction.atomic
def save_report(*, user, report, sections, typed_figures=None, now=None):
    """Save the narrative of a draft or returned report and refresh its figures from the records."""
    now = now or timezone.now()
    report = _locked(report)
    _check_editable(user, report)
    _refuse_typed_figures(typed_figures)
    cleaned = clean_sections(sections)
    for name, value in cleaned.items():
        setattr(report, name, value)
    report.figures = figures.compute(report.movement, report.unit, report.year)
    report.figures_at = now
    report.updated_by, report.updated_at = user, now
    report.version += 1
    report.save()
    return report


def _receivers(report):
    unit = selectors.receiver(report)
    if report.unit.kind == "commune":
        return policy.actors(Action.REPORT, unit)
    return policy.actors(Action.STEER, report.unit) | policy.actors(Action.COMPILE, report.unit)


def _take_number(report, now):
    """The report's number in its unit's register of reports (…/BC-…) for the year of its first submission; taken
    in the submission's transaction, so a refused submission gives it back."""
    today = now.astimezone(VIETNAM).date()
    return document_services.next_number(
        issuer=in_force(report.unit, today), type_code=kinds.get(DocumentKind.UNIT_REPORT).type_code, year=today.year
    )


@transaction.atomic
def submit_report(*, user, report, sections=None, typed_figures=None, now=None):
    """Submit a draft or a corrected returned report (with its narrative, when given): every section written, the
    figures computed now and frozen, the document numbered and the deadline delivered (both at the first
    submission: the number is kept and on time or late fixed), the receivers told."""
    now = now or timezone.now()
    report = _locked(report)
    UNIT_REPORTS.check(user, report, "submit")
    _refuse_typed_figures(typed_figures)
    cleaned = clean_sections(sections) if sections is not None else {n: getattr(report, n) for n in SECTIONS}
    missing = {name: _("Write this section before submitting.") for name, value in cleaned.items() if not value}
    if missing:
        raise ValidationError(missing)
    frozen = figures.compute(report.movement, report.unit, report.year)
    number = report.number or _take_number(report, now)
    moved = UNIT_REPORTS.move(
        report.pk,
        "submit",
        by=user,
        where={"version": report.version},
        figures=frozen,
        figures_at=now,
        submitted_at=now,
        number=number,
        updated_by=user,
        updated_at=now,
        **cleaned,
    )
    if not moved:
        raise ReportChanged
    deadline_services.deliver(deadline=report.deadline, unit=report.unit, at=now)
    report.refresh_from_db()
    with deadline_services.in_site_language():
        deadline_services.notify(
            recipients=_receivers(report).exclude(pk=user.pk).distinct(),
            title=_("Report on the movement submitted: %(unit)s, %(year)s")
            % {"unit": report.unit.name, "year": report.year},
            body=_("%(unit)s submitted its report; accept it or return it with a comment.")
            % {"unit": report.unit.name},
            url=report.get_absolute_url(),
        )
    return report


@transaction.atomic
def review_report(*, user, report, name, comment=""):
    """The receiver accepts a submitted report, or returns it with what must be corrected (a comment is
    required); the unit's people are told."""
    report = _locked(report)
    step = UNIT_REPORTS.check(user, report, name)
    comment = UNIT_REPORTS.clean_comment(step, comment)
    if not UNIT_REPORTS.move(report.pk, name, by=user, comment=comment, where={"version": report.version}):
        raise ReportChanged
    report.refresh_from_db()
    who = user.get_full_name() or user.get_username()
    with deadline_services.in_site_language():
        if name == "return":
            title = _("Report on the movement returned for correction: %(year)s") % {"year": report.year}
            body = _("%(who)s wrote: %(comment)s") % {"who": who, "comment": comment}
        else:
            title = _("Report on the movement accepted: %(year)s") % {"year": report.year}
            body = _("%(who)s accepted the report of %(unit)s.") % {"who": who, "unit": report.unit.name}
        deadline_services.notify(
            recipients=policy.actors(Action.REPORT, report.unit).exclude(pk=user.pk),
            title=title,
            body=body,
            url=report.get_absolute_url(),
        )
    return report


@transaction.atomic
def attach(*, user, report, file, now=None):
    """Attach a document or photo to a draft or returned report."""
    now = now or timezone.now()
    report = _locked(report)
    _check_editable(user, report)
    problem = files.upload_problem(file)
    if problem is None and report.files.count() >= MAX_FILES:
        problem = _("A report has at most %(n)s attachments.") % {"n": MAX_FILES}
    if problem:
        raise ValidationError({"file": problem})
    name = unicodedata.normalize("NFC", file.name or "")[:255]
    extension = files.EXTENSIONS[files.file_kind(file)]
    attachment = UnitReportFile(report=report, name=name, size=file.size, uploaded_by=user, uploaded_at=now)
    attachment.file.save(f"{slug(report.unit.name) or report.unit.pk}-{report.year}.{extension}", file, save=False)
    attachment.save()
    return attachment


@transaction.atomic
def remove_file(*, user, attachment):
    report = _locked(attachment.report)
    _check_editable(user, report)
    attachment.file.delete(save=False)
    attachment.delete()
