"""The pure rules of awards: what a nominee's identity is for the duplicate check, the route of a list, and the
bonus (DOMAIN.md §5). No database here: callers pass what they read."""

import math
from decimal import Decimal

from django.utils.translation import gettext as _

from common.text import fold
from units.choices import UnitKind

BONUS_STEP = 10_000  # a bonus is rounded up to the next 10,000 đồng


def goes_through_district(unit, parent):
    """A commune's list goes through its district while there are districts (the tree until 07/2025); every other
    list goes straight to DOLISA."""
    return unit.kind == UnitKind.COMMUNE and parent is not None and parent.kind == UnitKind.DISTRICT


def person_key(full_name, birth_year):
    """The same person for the duplicate check, when no CCCD says so: the name without accents or case, and the
    year of birth."""
    return (fold(full_name or ""), birth_year)


def bonus(multiple, base_salary):
    """multiple × base salary, rounded up to the next 10,000 đồng (exact decimal arithmetic)."""
    if multiple is None:
        raise ValueError("a bonus needs a multiple")
    amount = Decimal(multiple) * base_salary
    return math.ceil(amount / BONUS_STEP) * BONUS_STEP


def in_force(rows, day):
    """The row of dated `rows` ((valid_from, value), …) in force on `day`, or None before the first."""
    found = None
    for valid_from, value in sorted(rows, key=lambda row: row[0]):
        if valid_from <= day:
            found = value
    return found


def birth_year_problem(birth_year, today):
    """Why a year of birth is refused (None when it is empty or plausible)."""
    if birth_year is None:
        return None
    if birth_year > today.year:
        return _("The year of birth cannot be in the future.")
    if birth_year < today.year - 120:
        return _("The year of birth is too far in the past.")
    return None
