"""Good practices: a unit proposes one (with its photos and files), the lead unit selects it or returns it with a
comment, and every six months compiles the selected ones into a numbered report for the Emulation Board.

The states move on the one workflow engine (`PRACTICES`); every step is logged and tells the next people to act.
"""

from datetime import timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Value
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from common import files
from common.text import check_text, nfc
from common.workflow import Transition, Workflow
from deadlines import services as deadline_services
from deadlines.models import Deadline
from documents import kinds as document_kinds
from documents import services as document_services
from units import policy
from units.roles import Action

from ..models import (
    Compilation,
    GoodPractice,
    Half,
    MilestoneKind,
    Movement,
    PracticeFile,
    PracticeKind,
    PracticeState,
    PracticeTransition,
)
from ..models.practices import half_bounds, half_of
from ..selectors.practices import compilation_document_context

# The document kind of the half-year list: a report (BC) to the Emulation Board, which compiles it further.
COMPILATION_DOCUMENT = "good_practices"


def register_document():
    """The half-year list as an official document (from MovementConfig.ready())."""
    document_kinds.register(
        COMPILATION_DOCUMENT,
        label=gettext_lazy("Half-year list of good practices"),
        template="movement/practices/decree30/compilation.html",
        type_code="BC",
        context=compilation_document_context,
        numbered=True,
    )


MAX_FILE_SIZE = files.MAX_UPLOAD_BYTES
MAX_FILES = 20
MAX_TITLE_LENGTH = 300
MAX_TEXT_LENGTH = 20_000
# Beyond these a figure is a typing mistake, not a result (the whole province has fewer households).
MAX_PEOPLE = 1_000_000
MAX_VALUE = 10**13

FIGURES = ("households_out_of_poverty", "people_employed", "value_mobilised")


def _require(user, action, practice):
    """Out of the user's scope: 404; in scope but not the user's role: 403."""
    policy.require(user, action, practice.unit)


PRACTICES = Workflow(
    model=GoodPractice,
    states=PracticeState,
    log=PracticeTransition,
    log_object="practice",
    permission=_require,
    anywhere=policy.can_anywhere,
    version_field="version",
    wrong_state=gettext_lazy("A practice that is %(state)s cannot be %(action)s."),
    transitions=(
        Transition(
            "propose",
            sources=(PracticeState.DRAFT, PracticeState.RETURNED),
            target=PracticeState.PROPOSED,
            action=Action.REPORT,
            label=gettext_lazy("proposed"),
        ),
        Transition(
            "return",
            sources=(PracticeState.PROPOSED, PracticeState.SELECTED),
            target=PracticeState.RETURNED,
            action=Action.STEER,
            label=gettext_lazy("returned"),
            needs_comment=True,
            # Once on a list sent to the Emulation Board, a selection stands.
            condition=lambda practice: practice.compilation_id is None,
        ),
        Transition(
            "select",
            sources=(PracticeState.PROPOSED,),
            target=PracticeState.SELECTED,
            action=Action.STEER,
            label=gettext_lazy("selected"),
        ),
    ),
)

EDITABLE_STATES = frozenset(PRACTICES.transitions["propose"].sources)


class PracticeChanged(ValidationError):
    """Someone moved or edited the practice since it was read."""

    def __init__(self):
        super().__init__(_("Someone else changed this practice meanwhile. Look at it again and retry."))


# Files ----------------------------------------------------------------------------------------------------------


def sniff(upload):
    """The type of an uploaded file by its content (never its name), or None."""
    return _FILE_TYPES.get(files.file_kind(upload))


_FILE_TYPES = {
    files.JPEG: PracticeFile.Type.JPEG,
    files.PNG: PracticeFile.Type.PNG,
    files.PDF: PracticeFile.Type.PDF,
    files.DOCX: PracticeFile.Type.DOCX,
}


def _checked_files(files, already=0):
    """(upload, type) for each upload; refused as a whole, with each file's problem, before anything is saved."""
    problems, checked = [], []
    for upload in files:
        name = nfc(upload.name) or ""
        if upload.size > MAX_FILE_SIZE:
            problems.append(_("“%(name)s” is larger than 10 MB.") % {"name": name})
            continue
        kind = sniff(upload)
        if kind is None:
            problems.append(_("“%(name)s” is not a JPEG or PNG photo, a PDF or a Word (DOCX) file.") % {"name": name})
            continue
        checked.append((upload, kind))
    if already + len(files) > MAX_FILES:
        problems.append(_("At most %(count)d files per practice.") % {"count": MAX_FILES})
    if problems:
        raise ValidationError({"files": problems})
    return checked


def _save_files(practice, checked, user):
    for upload, kind in checked:
        name = (nfc(upload.name) or kind).rsplit("/", 1)[-1][:255]
        PracticeFile.objects.create(
            practice=practice, file=upload, name=name, type=kind, size=upload.size, uploaded_by=user
        )


# What a unit writes ---------------------------------------------------------------------------------------------


def _clean(*, title, kind, description, results, households_out_of_poverty, people_employed, value_mobilised):
    """The practice's fields, checked and normalised; every problem at once, by field."""
    check_text(title=title, max_length=MAX_TITLE_LENGTH)
    check_text(description=description, results=results, max_length=MAX_TEXT_LENGTH)
    fields = {
        "title": nfc(title) or "",
        "kind": kind,
        "description": nfc(description) or "",
        "results": nfc(results) or "",
        "households_out_of_poverty": households_out_of_poverty,
        "people_employed": people_employed,
        "value_mobilised": value_mobilised,
    }
    errors = {}
    for name in ("title", "description", "results"):
        if not fields[name]:
            errors[name] = _("This field is required.")
    if kind not in PracticeKind.values:
        errors["kind"] = _("Choose the kind of practice.")
    for name in FIGURES:
        value = fields[name]
        if value is None:
            continue
        if value < 0:
            errors[name] = _("A result cannot be negative.")
        elif value > (MAX_VALUE if name == "value_mobilised" else MAX_PEOPLE):
            errors[name] = _("This figure is too large to be true; check the number of digits.")
    if errors:
        raise ValidationError(errors)
    return fields


@transaction.atomic
def create_practice(*, user, unit, movement, files=(), propose=False, **fields):
    """A unit's new practice, saved as a draft (or proposed at once) with its files; nothing is saved if a field
    or a file is refused."""
    policy.require(user, Action.REPORT, unit)
    if not unit.path.startswith(movement.province.path):
        raise ValidationError(_("This unit does not take part in this movement."))
    cleaned = _clean(**fields)
    checked = _checked_files(files)
    practice = GoodPractice.objects.create(movement=movement, unit=unit, created_by=user, **cleaned)
    _save_files(practice, checked, user)
    if propose:
        practice = propose_practice(user=user, practice=practice)
    return practice


@transaction.atomic
def update_practice(*, user, practice, version, files=(), **fields):
    """Correct a draft or returned practice and add files; refused once it is proposed or when someone else
    changed it since the form was read (`version`)."""
    _require(user, Action.REPORT, practice)
    if practice.state not in EDITABLE_STATES:
        raise ValidationError(_("Only a draft or a returned practice can be changed."))
    cleaned = _clean(**fields)
    checked = _checked_files(files, already=practice.files.count())
    updated = GoodPractice.objects.filter(pk=practice.pk, version=version, state__in=EDITABLE_STATES).update(
        **cleaned, version=version + 1, updated_at=timezone.now()
    )
    if not updated:
        raise PracticeChanged
    _save_files(practice, checked, user)
    practice.refresh_from_db()
    return practice


@transaction.atomic
def remove_practice_file(*, user, practice_file):
    practice = practice_file.practice
    _require(user, Action.REPORT, practice)
    if practice.state not in EDITABLE_STATES:
        raise ValidationError(_("Only a draft or a returned practice can be changed."))
    practice_file.file.delete(save=False)
    practice_file.delete()


# Steps ----------------------------------------------------------------------------------------------------------


def _lock_movement(pk):
    """Selections, returns and compilations of one movement take turns (a selection must not slip in beside a
    compilation being made, nor a return beside its list)."""
    list(Movement.objects.select_for_update().filter(pk=pk).values_list("pk", flat=True))


def _step(*, user, practice, name, comment, fields=None, before=None):
    """Take step `name` on one practice: fresh read under the movement's lock (compilations take it too), the
    engine's checks, one guarded UPDATE with its log row."""
    _lock_movement(practice.movement_id)
    fresh = GoodPractice.objects.select_related("unit", "movement__lead_unit").get(pk=practice.pk)
    step = PRACTICES.check(user, fresh, name)
    comment = PRACTICES.clean_comment(step, comment)
    if before is not None:
        before(fresh)
    if not PRACTICES.move(fresh.pk, name, by=user, comment=comment, where={"version": fresh.version}, **(fields or {})):
        raise PracticeChanged
    fresh.refresh_from_db()
    return fresh, comment


@transaction.atomic
def propose_practice(*, user, practice, comment="", now=None):
    """Propose a draft, or a corrected returned practice, to the lead unit, whose people are told."""
    now = now or timezone.now()
    practice, _comment = _step(
        user=user,
        practice=practice,
        name="propose",
        comment=comment,
        fields={"proposed_at": Coalesce("proposed_at", Value(now))},
    )
    with deadline_services.in_site_language():
        deadline_services.notify(
            recipients=policy.actors(Action.STEER, practice.unit).exclude(pk=user.pk),
            title=_("Good practice proposed: %(title)s") % {"title": practice.title},
            body=_("%(unit)s proposes it for selection.") % {"unit": practice.unit.name},
            url=practice.get_absolute_url(),
        )
    return practice


@transaction.atomic
def return_practice(*, user, practice, comment):
    """Send a proposed (or selected, not yet compiled) practice back to its unit with what must be corrected."""
    practice, comment = _step(
        user=user, practice=practice, name="return", comment=comment, fields={"selected_at": None}
    )
    who = user.get_full_name() or user.get_username()
    with deadline_services.in_site_language():
        deadline_services.notify(
            recipients=policy.actors(Action.REPORT, practice.unit).exclude(pk=user.pk),
            title=_("Good practice returned for correction: %(title)s") % {"title": practice.title},
            body=_("%(who)s wrote: %(comment)s") % {"who": who, "comment": comment},
            url=practice.get_absolute_url(),
        )
    return practice


def _half_still_open(now):
    """Refuse a selection dated in a half-year whose list has already been sent: it would be on no list."""

    def check(practice):
        day = timezone.localdate(now)
        half = half_of(day)
        sent = Compilation.objects.filter(movement=practice.movement_id, year=day.year, half=half).first()
        if sent is not None:
            start_next = half_bounds(day.year, half)[1] + timedelta(days=1)
            raise ValidationError(
                _(
                    "The good practices of the %(half)s of %(year)s were already sent to the Emulation Board on "
                    "%(sent)s. Select this one from %(next)s, for the next list."
                )
                % {
                    "half": Half(half).label,
                    "year": day.year,
                    "sent": formats.date_format(timezone.localdate(sent.sent_at), "SHORT_DATE_FORMAT"),
                    "next": formats.date_format(start_next, "SHORT_DATE_FORMAT"),
                }
            )

    return check


@transaction.atomic
def select_practice(*, user, practice, comment="", now=None):
    """Select a proposed practice for the half-year's list; its unit is told."""
    now = now or timezone.now()
    practice, _comment = _step(
        user=user,
        practice=practice,
        name="select",
        comment=comment,
        fields={"selected_at": now},
        before=_half_still_open(now),
    )
    with deadline_services.in_site_language():
        deadline_services.notify(
            recipients=policy.actors(Action.REPORT, practice.unit).exclude(pk=user.pk),
            title=_("Good practice selected: %(title)s") % {"title": practice.title},
            body=_("It will be on the list sent to the Emulation Board for this half-year."),
            url=practice.get_absolute_url(),
        )
    return practice


_STEPS = {"propose": propose_practice, "return": return_practice, "select": select_practice}


def transition(*, user, practice, name, comment=""):
    """Propose, return (with a comment) or select one practice by the step's name (the page's entry point)."""
    if PRACTICES.user_step(name) is None:
        PRACTICES.transition(name)
    return _STEPS[name](user=user, practice=practice, comment=comment)


# The half-year list ---------------------------------------------------------------------------------------------


def _milestone_deadline(movement, year, half):
    return Deadline.objects.filter(
        milestone__movement=movement,
        milestone__kind=MilestoneKind.GOOD_PRACTICES,
        due_on=half_bounds(year, half)[1],
    ).first()


@transaction.atomic
def compile_half_year(*, user, movement, year, half, now=None):
    """Compile the practices selected in a half-year (by selection date) into the list sent to the Emulation
    Board: a numbered report rendered by the worker, the practices marked as compiled (no return any more), the
    half-year's milestone delivered, and the Board's members told."""
    policy.require(user, Action.STEER, movement.lead_unit)
    now = now or timezone.now()
    if half not in Half.values:
        raise ValidationError({"half": _("Choose the first or the last six months.")})
    if year not in movement.years:
        raise ValidationError(
            {
                "year": _("Choose a year from %(first)s to %(last)s.")
                % {"first": movement.start_year, "last": movement.end_year}
            }
        )
    start, end = half_bounds(year, half)
    if start > timezone.localdate(now):
        raise ValidationError(_("This half-year has not begun yet."))
    _lock_movement(movement.pk)
    if Compilation.objects.filter(movement=movement, year=year, half=half).exists():
        raise ValidationError(_("The list of this half-year has already been sent."))
    practices = GoodPractice.objects.filter(
        movement=movement, state=PracticeState.SELECTED, compilation__isnull=True, selected_at__date__range=(start, end)
    )
    count = practices.count()
    if not count:
        raise ValidationError(_("No practice was selected in this half-year: there is nothing to send."))
    document = document_services.request_document(
        user=user, kind=COMPILATION_DOCUMENT, unit=movement.lead_unit, day=end
    )
    compilation = Compilation.objects.create(
        movement=movement, year=year, half=half, document=document, sent_by=user, sent_at=now
    )
    practices.update(compilation=compilation)
    deadline = _milestone_deadline(movement, year, half)
    if deadline is not None:
        deadline_services.deliver(deadline=deadline, unit=movement.lead_unit, at=now)
    with deadline_services.in_site_language():
        deadline_services.notify(
            recipients=policy.actors(Action.APPRAISE, movement.lead_unit).exclude(pk=user.pk),
            title=_("Good practices of the %(half)s of %(year)s") % {"half": Half(half).label, "year": year},
            body=ngettext(
                "%(unit)s sends %(count)d good practice selected in the half-year.",
                "%(unit)s sends %(count)d good practices selected in the half-year.",
                count,
            )
            % {"unit": movement.lead_unit.name, "count": count},
            url=reverse("movement:compilation", args=[compilation.pk]),
        )
    return compilation
