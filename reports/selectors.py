"""Reads of the reports app: what the home page lists, the statistic forms' page and the village posting list."""

from dataclasses import dataclass

from django.db.models import OuterRef, Subquery
from django.http import Http404
from django.urls import reverse
from django.utils.translation import gettext as _

from common.text import fold, nfc
from deadlines import selectors as deadline_selectors
from documents import selectors as document_selectors
from households import selectors as household_selectors
from households.models import Member, PovertyClass, Relation, Review, ReviewState
from imports import selectors as import_selectors
from imports.models import JobState
from units import policy
from units import selectors as unit_selectors
from units.choices import UnitKind
from units.models import Unit
from units.roles import Action

from . import statistics
from .documents import form_day


def home_panels(user, *, today):
    """'Waiting for me' (work in the user's queues) and 'my deadlines' (what the user owes for the units where they
    may act, with the days left)."""
    year = household_selectors.current_review_year(today)
    counts = household_selectors.work_counts(user, year=year)
    list_url = reverse("households:list")
    waiting = [
        item
        for item in (
            {
                "label": _("Reviews returned for correction"),
                "count": counts.get("returned"),
                "url": f"{list_url}?year={year}&state=returned",
            },
            {
                "label": _("Draft reviews to finish and submit"),
                "count": counts.get("draft"),
                "url": f"{list_url}?year={year}&state=draft",
            },
            {
                "label": _("Reviews waiting for your recognition"),
                "count": counts.get("submitted"),
                "url": reverse("households:queue"),
            },
        )
        if item["count"]
    ]
    unconfirmed = list(
        import_selectors.jobs_for(user).filter(requested_by=user, state=JobState.VALIDATED).values_list("pk", flat=True)
    )
    if unconfirmed:
        waiting.append(
            {
                "label": _("Checked imports waiting for your confirmation (the unit takes no other import meanwhile)"),
                "count": len(unconfirmed),
                "url": reverse("imports:job", args=[unconfirmed[0]])
                if len(unconfirmed) == 1
                else reverse("imports:list"),
            }
        )
    return {
        "waiting": waiting,
        "due": deadline_selectors.owed_by(user, today=today),
        "year": year,
        "progress": household_selectors.progress_totals(user, year=year),
        "recent_documents": document_selectors.documents_for(user).filter(requested_by=user)[:5],
    }


# Statistic forms and the posting list ------------------------------------------------------------------------


def form_unit(user, pk, year):
    """A commune, district or province the user may see, named as at the end of `year`; else 404."""
    unit = unit_selectors.unit_for(user, pk, day=form_day(year))
    if unit.kind not in statistics.FORM_KINDS:
        raise Http404
    return unit


def forms_page(user, unit, *, year, today):
    """What the forms page offers for `unit`: its sub-units and visible ancestors to move to, the years, and, for a
    commune whose people the user may see, its villages' posting lists."""
    day = form_day(year)
    below = [
        child
        for child in unit_selectors.children(unit, day=day)
        if child.kind in statistics.FORM_KINDS or child.kind == UnitKind.VILLAGE
    ]
    return {
        "unit": unit,
        "year": year,
        "years": household_selectors.movement_years(unit, today=today),
        "forms": list(statistics.SPECS.values()),
        "province": unit.kind == UnitKind.PROVINCE,
        "ancestors": [a for a in unit_selectors.ancestors(unit, day=day) if policy.can(user, Action.VIEW, a)],
        "sub_units": [child for child in below if child.kind in statistics.FORM_KINDS],
        "villages": [child for child in below if child.kind == UnitKind.VILLAGE]
        if policy.can(user, Action.VIEW_PEOPLE, unit)
        else [],
    }


def default_form_unit(user, *, today):
    """The first commune, district or province at the top of the user's scope (None when there is none)."""
    return next(
        (root for root in unit_selectors.visible_roots(user, day=today) if root.kind in statistics.FORM_KINDS), None
    )


def posting_village(user, pk, year):
    """A village whose people the user may see (VIEW_PEOPLE), with its commune, named as at the end of `year`."""
    day = form_day(year)
    return policy.get_or_404(
        user,
        unit_selectors.named_as_of(Unit.objects.filter(kind=UnitKind.VILLAGE).select_related("parent"), day),
        action=Action.VIEW_PEOPLE,
        pk=pk,
    )


# Reviews that the village meeting has agreed: a draft or a returned one is still being entered.
POSTED_STATES = (ReviewState.SUBMITTED, ReviewState.RECOGNISED, ReviewState.LOCKED)
CLASS_NAMES = {
    PovertyClass.POOR: "Hộ nghèo",
    PovertyClass.NEAR_POOR: "Hộ cận nghèo",
    PovertyClass.AVERAGE: "Hộ có mức sống trung bình",
    PovertyClass.NONE: "Không thuộc diện",
}


@dataclass(frozen=True)
class Posted:
    name: str  # the head of household's name
    recognised: bool  # recognised by the commune chairman, else proposed by the village meeting
    note: str = ""


def _by_name(entry):
    """Vietnamese lists go by the given name (the last word), then the whole name, accents folded."""
    folded = fold(entry.name)
    return (folded.rsplit(" ", 1)[-1], folded, entry.name)


def posting_list(village, year):
    """The public list of a village's review results for `year` (one query): the heads of the households proposed
    or recognised poor and near-poor, and of those that leave either list, by name. Nothing else about them."""
    head = (
        Member.objects.filter(household=OuterRef("household_id"), relation=Relation.HEAD)
        .order_by("pk")
        .values("full_name")[:1]
    )
    before = (
        Review.objects.filter(household=OuterRef("household_id"), year=year - 1)
        .exclude(recognised_class="")
        .values("recognised_class")[:1]
    )
    results = (
        Review.objects.filter(village=village, year=year, state__in=POSTED_STATES)
        .annotate(head_name=Subquery(head), before=Subquery(before))
        .values_list("head_name", "recognised_class", "class_override", "computed_class", "before")
    )
    sections = {"poor": [], "near_poor": [], "left_poor": [], "left_near_poor": []}
    for name, recognised, override, computed, previous in results:
        now = recognised or override or computed
        entry = Posted(nfc(name or "") or "(chưa ghi tên chủ hộ)", bool(recognised))
        if now in (PovertyClass.POOR, PovertyClass.NEAR_POOR):
            sections[now].append(entry)
        if previous == PovertyClass.POOR and now != PovertyClass.POOR:
            sections["left_poor"].append(Posted(entry.name, entry.recognised, f"Chuyển thành: {CLASS_NAMES[now]}"))
        elif previous == PovertyClass.NEAR_POOR and now not in (PovertyClass.POOR, PovertyClass.NEAR_POOR):
            sections["left_near_poor"].append(Posted(entry.name, entry.recognised, f"Chuyển thành: {CLASS_NAMES[now]}"))
    titles = {
        "poor": "I. Hộ nghèo",
        "near_poor": "II. Hộ cận nghèo",
        "left_poor": "III. Hộ thoát nghèo",
        "left_near_poor": "IV. Hộ thoát cận nghèo",
    }
    return [(titles[key], sorted(entries, key=_by_name)) for key, entries in sections.items()]
