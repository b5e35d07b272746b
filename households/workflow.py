"""The review workflow: which transitions exist, from which states, and which permission each needs."""

from django.db.models import Case, F, Q, When
from django.utils.translation import gettext_lazy as _

from common.workflow import Transition, Workflow
from units import policy
from units.roles import Action

from .models import Review, ReviewState, ReviewTransition


def _require(user, action, review):
    """Out of the user's scope: 404; in scope but not the user's role: 403 (the one access policy)."""
    policy.require(user, action, review.household.village)


REVIEWS = Workflow(
    model=Review,
    states=ReviewState,
    log=ReviewTransition,
    log_object="review",
    permission=_require,
    anywhere=policy.can_anywhere,
    version_field="version",
    wrong_state=_("A review that is %(state)s cannot be %(action)s."),
    transitions=(
        Transition(
            "submit",
            sources=(ReviewState.DRAFT, ReviewState.RETURNED),
            target=ReviewState.SUBMITTED,
            action=Action.EDIT_REGISTRY,
            label=_("submitted"),
        ),
        Transition(
            "return",
            sources=(ReviewState.SUBMITTED,),
            target=ReviewState.RETURNED,
            action=Action.RECOGNISE,
            label=_("returned"),
            needs_comment=True,
        ),
        Transition(
            "recognise",
            sources=(ReviewState.SUBMITTED,),
            target=ReviewState.RECOGNISED,
            action=Action.RECOGNISE,
            label=_("recognised"),
            # The class the leader recognises: the village meeting's agreed class, else the computed one.
            sets={
                "recognised_class": Case(
                    When(~Q(class_override=""), then=F("class_override")), default=F("computed_class")
                )
            },
        ),
        # Taken by the system when the period closes (services.lock_closed_periods, one SQL statement).
        Transition(
            "lock",
            sources=(ReviewState.DRAFT, ReviewState.SUBMITTED, ReviewState.RETURNED, ReviewState.RECOGNISED),
            target=ReviewState.LOCKED,
        ),
    ),
)

# States in which the officer may still change the answers: those a review is submitted from.
EDITABLE_STATES = frozenset(REVIEWS.transitions["submit"].sources)
# States the period's close moves to LOCKED (everything not locked yet).
LOCKABLE_STATES = frozenset(REVIEWS.transitions["lock"].sources)
