"""Writes of proposals and decisions. Every write is atomic and refuses bad input with a Vietnamese message before
anything is saved.

Issuers (Decree 30): DOLISA's proposal is issued by the movement's lead unit; the Board's proposal by the unit in
which the acting user holds the Emulation Board role (the Board, Ban Thi đua - Khen thưởng, inside Sở Nội vụ); the
decision by the province itself, which Decree 30 prints as its People's Committee (ỦY BAN NHÂN DÂN TỈNH …, numbers
…/QĐ-UBND, signed "TM. ỦY BAN NHÂN DÂN / CHỦ TỊCH" or "KT. CHỦ TỊCH / PHÓ CHỦ TỊCH")."""

from collections import defaultdict

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from common.text import check_text, nfc
from documents.services import next_number
from units import policy
from units.choices import UnitKind
from units.roles import Action, Role

from ..catalogue.selectors import bonuses
from ..models import (
    Award,
    AwardLevel,
    AwardMethod,
    Decision,
    Nominee,
    NomineeKind,
    NomineeState,
    NomineeTransition,
    OccasionKind,
    Proposal,
    ProposalStage,
)
from ..workflow import NOMINEES
from . import selectors

PROPOSAL_TYPE = "TTr"
DECISION_TYPE = "QĐ"

METHODS = {
    OccasionKind.MIDTERM: AwardMethod.THEMATIC,
    OccasionKind.FINAL: AwardMethod.THEMATIC,
    OccasionKind.YEARLY: AwardMethod.REGULAR,
    OccasionKind.AD_HOC: AwardMethod.AD_HOC,
}
BOARD_UNIT_KINDS = (UnitKind.DEPARTMENT, UnitKind.COUNCIL)


def board_unit(user):
    """The unit in which `user` holds the Emulation Board role (a department before the council); None if none."""
    units = [m.unit for m in policy.memberships(user) if m.role == Role.EMULATION_BOARD]
    units.sort(key=lambda unit: BOARD_UNIT_KINDS.index(unit.kind) if unit.kind in BOARD_UNIT_KINDS else 9)
    return units[0] if units else None


def _nominees(occasion, ids):
    ids = sorted({int(pk) for pk in ids})
    if not ids:
        raise ValidationError(_("Choose at least one nominee."))
    nominees = list(
        Nominee.objects.filter(pk__in=ids, nomination__occasion=occasion)
        .select_related("nomination__unit__parent", "award_type", "unit", "household")
        .order_by("pk")
    )
    if len(nominees) != len(ids):
        raise ValidationError(_("Some of the chosen nominees are not nominated for this occasion."))
    return nominees


def _today():
    return timezone.localdate()


@transaction.atomic
def propose_to_board(*, user, occasion, nominee_ids):
    """DOLISA's proposal (tờ trình) to the Emulation Board listing nominees it selected for an occasion, issued by
    the movement's lead unit and numbered from its register. A nominee is listed on one such proposal only."""
    issuer = occasion.movement.lead_unit
    policy.require(user, Action.SELECT, issuer)
    nominees = _nominees(occasion, nominee_ids)
    for nominee in nominees:
        if nominee.state != NomineeState.SELECTED:
            raise ValidationError(
                _("%(name)s is %(state)s: only selected nominees go on DOLISA's proposal.")
                % {"name": nominee.display_name, "state": nominee.get_state_display().lower()}
            )
    listed = (
        Proposal.nominees.through.objects.filter(proposal__stage=ProposalStage.DOLISA, nominee__in=nominees)
        .select_related("nominee__unit")
        .first()
    )
    if listed is not None:
        raise ValidationError(
            _("%(name)s is already on another proposal of DOLISA.") % {"name": listed.nominee.display_name}
        )
    return _create_proposal(user, ProposalStage.DOLISA, occasion, issuer, nominees)


def _create_proposal(user, stage, occasion, issuer, nominees):
    today = _today()
    proposal = Proposal.objects.create(
        stage=stage,
        occasion=occasion,
        issuer=issuer,
        number=next_number(issuer=issuer, type_code=PROPOSAL_TYPE, year=today.year),
        year=today.year,
        issued_on=today,
        created_by=user,
    )
    proposal.nominees.set(nominees)
    return proposal


@transaction.atomic
def propose_to_chairman(*, user, occasion, nominee_ids):
    """The Emulation Board's proposal to the Chairman with nominees it found eligible; each moves to "proposed".
    State-level awards are not the Chairman's to decide and are refused here."""
    issuer = board_unit(user)
    if issuer is None:
        raise PermissionDenied
    policy.require(user, Action.APPRAISE, occasion.movement.province)
    nominees = _nominees(occasion, nominee_ids)
    for nominee in nominees:
        NOMINEES.check(user, nominee, "propose")
        if nominee.award_type.level != AwardLevel.PROVINCIAL:
            raise ValidationError(
                _("%(name)s is nominated for “%(award)s”, which the Chairman does not award.")
                % {"name": nominee.display_name, "award": nominee.award_type.name}
            )
    NOMINEES.apply(user=user, objects=nominees, name="propose")
    return _create_proposal(user, ProposalStage.BOARD, occasion, issuer, nominees)


def _clean_signature(signer, signer_title):
    check_text(signer=signer, signer_title=signer_title, max_length=200)
    signer, signer_title = (nfc(signer) or "").strip(), (nfc(signer_title) or "").strip()
    errors = {}
    if not signer:
        errors["signer"] = _("Enter who signed the decision.")
    if not signer_title:
        errors["signer_title"] = _("Enter the signer's title.")
    if errors:
        raise ValidationError(errors)
    return signer, signer_title


def _check_signed_on(signed_on, proposal, nominees):
    if signed_on > _today():
        raise ValidationError({"signed_on": _("A decision cannot be signed in the future.")})
    appraised = NomineeTransition.objects.filter(nominee__in=nominees, to_state=NomineeState.ELIGIBLE).aggregate(
        last=Max("at")
    )["last"]
    if appraised is not None:
        appraised_on = timezone.localdate(appraised)
        if signed_on < appraised_on:
            raise ValidationError(
                {
                    "signed_on": _(
                        "A decision cannot be signed before the nominees were appraised (the last on %(day)s)."
                    )
                    % {"day": f"{appraised_on:%d/%m/%Y}"}
                }
            )
    if signed_on < proposal.issued_on:
        raise ValidationError(
            {
                "signed_on": _("A decision cannot be signed before the proposal it decides (issued on %(day)s).")
                % {"day": f"{proposal.issued_on:%d/%m/%Y}"}
            }
        )


def _number_used(number, year):
    return _("The decision number %(number)s/QĐ-UBND of %(year)s is already used.") % {"number": number, "year": year}


def _number(issuer, year, number):
    """The typed number if no decision of the issuer holds it that year; else the register's next free one."""
    taken = Decision.objects.filter(issuer=issuer, year=year)
    if number is not None:
        if taken.filter(number=number).exists():
            raise ValidationError({"number": _number_used(number, year)})
        return number
    while True:
        number = next_number(issuer=issuer, type_code=DECISION_TYPE, year=year)
        if not taken.filter(number=number).exists():
            return number


def _district(unit):
    if unit.kind == UnitKind.DISTRICT:
        return unit
    parent = unit.parent
    return parent if parent is not None and parent.kind == UnitKind.DISTRICT else None


def _award(decision, nominee, bonus, head_names):
    nominating = nominee.nomination.unit
    if nominee.kind == NomineeKind.COLLECTIVE:
        name, unit = nominee.unit.name, nominee.unit
    else:
        name, unit = nominee.full_name or head_names.get(nominee.household_id, ""), nominating
    return Award(
        decision=decision,
        nominee=nominee,
        award_type=nominee.award_type,
        kind=nominee.kind,
        method=METHODS[decision.occasion.kind],
        occasion=decision.occasion,
        year=decision.signed_on.year,
        name=name,
        birth_year=nominee.birth_year,
        sex=nominee.sex,
        cccd=nominee.cccd,
        position=nominee.position,
        unit=unit,
        district=_district(nominating),
        household_id=nominee.household_id,
        multiple=bonus.multiple,
        base_salary=bonus.base_salary,
        bonus=bonus.bonus,
    )


@transaction.atomic
def record_decision(*, user, proposal, signed_on, signer, signer_title, number=None, declined=None):
    """Record the Chairman's decision on the Board's proposal: the nominees still proposed are awarded, except those
    in `declined` ({nominee id: reason}), which are not awarded with their reason. The decision is numbered from
    the province's register (or takes a typed number no decision of that year holds), and the award registry rows
    are written in one insert with the bonus in force on the day it was signed."""
    declined = {int(pk): reason for pk, reason in (declined or {}).items()}
    proposal = Proposal.objects.select_for_update().select_related("occasion__movement__province").get(pk=proposal.pk)
    if proposal.stage != ProposalStage.BOARD:
        raise ValidationError(_("Only the Emulation Board's proposal to the Chairman is decided."))
    issuer = proposal.occasion.movement.province
    policy.require(user, Action.APPRAISE, issuer)
    nominees = list(
        proposal.nominees.filter(state=NomineeState.PROPOSED)
        .select_related("nomination__unit__parent", "award_type", "unit", "household")
        .order_by("pk")
    )
    if not nominees:
        raise ValidationError(_("No nominee of this proposal is waiting for a decision."))
    if set(declined) - {n.pk for n in nominees}:
        raise ValidationError(_("Only nominees waiting for this decision can be declined."))
    awarded = [n for n in nominees if n.pk not in declined]
    if not awarded:
        raise ValidationError(_("A decision awards at least one nominee."))
    signer, signer_title = _clean_signature(signer, signer_title)
    _check_signed_on(signed_on, proposal, nominees)
    reasons = defaultdict(list)
    for nominee in nominees:
        if nominee.pk in declined:
            reasons[NOMINEES.clean_comment(NOMINEES.transition("decline"), declined[nominee.pk])].append(nominee.pk)
        else:
            NOMINEES.check(user, nominee, "decide")
    found = bonuses({n.award_type for n in awarded}, signed_on)
    year = signed_on.year
    number = _number(issuer, year, number)
    try:
        with transaction.atomic():
            decision = Decision.objects.create(
                occasion=proposal.occasion,
                proposal=proposal,
                issuer=issuer,
                number=number,
                year=year,
                signed_on=signed_on,
                signer=signer,
                signer_title=signer_title,
                created_by=user,
            )
    except IntegrityError:
        raise ValidationError({"number": _number_used(number, year)}) from None
    NOMINEES.apply(user=user, objects=awarded, name="decide")
    for reason, ids in reasons.items():
        NOMINEES.apply(user=user, objects=[n for n in nominees if n.pk in ids], name="decline", comment=reason)
    head_names = selectors.head_names(awarded)
    Award.objects.bulk_create(_award(decision, n, found[n.award_type_id], head_names) for n in awarded)
    return decision
