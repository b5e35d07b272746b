"""Reads of the nominations, scoped through units.policy: who nominates for which unit, a unit's lists, one list
or nominee (404 out of sight), the history of a nominee, and the inboxes of the district, DOLISA and the Emulation
Board — each in a fixed number of queries, with the claims, their evidence and the checks' findings."""

from django.db.models import Count, OuterRef, Prefetch, Q, Subquery

from households.models import Household, Review
from movement.models import Criterion
from units import policy
from units.choices import UnitKind
from units.models import Unit
from units.roles import ROLE_RULES, Action

from ..models import (
    Claim,
    Nomination,
    Nominee,
    NomineeFile,
    NomineeFileKind,
    NomineeState,
    NomineeTransition,
    Occasion,
)

DISTRICT, DOLISA, BOARD = "district", "dolisa", "board"
# Each inbox: the nominees' state it holds, and the action (and the unit whose path it is checked on) that reaches it.
INBOXES = {
    DISTRICT: (NomineeState.AT_DISTRICT, Action.NOMINATE, "nomination__unit__parent__path"),
    DOLISA: (NomineeState.AT_DOLISA, Action.SELECT, "nomination__unit__path"),
    BOARD: (NomineeState.SELECTED, Action.APPRAISE, "nomination__unit__path"),
}
EDITABLE = (NomineeState.DRAFT, NomineeState.RETURNED)


def nominates_for(user, unit):
    """Whether the user nominates on the unit's behalf: a NOMINATE role held in a unit of the same kind above or at
    it (a district officer forwards its communes' nominees; their lists are not theirs to write)."""
    if not policy.can(user, Action.NOMINATE, unit):
        return False
    if user.is_superuser:
        return True
    return any(
        Action.NOMINATE in ROLE_RULES[m.role].actions and unit.path.startswith(m.unit.path) and m.unit.kind == unit.kind
        for m in policy.memberships(user)
    )


def my_units(user):
    """The units the user nominates for: those where a NOMINATE role is held."""
    return [m.unit for m in policy.memberships(user) if Action.NOMINATE in ROLE_RULES[m.role].actions]


def open_occasions(today):
    return Occasion.objects.open_on(today).select_related("movement")


def my_lists(user):
    """The lists of the units the user nominates for, with their nominees counted by where they stand."""
    counts = {
        f"n_{state}": Count("nominees", filter=Q(nominees__state=state))
        for state in (NomineeState.DRAFT, NomineeState.RETURNED)
    }
    return (
        Nomination.objects.filter(unit__in=[u.pk for u in my_units(user)])
        .select_related("occasion", "unit")
        .annotate(n_all=Count("nominees"), **counts)
        .order_by("-occasion__year", "unit__name")
    )


def nomination_for(user, pk):
    return policy.get_or_404(user, Nomination.objects.select_related("unit__parent", "occasion__movement"), pk=pk)


def _last_step(field):
    return Subquery(NomineeTransition.objects.filter(nominee=OuterRef("pk")).order_by("-at", "-pk").values(field)[:1])


def nominees_of(nomination):
    """The list's nominees with the last step taken on each (when, its comment), their claims and files."""
    return (
        nomination.nominees.select_related("award_type", "unit", "household", "nomination__unit__parent")
        .annotate(last_at=_last_step("at"), last_comment=_last_step("comment"))
        .annotate(
            n_claims=Count("claims", distinct=True),
            n_reports=Count("files", filter=Q(files__kind=NomineeFileKind.ACHIEVEMENT_REPORT), distinct=True),
        )
        .order_by("pk")
    )


def _detailed(queryset):
    return queryset.select_related(
        "award_type", "unit", "household__village", "nomination__unit__parent", "nomination__occasion"
    ).prefetch_related(
        Prefetch("claims", queryset=Claim.objects.select_related("criterion__group")),
        Prefetch("files", queryset=NomineeFile.objects.order_by("uploaded_at", "pk")),
        Prefetch(
            "household__reviews",
            queryset=Review.objects.exclude(recognised_class="").order_by("year"),
            to_attr="recognised_reviews",
        ),
    )


def nominee_for(user, pk):
    return policy.get_or_404(user, _detailed(Nominee.objects.all()), pk=pk)


def file_for(user, pk):
    return policy.get_or_404(user, NomineeFile.objects.select_related("nominee__nomination__unit"), pk=pk)


def history(nominee):
    return list(nominee.transitions.select_related("by").order_by("at", "pk"))


def inbox(user, stage):
    """The nominees waiting for the user at `stage` (district, DOLISA, Board), with their dossier."""
    state, action, path_field = INBOXES[stage]
    nominees = policy.restrict(user, Nominee.objects.filter(state=state), path_field=path_field, action=action)
    return _detailed(nominees).order_by("nomination__occasion", "nomination__unit__name", "pk")


def inboxes(user):
    """The inboxes the user has: those whose action the user holds somewhere (the district's: a district role)."""
    found = []
    if any(
        Action.NOMINATE in ROLE_RULES[m.role].actions and m.unit.kind == UnitKind.DISTRICT
        for m in policy.memberships(user)
    ):
        found.append(DISTRICT)
    if policy.can_anywhere(user, Action.SELECT):
        found.append(DOLISA)
    if policy.can_anywhere(user, Action.APPRAISE):
        found.append(BOARD)
    return found


def collectives(nomination):
    """The units a list may nominate as collectives: the nominating unit and the units under it."""
    return Unit.objects.filter(path__startswith=nomination.unit.path).order_by("path")


def household_in_scope(nomination, code):
    """The active registry household with this code in the nominating unit's area, or None."""
    return (
        Household.objects.active()
        .filter(code=code, village__path__startswith=nomination.unit.path)
        .select_related("village")
        .first()
    )


def criteria(occasion):
    """The criteria of the occasion's movement, by participant group."""
    return (
        Criterion.objects.filter(group__movement=occasion.movement)
        .select_related("group")
        .order_by("group__order", "order")
    )
