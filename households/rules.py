"""Pure rules of the registry (no database access): classification, year-on-year movement, entry windows."""

from dataclasses import dataclass
from datetime import date
from enum import Enum

from django.utils import formats
from django.utils.translation import gettext as _

from common.text import nfc

from .models import MAX_MONTHLY_INCOME, PovertyClass
from .workflow import EDITABLE_STATES

OLDEST_BIRTH = date(1900, 1, 1)


def classify(*, income, is_urban, deprivations, standard):
    """Class of a household under a multidimensional poverty standard (Decree 07/2021/NĐ-CP, art. 3).

    Limits are inclusive. Above the poverty line a household is never poor or near-poor, however many
    indicators it lacks; at or below it, the number of deprivations decides between poor and near-poor.
    """
    poverty_line = standard.urban_poverty_line if is_urban else standard.rural_poverty_line
    average_line = standard.urban_average_line if is_urban else standard.rural_average_line
    if income <= poverty_line:
        return PovertyClass.POOR if deprivations >= standard.deprivation_threshold else PovertyClass.NEAR_POOR
    if income <= average_line:
        return PovertyClass.AVERAGE
    return PovertyClass.NONE


class Move(Enum):
    """Columns 2-8 of the movement tables (DOMAIN.md §3); column 1 is the start, 9 the end."""

    TO_OTHER_LIST = 2  # poor -> near-poor (near-poor table: near-poor -> poor)
    ESCAPED = 3  # rose above the near-poor line (near-poor table: above the near-poor line)
    OTHER_DECREASE = 4  # no review this year: died, moved away, merged
    FROM_OTHER_LIST = 5  # near-poor -> poor (near-poor table: poor -> near-poor)
    RETURNED = 6  # tái nghèo / tái cận nghèo: had the class in an earlier year, escaped, has it again
    NEW = 7  # phát sinh mới: never had the class before
    OTHER_INCREASE = 8  # no review last year: a new or moved-in household


@dataclass(frozen=True)
class Movement:
    """How one household moves in the poor table and in the near-poor table (None: it does not appear)."""

    poor: Move | None
    near_poor: Move | None


def _move(target, other, previous, current, had_target_before):
    if previous == target and current == target:
        return None
    if previous == target:
        if current is None:
            return Move.OTHER_DECREASE
        return Move.TO_OTHER_LIST if current == other else Move.ESCAPED
    if current != target:
        return None
    if previous is None:
        return Move.OTHER_INCREASE
    if previous == other:
        return Move.FROM_OTHER_LIST
    return Move.RETURNED if had_target_before else Move.NEW


def movement(*, previous, current, was_poor_before=False, was_near_poor_before=False):
    """Label one household's change between two consecutive years' recognised classes.

    `previous` / `current` are the recognised classes (None: no recognised review that year).
    `was_*_before`: the household had that class in some year before `previous`.
    """
    return Movement(
        poor=_move(PovertyClass.POOR, PovertyClass.NEAR_POOR, previous, current, was_poor_before),
        near_poor=_move(PovertyClass.NEAR_POOR, PovertyClass.POOR, previous, current, was_near_poor_before),
    )


def entry_open(*, today, opens_on, closes_on, reopened_until=None):
    """Whether review entry is open on `today`: inside the period, or inside a reopening of it."""
    if opens_on <= today <= closes_on:
        return True
    return reopened_until is not None and closes_on < today <= reopened_until


def default_period(year):
    """The legal review window of a year (1 September - 14 December) when no period row says otherwise."""
    return date(year, 9, 1), date(year, 12, 14)


def entry_closed_problem(*, year, today, opens_on, closes_on, reopened_until=None):
    """Why review entry for `year` is refused on `today` (None while it is open)."""
    if entry_open(today=today, opens_on=opens_on, closes_on=closes_on, reopened_until=reopened_until):
        return None
    return _(
        "Review entry for %(year)s is open from %(opens)s to %(closes)s; it is closed now. "
        "An administrator can reopen it for your commune if needed."
    ) % {
        "year": year,
        "opens": formats.date_format(opens_on, "SHORT_DATE_FORMAT"),
        "closes": formats.date_format(closes_on, "SHORT_DATE_FORMAT"),
    }


def start_problem(*, archived, members):
    """Why a household's review cannot be started (None when it can): archived, or nobody registered yet."""
    if archived:
        return _("This household is archived; it is not reviewed any more.")
    if not members:
        return _("Add the household's members before starting its review.")
    return None


def frozen_problem(state, label):
    """Why a review in `state` (shown as `label`) cannot be changed any more (None while it can)."""
    if state in EDITABLE_STATES:
        return None
    return _("This review is %(state)s; it can no longer be changed.") % {"state": str(label).lower()}


# A number or code already in the registry is named with its household only to a user who may see that household:
# to anyone else the message must not confirm that a person or household is registered elsewhere.


def cccd_taken_problem(cccd, *, household_code=None):
    """Another person holds `cccd`; `household_code` is their household when the user may see it, else None."""
    if household_code is None:
        return _(
            "Citizen ID %(cccd)s cannot be used. If it is correct, ask the district or DOLISA to check the registry."
        ) % {"cccd": cccd}
    return _("Citizen ID %(cccd)s is already registered for a member of household %(code)s.") % {
        "cccd": cccd,
        "code": household_code,
    }


def code_taken_problem(code, *, place=None):
    """Another household holds `code`; `place` is where it lives when the user may see it, else None."""
    if place is None:
        return _(
            "Registry code %(code)s cannot be used. If it is correct, ask the district or DOLISA to check the registry."
        ) % {"code": code}
    return _("Registry code %(code)s is already used by a household of %(place)s.") % {"code": code, "place": place}


def income_problem(income):
    """Why a monthly income per person cannot be right (None when it can)."""
    if income is None or income < 0:
        return _("Income cannot be negative.")
    if income > MAX_MONTHLY_INCOME:
        return _("Income over 1,000,000,000 VND per person per month is not plausible; check the figure.")
    return None


def indicator_problem(deprived, numbers):
    """Deprivations must be indicators of the review's standard (`numbers`)."""
    return None if set(deprived) <= set(numbers) else _("Unknown indicator for this standard.")


def override_problem(class_override, class_reason):
    """(field, message) when the class agreed by the village meeting is not a class or has no reason, else None."""
    if class_override and class_override not in PovertyClass.values:
        return "class_override", _("Choose one of the classes of the standard.")
    if class_override and not nfc(class_reason):
        return "class_reason", _("Give the reason why the agreed class differs from the computed one.")
    return None


def settle_override(*, computed, class_override, class_reason):
    """The override and reason to store: none when the agreed class is the computed one."""
    if not class_override or class_override == computed:
        return "", ""
    return class_override, nfc(class_reason)


def keeps_causes(*, computed, class_override):
    """Causes of poverty are recorded only for a household that is poor (computed or agreed)."""
    return PovertyClass.POOR in (computed, class_override)


def birth_date_problem(born, *, today):
    """Why a date of birth cannot be right (None when it can): in the future, or before 1900."""
    if born > today:
        return _("The date of birth cannot be in the future.")
    if born < OLDEST_BIRTH:
        return _("A date of birth before 1900 is not plausible; check the year.")
    return None
