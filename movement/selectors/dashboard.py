"""The movement's dashboard of a unit (the province, a district or a commune): its poor and near-poor households
by year against its target band and the one-third line, and the units under it for one year.

Every number is read from the registry's movement table of the unit and year (households.figures.movement_table):
the households on a list are column 9, the year's reduction column 1 − column 9 of the poor table, newly poor
column 7 and re-poor column 6, the rates the table's own. Nothing is counted a second way."""

from dataclasses import dataclass, field

from households import figures
from households import selectors as household_selectors
from units.choices import UnitKind
from units.models import Unit

from .. import rules
from ..models import Movement, Target
from .targets import final_reduction, targets_of

DASHBOARD_KINDS = (UnitKind.PROVINCE, UnitKind.DISTRICT, UnitKind.COMMUNE)


@dataclass(frozen=True)
class YearFigures:
    year: int
    finished: bool
    poor: int  # poor households at the end of the year (column 9)
    near_poor: int
    poor_rate: float | None
    near_poor_rate: float | None
    poor_start: int  # column 1
    reduction: int  # column 1 − column 9
    newly_poor: int  # column 7
    re_poor: int  # column 6
    band_upper: int | None  # poor households left at the band's slowest pace (yearly minimum)
    band_lower: int | None  # at its fastest (yearly maximum)
    final_line: int | None  # the baseline less the final reduction (the one-third line)
    status: str | None

    @property
    def status_label(self):
        return rules.STATUS_LABELS.get(self.status, "")


@dataclass(frozen=True)
class ChildFigures:
    unit: Unit
    poor_start: int
    poor_end: int
    reduction: int
    yearly_min: int | None
    yearly_max: int | None
    status: str | None

    @property
    def status_label(self):
        return rules.STATUS_LABELS.get(self.status, "")

    @property
    def drillable(self):
        return self.unit.kind in DASHBOARD_KINDS


@dataclass
class Dashboard:
    unit: Unit
    movement: Movement
    target: Target | None
    year: int
    baseline: int | None  # poor households of the baseline year (None before its table exists)
    final_reduction: int | None
    years: list = field(default_factory=list)  # [YearFigures], oldest first
    children: list = field(default_factory=list)  # [ChildFigures] of `year`

    @property
    def current(self):
        return next((y for y in self.years if y.year == self.year), None)


def total_reduction(row):
    """Poor households fewer in the year: column 1 − column 9 of the poor table."""
    return row.get("poor", "households", 1) - row.get("poor", "households", 9)


def dashboard_years(unit, movement, *, today, served=None):
    """The movement's years that have a review period open by `today`: [(year, finished, has results)].
    `served`: figures.served_years(), decided once for the page."""
    years = household_selectors.movement_years(unit, today=today, served=served)
    return sorted((y for y in years if y[0] in movement.years), key=lambda y: y[0])


def default_year(years, *, today):
    return household_selectors.default_movement_year(sorted(years, reverse=True), today=today)


def dashboard(unit, movement, *, year, years, served=None):
    """The dashboard of `unit` (in the user's view: the caller checks) for `year`, over `years` as
    dashboard_years gives them; the years served by their snapshots are decided once (`served`, else here)."""
    served = figures.served_years() if served is None else served
    tables = {y: figures.movement_table(unit, y, served=served) for y, _finished, _results in years}
    child_rows = tables[year][0] if year in tables else []
    target_units = [unit.pk, *(row.unit.pk for row in child_rows)]
    targets = targets_of(movement, target_units)
    target = targets.get(unit.pk)
    yearly_min = target.yearly_min if target else None
    yearly_max = target.yearly_max if target else None
    baseline = (
        tables[movement.baseline_year][1].get("poor", "households", 9) if movement.baseline_year in tables else None
    )
    final = final_reduction(movement, target, baseline) if baseline is not None else None
    result = Dashboard(unit, movement, target, year, baseline, final)
    for y, finished, _results in years:
        total = tables[y][1]
        upper = lower = line = None
        if baseline is not None and y >= movement.baseline_year:
            upper, lower = rules.band_lines(baseline, y - movement.baseline_year, yearly_min, yearly_max)
            line = rules.final_line(baseline, final)
        rates = total.rates
        result.years.append(
            YearFigures(
                year=y,
                finished=finished,
                poor=total.get("poor", "households", 9),
                near_poor=total.get("near", "households", 9),
                poor_rate=rates["poor"],
                near_poor_rate=rates["near"],
                poor_start=total.get("poor", "households", 1),
                reduction=total_reduction(total),
                newly_poor=total.get("poor", "households", 7),
                re_poor=total.get("poor", "households", 6),
                band_upper=upper,
                band_lower=lower,
                final_line=line,
                status=rules.status(None if y == movement.baseline_year else total_reduction(total), yearly_min),
            )
        )
    for row in child_rows:
        start, end = row.get("poor", "households", 1), row.get("poor", "households", 9)
        child_target = targets.get(row.unit.pk)
        child_min = child_target.yearly_min if child_target else None
        child_max = child_target.yearly_max if child_target else None
        reduction = start - end
        result.children.append(
            ChildFigures(
                unit=row.unit,
                poor_start=start,
                poor_end=end,
                reduction=reduction,
                yearly_min=child_min,
                yearly_max=child_max,
                status=rules.status(None if year == movement.baseline_year else reduction, child_min),
            )
        )
    return result
