"""Reads of participation: which movement and which units a user registers for, a unit's registration, plan and
self-assessment, and each milestone's status (who filed on time, late or not at all) per level, counted in SQL."""

from dataclasses import dataclass, field

from django.db.models import Exists, OuterRef, Q, Subquery
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from deadlines import rates
from deadlines import rules as deadline_rules
from deadlines import selectors as deadline_selectors
from deadlines.models import Fulfilment
from units import policy
from units.choices import UnitKind
from units.models import Unit, natural_order
from units.roles import ROLE_RULES, Action

from ..models import (
    Assessment,
    Evidence,
    Milestone,
    MilestoneKind,
    Movement,
    ParticipantGroup,
    Registration,
    UnitPlan,
)
from . import measures

# Who follows the milestones, and the levels they are told by, are those of the reporting rates.
LEVELS, OTHER, FOLLOW_ACTIONS = rates.LEVELS, rates.OTHER, rates.FOLLOW_ACTIONS
may_follow = rates.may_follow


# The movement --------------------------------------------------------------------------------------------------


def movement_for(pk):
    return get_object_or_404(Movement.objects.select_related("province"), pk=pk)


def participant_kinds(movement):
    """The unit kinds that take part in the movement (those of its participant groups)."""
    kinds = set()
    for unit_kinds in movement.participant_groups.values_list("unit_kinds", flat=True):
        kinds.update(unit_kinds)
    return kinds


def group_for(movement, unit):
    """The participant group whose criteria the unit is assessed against (None: its kind takes no part)."""
    return (
        ParticipantGroup.objects.filter(movement=movement, unit_kinds__contains=[unit.kind])
        .prefetch_related("criteria")
        .first()
    )


def plan_milestone(movement):
    """The milestone by which units file their implementation plans (None if the movement has none)."""
    return (
        Milestone.objects.filter(movement=movement, kind=MilestoneKind.UNIT_PLAN)
        .select_related("deadline__within")
        .first()
    )


def _participants(movement):
    return Unit.objects.filter(kind__in=participant_kinds(movement), path__startswith=movement.province.path)


def my_units(user, movement):
    """The participant units where the user holds a role that files for them (REPORT), in tree order."""
    kinds = participant_kinds(movement)
    ids = {
        m.unit_id
        for m in policy.memberships(user)
        if Action.REPORT in ROLE_RULES[m.role].actions
        and m.unit.kind in kinds
        and m.unit.path.startswith(movement.province.path)
    }
    plans = UnitPlan.objects.filter(movement=movement, unit=OuterRef("pk"))
    return (
        Unit.objects.filter(pk__in=ids)
        .annotate(
            registered=Exists(Registration.objects.filter(movement=movement, unit=OuterRef("pk"))),
            plan_number=Subquery(plans.values("number")[:1]),
        )
        .order_by("path")
    )


def unit_for(user, movement, pk):
    """A participant unit the user files for; any other unit does not exist for them (404)."""
    return policy.get_or_404(user, _participants(movement), action=Action.REPORT, pk=pk)


def filed_unit_for(user, movement, pk):
    """A participant unit whose plan and answers the user may open: one they file for, or one under a unit whose
    milestones they follow."""
    unit = get_object_or_404(_participants(movement), pk=pk)
    if policy.can(user, Action.REPORT, unit) or any(policy.can(user, action, unit) for action in FOLLOW_ACTIONS):
        return unit
    raise Http404


def registration_of(movement, unit):
    return (
        Registration.objects.filter(movement=movement, unit=unit).select_related("registered_by", "updated_by").first()
    )


def plan_of(movement, unit):
    return UnitPlan.objects.filter(movement=movement, unit=unit).select_related("filed_by").first()


def plan_versions(plan):
    """Every version of a plan, the latest first (the history kept by pghistory, with each version's file)."""
    return plan.events.select_related("filed_by").order_by("-pgh_id")


def plan_version(plan, event_id):
    return get_object_or_404(plan.events.all(), pgh_id=event_id)


def delivery(milestone, unit):
    """The unit's delivery of the milestone, with whether it was on time (None: not delivered)."""
    if milestone is None:
        return None
    return Fulfilment.objects.filter(deadline=milestone.deadline, unit=unit).select_related("deadline").first()


def registration_open(milestone, unit, now):
    """Whether a registration may still be changed at `now`: until the plan milestone's due day (23:59:59 Vietnam
    time), or a reopening of it for the unit."""
    if milestone is None or deadline_rules.on_time(now, milestone.deadline.due_on):
        return True
    today = now.astimezone(deadline_rules.VIETNAM).date()
    return deadline_selectors.reopened_until(milestone.deadline, unit, today) is not None


# Self-assessment -----------------------------------------------------------------------------------------------


def assessment_years(movement, today):
    """The years a unit may assess itself for: the movement's years up to the current one."""
    return [year for year in movement.years if year <= today.year]


def assessment_of(movement, unit, year):
    return (
        Assessment.objects.filter(movement=movement, unit=unit, year=year)
        .select_related("submitted_by", "updated_by")
        .first()
    )


@dataclass
class AssessmentRow:
    criterion: object
    answer: object = None
    figure: int | None = None
    has_measure: bool = False


def assessment_rows(movement, unit, year, assessment, group):
    """One row per criterion of the unit's group: its answer, and for a computed criterion its figure (the one
    frozen at submission, or else computed now from the records)."""
    answers = {a.criterion_id: a for a in assessment.answers.all()} if assessment else {}
    rows = []
    for criterion in group.criteria.all():
        row = AssessmentRow(criterion, answers.get(criterion.pk))
        if criterion.evidence == Evidence.COMPUTED:
            row.has_measure = criterion.measure in measures.MEASURES
            if assessment is not None and assessment.is_submitted:
                row.figure = row.answer.figure if row.answer else None
            else:
                row.figure = measures.figure(criterion.measure, unit, year)
        rows.append(row)
    return rows


def answer_for(assessment, criterion_pk):
    return get_object_or_404(assessment.answers.exclude(file=""), criterion_id=criterion_pk)


# Milestone status ----------------------------------------------------------------------------------------------


def follow_unit(user, movement, pk=None):
    """The province or district under the movement's province whose status the user asked for (by default the
    widest they may follow); 404 for one they may not follow."""
    return rates.follow_unit(user, pk, within=movement.province)


def milestones(movement):
    return list(Milestone.objects.filter(movement=movement).select_related("deadline__within"))


def _owed_under(milestone, unit):
    """The units under `unit` (itself included) owing the milestone, with their level, delivery and registration."""
    registered = Registration.objects.filter(movement_id=milestone.movement_id, unit=OuterRef("pk"))
    return rates.owed_under(milestone.deadline, unit).annotate(registered=Exists(registered))


@dataclass
class Counts(rates.Counts):
    registered: int = 0


def _counted(queryset, milestone, by):
    return rates.tally(queryset, due_on=milestone.deadline.due_on, by=by, counts=Counts, registered=Q(registered=True))


@dataclass
class LevelStatus:
    level: rates.Level
    counts: Counts
    units: list = field(default_factory=list)  # (unit, status) listed one by one
    districts: list = field(default_factory=list)  # (district, Counts): communes counted by district


@dataclass
class Status:
    milestone: Milestone
    unit: Unit
    levels: list
    total: Counts

    @property
    def is_plan(self):
        return self.milestone.kind == MilestoneKind.UNIT_PLAN


ON_TIME, LATE, MISSING = "on_time", "late", "missing"
STATUS_LABELS = {ON_TIME: _("on time"), LATE: _("filed late"), MISSING: _("not filed")}


def _counts_by_level(milestone, unit):
    return _counted(_owed_under(milestone, unit), milestone, "level")


def milestone_status(milestone, unit, *, with_units=True):
    """Who under `unit` owes the milestone and who filed it on time, late or not at all, per level, counted in
    SQL; with the units listed (a province's communes are counted by district, each a link down)."""
    by_level = _counts_by_level(milestone, unit)
    total = Counts()
    levels = []
    for level in rates.ordered_levels(by_level):
        total.add(by_level[level.key])
        levels.append(LevelStatus(level, by_level[level.key]))
    if with_units and levels:
        _fill_units(milestone, unit, levels)
    return Status(milestone, unit, levels, total)


def _fill_units(milestone, unit, levels):
    cutoff = deadline_rules.late_from(milestone.deadline.due_on)
    owed = _owed_under(milestone, unit)
    by_district = unit.kind == UnitKind.PROVINCE
    listed = owed.exclude(kind=UnitKind.COMMUNE) if by_district else owed
    plans = UnitPlan.objects.filter(movement_id=milestone.movement_id, unit=OuterRef("pk"))
    units = listed.annotate(plan_number=Subquery(plans.values("number")[:1])).order_by("level", *natural_order())
    by_key = {status.level.key: status for status in levels}
    for row in units:
        state = MISSING if row.delivered_at is None else ON_TIME if row.delivered_at < cutoff else LATE
        by_key[row.level].units.append((row, state))
    communes = by_key.get("communes")
    if by_district and communes is not None:
        communes_by_district = owed.filter(kind=UnitKind.COMMUNE).annotate(district_id=rates.child_expression(unit))
        counted = _counted(communes_by_district, milestone, "district_id")
        districts = Unit.objects.filter(pk__in=counted).order_by(*natural_order())
        communes.districts = [(district, counted[district.pk]) for district in districts]


def completeness(movement, unit):
    """Registration and plan completeness under `unit`: per level the units expected (those owing the plan
    milestone), registered, with a plan on time, late, and missing. None when the movement has no plan
    milestone."""
    milestone = plan_milestone(movement)
    if milestone is None:
        return None
    return milestone_status(milestone, unit, with_units=False)


# The milestones whose owing units act on their own participation page (registration and plan, self-assessment).
UNIT_MILESTONES = frozenset({MilestoneKind.UNIT_PLAN, MilestoneKind.MID_TERM_UNITS})


def deadline_page(deadline, unit):
    """Where `unit`'s people act on one of the movement's deadlines (deadlines.links): their participation page
    for the plan and the units' mid-term review, the compilations for a good-practice compilation, the milestone's
    progress for the province's own steps; None for a deadline that is no milestone."""
    milestone = Milestone.objects.filter(deadline=deadline).only("pk", "kind", "movement_id").first()
    if milestone is None:
        return None
    if milestone.kind in UNIT_MILESTONES:
        return reverse("movement:participation_unit", args=[milestone.movement_id, unit.pk])
    if milestone.kind == MilestoneKind.GOOD_PRACTICES:
        return reverse("movement:compilations")
    return f"{reverse('movement:milestones')}?movement={milestone.movement_id}&milestone={milestone.pk}"
