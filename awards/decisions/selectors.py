"""Reads of proposals and decisions, scoped by the one access policy: a proposal or decision follows its issuer's
unit (the provincial bodies), so a commune's user sees none and another scope's answers 404."""

from django.db.models import Count, Sum

from households.models import Member, Relation
from units import policy
from units.roles import Action

from ..models import Award, Decision, Nominee, NomineeState, Occasion, Proposal, ProposalStage

NOMINEE_RELATED = ("nomination__unit__parent", "award_type", "unit", "household")


def may_propose(user):
    return policy.can_anywhere(user, Action.SELECT)


def may_decide(user):
    return policy.can_anywhere(user, Action.APPRAISE)


def occasions():
    return Occasion.objects.select_related("movement").order_by("-year", "pk")


def proposals_for(user):
    return (
        policy.restrict(user, Proposal.objects.select_related("occasion", "issuer"))
        .annotate(listed=Count("nominees"))
        .order_by("-issued_on", "-pk")
    )


def decisions_for(user):
    return (
        policy.restrict(user, Decision.objects.select_related("occasion", "issuer", "proposal"))
        .annotate(awarded=Count("awards"), total=Sum("awards__bonus"))
        .order_by("-signed_on", "-pk")
    )


def proposal_for(user, pk):
    return policy.get_or_404(user, Proposal.objects.select_related("occasion__movement", "issuer"), pk=pk)


def decision_for(user, pk):
    return policy.get_or_404(user, Decision.objects.select_related("occasion__movement", "issuer", "proposal"), pk=pk)


def candidates(user, occasion, stage):
    """The nominees a proposal of `stage` may list: for DOLISA those selected and on none of its proposals yet, for
    the Board those found eligible."""
    nominees = policy.restrict(user, Nominee.objects.filter(nomination__occasion=occasion))
    if stage == ProposalStage.DOLISA:
        nominees = nominees.filter(state=NomineeState.SELECTED).exclude(proposals__stage=ProposalStage.DOLISA)
    else:
        nominees = nominees.filter(state=NomineeState.ELIGIBLE)
    return nominees.select_related(*NOMINEE_RELATED).order_by("nomination__unit__path", "pk")


def proposal_nominees(proposal):
    return list(proposal.nominees.select_related(*NOMINEE_RELATED).order_by("nomination__unit__path", "pk"))


def awards_of(decision):
    """The decision's awards in the annex's order (collectives, individuals, families; then by name) and total."""
    awards = list(
        Award.objects.filter(decision=decision)
        .select_related("unit", "award_type", "district")
        .order_by("kind", "unit__path", "pk")
    )
    return awards, sum(award.bonus for award in awards)


def head_names(nominees):
    """{household id: its head's name} for the families of the registry nominated without a representative's
    name (one query)."""
    ids = [n.household_id for n in nominees if n.household_id and not n.full_name]
    rows = Member.objects.filter(household__in=ids, relation=Relation.HEAD).values_list("household", "full_name")
    return dict(rows)
