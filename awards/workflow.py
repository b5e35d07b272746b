"""The nominees' state machine, on the one workflow engine: every step, the role allowed to take it, and whether it
needs a comment (a return, a rejection, an ineligible finding state their reason).

    draft ─submit→ with the district (a commune's list, while there are districts) ─forward→ with DOLISA
    draft ─submit→ with DOLISA (every other list)
    with the district ─return→ returned;  with DOLISA ─select→ selected | ─return→ returned | ─reject→ rejected
    selected (the Emulation Board appraises) ─approve→ eligible | ─disqualify→ ineligible | ─return→ returned
    eligible ─propose→ proposed to the Chairman ─decide→ awarded | ─decline→ rejected
    returned ─submit→ as from draft (only what was returned moves again)
"""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils.translation import gettext_lazy

from common.workflow import Transition, Workflow
from units import policy
from units.roles import Action

from . import rules
from .models import Nominee, NomineeState, NomineeTransition

# The district's steps on its communes' nominees: granted to those who nominate for the district itself.
DISTRICT = "district"

S = NomineeState


def _through_district(nominee):
    unit = nominee.nomination.unit
    return rules.goes_through_district(unit, unit.parent)


def _straight(nominee):
    return not _through_district(nominee)


def _permission(user, action, nominee):
    """Out of the user's sight: 404; in sight but not theirs to do: 403."""
    unit = nominee.nomination.unit
    if not policy.can(user, Action.VIEW, unit):
        raise Http404
    if action == DISTRICT:
        allowed = unit.parent is not None and policy.can(user, Action.NOMINATE, unit.parent)
    else:
        allowed = policy.can(user, action, unit)
    if not allowed:
        raise PermissionDenied


def _anywhere(user, action):
    return policy.can_anywhere(user, Action.NOMINATE if action == DISTRICT else action)


NOMINEES = Workflow(
    model=Nominee,
    states=NomineeState,
    log=NomineeTransition,
    log_object="nominee",
    permission=_permission,
    anywhere=_anywhere,
    version_field="version",
    wrong_state=gettext_lazy("A nominee that is %(state)s cannot be %(action)s."),
    transitions=(
        Transition(
            "submit_to_district",
            sources=(S.DRAFT, S.RETURNED),
            target=S.AT_DISTRICT,
            action=Action.NOMINATE,
            label=gettext_lazy("submitted to the district"),
            condition=_through_district,
        ),
        Transition(
            "submit",
            sources=(S.DRAFT, S.RETURNED),
            target=S.AT_DOLISA,
            action=Action.NOMINATE,
            label=gettext_lazy("submitted to DOLISA"),
            condition=_straight,
        ),
        Transition(
            "forward",
            sources=(S.AT_DISTRICT,),
            target=S.AT_DOLISA,
            action=DISTRICT,
            label=gettext_lazy("forwarded to DOLISA"),
        ),
        Transition(
            "district_return",
            sources=(S.AT_DISTRICT,),
            target=S.RETURNED,
            action=DISTRICT,
            label=gettext_lazy("returned"),
            needs_comment=True,
        ),
        Transition(
            "select", sources=(S.AT_DOLISA,), target=S.SELECTED, action=Action.SELECT, label=gettext_lazy("selected")
        ),
        Transition(
            "return",
            sources=(S.AT_DOLISA,),
            target=S.RETURNED,
            action=Action.SELECT,
            label=gettext_lazy("returned"),
            needs_comment=True,
        ),
        Transition(
            "reject",
            sources=(S.AT_DOLISA,),
            target=S.REJECTED,
            action=Action.SELECT,
            label=gettext_lazy("rejected"),
            needs_comment=True,
        ),
        Transition(
            "approve",
            sources=(S.SELECTED,),
            target=S.ELIGIBLE,
            action=Action.APPRAISE,
            label=gettext_lazy("found eligible"),
        ),
        Transition(
            "disqualify",
            sources=(S.SELECTED,),
            target=S.INELIGIBLE,
            action=Action.APPRAISE,
            label=gettext_lazy("found ineligible"),
            needs_comment=True,
        ),
        Transition(
            "board_return",
            sources=(S.SELECTED,),
            target=S.RETURNED,
            action=Action.APPRAISE,
            label=gettext_lazy("returned"),
            needs_comment=True,
        ),
        Transition(
            "propose",
            sources=(S.ELIGIBLE,),
            target=S.PROPOSED,
            action=Action.APPRAISE,
            label=gettext_lazy("proposed to the Chairman"),
        ),
        Transition(
            "decide", sources=(S.PROPOSED,), target=S.DECIDED, action=Action.APPRAISE, label=gettext_lazy("awarded")
        ),
        Transition(
            "decline",
            sources=(S.PROPOSED,),
            target=S.REJECTED,
            action=Action.APPRAISE,
            label=gettext_lazy("not awarded"),
            needs_comment=True,
        ),
    ),
)
