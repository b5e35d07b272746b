"""Writes of the nominations: a unit opens its list for an occasion, enters its nominees (a collective, an
individual, a family) with their dossiers — the achievement report, claimed criteria with evidence from the records,
attachments — and the minutes of its council's vote, and submits the list; then each nominee moves on its own:
the district forwards or returns it, DOLISA selects, returns or rejects it, the Emulation Board finds it eligible
or ineligible or returns it. Every write is atomic and refused as a whole with a Vietnamese message; the checks
(awards.checks) run at entry and at each step forward; the next people to act are told."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from common import files
from common.text import check_text, nfc, slug
from common.workflow import Changed
from deadlines import services as deadline_services
from deadlines.rules import VIETNAM
from households import rules as household_rules
from households.models import Sex
from units import policy
from units.roles import Action

from .. import checks, rules
from ..models import (
    AwardType,
    Claim,
    Nomination,
    NominationState,
    Nominee,
    NomineeFile,
    NomineeFileKind,
    NomineeKind,
    NomineeState,
)
from ..workflow import NOMINEES
from . import selectors

MAX_NAME_LENGTH = 200
MAX_TEXT_LENGTH = 20_000
MAX_FILES = 20
# The steps after submission that this module takes (the proposal and the decision are awards.decisions').
STEPS = ("forward", "district_return", "select", "return", "reject", "approve", "disqualify", "board_return")
# Steps forward: the checks run again and a blocking finding refuses them.
FORWARD = ("forward", "select", "approve")


def _today():
    return timezone.now().astimezone(VIETNAM).date()


class NomineeChanged(ValidationError):
    def __init__(self):
        super().__init__(_("Someone else changed this nominee meanwhile. Reload the page and try again."))


def _require_nominator(user, unit):
    """Out of sight: 404; in sight but not the user's to nominate for: 403."""
    if not policy.can(user, Action.VIEW, unit):
        raise Http404
    if not selectors.nominates_for(user, unit):
        raise PermissionDenied


def _notify(recipients, user, title, body, url):
    deadline_services.notify(recipients=recipients.exclude(pk=user.pk).distinct(), title=title, body=body, url=url)


# Lists ---------------------------------------------------------------------------------------------------------


@transaction.atomic
def open_nomination(*, user, occasion, unit, today=None):
    """The unit's list for the occasion (opened once; a second call returns it) while nominations are open."""
    today = today or _today()
    _require_nominator(user, unit)
    if not unit.path.startswith(occasion.movement.province.path):
        raise Http404
    if not occasion.is_open(today):
        raise ValidationError(
            _("Nominations for %(occasion)s closed on %(day)s.")
            % {"occasion": occasion.name, "day": occasion.closes_on.strftime("%d/%m/%Y")}
        )
    nomination, _created = Nomination.objects.get_or_create(occasion=occasion, unit=unit, defaults={"created_by": user})
    return nomination


def _locked_nomination(nomination):
    return (
        Nomination.objects.select_for_update(of=("self",))
        .select_related("unit__parent", "occasion__movement")
        .get(pk=nomination.pk)
    )


def _file_name(file):
    return (nfc(file.name) or "")[:255]


@transaction.atomic
def save_council(*, user, nomination, council_date=None, votes_for=None, votes_total=None, minutes=None):
    """Record the council's vote on the list and, when given, the file of its minutes."""
    nomination = _locked_nomination(nomination)
    _require_nominator(user, nomination.unit)
    if not nomination.nominees.filter(state__in=selectors.EDITABLE).exists() and nomination.nominees.exists():
        raise ValidationError(_("Every nominee of this list has been submitted; the list can no longer be changed."))
    errors = {}
    if council_date and council_date > _today():
        errors["council_date"] = _("The council's vote cannot be in the future.")
    if votes_for is not None and votes_total is not None and votes_for > votes_total:
        errors["votes_for"] = _("More members voted for than the council has.")
    if minutes is not None:
        problem = files.upload_problem(minutes)
        if problem:
            errors["minutes"] = problem
    if errors:
        raise ValidationError(errors)
    nomination.council_date, nomination.votes_for, nomination.votes_total = council_date, votes_for, votes_total
    if minutes is not None:
        if nomination.minutes:
            nomination.minutes.delete(save=False)
        nomination.minutes_name = _file_name(minutes)
        extension = files.EXTENSIONS[files.file_kind(minutes)]
        nomination.minutes.save(
            f"bien-ban-{slug(nomination.unit.name) or nomination.unit.pk}-{nomination.occasion.year}.{extension}",
            minutes,
            save=False,
        )
    nomination.version += 1
    nomination.save()
    return nomination


# Nominees ------------------------------------------------------------------------------------------------------


def _locked_nominee(pk):
    return (
        Nominee.objects.select_for_update(of=("self",))
        .select_related("nomination__unit__parent", "nomination__occasion__movement", "award_type", "unit", "household")
        .get(pk=pk)
    )


def _check_editable(user, nominee):
    _require_nominator(user, nominee.nomination.unit)
    if nominee.state not in selectors.EDITABLE:
        raise ValidationError(
            _("This nominee is %(state)s and can no longer be changed.")
            % {"state": NomineeState(nominee.state).label.lower()}
        )


def _clean(nomination, data):
    """The nominee's fields from what was typed, checked for its kind (every problem at once, by field)."""
    texts = {name: data.get(name) or "" for name in ("full_name", "position", "workplace", "address", "cccd")}
    check_text(**texts, max_length=MAX_NAME_LENGTH)
    long_texts = {name: data.get(name) or "" for name in ("achievements", "justification")}
    check_text(**long_texts, max_length=MAX_TEXT_LENGTH)
    values = {name: nfc(value) for name, value in texts.items()}
    values["achievements"] = _multiline(data.get("achievements"))
    values["justification"] = _multiline(data.get("justification"))
    kind = data.get("kind")
    award_type = data.get("award_type")
    errors = {}
    if kind not in NomineeKind.values:
        errors["kind"] = _("Choose whether the nominee is a collective, an individual or a family.")
    if not isinstance(award_type, AwardType) or not award_type.active:
        errors["award_type"] = _("Choose the award proposed.")
    elif kind in NomineeKind.values and award_type.nominee_kind != kind:
        errors["award_type"] = _("This award is not given to a nominee of this kind.")
    if not values["achievements"]:
        errors["achievements"] = _("Write the nominee's achievements.")
    values.update(kind=kind, award_type=award_type, unit=None, household=None)
    for number in ("birth_year", "households_helped", "amount_contributed"):
        values[number] = data.get(number)
    for number in ("households_helped", "amount_contributed"):
        if values[number] is not None and values[number] < 0:
            errors[number] = _("This figure cannot be negative.")
    if kind == NomineeKind.COLLECTIVE:
        unit = data.get("unit")
        if unit is None or not unit.path.startswith(nomination.unit.path):
            errors["unit"] = _("Choose the collective: this unit or a unit under it.")
        values.update(unit=unit, full_name="", birth_year=None, sex="", cccd="", address="")
    elif kind == NomineeKind.INDIVIDUAL:
        values["sex"] = data.get("sex") or ""
        if values["sex"] not in ("", *Sex.values):
            errors["sex"] = _("Choose the sex from the list.")
        if not values["full_name"]:
            errors["full_name"] = _("Type the nominee's full name.")
        if values["birth_year"] is None:
            errors["birth_year"] = _("Type the year of birth.")
        problem = rules.birth_year_problem(values["birth_year"], _today())
        if problem:
            errors["birth_year"] = problem
        values["cccd"] = household_rules.clean_cccd(values["cccd"])
        problem = values["cccd"] and household_rules.cccd_format_problem(values["cccd"])
        if problem:
            errors["cccd"] = problem
        values["address"] = ""
    elif kind == NomineeKind.FAMILY:
        code = nfc(data.get("household_code") or "")
        values.update(birth_year=None, sex="", cccd="", position="", workplace="")
        if code:
            household = selectors.household_in_scope(nomination, code)
            if household is None:
                errors["household_code"] = _(
                    "No household of the registry in this unit's area has the code %(code)s."
                ) % {"code": code}
            values["household"] = household
        elif not values["full_name"] or not values["address"]:
            errors["household_code"] = _(
                "Pick the family's household in the registry by its code, or type its representative's name and "
                "its address."
            )
    if errors:
        raise ValidationError(errors)
    return values


def _multiline(text):
    return "\n".join(nfc(line) for line in (text or "").replace("\r\n", "\n").split("\n")).strip()


def _entry_checks(nominee):
    found = checks.blocking(checks.run(nominee))
    if found:
        raise ValidationError([f["message"] for f in found])


@transaction.atomic
def add_nominee(*, user, nomination, data):
    """Add a nominee to a list whose nominees are still being entered; the checks run (a duplicate is refused)."""
    nomination = _locked_nomination(nomination)
    _require_nominator(user, nomination.unit)
    values = _clean(nomination, data)
    nominee = Nominee.objects.create(nomination=nomination, created_by=user, **values)
    nominee = _locked_nominee(nominee.pk)
    _entry_checks(nominee)
    return nominee


def check_entry(*, unit, occasion, data):
    """What `add_nominee` would refuse for a nominee of `unit`'s list for `occasion`, without saving anything (an
    import checks its rows so): {field: [messages]} for bad fields, else the duplicate findings. A duplicate on the
    unit's own list is returned apart (`same_list`): the row was imported before."""
    try:
        values = _clean(Nomination(unit=unit, occasion=occasion), data)
    except ValidationError as exc:
        return exc.message_dict, [], False
    found = checks.duplicates(Nominee(**values), occasion)
    same_list = any(f.get("unit_id") == unit.pk for f in found)
    return {}, [f for f in found if f.get("unit_id") != unit.pk], same_list


@transaction.atomic
def import_nominee(*, user, unit, occasion, data):
    """A nominee read from a spreadsheet: added to the unit's list for the occasion (opened if needed)."""
    nomination = open_nomination(user=user, occasion=occasion, unit=unit)
    return add_nominee(user=user, nomination=nomination, data=data)


@transaction.atomic
def update_nominee(*, user, nominee, data):
    """Correct a draft or returned nominee; the checks run again."""
    nominee = _locked_nominee(nominee.pk)
    _check_editable(user, nominee)
    values = _clean(nominee.nomination, data)
    for name, value in values.items():
        setattr(nominee, name, value)
    nominee.version += 1
    nominee.save()
    _entry_checks(nominee)
    return nominee


@transaction.atomic
def remove_nominee(*, user, nominee):
    """Remove a draft nominee (one that was submitted keeps its history)."""
    nominee = _locked_nominee(nominee.pk)
    _check_editable(user, nominee)
    if nominee.state != NomineeState.DRAFT or nominee.transitions.exists():
        raise ValidationError(_("A nominee that was submitted cannot be removed; correct it instead."))
    for attachment in nominee.files.all():
        attachment.file.delete(save=False)
    nominee.delete()


@transaction.atomic
def add_claim(*, user, nominee, criterion, statement, claimed_value=None):
    """Claim a criterion of the movement for the nominee; the records' evidence is set beside it (and a claim
    they contradict is flagged)."""
    nominee = _locked_nominee(nominee.pk)
    _check_editable(user, nominee)
    check_text(statement=statement or "", max_length=MAX_TEXT_LENGTH)
    statement = _multiline(statement)
    errors = {}
    if criterion.group.movement_id != nominee.nomination.occasion.movement_id:
        errors["criterion"] = _("Choose a criterion of the movement.")
    elif nominee.claims.filter(criterion=criterion).exists():
        errors["criterion"] = _("This criterion is already claimed.")
    if not statement:
        errors["statement"] = _("Say how the nominee meets the criterion.")
    if claimed_value is not None and claimed_value < 0:
        errors["claimed_value"] = _("A claimed figure cannot be negative.")
    if errors:
        raise ValidationError(errors)
    claim = Claim.objects.create(nominee=nominee, criterion=criterion, statement=statement, claimed_value=claimed_value)
    checks.run(nominee)
    claim.refresh_from_db()
    return claim


@transaction.atomic
def remove_claim(*, user, claim):
    nominee = _locked_nominee(claim.nominee_id)
    _check_editable(user, nominee)
    claim.delete()
    checks.run(nominee)


@transaction.atomic
def attach(*, user, nominee, kind, file):
    """Attach the achievement report's file or a piece of evidence to a draft or returned nominee."""
    nominee = _locked_nominee(nominee.pk)
    _check_editable(user, nominee)
    if kind not in (NomineeFileKind.ACHIEVEMENT_REPORT, NomineeFileKind.EVIDENCE):
        raise ValidationError({"kind": _("Choose what the file is.")})
    problem = files.upload_problem(file)
    if problem is None and nominee.files.count() >= MAX_FILES:
        problem = _("A dossier has at most %(n)s attachments.") % {"n": MAX_FILES}
    if problem:
        raise ValidationError({"file": problem})
    extension = files.EXTENSIONS[files.file_kind(file)]
    attachment = NomineeFile(nominee=nominee, kind=kind, name=_file_name(file), size=file.size, uploaded_by=user)
    attachment.file.save(f"{kind}-{slug(nominee.display_name) or nominee.pk}.{extension}", file, save=False)
    attachment.save()
    return attachment


@transaction.atomic
def remove_file(*, user, attachment):
    nominee = _locked_nominee(attachment.nominee_id)
    _check_editable(user, nominee)
    attachment.file.delete(save=False)
    attachment.delete()


# Steps ---------------------------------------------------------------------------------------------------------


def _dossier_problems(nomination, nominees):
    """What the list lacks before it can be submitted: the minutes; for each nominee its achievement report's file
    (not in the simplified dossier) and at least one claimed criterion."""
    problems = []
    if not nomination.minutes:
        problems.append(_("Attach the minutes of the council's vote on the list."))
    simplified = nomination.occasion.simplified_dossier
    for nominee in nominees:
        if not simplified and not nominee.n_reports:
            problems.append(_("“%(name)s”: attach the achievement report.") % {"name": nominee.display_name})
        if not nominee.n_claims:
            problems.append(_("“%(name)s”: claim at least one criterion.") % {"name": nominee.display_name})
    return problems


@transaction.atomic
def submit_nomination(*, user, nomination):
    """Submit the list's draft and returned nominees (a commune's through its district, every other list to
    DOLISA): the dossier complete, the checks passed (quotas included); the next people to act are told."""
    nomination = _locked_nomination(nomination)
    _require_nominator(user, nomination.unit)
    moving = list(
        selectors.nominees_of(nomination).filter(state__in=selectors.EDITABLE).select_related("nomination__occasion")
    )
    if not moving:
        raise ValidationError(_("There is no nominee to submit on this list."))
    problems = _dossier_problems(nomination, moving)
    ids = [n.pk for n in moving]
    limits = checks.quota_limits(nomination.unit, nomination.occasion, {n.award_type_id for n in moving})
    for nominee in moving:
        for finding in checks.blocking(checks.run(nominee, with_quota=True, moving=ids, limits=limits)):
            problems.append(f"“{nominee.display_name}”: {finding['message']}")
    if problems:
        raise ValidationError(problems)
    unit = nomination.unit
    through_district = rules.goes_through_district(unit, unit.parent)
    name = "submit_to_district" if through_district else "submit"
    try:
        NOMINEES.apply(
            user=user,
            objects=Nominee.objects.filter(pk__in=ids).select_related("nomination__unit__parent"),
            name=name,
        )
    except Changed:
        raise NomineeChanged from None
    now = timezone.now()
    nomination.state = NominationState.SUBMITTED
    nomination.submitted_at = nomination.submitted_at or now
    nomination.version += 1
    nomination.save(update_fields=["state", "submitted_at", "version"])
    recipients = policy.actors(Action.NOMINATE, unit.parent) if through_district else policy.actors(Action.SELECT, unit)
    with deadline_services.in_site_language():
        _notify(
            recipients,
            user,
            _("Nominations for awards submitted: %(unit)s, %(occasion)s")
            % {"unit": unit.name, "occasion": nomination.occasion.name},
            _("%(count)s nominees of %(unit)s wait for you.") % {"count": len(ids), "unit": unit.name},
            nomination.get_absolute_url(),
        )
    return ids


def _next_actors(nominee, name):
    unit = nominee.nomination.unit
    if name == "forward":
        return policy.actors(Action.SELECT, unit)
    if name == "select":
        return policy.actors(Action.APPRAISE, unit)
    return policy.actors(Action.NOMINATE, unit)


@transaction.atomic
def take_step(*, user, nominee, name, comment="", justification=""):
    """One step on one nominee after submission (STEPS): checked for the role, the state and the comment a return
    or a refusal needs; the checks run again before a step forward (and the quota on DOLISA's selection, where a
    justification may be recorded); the nominating unit, or the next actor, is told."""
    if name not in STEPS:
        raise ValidationError(_("Unknown step “%(name)s”.") % {"name": name})
    nominee = _locked_nominee(nominee.pk)
    step = NOMINEES.check(user, nominee, name)
    comment = NOMINEES.clean_comment(step, comment)
    check_text(justification=justification or "", max_length=MAX_TEXT_LENGTH)
    justification = _multiline(justification)
    if justification and name == "select":
        nominee.justification = justification
        nominee.save(update_fields=["justification"])
    if name in FORWARD:
        found = checks.blocking(checks.run(nominee, with_quota=name == "select"))
        if found:
            raise ValidationError([f["message"] for f in found])
    try:
        NOMINEES.apply(
            user=user,
            objects=Nominee.objects.filter(pk=nominee.pk).select_related("nomination__unit__parent"),
            name=name,
            comment=comment,
        )
    except Changed:
        raise NomineeChanged from None
    nominee.refresh_from_db()
    who = user.get_full_name() or user.get_username()
    with deadline_services.in_site_language():
        body = _("%(who)s: %(comment)s") % {"who": who, "comment": comment} if comment else who
        _notify(
            _next_actors(nominee, name),
            user,
            _("Nominee %(name)s (%(unit)s): %(label)s")
            % {"name": nominee.display_name, "unit": nominee.nomination.unit.name, "label": step.label},
            body,
            nominee.get_absolute_url(),
        )
    return nominee
