"""The review workflow: which transitions exist, from which states, and which permission each needs."""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from units.roles import Action

from .models import ReviewState


@dataclass(frozen=True)
class Transition:
    name: str
    label: str
    sources: frozenset
    target: str
    action: str
    needs_comment: bool = False


_SUBMIT = Transition(
    "submit",
    _("submitted"),
    frozenset({ReviewState.DRAFT, ReviewState.RETURNED}),
    ReviewState.SUBMITTED,
    Action.EDIT_REGISTRY,
)
_RETURN = Transition(
    "return",
    _("returned"),
    frozenset({ReviewState.SUBMITTED}),
    ReviewState.RETURNED,
    Action.RECOGNISE,
    needs_comment=True,
)
_RECOGNISE = Transition(
    "recognise", _("recognised"), frozenset({ReviewState.SUBMITTED}), ReviewState.RECOGNISED, Action.RECOGNISE
)
TRANSITIONS = {t.name: t for t in (_SUBMIT, _RETURN, _RECOGNISE)}

# States in which the officer may still change the answers.
EDITABLE_STATES = frozenset({ReviewState.DRAFT, ReviewState.RETURNED})
# States the period's close moves to LOCKED (everything not locked yet).
LOCKABLE_STATES = frozenset({ReviewState.DRAFT, ReviewState.SUBMITTED, ReviewState.RETURNED, ReviewState.RECOGNISED})
