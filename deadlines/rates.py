"""Selectors of reporting rates, in the manner of DHIS2's reporting-rate summary: for a deadline and a unit under
which to count, how many units were expected to deliver, delivered on time, late or not at all, per level and per
child unit (for drill-down: province → districts → communes), counted in SQL and live (no nightly table).

Expected are the units owing the deadline that were in force on its due day (`selectors.owed_units`): a commune
that ended in a merger before the due day is not expected and its successor is, and only the deliveries of the
expected units count, so no rate exceeds 100 %. On time is fixed at delivery (`Fulfilment.at` against 23:59:59
of the due day, Vietnam time). A review period has no delivery (its close locks entry): it has no rate.
"""

from dataclasses import dataclass, field, fields

from django.db.models import Case, Count, F, Func, IntegerField, OuterRef, Q, Subquery, Value, When
from django.db.models.functions import Cast, NullIf
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy as _

from units import policy
from units.choices import UnitKind
from units.models import Unit, natural_order
from units.roles import Action

from . import rules, selectors
from .models import Deadline, DeadlineKind, Fulfilment


@dataclass(frozen=True)
class Level:
    key: str
    label: str
    kinds: frozenset


# The levels a deadline's rates are told by (plan 119 §IV.1): whoever owes it falls in one of them.
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
LEVEL_BY_KEY = {level.key: level for level in (*LEVELS, OTHER)}

# Who follows the rates: the movement's steering, its compilers and the Emulation Board, anywhere in their scope
# (the province); a district's people follow their district and its communes.
FOLLOW_ACTIONS = (Action.STEER, Action.COMPILE, Action.APPRAISE)

# The kinds with a rate: all but the review period, whose "delivery" is the close of entry, not a Fulfilment.
RATED_KINDS = [kind for kind in DeadlineKind.values if kind != DeadlineKind.REVIEW_PERIOD]


# Who may see what ----------------------------------------------------------------------------------------------


def may_follow(user, unit):
    """Whether the user may see the rates under `unit` (a province or a district)."""
    if unit.kind not in (UnitKind.PROVINCE, UnitKind.DISTRICT):
        return False
    if any(policy.can(user, action, unit) for action in FOLLOW_ACTIONS):
        return True
    return unit.kind == UnitKind.DISTRICT and policy.can(user, Action.REPORT, unit)


def follow_unit(user, pk=None, *, within=None):
    """The province or district whose rates the user asked for (by default the widest they may follow), under
    `within` when given; 404 for one they may not follow."""
    units = Unit.objects.filter(path__startswith=within.path) if within is not None else Unit.objects.all()
    if pk is None:
        provinces = [within] if within is not None else list(units.filter(kind=UnitKind.PROVINCE).order_by("path"))
        districts = [
            m.unit
            for m in policy.memberships(user)
            if m.unit.kind == UnitKind.DISTRICT and (within is None or m.unit.path.startswith(within.path))
        ]
        unit = next((u for u in (*provinces, *districts) if may_follow(user, u)), None)
    else:
        unit = units.filter(pk=pk).first()
    if unit is None or not may_follow(user, unit):
        raise Http404
    return unit


def rated_deadline(pk):
    """A deadline that has a reporting rate (any but a review period)."""
    return get_object_or_404(Deadline.objects.filter(kind__in=RATED_KINDS).select_related("within"), pk=pk)


def years():
    """The years that have a deadline with a rate, the latest first."""
    return sorted({d.year for d in Deadline.objects.filter(kind__in=RATED_KINDS).dates("due_on", "year")}, reverse=True)


def deadlines_of(year):
    return list(Deadline.objects.filter(kind__in=RATED_KINDS, due_on__year=year).select_related("within"))


# Counting ------------------------------------------------------------------------------------------------------


def level_expression():
    return Case(
        *[When(kind__in=sorted(level.kinds), then=Value(level.key)) for level in LEVELS],
        default=Value(OTHER.key),
    )


def level_rank():
    """The level's place in `LEVELS` (others last), to list units level by level."""
    return Case(
        *[When(kind__in=sorted(level.kinds), then=Value(rank)) for rank, level in enumerate(LEVELS)],
        default=Value(len(LEVELS)),
    )


def child_expression(unit):
    """The id of the child of `unit` a unit under it lies in (itself for a child; NULL for `unit` itself), read
    from the materialised path."""
    part = Func(F("path"), Value("/"), Value(unit.depth + 1), function="split_part")
    return Cast(NullIf(part, Value("")), IntegerField())


def owed_under(deadline, unit):
    """The units under `unit` (itself included) owing `deadline`, with their level and delivery time."""
    delivered = Fulfilment.objects.filter(deadline=deadline, unit=OuterRef("pk")).values("at")[:1]
    return (
        selectors.owed_units(deadline)
        .filter(path__startswith=unit.path)
        .annotate(level=level_expression(), delivered_at=Subquery(delivered))
    )


def _percent(part, whole):
    return round(100 * part / whole, 1) if whole else None


@dataclass
class Counts:
    """A group's expected units and their deliveries; the rates are percentages of the expected (None: nobody
    expected)."""

    expected: int = 0
    on_time: int = 0
    late: int = 0

    @property
    def submitted(self):
        return self.on_time + self.late

    @property
    def missing(self):
        return self.expected - self.submitted

    @property
    def rate(self):
        return _percent(self.submitted, self.expected)

    @property
    def on_time_rate(self):
        return _percent(self.on_time, self.expected)

    @property
    def late_rate(self):
        return _percent(self.late, self.expected)

    @property
    def missing_rate(self):
        return _percent(self.missing, self.expected)

    def add(self, other):
        for f in fields(self):
            setattr(self, f.name, getattr(self, f.name) + getattr(other, f.name))


def tally(queryset, *, due_on, by, counts=Counts, **extra):
    """{value of `by`: counts} over `queryset` (of `owed_under`) in one grouped query. `extra` names further
    conditions to count, as fields of the `counts` class (e.g. registered=Q(registered=True))."""
    end = rules.late_from(due_on)
    rows = (
        queryset.order_by()
        .values(by)
        .annotate(
            n_expected=Count("pk"),
            n_on_time=Count("pk", filter=Q(delivered_at__lt=end)),
            n_late=Count("pk", filter=Q(delivered_at__gte=end)),
            **{f"n_{name}": Count("pk", filter=condition) for name, condition in extra.items()},
        )
    )
    names = ["expected", "on_time", "late", *extra]
    return {row[by]: counts(**{name: row[f"n_{name}"] for name in names}) for row in rows}


def ordered_levels(by_level):
    return [level for level in (*LEVELS, OTHER) if level.key in by_level]


@dataclass
class Child:
    """A child of the unit counted with everything under it; `unit` None stands for the unit itself."""

    unit: Unit | None
    counts: Counts

    @property
    def drills(self):
        return self.unit is not None and self.unit.kind == UnitKind.DISTRICT


@dataclass
class Rates:
    deadline: Deadline
    unit: Unit
    levels: list  # (Level, Counts)
    total: Counts
    children: list = field(default_factory=list)  # Child


def rates(deadline, unit, *, children=True):
    """The reporting rates of `deadline` under `unit`: per level, in total, and (`children`) per child unit, each
    counted in one SQL query."""
    owed = owed_under(deadline, unit)
    by_level = tally(owed, due_on=deadline.due_on, by="level")
    total = Counts()
    levels = []
    for level in ordered_levels(by_level):
        total.add(by_level[level.key])
        levels.append((level, by_level[level.key]))
    result = Rates(deadline, unit, levels, total)
    if children and levels:
        by_child = tally(owed.annotate(child=child_expression(unit)), due_on=deadline.due_on, by="child")
        units = Unit.objects.filter(pk__in=[pk for pk in by_child if pk is not None]).order_by("kind", *natural_order())
        itself = [Child(None, by_child[None])] if None in by_child else []
        result.children = itself + sorted(
            (Child(child, by_child[child.pk]) for child in units), key=lambda c: (not c.drills,)
        )
    return result


def summaries(deadlines, unit):
    """Each deadline with its total counts under `unit` (one grouped query a deadline: a year has a handful)."""
    return [(deadline, rates(deadline, unit, children=False).total) for deadline in deadlines]


def missing_units(deadline, unit, *, level=None):
    """The units under `unit` expected to deliver `deadline` that have not, by level and name, with their parent."""
    units = owed_under(deadline, unit).filter(delivered_at__isnull=True)
    if level is not None:
        units = units.filter(level=level)
    return units.select_related("parent").annotate(rank=level_rank()).order_by("rank", "parent__path", *natural_order())
