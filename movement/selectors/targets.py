"""Reads of the movement's targets: which movement a unit's pages follow (404 without one), and the table of
targets of the units under a parent unit with their baseline (the recognised poor households of the baseline year)."""

from dataclasses import dataclass

from django.http import Http404

from households import figures
from units import selectors as unit_selectors
from units.choices import UnitKind
from units.models import Unit, natural_order

from .. import rules
from ..models import Target
from . import campaign

CHILD_KIND = {UnitKind.PROVINCE: UnitKind.DISTRICT, UnitKind.DISTRICT: UnitKind.COMMUNE}


def current_movement(unit, *, today):
    """The movement of the unit's province running this year (campaign.current_movement); 404 when there is none."""
    movement = campaign.current_movement(today=today, unit=unit)
    if movement is None:
        raise Http404
    return movement


def targets_of(movement, units):
    """{unit id: Target} of `units` (ids or units) in `movement`."""
    return {target.unit_id: target for target in Target.objects.filter(movement=movement, unit__in=units)}


def final_reduction(movement, target, baseline_poor):
    """The unit's final reduction: its target's, else the movement's share of its baseline."""
    if target is not None and target.final_reduction is not None:
        return target.final_reduction
    return rules.default_final_reduction(
        baseline_poor, movement.final_share_numerator, movement.final_share_denominator
    )


@dataclass
class TargetRow:
    unit: Unit
    target: Target | None
    baseline: int  # poor households recognised in the baseline year (column 9 of its movement table)
    default_final: int  # the movement's share of the baseline

    @property
    def has_children(self):
        return self.unit.kind in CHILD_KIND


def target_table(movement, parent, *, day):
    """The rows of the targets form of `parent`: for the province itself and its districts, for a district its
    communes (units in force on `day`), each with its target and its baseline."""
    children = unit_selectors.named_as_of(
        Unit.objects.active_on(day).filter(parent=parent, kind=CHILD_KIND[parent.kind]), day
    ).order_by("code", *natural_order())
    units = list(children)
    if parent.kind == UnitKind.PROVINCE:
        units.insert(0, parent)
    rows, total = figures.movement_table(parent, movement.baseline_year)
    baseline = {row.unit.pk: row.get("poor", "households", 9) for row in rows}
    baseline[parent.pk] = total.get("poor", "households", 9)
    targets = targets_of(movement, units)
    share = (movement.final_share_numerator, movement.final_share_denominator)
    return [
        TargetRow(
            unit,
            targets.get(unit.pk),
            baseline.get(unit.pk, 0),
            rules.default_final_reduction(baseline.get(unit.pk, 0), *share),
        )
        for unit in units
    ]
