"""Pages of proposals and decisions (/awards/proposals/…, /awards/decisions/…): the list, DOLISA's and the Board's
new proposal from the nominees waiting for one, a proposal with the decision form, a decision with its awards, and
the requests of their Decree 30 documents (rendered by the worker)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from common.forms import apply_errors
from common.params import query_id
from documents.services import request_document

from ..documents import CERTIFICATES, DECISION, PROPOSAL
from ..models import NomineeState, Occasion, ProposalStage
from . import selectors, services
from .forms import DecisionForm, ProposalForm


@login_required
def proposal_list(request):
    if not (selectors.may_propose(request.user) or selectors.may_decide(request.user)):
        raise Http404
    return render(
        request,
        "awards/decisions/list.html",
        {
            "proposals": selectors.proposals_for(request.user),
            "decisions": selectors.decisions_for(request.user),
            "may_propose": selectors.may_propose(request.user),
            "may_decide": selectors.may_decide(request.user),
        },
    )


_STAGES = {
    "dolisa": (ProposalStage.DOLISA, selectors.may_propose, services.propose_to_board),
    "board": (ProposalStage.BOARD, selectors.may_decide, services.propose_to_chairman),
}


@login_required
def proposal_new(request, stage):
    if stage not in _STAGES:
        raise Http404
    stage_value, allowed, propose = _STAGES[stage]
    if not allowed(request.user):
        raise Http404
    occasions = list(selectors.occasions())
    occasion_pk = query_id(request.GET, "occasion")
    occasion = get_object_or_404(Occasion, pk=occasion_pk) if occasion_pk else (occasions[0] if occasions else None)
    form = None
    if occasion is not None:
        candidates = selectors.candidates(request.user, occasion, stage_value)
        form = ProposalForm(request.POST or None, candidates=candidates)
        if request.method == "POST" and form.is_valid():
            try:
                proposal = propose(
                    user=request.user, occasion=occasion, nominee_ids=[n.pk for n in form.cleaned_data["nominees"]]
                )
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                messages.success(request, _("The proposal was issued."))
                return redirect(proposal)
    return render(
        request,
        "awards/decisions/proposal_new.html",
        {"stage": stage, "stage_label": stage_value.label, "occasions": occasions, "occasion": occasion, "form": form},
        status=400 if request.method == "POST" else 200,
    )


def _decision_form(request, proposal, waiting):
    if proposal.stage != ProposalStage.BOARD or not waiting or not selectors.may_decide(request.user):
        return None
    return DecisionForm(request.POST or None, nominees=waiting)


@login_required
def proposal_detail(request, pk):
    proposal = selectors.proposal_for(request.user, pk)
    nominees = selectors.proposal_nominees(proposal)
    waiting = [n for n in nominees if n.state == NomineeState.PROPOSED]
    form = _decision_form(request, proposal, waiting)
    if request.method == "POST":
        if form is None:
            raise Http404
        if form.is_valid():
            data = form.cleaned_data
            try:
                decision = services.record_decision(
                    user=request.user,
                    proposal=proposal,
                    number=data["number"],
                    signed_on=data["signed_on"],
                    signer=data["signer"],
                    signer_title=data["signer_title"],
                    declined=form.declined(),
                )
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                messages.success(request, _("The decision was recorded."))
                return redirect(decision)
    return render(
        request,
        "awards/decisions/proposal.html",
        {
            "proposal": proposal,
            "nominees": nominees,
            "decisions": proposal.decisions.order_by("signed_on", "pk"),
            "form": form,
            "is_dolisa": proposal.stage == ProposalStage.DOLISA,
        },
        status=400 if request.method == "POST" else 200,
    )


@login_required
def decision_detail(request, pk):
    decision = selectors.decision_for(request.user, pk)
    awards, total = selectors.awards_of(decision)
    return render(request, "awards/decisions/decision.html", {"decision": decision, "awards": awards, "total": total})


@login_required
@require_POST
def proposal_document(request, pk):
    proposal = selectors.proposal_for(request.user, pk)
    if proposal.stage != ProposalStage.DOLISA:
        raise Http404
    document = request_document(
        user=request.user,
        kind=PROPOSAL,
        unit=proposal.issuer,
        day=proposal.issued_on,
        subject=proposal.pk,
        number=proposal.number,
    )
    return redirect(document)


@login_required
@require_POST
def decision_document(request, pk, kind):
    if kind not in (DECISION, CERTIFICATES):
        raise Http404
    decision = selectors.decision_for(request.user, pk)
    document = request_document(
        user=request.user,
        kind=kind,
        unit=decision.issuer,
        day=decision.signed_on,
        subject=decision.pk,
        number=decision.number,
    )
    return redirect(document)
