"""Pure rules of the registry (no database access): classification, year-on-year movement, entry windows, and
what is read from and checked in what an officer types (amounts, citizen IDs, members' details)."""

import re
import unicodedata
from dataclasses import dataclass
from datetime import date
from enum import Enum

from django.utils import formats
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import pgettext_lazy

from common.text import fold, nfc

from .models import LOW_MONTHLY_INCOME, MAX_MONTHLY_INCOME, Member, PovertyClass, Schooling, Sex, WorkingCapacity
from .reference import CCCD_PROVINCE_CODES, ETHNIC_GROUPS, ETHNIC_SYNONYMS
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


# The nine columns of the movement tables as the forms name them, per table.
MOVEMENT_COLUMNS = {
    "poor": {
        1: pgettext_lazy("movement column", "Poor at the start of the period"),
        2: pgettext_lazy("movement column", "Moved to near-poor"),
        3: pgettext_lazy("movement column", "Rose above the near-poor line"),
        4: pgettext_lazy("movement column", "Other decreases"),
        5: pgettext_lazy("movement column", "Near-poor who became poor"),
        6: pgettext_lazy("movement column", "Fell back into poverty (re-poor)"),
        7: pgettext_lazy("movement column", "Newly poor"),
        8: pgettext_lazy("movement column", "Other increases"),
        9: pgettext_lazy("movement column", "Poor at the end of the period"),
    },
    "near": {
        1: pgettext_lazy("movement column", "Near-poor at the start of the period"),
        2: pgettext_lazy("movement column", "Moved to poor"),
        3: pgettext_lazy("movement column", "Rose above the near-poor line"),
        4: pgettext_lazy("movement column", "Other decreases"),
        5: pgettext_lazy("movement column", "Poor who became near-poor"),
        6: pgettext_lazy("movement column", "Fell back to near-poor (re-near-poor)"),
        7: pgettext_lazy("movement column", "Newly near-poor"),
        8: pgettext_lazy("movement column", "Other increases"),
        9: pgettext_lazy("movement column", "Near-poor at the end of the period"),
    },
}


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


def in_review_season(today):
    """Whether `today` falls in the review season (1 September - 31 December), when the year's figures change
    every day and its snapshot is computed every night."""
    return today.month >= 9


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


def _grouped(amount):
    return f"{amount:,}".replace(",", ".")


def low_income_problem(income):
    """Why an income must be confirmed before it is saved (None when it need not be).

    Under LOW_MONTHLY_INCOME đ per person per month, 0 included: such a household exists (living on help in kind),
    but the figure is more often typed in thousands ("1.500" for 1.500.000) or cut short, and it makes the
    household poor. The review form saves it only with its confirmation box ticked; an import warns.
    """
    if income is None or not 0 <= income < LOW_MONTHLY_INCOME:
        return None
    return _("%(income)s đ per person per month is very low (under %(bound)s đ): check the figure.") % {
        "income": _grouped(income),
        "bound": _grouped(LOW_MONTHLY_INCOME),
    }


_SPACES = re.compile(r"\s+")
_MONEY_UNIT = re.compile(r"\s*(?:vnđ|vnd|đồng|dong|đ|d)\.?$", re.IGNORECASE)
_MONEY = re.compile(r"[0-9]+|[0-9]{1,3}(?:\.[0-9]{3})+|[0-9]{1,3}(?: [0-9]{3})+")


def parse_money(text):
    """Whole đồng from an amount as a person types it, or None when it is not written unambiguously.

    The one reading of amounts: the review form and the reviews import both use it. Accepted, as amounts are
    written in Vietnamese: plain digits ("1500000"); groups of three digits after the first separated by dots
    ("1.500.000") or by spaces, no-break spaces included ("1 500 000"); an optional "đ", "đồng" or "VND" after;
    a leading "-" (the caller says why a negative amount is wrong). Full-width digits count as digits.
    Everything else is refused rather than guessed, since each guess could be orders of magnitude away from
    the amount meant: a comma ("1,5" is one and a half in Vietnamese; "1,500,000" is English writing), a group
    that is not three digits ("1.50.000", "1.500.00"), mixed separators ("1.500 000").
    """
    value = _MONEY_UNIT.sub("", _SPACES.sub(" ", unicodedata.normalize("NFKC", text)).strip())
    negative = value.startswith("-")
    if negative:
        value = value[1:].lstrip()
    if not _MONEY.fullmatch(value):
        return None
    amount = int(value.replace(".", "").replace(" ", ""))
    return -amount if negative else amount


def money_format_problem(text):
    """The message for an amount that parse_money refuses."""
    return _("“%(value)s” cannot be read as an amount of đồng. Type the income like 1.500.000 or 1500000.") % {
        "value": text.strip()
    }


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


def causes_problem(causes, *, computed, class_override):
    """Why causes of poverty cannot be recorded (None when they can, or when none are given)."""
    if not causes or keeps_causes(computed=computed, class_override=class_override):
        return None
    return _(
        "Causes of poverty are recorded only for poor households, and with these answers the household is not "
        "poor. Untick the causes, or correct the answers."
    )


def birth_date_problem(born, *, today):
    """Why a date of birth cannot be right (None when it can): in the future, or before 1900."""
    if born > today:
        return _("The date of birth cannot be in the future.")
    if born < OLDEST_BIRTH:
        return _("A date of birth before 1900 is not plausible; check the year.")
    return None


# Members ------------------------------------------------------------------------------------------------------

_CCCD_SEPARATORS = re.compile(r"[\s.\-]")
_CCCD = re.compile(r"[0-9]{12}")
# The 4th digit of a citizen ID: the century of birth and the sex.
_CCCD_CENTURY_SEX = {
    "0": (1900, Sex.MALE),
    "1": (1900, Sex.FEMALE),
    "2": (2000, Sex.MALE),
    "3": (2000, Sex.FEMALE),
    "4": (2100, Sex.MALE),
    "5": (2100, Sex.FEMALE),
    "6": (2200, Sex.MALE),
    "7": (2200, Sex.FEMALE),
    "8": (1800, Sex.MALE),
    "9": (1800, Sex.FEMALE),
}


def clean_cccd(value):
    """A citizen ID as typed, reduced to its number: NFKC (full-width digits become ASCII digits), then spaces,
    dots and dashes removed. Nothing else changes, no digit is added or cut: a wrong length stays visible.

    The one normalisation of CCCDs: the member form, the service, the roster import and the search use it.
    """
    return _CCCD_SEPARATORS.sub("", unicodedata.normalize("NFKC", str(value))) if value else ""


def cccd_format_problem(cccd):
    """Why a cleaned citizen ID cannot be one (None when it has exactly 12 digits)."""
    return None if _CCCD.fullmatch(cccd) else _("A citizen ID (CCCD) has exactly 12 digits.")


def cccd_problems(cccd, *, birth_date=None, sex=None):
    """What a 12-digit citizen ID says that disagrees with the person: warnings, the number is still saved.

    The structure of the number (Circular 07/2016/TT-BCA, art. 7): digits 1-3 the province code of the birth
    registration (reference.CCCD_PROVINCE_CODES); digit 4 the century of birth and the sex (0/1: 1900s male/
    female, 2/3: 2000s, 4/5: 2100s, 6/7: 2200s, 8/9: 1800s); digits 5-6 the last two digits of the birth year.
    """
    if not cccd or not _CCCD.fullmatch(cccd):
        return []
    problems = []
    if cccd[:3] not in CCCD_PROVINCE_CODES:
        problems.append(
            _("The citizen ID starts with %(code)s, which is not a province code (001 to 096).") % {"code": cccd[:3]}
        )
    century, cccd_sex = _CCCD_CENTURY_SEX[cccd[3]]
    if sex and sex != cccd_sex:
        problems.append(
            _("The citizen ID says %(said)s (its 4th digit is %(digit)s), but the member is recorded as %(sex)s.")
            % {"said": str(cccd_sex.label).lower(), "digit": cccd[3], "sex": str(Sex(sex).label).lower()}
        )
    year = century + int(cccd[4:6])
    if birth_date and birth_date.year != year:
        problems.append(
            _("The citizen ID says born in %(year)s (digits 4 to 6), but the date of birth is in %(born)s.")
            % {"year": year, "born": birth_date.year}
        )
    return problems


WORKING_AGE = 15  # Labour Code 2019, art. 3: a worker is at least 15
LIMITED_CAPACITY_AGE = 60  # past the working age (retirement at 60-62 once the 2021-2035 rise is complete)
NO_CAPACITY_AGE = 80
# Schooling by the age reached in the calendar year the school year began: the usual ages of each level, and
# beyond them the ages at which a level is still plausible (late start, repeated years, nursery from age 1).
SCHOOL_LEVELS = (
    (Schooling.PRESCHOOL, (3, 5), (0, 7)),
    (Schooling.PRIMARY, (6, 10), (5, 13)),
    (Schooling.LOWER_SECONDARY, (11, 14), (10, 17)),
    (Schooling.UPPER_SECONDARY, (15, 17), (14, 20)),
    (Schooling.HIGHER, (None, None), (15, 200)),
)
COMPULSORY_SCHOOL_AGES = (6, 14)


def age_on(born, day):
    """Full years of age on `day`."""
    return day.year - born.year - ((day.month, day.day) < (born.month, born.day))


def school_age(born, today):
    """The age reached in the calendar year the current school year began (in September): a child starts
    primary school in the September of the year they turn 6."""
    return (today.year if today.month >= 9 else today.year - 1) - born.year


def member_defaults(born, *, today):
    """Working capacity and schooling to record when the officer leaves them empty, from the date of birth.

    Working capacity, by full years of age: under 15 (below the working age of the Labour Code) no working
    capacity; 15 to 59 able to work; 60 to 79 (past the working age) limited; 80 and over none.
    Schooling, by school_age (the age reached in the year the school year began): 3-5 pre-school, 6-10 primary,
    11-14 lower secondary, 15-17 upper secondary; any other age not of school age.
    These are starting points, not facts: the officer changes them for a child who left school, a student, a
    disabled adult, an elderly person who works.
    """
    age = age_on(born, today)
    if age < WORKING_AGE or age >= NO_CAPACITY_AGE:
        capacity = WorkingCapacity.NONE
    elif age >= LIMITED_CAPACITY_AGE:
        capacity = WorkingCapacity.LIMITED
    else:
        capacity = WorkingCapacity.FULL
    years = school_age(born, today)
    schooling = next(
        (level for level, (low, high), _plausible in SCHOOL_LEVELS if low is not None and low <= years <= high),
        Schooling.NOT_APPLICABLE,
    )
    return {"working_capacity": capacity.value, "schooling": schooling.value}


def profile_problems(*, birth_date, working_capacity=None, schooling=None, today):
    """Working capacity or schooling that contradict the age: warnings (a 3-year-old able to work or at
    university, an 80-year-old at primary school, a 10-year-old not of school age); the member is still saved."""
    if not birth_date:
        return []
    age, years = age_on(birth_date, today), school_age(birth_date, today)
    wrong = []
    if working_capacity == WorkingCapacity.FULL and age < WORKING_AGE:
        wrong.append(("working_capacity", WorkingCapacity.FULL.label))
    plausible = {level: ages for level, _usual, ages in SCHOOL_LEVELS}
    if schooling in plausible and not plausible[schooling][0] <= years <= plausible[schooling][1]:
        wrong.append(("schooling", Schooling(schooling).label))
    if schooling == Schooling.NOT_APPLICABLE and COMPULSORY_SCHOOL_AGES[0] <= years <= COMPULSORY_SCHOOL_AGES[1]:
        wrong.append(("schooling", Schooling.NOT_APPLICABLE.label))
    return [
        _("%(field)s “%(value)s” does not fit a person aged %(age)s; check it, or the date of birth.")
        % {"field": capfirst(Member._meta.get_field(name).verbose_name), "value": label, "age": age}
        for name, label in wrong
    ]


def member_problems(*, cccd, birth_date, sex, working_capacity, schooling, today):
    """Everything to warn about once a member is saved: the citizen ID against the person, and the working
    capacity and schooling against the age."""
    return cccd_problems(cccd, birth_date=birth_date, sex=sex) + profile_problems(
        birth_date=birth_date, working_capacity=working_capacity, schooling=schooling, today=today
    )


ETHNIC_NAMES = tuple(name for _code, name in ETHNIC_GROUPS)
_ETHNIC_PREFIX = re.compile(r"^(?:dan toc|nguoi)\s+")


def _ethnic_key(text):
    return re.sub(r"[^a-z0-9]", "", _ETHNIC_PREFIX.sub("", fold(text)))


_ETHNIC_INDEX = {_ethnic_key(name): name for name in ETHNIC_NAMES} | {
    _ethnic_key(other): name for other, name in ETHNIC_SYNONYMS.items()
}


def ethnicity_name(text):
    """The official name of one of the 54 ethnic groups, however it was written ("gia-rai", "Dân tộc Tày",
    "Hmông", "KHMER"); None when it names none of them."""
    return _ETHNIC_INDEX.get(_ethnic_key(text or ""))


def ethnicity_problem(text):
    """Why a text cannot be recorded as an ethnicity (None when it names one of the 54 groups)."""
    if ethnicity_name(text):
        return None
    return _("“%(value)s” is not one of the 54 ethnic groups of Vietnam; choose it from the list.") % {
        "value": nfc(text)
    }
