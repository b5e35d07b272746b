"""The figures a criterion can be evidenced by: `MEASURES[measure](unit, year)` gives a unit's figure for a year,
computed from the records: the registry's movement table, the deliveries of deadlines, the support ledger and the
good practices (None when the figure does not apply to that kind of unit)."""

from django.db.models import F
from django.db.models.functions import TruncDate

from deadlines.models import Fulfilment
from deadlines.rules import VIETNAM
from households import figures
from units.choices import UnitKind

from ..models import Measure
from . import ledger, practices

# The units with a registry of their own: the movement table has a meaning for them.
AREA_KINDS = frozenset({UnitKind.PROVINCE, UnitKind.DISTRICT, UnitKind.COMMUNE, UnitKind.VILLAGE})


def _table(unit, year):
    if unit.kind not in AREA_KINDS:
        return None
    _rows, total = figures.movement_table(unit, year)
    return total.values


def poor_reduction(unit, year):
    """Poor households fewer over the year (column 1 - column 9 of the movement table: recognised results)."""
    table = _table(unit, year)
    return None if table is None else table["poor"]["households"][1] - table["poor"]["households"][9]


def near_poor_reduction(unit, year):
    """Near-poor households fewer over the year (column 1 - column 9 of the near-poor table)."""
    table = _table(unit, year)
    return None if table is None else table["near"]["households"][1] - table["near"]["households"][9]


def repoor(unit, year):
    """Households that fell back into poverty in the year (column 6 of the poor table)."""
    table = _table(unit, year)
    return None if table is None else table["poor"]["households"][6]


def reports_on_time(unit, year):
    """The deadlines due in `year` that the unit delivered on time (by 23:59:59 of the due day, Vietnam time)."""
    return (
        Fulfilment.objects.filter(unit=unit, deadline__due_on__year=year)
        .annotate(day=TruncDate("at", tzinfo=VIETNAM))
        .filter(day__lte=F("deadline__due_on"))
        .count()
    )


MEASURES = {
    Measure.POOR_REDUCTION: poor_reduction,
    Measure.NEAR_POOR_REDUCTION: near_poor_reduction,
    Measure.REPOOR: repoor,
    Measure.REPORTS_ON_TIME: reports_on_time,
    Measure.SUPPORT_GIVEN: ledger.measure_support_given,
    Measure.SUPPORT_RECEIVED: ledger.measure_support_received,
    Measure.JOBS_GIVEN: ledger.measure_jobs_given,
    Measure.GOOD_PRACTICES: practices.measure_good_practices,
}


def figure(measure, unit, year):
    """The unit's figure for `measure` in `year`, or None when the measure does not apply to the unit."""
    return MEASURES[measure](unit, year)
