"""Setting the movement's targets: the province's, its districts' and their communes' yearly band and final
reduction, from the targets page or an Excel import. All rows are checked first; one bad row saves nothing."""

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from units import policy
from units.choices import UnitKind
from units.models import Unit
from units.roles import Action

from .. import rules
from ..models import Target

TARGET_KINDS = (UnitKind.PROVINCE, UnitKind.DISTRICT, UnitKind.COMMUNE)
FIELDS = ("yearly_min", "yearly_max", "final_reduction")


@dataclass(frozen=True)
class TargetEntry:
    """What one unit is to achieve; None leaves that number unset (the final reduction then follows the share)."""

    unit: Unit
    yearly_min: int | None = None
    yearly_max: int | None = None
    final_reduction: int | None = None


def entry_problems(movement, entry):
    """Why `entry` cannot be saved for `movement` (an empty list when it can)."""
    problems = []
    unit = entry.unit
    if unit.kind not in TARGET_KINDS or not unit.path.startswith(movement.province.path):
        problems.append(_("%(unit)s is not a unit of this movement's province.") % {"unit": unit.name})
    if not unit.is_active_on(timezone.localdate()):
        problems.append(_("%(unit)s is no longer in force.") % {"unit": unit.name})
    for name in FIELDS:
        value = getattr(entry, name)
        if value is not None and (isinstance(value, bool) or not isinstance(value, int) or value < 0):
            problems.append(_("“%(value)s” is not a whole number of households.") % {"value": value})
    if problem := rules.band_problem(entry.yearly_min, entry.yearly_max):
        problems.append(problem)
    return problems


@transaction.atomic
def set_targets(*, user, movement, entries):
    """Save the targets of `entries` (units the user steers). Raises ValidationError keyed by unit id with every
    row's problems, and saves nothing, when any row is wrong. Returns the number of targets created or changed."""
    errors = {}
    for entry in entries:
        policy.require(user, Action.STEER, entry.unit)
        if problems := entry_problems(movement, entry):
            errors[str(entry.unit.pk)] = problems
    if errors:
        raise ValidationError(errors)
    existing = {
        target.unit_id: target
        for target in Target.objects.filter(movement=movement, unit__in=[entry.unit for entry in entries])
    }
    changed = []
    for entry in entries:
        wanted = tuple(getattr(entry, name) for name in FIELDS)
        target = existing.get(entry.unit.pk)
        if target is None and wanted == (None, None, None):
            continue
        if target is not None and tuple(getattr(target, name) for name in FIELDS) == wanted:
            continue
        changed.append(Target(movement=movement, unit=entry.unit, **dict(zip(FIELDS, wanted, strict=True))))
    Target.objects.bulk_create(
        changed, update_conflicts=True, unique_fields=["movement", "unit"], update_fields=[*FIELDS, "updated_at"]
    )
    return len(changed)
