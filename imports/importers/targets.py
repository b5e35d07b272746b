"""The movement's targets by unit: one row per unit (the province, a district or a commune) with its yearly band
and its final reduction, for the whole province.

Key: the unit's GSO code; its name is checked against the code (with or without "Huyện", "Xã", accents or case),
so a row copied under the wrong code is refused rather than saved on another unit. An empty number keeps what the
unit already has. Only those who steer the movement (Action.STEER) may run it; the targets are written by the
movement's service (movement.services.targets), which checks them again.
"""

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from movement import rules
from movement.selectors.targets import current_movement, targets_of
from movement.services.targets import FIELDS, TARGET_KINDS, TargetEntry, entry_problems, set_targets
from units import policy
from units.choices import UnitKind
from units.models import Unit, UnitName
from units.roles import Action

from .. import normalise
from .base import NEW, UNCHANGED, UPDATED, Column, Importer, Stats, parse_code


def parse_households(value):
    try:
        return rules.whole_number(value), None
    except rules.NotWhole as exc:
        raise normalise.Invalid(str(exc)) from None


def _number(key, header, help_text, example):
    return Column(key, header, help=help_text, example=example, parse=parse_households, kind="int", width=16)


COLUMNS = (
    Column(
        "code",
        gettext_lazy("Unit code (GSO)"),
        help=gettext_lazy("The GSO code of the province, the district or the commune."),
        example="344",
        required=True,
        aliases=("Mã đơn vị", "Mã", "Mã số", "Mã ĐVHC", "Mã đơn vị hành chính"),
        parse=parse_code,
        number_format="@",
        width=12,
    ),
    Column(
        "name",
        gettext_lazy("Unit name"),
        help=gettext_lazy("The unit's name, checked against its code."),
        example="Huyện Vũ Thư",
        required=True,
        aliases=("Tên đơn vị", "Đơn vị", "Tên"),
        max_length=255,
        width=28,
    ),
    _number(
        "yearly_min",
        gettext_lazy("Fewer poor households a year, at least"),
        gettext_lazy("A whole number; empty keeps the number already set."),
        "120",
    ),
    _number(
        "yearly_max",
        gettext_lazy("Fewer poor households a year, at most"),
        gettext_lazy("A whole number, not below the minimum; empty keeps the number already set."),
        "180",
    ),
    _number(
        "final_reduction",
        gettext_lazy("Fewer poor households by the end of the period"),
        gettext_lazy("A whole number; empty keeps the number already set (none: the movement's share)."),
        "400",
    ),
)


def _code_key(code):
    return code.lstrip("0") or code


def _name_key(name):
    key = normalise.unit_key(name)
    return key.removeprefix("tinh ")


class Context:
    def __init__(self, job, applying):
        self.job = job
        self.applying = applying
        self.movement = current_movement(job.unit, today=timezone.localdate())
        units = list(Unit.objects.current().filter(kind__in=TARGET_KINDS, path__startswith=job.unit.path))
        self.by_code = {}
        for unit in units:
            if unit.code:
                self.by_code.setdefault(_code_key(unit.code), []).append(unit)
        self.names = {unit.pk: {_name_key(unit.name)} for unit in units}
        for former in UnitName.objects.filter(unit__in=units):
            self.names[former.unit_id].add(_name_key(former.name))
        self.targets = targets_of(self.movement, units)
        self.seen = {}
        self.stats = Stats()


class TargetsImporter(Importer):
    kind = "targets"
    label = gettext_lazy("Targets of the movement")
    description = gettext_lazy("One row per unit: its yearly band and its final reduction of poor households.")
    columns = COLUMNS
    target_kinds = (UnitKind.PROVINCE,)
    action = Action.STEER
    lock_group = "targets"
    notes = (
        gettext_lazy(
            "One row per unit: the province, a district or a commune, found by its GSO code; its name must match "
            "the code. Numbers are whole numbers of poor households; an empty cell keeps the number already set."
        ),
    )

    def prepare(self, job, *, applying=False):
        return Context(job, applying)

    def plan(self, ctx, rows):
        for row in rows:
            values = row.values
            if "code" not in values:
                continue
            unit = self._unit(ctx, row)
            if unit is None:
                continue
            target = ctx.targets.get(unit.pk)
            wanted = {
                name: values[name] if name in values else (getattr(target, name) if target else None) for name in FIELDS
            }
            if problem := rules.band_problem(wanted["yearly_min"], wanted["yearly_max"]):
                row.error("yearly_max", problem)
                continue
            entry = TargetEntry(unit, **wanted)
            if problems := entry_problems(ctx.movement, entry):
                row.error("code", "; ".join(problems))
                continue
            if target is None:
                row.status = NEW
            elif all(getattr(target, name) == wanted[name] for name in FIELDS):
                row.status = UNCHANGED
            else:
                row.status = UPDATED
            row.action = entry if row.status != UNCHANGED else None
            ctx.stats.add("targets", row.status)

    def _unit(self, ctx, row):
        values = row.values
        found = ctx.by_code.get(_code_key(values["code"]), [])
        if len(found) != 1:
            row.error("code", _("No unit of the province has the code “%(code)s”.") % {"code": values["code"]})
            return None
        unit = found[0]
        if "name" in values and _name_key(values["name"]) not in ctx.names[unit.pk]:
            row.error(
                "name",
                _("“%(name)s” is not the unit with code %(code)s (%(unit)s).")
                % {"name": values["name"], "code": values["code"], "unit": unit.name},
            )
            return None
        if not policy.can(ctx.job.requested_by, Action.STEER, unit):
            row.error("code", _("You may not set the targets of %(unit)s.") % {"unit": unit.name})
            return None
        first = ctx.seen.setdefault(unit.pk, row.number)
        if first != row.number:
            row.error("code", _("%(unit)s is already on row %(row)s.") % {"unit": unit.name, "row": first})
            return None
        return unit

    def persist(self, ctx, rows, recorder):
        entries = [row.action for row in rows if row.action]
        if entries:
            set_targets(user=ctx.job.requested_by, movement=ctx.movement, entries=entries)

    def counts_summary(self, stats, *, applied):
        counts = self.counts(stats, "targets")
        if applied:
            text = _("Imported. Targets: %(new)s new, %(updated)s changed, %(unchanged)s unchanged.")
        else:
            text = _("Checked. Targets: %(new)s new, %(updated)s to change, %(unchanged)s unchanged.")
        return text % {"new": counts[NEW], "updated": counts[UPDATED], "unchanged": counts[UNCHANGED]}
