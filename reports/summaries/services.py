"""Writes of the yearly summary: the lead unit (DOLISA, Action.COMPILE) opens the year's summary (tables compiled
from the records), compiles its tables again, writes its narrative, and submits it to the Emulation Board — the
tables are frozen, the summary takes its number from the register (…/BC-…, once: a corrected summary keeps it) and
is dated that day, and the summary deadline is delivered on time or late. A member of the Emulation Board
(Action.APPRAISE) acknowledges receipt (with an optional comment) or returns it with a required comment. The states
move on the one workflow engine (`SUMMARIES`); every step is logged and tells the next people to act. Anything
refused saves nothing."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from common.workflow import Transition, Workflow
from deadlines import services as deadline_services
from deadlines.rules import VIETNAM
from documents import services as document_services
from documents.issuers import in_force
from units import policy
from units.roles import Action

from ..models import DocumentKind, Summary, SummaryState, SummaryTransition
from ..unit_reports.services import SECTIONS, clean_sections
from . import selectors, tables

TYPE_CODE = "BC"


def _permission(user, action, summary):
    """Out of the user's sight: 404; in sight but not theirs to do: 403."""
    selectors.require_sight(user, summary)
    if not policy.can(user, action, summary.issuer):
        raise PermissionDenied


SUMMARIES = Workflow(
    model=Summary,
    states=SummaryState,
    log=SummaryTransition,
    log_object="summary",
    permission=_permission,
    anywhere=policy.can_anywhere,
    version_field="version",
    wrong_state=gettext_lazy("A summary that is %(state)s cannot be %(action)s."),
    transitions=(
        Transition(
            "submit",
            sources=(SummaryState.DRAFT, SummaryState.RETURNED),
            target=SummaryState.SUBMITTED,
            action=Action.COMPILE,
            label=gettext_lazy("submitted"),
        ),
        Transition(
            "return",
            sources=(SummaryState.SUBMITTED,),
            target=SummaryState.RETURNED,
            action=Action.APPRAISE,
            label=gettext_lazy("returned"),
            needs_comment=True,
        ),
        Transition(
            "acknowledge",
            sources=(SummaryState.SUBMITTED,),
            target=SummaryState.ACKNOWLEDGED,
            action=Action.APPRAISE,
            label=gettext_lazy("acknowledged"),
        ),
    ),
)


class SummaryChanged(ValidationError):
    def __init__(self):
        super().__init__(_("Someone else changed this summary meanwhile. Reload the page and try again."))


def _locked(summary):
    return (
        Summary.objects.select_for_update(of=("self",))
        .select_related("movement__province", "issuer", "deadline")
        .get(pk=summary.pk)
    )


def _check_editable(user, summary):
    _permission(user, Action.COMPILE, summary)
    if not summary.is_editable:
        raise ValidationError(_("This summary has been submitted and can no longer be changed."))


@transaction.atomic
def open_summary(*, user, movement, year, now=None):
    """Open the lead unit's summary for `year` (once; a second call returns it) with its tables compiled now."""
    now = now or timezone.now()
    issuer = movement.lead_unit
    if not policy.can(user, Action.VIEW, issuer):
        raise Http404
    if not policy.can(user, Action.COMPILE, issuer):
        raise PermissionDenied
    deadline = selectors.deadline_for(movement, year, today=now.astimezone(VIETNAM).date())
    if deadline is None:
        raise ValidationError(_("The movement has no summary due for %(year)s.") % {"year": year})
    summary = Summary.objects.filter(movement=movement, year=year).first()
    if summary is not None:
        return summary
    return Summary.objects.create(
        movement=movement,
        year=year,
        issuer=issuer,
        deadline=deadline,
        figures=tables.compile_tables(movement, year),
        figures_at=now,
        opened_by=user,
        opened_at=now,
        updated_by=user,
        updated_at=now,
    )


@transaction.atomic
def compile_summary(*, user, summary, now=None):
    """Compile the tables of a draft or returned summary again from the records."""
    now = now or timezone.now()
    summary = _locked(summary)
    _check_editable(user, summary)
    summary.figures = tables.compile_tables(summary.movement, summary.year)
    summary.figures_at = now
    summary.updated_by, summary.updated_at = user, now
    summary.version += 1
    summary.save()
    return summary


@transaction.atomic
def save_summary(*, user, summary, sections, now=None):
    """Save the narrative of a draft or returned summary."""
    now = now or timezone.now()
    summary = _locked(summary)
    _check_editable(user, summary)
    for name, value in clean_sections(sections).items():
        setattr(summary, name, value)
    summary.updated_by, summary.updated_at = user, now
    summary.version += 1
    summary.save()
    return summary


@transaction.atomic
def submit_summary(*, user, summary, sections=None, now=None):
    """Submit a draft or a corrected returned summary to the Emulation Board (with its narrative, when given):
    every section written, the tables compiled now and frozen, the number taken from the register at the first
    submission (and kept after a return) and the summary dated that day, the deadline delivered (on time or late
    is fixed at the first submission), the Board told."""
    now = now or timezone.now()
    summary = _locked(summary)
    SUMMARIES.check(user, summary, "submit")
    cleaned = clean_sections(sections) if sections is not None else {n: getattr(summary, n) for n in SECTIONS}
    missing = {name: _("Write this section before submitting.") for name, value in cleaned.items() if not value}
    if missing:
        raise ValidationError(missing)
    today = now.astimezone(VIETNAM).date()
    numbered = {}
    if summary.number is None:
        numbered = {
            "number": document_services.next_number(
                issuer=in_force(summary.issuer, today), type_code=TYPE_CODE, year=today.year
            ),
            "issued_on": today,
        }
    moved = SUMMARIES.move(
        summary.pk,
        "submit",
        by=user,
        where={"version": summary.version},
        figures=tables.compile_tables(summary.movement, summary.year),
        figures_at=now,
        submitted_at=now,
        updated_by=user,
        updated_at=now,
        **numbered,
        **cleaned,
    )
    if not moved:
        raise SummaryChanged
    deadline_services.deliver(deadline=summary.deadline, unit=summary.issuer, at=now)
    summary.refresh_from_db()
    with deadline_services.in_site_language():
        deadline_services.notify(
            recipients=policy.actors(Action.APPRAISE, summary.issuer).exclude(pk=user.pk),
            title=_("Summary of the movement submitted: %(year)s") % {"year": summary.year},
            body=_("%(unit)s submitted its summary of the movement's results; acknowledge receipt of it.")
            % {"unit": summary.issuer.name},
            url=summary.get_absolute_url(),
        )
    return summary


@transaction.atomic
def review_summary(*, user, summary, name, comment=""):
    """The Emulation Board acknowledges receipt of a submitted summary (a comment is optional) or returns it with
    what must be corrected (a comment is required); the lead unit's compilers are told."""
    summary = _locked(summary)
    step = SUMMARIES.check(user, summary, name)
    comment = SUMMARIES.clean_comment(step, comment)
    if not SUMMARIES.move(summary.pk, name, by=user, comment=comment, where={"version": summary.version}):
        raise SummaryChanged
    summary.refresh_from_db()
    who = user.get_full_name() or user.get_username()
    with deadline_services.in_site_language():
        if name == "return":
            title = _("Summary of the movement returned for correction: %(year)s") % {"year": summary.year}
            body = _("%(who)s wrote: %(comment)s") % {"who": who, "comment": comment}
        else:
            title = _("Summary of the movement acknowledged: %(year)s") % {"year": summary.year}
            body = _("%(who)s acknowledged receipt of the summary.") % {"who": who}
            if comment:
                body = f"{body} {comment}"
        deadline_services.notify(
            recipients=policy.actors(Action.COMPILE, summary.issuer).exclude(pk=user.pk),
            title=title,
            body=body,
            url=summary.get_absolute_url(),
        )
    return summary


def request_pdf(*, user, summary):
    """Queue the summary's Decree 30 PDF for the worker: its number and date of issue once submitted (a draft
    prints no number and today's date)."""
    selectors.require_sight(user, summary)
    day = summary.issued_on or timezone.now().astimezone(VIETNAM).date()
    return document_services.request_document(
        user=user,
        kind=DocumentKind.PROVINCIAL_SUMMARY,
        unit=summary.issuer,
        day=day,
        subject=summary.pk,
        number=summary.number,
    )
