"""Reads of the unit reports, scoped through units.policy: who files for which unit, who receives which report,
the years a report may be opened for, a user's own reports and the two inboxes (a district's communes, DOLISA's
units), each in a fixed number of queries."""

from dataclasses import dataclass

from django.db.models import OuterRef, Subquery
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import reverse

from deadlines import rules as deadline_rules
from deadlines import selectors as deadline_selectors
from deadlines.models import Fulfilment
from movement.models import Milestone, MilestoneKind
from movement.selectors import campaign
from units import policy
from units.choices import UnitKind
from units.models import Unit, natural_order
from units.roles import ROLE_RULES, Action

from ..models import UnitReport, UnitReportFile, UnitReportTransition
from . import figures

# Who receives the reports of units other than communes: the lead unit's steering and compiling people.
DOLISA_ACTIONS = (Action.STEER, Action.COMPILE)


def files_for(user, unit):
    """Whether the user files the unit's report: a role that reports for the unit, not only for a unit above it
    (a district officer receives its communes' reports; they are not theirs to write)."""
    if not policy.can(user, Action.REPORT, unit):
        return False
    if user.is_superuser:
        return True
    return any(
        Action.REPORT in ROLE_RULES[m.role].actions and unit.path.startswith(m.unit.path) and m.unit.kind == unit.kind
        for m in policy.memberships(user)
    )


def receiver(report):
    """The unit a report is addressed to: a commune's district, else the movement's lead unit (DOLISA)."""
    if report.unit.kind == UnitKind.COMMUNE:
        return report.unit.parent
    return report.movement.lead_unit


def receives(user, report):
    """Whether the user accepts or returns the report: a district officer for its communes, STEER or COMPILE
    holders (DOLISA) for every other unit."""
    if report.unit.kind == UnitKind.COMMUNE:
        district = report.unit.parent
        return district is not None and policy.can(user, Action.REPORT, district)
    return any(policy.can(user, action, report.unit) for action in DOLISA_ACTIONS)


def is_dolisa(user):
    return any(policy.can_anywhere(user, action) for action in DOLISA_ACTIONS)


def movement_for(user, *, today):
    """The movement of the user's province running this year (404 without one)."""
    unit = next((m.unit for m in policy.memberships(user)), None)
    movement = campaign.current_movement(today=today, unit=unit)
    if movement is None:
        raise Http404
    return movement


def report_milestones(movement, *, today):
    """The unit-report deadlines of the movement that have opened by `today`, the latest first."""
    return [
        m
        for m in Milestone.objects.filter(movement=movement, kind=MilestoneKind.UNIT_REPORT)
        .select_related("deadline__within")
        .order_by("-deadline__year")
        if m.deadline.year and (m.deadline.opens_on is None or m.deadline.opens_on <= today)
    ]


def milestone_for(movement, year, *, today):
    found = next((m for m in report_milestones(movement, today=today) if m.deadline.year == year), None)
    if found is None:
        raise Http404
    return found


def owes(deadline, unit):
    return deadline_selectors.owed_units(deadline).filter(pk=unit.pk).exists()


@dataclass
class MyRow:
    unit: Unit
    year: int
    deadline: object
    report: UnitReport | None


def my_reports(user, movement, *, today):
    """For each unit the user files for and each opened year it owes a report: the report, if opened."""
    milestones = report_milestones(movement, today=today)
    units = [
        m.unit
        for m in policy.memberships(user)
        if Action.REPORT in ROLE_RULES[m.role].actions and m.unit.path.startswith(movement.province.path)
    ]
    reports = {
        (r.unit_id, r.year): r
        for r in UnitReport.objects.filter(movement=movement, unit__in=units).only("pk", "unit_id", "year", "state")
    }
    found = []
    for milestone in milestones:
        kinds = set(milestone.deadline.unit_kinds)
        for unit in units:
            if unit.kind in kinds:
                year = milestone.deadline.year
                found.append(MyRow(unit, year, milestone.deadline, reports.get((unit.pk, year))))
    return found


def visible_reports(user):
    return policy.restrict(user, UnitReport.objects.all(), action=Action.VIEW)


def report_for(user, pk):
    """A report the user may see (its unit's people, its receivers); another unit's report does not exist (404)."""
    report = get_object_or_404(
        visible_reports(user).select_related("unit__parent", "movement__lead_unit", "deadline", "updated_by"), pk=pk
    )
    return report


def file_for(user, pk):
    return get_object_or_404(
        policy.restrict(user, UnitReportFile.objects.select_related("report"), action=Action.VIEW), pk=pk
    )


def history(report):
    return list(UnitReportTransition.objects.filter(report=report).select_related("by"))


def delivery(report):
    return Fulfilment.objects.filter(deadline=report.deadline, unit=report.unit).select_related("deadline").first()


def shown_figures(report):
    """The figures a page shows: frozen once submitted, else computed now (they follow the records)."""
    if report.is_editable:
        return figures.compute(report.movement, report.unit, report.year)
    return report.figures


# Inboxes -------------------------------------------------------------------------------------------------------


@dataclass
class InboxRow:
    unit: Unit
    report: UnitReport | None
    delivered_at: object
    due_on: object

    @property
    def on_time(self):
        return None if self.delivered_at is None else deadline_rules.on_time(self.delivered_at, self.due_on)


def _inbox(deadline, units):
    """One row per unit of `units` (a queryset): its report, if opened, and its first submission."""
    delivered = Fulfilment.objects.filter(deadline=deadline, unit=OuterRef("pk")).values("at")[:1]
    units = list(units.annotate(delivered_at=Subquery(delivered)).order_by(*natural_order()))
    reports = {
        r.unit_id: r
        for r in UnitReport.objects.filter(deadline=deadline, unit__in=[u.pk for u in units]).only(
            "pk", "unit_id", "state", "submitted_at", "figures"
        )
    }
    return [InboxRow(u, reports.get(u.pk), u.delivered_at, deadline.due_on) for u in units]


def district_for(user, pk):
    """A district whose communes' reports the user receives (its officers) or follows (DOLISA); else 404."""
    district = get_object_or_404(Unit.objects.filter(kind=UnitKind.DISTRICT), pk=pk)
    if policy.can(user, Action.REPORT, district) or any(policy.can(user, a, district) for a in DOLISA_ACTIONS):
        return district
    raise Http404


def my_district(user):
    """The district whose inbox the user's menu opens (None: they receive no commune's report)."""
    return next(
        (
            m.unit
            for m in policy.memberships(user)
            if m.unit.kind == UnitKind.DISTRICT and policy.can(user, Action.REPORT, m.unit)
        ),
        None,
    )


def district_inbox(deadline, district):
    """The communes of the district owing the report, each with its report's state, submission and figures."""
    communes = deadline_selectors.owed_units(deadline).filter(kind=UnitKind.COMMUNE, path__startswith=district.path)
    return _inbox(deadline, communes)


def dolisa_inbox(deadline, movement):
    """The units other than communes owing the report in the movement's province: what DOLISA receives."""
    units = (
        deadline_selectors.owed_units(deadline)
        .filter(path__startswith=movement.province.path)
        .exclude(kind=UnitKind.COMMUNE)
    )
    return _inbox(deadline, units)


def own_figures(movement, unit, year):
    """A unit's own report figures beside its inbox: those of its report once submitted, else computed now."""
    report = UnitReport.objects.filter(movement=movement, unit=unit, year=year).first()
    if report is not None and not report.is_editable:
        return report, report.figures
    return report, figures.compute(movement, unit, year)


def deadline_page(deadline, unit):
    """Where a unit's people act on its report deadline (deadlines.links): its report, or the list of its reports
    where they open it."""
    report = UnitReport.objects.filter(deadline=deadline, unit=unit).only("pk").first()
    return report.get_absolute_url() if report else reverse("reports:unit_reports")
