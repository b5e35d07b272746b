"""Reads of the yearly summary, through units.policy: who sees a summary (the lead unit's compilers and steering
people; the Emulation Board once it has been submitted), the years a summary is due, the Board's received list, a
summary's history, delivery and documents."""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import reverse

from deadlines.models import Fulfilment
from documents.models import Document
from movement.models import Milestone, MilestoneKind
from units import policy
from units.roles import Action

from ..models import DocumentKind, Summary, SummaryState, SummaryTransition
from . import tables

# Who works on the summary (DOLISA) and who receives it (the Emulation Board).
COMPILERS = (Action.COMPILE, Action.STEER)
RECEIVERS = (Action.APPRAISE,)


def compiles(user, unit):
    return any(policy.can(user, action, unit) for action in COMPILERS)


def receives(user, unit):
    return any(policy.can(user, action, unit) for action in RECEIVERS)


def may_see(user, summary):
    """The lead unit's compilers see the summary from its opening; the Emulation Board once it was submitted."""
    if compiles(user, summary.issuer):
        return True
    return receives(user, summary.issuer) and summary.state != SummaryState.DRAFT


def require_sight(user, summary):
    """Out of the user's sight (another province, a unit below, a draft for the Board): 404; a role in sight with
    no part in the summary (an administrator): 403."""
    if not policy.can(user, Action.VIEW, summary.issuer):
        raise Http404
    if may_see(user, summary):
        return
    if receives(user, summary.issuer):
        raise Http404
    raise PermissionDenied


def summary_milestones(movement, *, today):
    """The summary deadlines of the movement that have opened by `today`, the latest first."""
    return [
        m
        for m in Milestone.objects.filter(movement=movement, kind=MilestoneKind.SUMMARY)
        .select_related("deadline")
        .order_by("-deadline__year")
        if m.deadline.year and (m.deadline.opens_on is None or m.deadline.opens_on <= today)
    ]


def deadline_for(movement, year, *, today):
    found = next((m for m in summary_milestones(movement, today=today) if m.deadline.year == year), None)
    return found.deadline if found else None


def summary_for(user, pk):
    """A summary the user may see; another province's (or a unit's below) does not exist for them (404), nor a
    draft for the Board; a role in sight with no part in it gets 403."""
    summary = get_object_or_404(
        policy.restrict(user, Summary.objects.all()).select_related(
            "movement__province", "issuer", "deadline", "updated_by"
        ),
        pk=pk,
    )
    require_sight(user, summary)
    return summary


def summaries_of(movement):
    return {s.year: s for s in Summary.objects.filter(movement=movement).only("pk", "year", "state", "number")}


def received(user):
    """The summaries submitted to the Emulation Board that the user may see, the latest year first."""
    return (
        policy.restrict(user, Summary.objects.exclude(state=SummaryState.DRAFT), action=Action.APPRAISE)
        .select_related("movement", "issuer", "deadline")
        .order_by("-year", "pk")
    )


def history(summary):
    return list(SummaryTransition.objects.filter(summary=summary).select_related("by"))


def delivery(summary):
    return Fulfilment.objects.filter(deadline=summary.deadline, unit=summary.issuer).select_related("deadline").first()


def documents(summary):
    """The PDFs requested of the summary, the latest first."""
    return list(
        Document.objects.filter(kind=DocumentKind.PROVINCIAL_SUMMARY, subject=summary.pk).select_related(
            "requested_by"
        )[:5]
    )


def shown_tables(summary):
    """The summary's tables as a page prints them (those of the last compilation; frozen once submitted)."""
    return tables.printed_tables(summary.figures)


def annex(summary, name):
    """One of the summary's stored Excel annexes (404 for an unknown name)."""
    found = summary.figures.get("annexes", {}).get(name)
    if found is None:
        raise Http404
    return found


def deadline_page(deadline, unit):
    """Where DOLISA's people act on the summary deadline (deadlines.links): the year's summary, or the list of
    summaries where they open it."""
    summary = Summary.objects.filter(deadline=deadline).only("pk").first()
    return summary.get_absolute_url() if summary else reverse("reports:summaries")
