"""Reads of participation: which movement and which units a user registers for, a unit's registration, plan and
self-assessment, and each milestone's status (who filed on time, late or not at all) per level, counted in SQL."""

from dataclasses import dataclass, field
from datetime import datetime, time, timedelta

from django.db.models import Case, Count, Exists, F, Func, IntegerField, OuterRef, Q, Subquery, Value, When
from django.db.models.functions import Cast
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy as _

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


@dataclass(frozen=True)
class Level:
    key: str
    label: str
    kinds: frozenset


# The levels a milestone's status is told by (plan §IV.1): whoever owes it falls in one of them.
LEVELS = (
    Level(
        "organisations",
        _("Departments, the Front and mass organisations"),
        frozenset({UnitKind.DEPARTMENT, UnitKind.FRONT, UnitKind.MASS_ORG}),
    ),
    Level("districts", _("Districts"), frozenset({UnitKind.DISTRICT})),
    Level("communes", _("Communes"), frozenset({UnitKind.COMMUNE})),
    Level(
        "enterprises",
        _("Enterprises, banks and cooperatives"),
        frozenset({UnitKind.ENTERPRISE, UnitKind.BANK, UnitKind.COOPERATIVE}),
    ),
)
OTHER = Level("other", _("Other units"), frozenset())

# Who follows the milestones: the movement's steering, its compilers and the Emulation Board, anywhere in their
# scope (the province); a district's people follow their district and its communes.
FOLLOW_ACTIONS = (Action.STEER, Action.COMPILE, Action.APPRAISE)


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


def may_follow(user, unit):
    """Whether the user may see the milestones' status under `unit` (a province or a district)."""
    if unit.kind not in (UnitKind.PROVINCE, UnitKind.DISTRICT):
        return False
    if any(policy.can(user, action, unit) for action in FOLLOW_ACTIONS):
        return True
    return unit.kind == UnitKind.DISTRICT and policy.can(user, Action.REPORT, unit)


def follow_unit(user, movement, pk=None):
    """The province or district whose status the user asked for (by default the widest they may follow); 404 for
    one they may not follow."""
    if pk is None:
        candidates = [movement.province] + [
            m.unit for m in policy.memberships(user) if m.unit.kind == UnitKind.DISTRICT
        ]
        unit = next((u for u in candidates if may_follow(user, u)), None)
    else:
        unit = Unit.objects.filter(pk=pk, path__startswith=movement.province.path).first()
    if unit is None or not may_follow(user, unit):
        raise Http404
    return unit


def milestones(movement):
    return list(Milestone.objects.filter(movement=movement).select_related("deadline__within"))


def _cutoff(due_on):
    """The first instant after the due day, in Vietnam: a delivery before it is on time (deadlines.rules.on_time)."""
    return datetime.combine(due_on + timedelta(days=1), time.min, tzinfo=deadline_rules.VIETNAM)


def _level_expression():
    return Case(
        *[When(kind__in=sorted(level.kinds), then=Value(level.key)) for level in LEVELS],
        default=Value(OTHER.key),
    )


def _owed_under(milestone, unit):
    """The units under `unit` (itself included) owing the milestone, with their level, delivery and registration."""
    deadline = milestone.deadline
    return (
        deadline_selectors.owed_units(deadline)
        .filter(path__startswith=unit.path)
        .annotate(
            level=_level_expression(),
            delivered_at=Subquery(Fulfilment.objects.filter(deadline=deadline, unit=OuterRef("pk")).values("at")[:1]),
            registered=Exists(Registration.objects.filter(movement_id=milestone.movement_id, unit=OuterRef("pk"))),
        )
    )


@dataclass
class Counts:
    expected: int = 0
    registered: int = 0
    on_time: int = 0
    late: int = 0

    @property
    def missing(self):
        return self.expected - self.on_time - self.late

    def add(self, other):
        self.expected += other.expected
        self.registered += other.registered
        self.on_time += other.on_time
        self.late += other.late


def _counted(queryset, cutoff, by):
    rows = (
        queryset.order_by()
        .values(by)
        .annotate(
            expected=Count("pk"),
            n_registered=Count("pk", filter=Q(registered=True)),
            on_time=Count("pk", filter=Q(delivered_at__lt=cutoff)),
            late=Count("pk", filter=Q(delivered_at__gte=cutoff)),
        )
    )
    return {row[by]: Counts(row["expected"], row["n_registered"], row["on_time"], row["late"]) for row in rows}


@dataclass
class LevelStatus:
    level: Level
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
    return _counted(_owed_under(milestone, unit), _cutoff(milestone.deadline.due_on), "level")


def _ordered_levels(by_level):
    return [level for level in (*LEVELS, OTHER) if level.key in by_level]


def milestone_status(milestone, unit, *, with_units=True):
    """Who under `unit` owes the milestone and who filed it on time, late or not at all, per level, counted in
    SQL; with the units listed (a province's communes are counted by district, each a link down)."""
    by_level = _counts_by_level(milestone, unit)
    total = Counts()
    levels = []
    for level in _ordered_levels(by_level):
        total.add(by_level[level.key])
        levels.append(LevelStatus(level, by_level[level.key]))
    if with_units and levels:
        _fill_units(milestone, unit, levels)
    return Status(milestone, unit, levels, total)


def _fill_units(milestone, unit, levels):
    cutoff = _cutoff(milestone.deadline.due_on)
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
        district_id = Cast(Func(F("path"), Value("/"), Value(unit.depth + 1), function="split_part"), IntegerField())
        counted = _counted(owed.filter(kind=UnitKind.COMMUNE).annotate(district_id=district_id), cutoff, "district_id")
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
