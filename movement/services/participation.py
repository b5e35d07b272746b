"""Writes of participation: a unit registers for the movement with its commitments, files (or replaces) its
implementation plan, which delivers the plan milestone, and assesses itself each year against its group's
criteria. Everything is checked before anything is written: a refused input saves nothing."""

import unicodedata

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from common import files
from common.text import MAX_COMMENT_LENGTH, check_text, nfc, slug
from deadlines import services as deadline_services
from deadlines.rules import VIETNAM
from units import policy
from units.roles import Action

from ..models import Answer, Assessment, AssessmentState, Evidence, Registration, UnitPlan
from ..selectors import measures
from ..selectors import participation as selectors

MAX_PLAN_BYTES = files.MAX_UPLOAD_BYTES
MAX_EVIDENCE_BYTES = files.MAX_UPLOAD_BYTES
MAX_COMMITMENTS_LENGTH = 5000
# Beyond these a figure is a typing slip, not a commitment (a province has some 600,000 households).
MAX_HOUSEHOLDS = 1_000_000
MAX_MODELS = 100_000
MAX_PLEDGE = 10**15  # a million billion đồng


def _multiline(text):
    """NFC and trimmed, keeping the line breaks of a text typed in several paragraphs."""
    return unicodedata.normalize("NFC", text or "").replace("\r\n", "\n").strip()


def plan_file_problem(file):
    """Why an uploaded plan cannot be filed (None when it can): at most 10 MB, and a PDF by its content."""
    if file.size > MAX_PLAN_BYTES:
        return _("The file is %(size)s MB; a plan may be at most %(limit)s MB.") % {
            "size": files.megabytes(file.size),
            "limit": MAX_PLAN_BYTES // files.MEGABYTE,
        }
    if files.head(file, 5) != b"%PDF-":
        return _(
            "This file is not a PDF (its content is of another kind, whatever its name). Save the signed plan as "
            "PDF and upload that."
        )
    if not files.pdf_opens(file):
        return _("This PDF cannot be opened: it is damaged, empty or password-protected. Upload a readable PDF.")
    return None


def evidence_file_problem(file):
    """Why an uploaded document cannot evidence a criterion (None when it can): a PDF, a Word (DOCX) document or
    a JPEG or PNG image by its content, at most 10 MB."""
    if file.size > MAX_EVIDENCE_BYTES:
        return _("The file is %(size)s MB; a document may be at most %(limit)s MB.") % {
            "size": files.megabytes(file.size),
            "limit": MAX_EVIDENCE_BYTES // files.MEGABYTE,
        }
    if files.file_kind(file) is None:
        return _(
            "This file is not a PDF, a Word (.docx) document or a JPEG or PNG image (by its content, whatever its "
            "name)."
        )
    return None


def _require_participant(user, movement, unit):
    policy.require(user, Action.REPORT, unit)
    if unit.kind not in selectors.participant_kinds(movement) or not unit.path.startswith(movement.province.path):
        raise ValidationError(_("This unit does not take part in the movement."))


def _whole(value, limit, field, errors):
    if value is None:
        return 0
    if not isinstance(value, int) or value < 0:
        errors[field] = _("Type a whole number, zero or more.")
    elif value > limit:
        errors[field] = _("At most %(limit)s.") % {"limit": f"{limit:,}".replace(",", ".")}
    return value


# Registration --------------------------------------------------------------------------------------------------


@transaction.atomic
def register(*, user, movement, unit, commitments, households_to_lift=0, support_pledged=0, models_planned=0, now=None):
    """Register `unit` for the movement with its commitments, or change its registration. A unit registers once;
    its registration may be changed until the plan milestone's due day (or a reopening of it for the unit)."""
    _require_participant(user, movement, unit)
    now = now or timezone.now()
    check_text(commitments=commitments, max_length=MAX_COMMITMENTS_LENGTH)
    errors = {}
    commitments = _multiline(commitments)
    if not commitments:
        errors["commitments"] = _("Write what the unit commits to.")
    households_to_lift = _whole(households_to_lift, MAX_HOUSEHOLDS, "households_to_lift", errors)
    support_pledged = _whole(support_pledged, MAX_PLEDGE, "support_pledged", errors)
    models_planned = _whole(models_planned, MAX_MODELS, "models_planned", errors)
    if errors:
        raise ValidationError(errors)
    existing = Registration.objects.select_for_update().filter(movement=movement, unit=unit).first()
    milestone = selectors.plan_milestone(movement)
    if existing is not None and not selectors.registration_open(milestone, unit, now):
        raise ValidationError(
            _("A registration can be changed until %(day)s; that day has passed.")
            % {"day": milestone.deadline.due_on.strftime("%d/%m/%Y")}
        )
    values = {
        "commitments": commitments,
        "households_to_lift": households_to_lift,
        "support_pledged": support_pledged,
        "models_planned": models_planned,
        "updated_by": user,
        "updated_at": now,
    }
    if existing is None:
        return Registration.objects.create(
            movement=movement, unit=unit, registered_by=user, registered_at=now, **values
        )
    for name, value in values.items():
        setattr(existing, name, value)
    existing.save()
    return existing


# Unit plan -----------------------------------------------------------------------------------------------------


@transaction.atomic
def file_plan(*, user, movement, unit, number, signed_on, signer, file, now=None):
    """File the unit's implementation plan (number, date, signer, a PDF of at most 10 MB checked by its content),
    or replace it (the earlier versions stay in the history). The first filing delivers the plan milestone for
    the unit, on time or late."""
    _require_participant(user, movement, unit)
    now = now or timezone.now()
    check_text(number=number, signer=signer, max_length=255)
    errors = {}
    number, signer = nfc(number), nfc(signer)
    if not number:
        errors["number"] = _("Give the plan's number, for example 45/KH-UBND.")
    elif len(number) > UnitPlan._meta.get_field("number").max_length:
        errors["number"] = _("A plan number has at most 50 characters.")
    if not signer:
        errors["signer"] = _("Give the name of the person who signed the plan.")
    if signed_on is None:
        errors["signed_on"] = _("Give the plan's date.")
    elif signed_on > now.astimezone(VIETNAM).date():
        errors["signed_on"] = _("The plan's date cannot be in the future.")
    elif signed_on.year < movement.start_year:
        errors["signed_on"] = _("The plan's date is before the movement began.")
    problem = _("Choose the plan's PDF file.") if file is None else plan_file_problem(file)
    if problem:
        errors["file"] = problem
    if errors:
        raise ValidationError(errors)
    plan = UnitPlan.objects.select_for_update().filter(movement=movement, unit=unit).first()
    if plan is None:
        plan = UnitPlan(movement=movement, unit=unit)
    plan.number, plan.signed_on, plan.signer = number, signed_on, signer
    plan.filed_by, plan.filed_at = user, now
    plan.file.save(f"{slug(unit.name) or unit.pk}-{slug(number) or 'ke-hoach'}.pdf", file, save=False)
    plan.save()
    milestone = selectors.plan_milestone(movement)
    if milestone is not None:
        deadline_services.deliver(deadline=milestone.deadline, unit=unit, at=now)
    return plan


# Self-assessment -----------------------------------------------------------------------------------------------


def _check_answers(criteria, answers):
    """The answers' own problems, by form field; and the cleaned answers."""
    errors, cleaned = {}, {}
    for criterion in criteria:
        given = answers.get(criterion.pk, {})
        if criterion.evidence == Evidence.YES_NO:
            comment = given.get("comment") or ""
            try:
                check_text(**{f"comment_{criterion.pk}": comment}, max_length=MAX_COMMENT_LENGTH)
            except ValidationError as exc:
                errors.update(exc.message_dict)
            cleaned[criterion.pk] = {"met": given.get("met"), "comment": _multiline(comment)}
        elif criterion.evidence == Evidence.DOCUMENT:
            file = given.get("file")
            problem = file is not None and evidence_file_problem(file)
            if problem:
                errors[f"file_{criterion.pk}"] = problem
            cleaned[criterion.pk] = {"file": file}
    return errors, cleaned


def _incomplete(criteria, cleaned, saved):
    """What a submission still lacks, by form field."""
    errors = {}
    for criterion in criteria:
        old = saved.get(criterion.pk)
        new = cleaned.get(criterion.pk, {})
        if criterion.evidence == Evidence.YES_NO and new.get("met") is None:
            errors[f"met_{criterion.pk}"] = _("Answer yes or no before submitting.")
        if criterion.evidence == Evidence.DOCUMENT and new.get("file") is None and not (old and old.file):
            errors[f"file_{criterion.pk}"] = _("Upload the document before submitting.")
    return errors


@transaction.atomic
def save_assessment(*, user, movement, unit, year, answers, submit=False, now=None):
    """Save the unit's self-assessment for `year` (answers: {criterion id: {"met", "comment", "file"}}); with
    `submit`, check that every criterion is answered and freeze the computed figures as they are now."""
    _require_participant(user, movement, unit)
    now = now or timezone.now()
    if year not in selectors.assessment_years(movement, now.astimezone(VIETNAM).date()):
        raise ValidationError(_("A unit assesses itself for a year of the movement that has begun."))
    group = selectors.group_for(movement, unit)
    if group is None:
        raise ValidationError(_("This unit does not take part in the movement."))
    criteria = list(group.criteria.all())
    assessment = Assessment.objects.select_for_update().filter(movement=movement, unit=unit, year=year).first()
    if assessment is not None and assessment.is_submitted:
        raise ValidationError(_("This self-assessment has been submitted and can no longer be changed."))
    errors, cleaned = _check_answers(criteria, answers)
    saved = {a.criterion_id: a for a in assessment.answers.all()} if assessment else {}
    if submit and not errors:
        errors = _incomplete(criteria, cleaned, saved)
    if errors:
        raise ValidationError(errors)
    if assessment is None:
        assessment = Assessment.objects.create(
            movement=movement, unit=unit, year=year, group=group, updated_by=user, updated_at=now
        )
    for criterion in criteria:
        answer = saved.get(criterion.pk) or Answer(assessment=assessment, criterion=criterion)
        given = cleaned.get(criterion.pk, {})
        if criterion.evidence == Evidence.YES_NO:
            answer.met, answer.comment = given["met"], given["comment"]
        elif criterion.evidence == Evidence.DOCUMENT and given.get("file") is not None:
            extension = files.EXTENSIONS[files.file_kind(given["file"])]
            name = f"{slug(unit.name) or unit.pk}-{year}-{criterion.order}.{extension}"
            answer.file.save(name, given["file"], save=False)
        elif criterion.evidence == Evidence.COMPUTED and submit:
            answer.figure = measures.figure(criterion.measure, unit, year)
        answer.save()
    assessment.updated_by, assessment.updated_at = user, now
    if submit:
        assessment.state = AssessmentState.SUBMITTED
        assessment.submitted_by, assessment.submitted_at = user, now
    assessment.save()
    return assessment
