"""Pure decisions of the movement: reading a target's numbers, a unit's default final reduction, the lines a
dashboard draws against and whether a unit is on track. No database access."""

from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

ON_TRACK, BEHIND = "on_track", "behind"
STATUS_LABELS = {ON_TRACK: gettext_lazy("on track"), BEHIND: gettext_lazy("behind")}
STATUS_DEFINITION = gettext_lazy(
    "On track: the unit's poor households fell in the year (column 1 − column 9 of the movement table) by at least "
    "the lower end of its yearly target band. Behind: they fell by less, or rose. No band set: no status."
)


class NotWhole(ValueError):
    """A target that is not a whole number of households (the message says why)."""


def whole_number(value):
    """A count of households typed in a form or read from a spreadsheet cell: None when blank, else an int ≥ 0.

    '1500', ' 1 500 ', 1500 and 1500.0 (a number cell) are 1500; '1.5', '1,5', 'abc' and -3 are refused with
    NotWhole. Thousands separators are not guessed: '1.500' is refused rather than read as 1.5 or 1500.
    """
    if value is None:
        return None
    if isinstance(value, bool):
        raise NotWhole(_("“%(value)s” is not a whole number of households.") % {"value": value})
    if isinstance(value, int):
        number = value
    elif isinstance(value, float):
        if not value.is_integer():
            raise NotWhole(_("“%(value)s” is not a whole number of households.") % {"value": value})
        number = int(value)
    else:
        text = "".join(str(value).split())
        if not text:
            return None
        if not (text.isascii() and text.lstrip("-+").isdigit()):
            if _is_decimal(text):
                raise NotWhole(_("“%(value)s” is not a whole number of households.") % {"value": value})
            raise NotWhole(_("“%(value)s” is not a number.") % {"value": value})
        number = int(text)
    if number < 0:
        raise NotWhole(_("A number of households cannot be negative (“%(value)s”).") % {"value": value})
    return number


def _is_decimal(text):
    """'1.5', '1,5', '-2.25': a number written in plain digits, with a fraction."""
    if not text.isascii():
        return False
    try:
        Decimal(text.replace(",", "."))
    except InvalidOperation:
        return False
    return True


def band_problem(yearly_min, yearly_max):
    """Why a yearly band is wrong (None when it is right): its lower end above its upper end."""
    if yearly_min is not None and yearly_max is not None and yearly_min > yearly_max:
        return _("The yearly minimum (%(min)s) is larger than the yearly maximum (%(max)s).") % {
            "min": yearly_min,
            "max": yearly_max,
        }
    return None


def default_final_reduction(baseline_poor, numerator, denominator):
    """The movement's share (numerator/denominator) of a unit's baseline poor households, rounded up: 1/3 of 100
    is 34, so that reaching it leaves at most two thirds."""
    return -(-baseline_poor * numerator // denominator)


def final_line(baseline_poor, final_reduction):
    """The poor households left at the end of the period if the final reduction is met (the one-third line); never
    below none."""
    return max(baseline_poor - final_reduction, 0)


def band_lines(baseline_poor, years_since_baseline, yearly_min, yearly_max):
    """(upper, lower) poor households after `years_since_baseline` years of the yearly band: the upper line is the
    slowest pace (yearly_min), the lower the fastest (yearly_max); None for an end that is not set. A line stops at
    zero: a unit cannot have fewer than no poor households."""
    upper = max(baseline_poor - years_since_baseline * yearly_min, 0) if yearly_min is not None else None
    lower = max(baseline_poor - years_since_baseline * yearly_max, 0) if yearly_max is not None else None
    return upper, lower


def status(reduction, yearly_min):
    """ON_TRACK when the year's reduction reaches the band's lower end, BEHIND otherwise; None without a band or
    without a reduction (the baseline year)."""
    if yearly_min is None or reduction is None:
        return None
    return ON_TRACK if reduction >= yearly_min else BEHIND
