"""Every write to the unit tree and to memberships."""

import csv
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

from axes.utils import reset as axes_reset
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from common.text import nfc

from . import policy
from .choices import UnitCategory, UnitKind
from .models import Membership, Unit, UnitName

DATA_DIR = Path(__file__).resolve().parent / "data"
PROVINCE_CODE = "34"
PROVINCE_NAME = "Tỉnh Thái Bình"

_CATEGORY_BY_TYPE = {
    "huyện": UnitCategory.DISTRICT_RURAL,
    "thành phố": UnitCategory.DISTRICT_CITY,
    "thị xã": UnitCategory.DISTRICT_TOWN,
    "xã": UnitCategory.COMMUNE_RURAL,
    "phường": UnitCategory.COMMUNE_WARD,
    "thị trấn": UnitCategory.COMMUNE_TOWN,
}


def _read_csv(name):
    with (DATA_DIR / name).open(encoding="utf-8", newline="") as handle:
        return [{key: nfc(value) for key, value in row.items()} for row in csv.DictReader(handle)]


@dataclass
class LoadResult:
    created: int = 0
    updated: int = 0
    renamed: int = 0
    ended: int = 0
    successors: int = 0


def _sync(existing, wanted, result):
    """Insert the wanted units that are missing, in bulk; correct the place and type of the others.

    Names are never overwritten: a unit renamed since (by the merger or by an admin) keeps its name.
    """
    missing = [unit for key, unit in wanted.items() if key not in existing]
    for unit in missing:
        unit.full_clean(exclude=["parent", "successor"], validate_unique=False, validate_constraints=False)
    Unit.objects.bulk_create(missing)
    result.created += len(missing)
    changed = []
    for key, unit in wanted.items():
        current = existing.setdefault(key, unit)
        if current is not unit and (current.parent_id, current.category) != (unit.parent_id, unit.category):
            current.parent_id, current.category = unit.parent_id, unit.category
            changed.append(current)
    for unit in changed:  # parent changes fire the path trigger row by row, so save them one at a time
        unit.save(update_fields=["parent", "category"])
    result.updated += len(changed)


@transaction.atomic
def load_unit_tree():
    """Load the Thái Bình tree: 2020-2024 communes, the late-2024 merger as dated changes, and participants.

    Idempotent: a second run creates nothing and keeps what admins changed (successors, later names).
    """
    result = LoadResult()
    existing = {
        (unit.kind, unit.code): unit
        for unit in Unit.objects.filter(kind__in=[UnitKind.PROVINCE, UnitKind.DISTRICT, UnitKind.COMMUNE])
    }
    province_key = (UnitKind.PROVINCE, PROVINCE_CODE)
    _sync(existing, {province_key: Unit(kind=UnitKind.PROVINCE, code=PROVINCE_CODE, name=PROVINCE_NAME)}, result)
    province = existing[province_key]

    before = _read_csv("thai_binh_units_2020-2024.csv")
    districts = {
        (UnitKind.DISTRICT, row["district_code"]): Unit(
            kind=UnitKind.DISTRICT,
            code=row["district_code"],
            name=row["district_name"],
            parent=province,
            category=_CATEGORY_BY_TYPE[row["district_type"]],
        )
        for row in before
    }
    _sync(existing, districts, result)
    communes = {
        (UnitKind.COMMUNE, row["ward_code"]): Unit(
            kind=UnitKind.COMMUNE,
            code=row["ward_code"],
            name=row["ward_name"],
            parent=existing[(UnitKind.DISTRICT, row["district_code"])],
            category=_CATEGORY_BY_TYPE[row["ward_type"]],
        )
        for row in before
    }
    _sync(existing, communes, result)

    _apply_merger_2024(existing, {row["ward_code"]: row["ward_name"] for row in before}, result)
    _load_participants(province, result)
    return result


def _apply_merger_2024(existing, names_before, result):
    after = {row["ward_code"]: row["ward_name"] for row in _read_csv("thai_binh_units_2024-2025.csv")}
    merger = _read_csv("merger_2024.csv")
    effective = {date.fromisoformat(row["effective"]) for row in merger}
    if len(effective) != 1:
        raise ValueError("merger_2024.csv must carry one effective date")
    last_day = effective.pop() - timedelta(days=1)

    gone = [code for code in names_before if code not in after]
    result.ended += Unit.objects.filter(kind=UnitKind.COMMUNE, code__in=gone, valid_to__isnull=True).update(
        valid_to=last_day
    )
    for row in merger:
        result.successors += Unit.objects.filter(
            kind=UnitKind.COMMUNE, code=row["old_code"], successor__isnull=True
        ).update(successor=existing[(UnitKind.COMMUNE, row["successor_code"])])

    for code, new_name in after.items():
        unit = existing[(UnitKind.COMMUNE, code)]
        if unit.name == names_before[code] != new_name:
            UnitName.objects.get_or_create(unit=unit, valid_to=last_day, defaults={"name": unit.name})
            unit.name = new_name
            unit.save(update_fields=["name"])
            result.renamed += 1


def _load_participants(province, result):
    rows = _read_csv("provincial_participants.csv")
    existing = {
        (unit.kind, unit.name): unit
        for unit in Unit.objects.filter(kind__in={row["kind"] for row in rows}, parent__isnull=False)
    }
    by_short = {}
    for top_level in (True, False):  # parents first
        wanted = {}
        for row in rows:
            if bool(row["parent_short_name"]) == top_level:
                continue
            parent = by_short[row["parent_short_name"]] if row["parent_short_name"] else province
            wanted[(row["kind"], row["name"])] = Unit(
                kind=row["kind"],
                name=row["name"],
                short_name=row["short_name"],
                parent=parent,
                note=row["note"],
            )
        _sync(existing, wanted, result)
        by_short.update({existing[key].short_name: existing[key] for key in wanted})


@transaction.atomic
def add_membership(*, user, unit, role):
    membership = Membership(user=user, unit=unit, role=role)
    membership.full_clean()
    membership.save()
    policy.forget(user)
    return membership


@transaction.atomic
def set_successor(*, unit, successor):
    if successor is not None and successor.kind != unit.kind:
        raise ValidationError(_("A successor must be a unit of the same kind."))
    unit.successor = successor
    unit.full_clean()
    unit.save(update_fields=["successor"])
    return unit


def forgive_failed_logins(user):
    """Lift a lockout once the owner has set a new password through an administrator's link."""
    axes_reset(username=user.get_username())
