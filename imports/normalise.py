"""Pure normalisers for values read from office spreadsheets: no database, no I/O, exhaustively tested.

Each takes a cell value as openpyxl or the csv reader gives it (str, int, float, datetime, None) and returns the
clean value, or raises `Invalid` with a message for the user. Values that are fixed with a warning (a CCCD that
lost its leading zero) come back with the warning beside them.
"""

import functools
import re
import unicodedata
from datetime import date, datetime, timedelta

from django.utils.translation import gettext as _

from common.text import fold, unsafe_characters_problem
from households import rules

_SPACES = re.compile(r"\s+")
_DIGITS = re.compile(r"\d+")
EXCEL_EPOCH = date(1899, 12, 30)  # serial 1 is 1900-01-01 after Excel's phantom 29 Feb 1900


class Invalid(ValueError):
    """A value that cannot be used; the message is for the user."""


def text(value):
    """A cell as clean text: NFC, trimmed, inner whitespace collapsed; '' for blank; 12.0 -> '12'."""
    if value is None:
        return ""
    if isinstance(value, str):
        if not value.isascii():
            value = unicodedata.normalize("NFC", value)
        value = value.strip()
        if "  " in value or "\n" in value or "\t" in value or "\xa0" in value:
            value = _SPACES.sub(" ", value)
        # A leading apostrophe forces text in Excel; it is not part of the value.
        return value[1:].lstrip() if value.startswith("'") else value
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, date):
        return value.strftime("%d/%m/%Y")
    return str(value)


def unsafe(value):
    """Why a text cell cannot be read (an invisible or control character: a NUL, a bidirectional override, a
    zero-width space, ...), or None. Checked on every cell before its column reads it."""
    return unsafe_characters_problem(value) if isinstance(value, str) else None


def folded(value):
    """Text for accent- and case-blind comparison ('Nguyễn  Văn Ân' -> 'nguyen van an')."""
    if isinstance(value, str):
        return _folded_text(value)
    return fold(text(value))


@functools.lru_cache(maxsize=65536)
def _folded_text(value):
    # Member names are compared folded at every check and import, and names repeat a great deal (a few family,
    # middle and given names make most of them): folding one costs ~3 µs, a cache hit ~0.1 µs.
    return fold(text(value))


def code(value):
    """An identifier (household code, GSO code): text without spaces; numbers lose the '.0' Excel adds."""
    return text(value).replace(" ", "")


def header_key(value):
    """A header cell reduced for matching: no accents, case, notes in brackets, stars or punctuation."""
    folded = fold(re.sub(r"\(.*?\)|\[.*?\]", " ", text(value)))
    return re.sub(r" ?/ ?", "/", " ".join(re.sub(r"[^a-z0-9/]+", " ", folded).split()))


# Citizen ID -----------------------------------------------------------------------------------------------


def cccd(value):
    """A 12-digit citizen ID. Returns (cccd, warning). An 11-digit number lost its leading zero in Excel."""
    if isinstance(value, float):
        if not value.is_integer():
            raise Invalid(_("A citizen ID (CCCD) has exactly 12 digits."))
        value = int(value)
    raw = text(value)
    if re.fullmatch(r"\d(?:[.,]\d+)?[eE]\+?\d+", raw):
        raise Invalid(
            _(
                "The citizen ID was saved in scientific notation (%(value)s) and its digits are lost; "
                "format the column as text and type it again."
            )
            % {"value": raw}
        )
    digits = rules.clean_cccd(raw)  # the member form's reading: full-width digits, spaces, dots, dashes
    if not digits.isdigit() or not digits.isascii():
        raise Invalid(_("A citizen ID (CCCD) has exactly 12 digits."))
    if len(digits) == 11 and not digits.startswith("0"):  # every CCCD starts with 0 (province codes 001-096)
        return "0" + digits, _("The citizen ID had 11 digits (Excel drops a leading zero); 0%(digits)s recorded.") % {
            "digits": digits
        }
    problem = rules.cccd_format_problem(digits)
    if problem:
        raise Invalid(problem)
    return digits, None


# Dates ----------------------------------------------------------------------------------------------------

_DMY = re.compile(r"(\d{1,2})\s*[/.\-]\s*(\d{1,2})\s*[/.\-]\s*(\d{4})")
_ISO = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?")
_YEAR = re.compile(r"(?:nam\s*)?(\d{4})")


def day(value, *, today=None):
    """A date from an Excel date, an Excel serial number, 'dd/mm/yyyy' (or - and .), or ISO 'yyyy-mm-dd'.

    Returns (date, warning). A bare year ('1948', common for elderly people) gives 1 January with a warning.
    """
    today = today or date.today()
    if isinstance(value, datetime):
        return value.date(), None
    if isinstance(value, date):
        return value, None
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        number = float(value)
        if number.is_integer() and 1900 <= number <= today.year:
            return _year_only(int(number))
        if 1 <= number < 2_958_466 and number.is_integer():
            return EXCEL_EPOCH + timedelta(days=int(number)), None
        raise Invalid(_("“%(value)s” is not a date; write it as dd/mm/yyyy.") % {"value": text(value)})
    raw = text(value)
    match = _DMY.fullmatch(raw)
    if match:
        d, m, y = (int(part) for part in match.groups())
        return _make_date(d, m, y, raw), None
    match = _ISO.fullmatch(raw)
    if match:
        y, m, d = (int(part) for part in match.groups())
        return _make_date(d, m, y, raw), None
    match = _YEAR.fullmatch(fold(raw))
    if match and 1900 <= int(match.group(1)) <= today.year:
        return _year_only(int(match.group(1)))
    if raw.isdigit() and len(raw) == 5:  # a serial number that lost its date format in a CSV export
        return EXCEL_EPOCH + timedelta(days=int(raw)), None
    raise Invalid(_("“%(value)s” is not a date; write it as dd/mm/yyyy.") % {"value": raw})


def _make_date(d, m, y, raw):
    try:
        return date(y, m, d)
    except ValueError:
        raise Invalid(_("“%(value)s” is not a date; write it as dd/mm/yyyy.") % {"value": raw}) from None


def _year_only(year):
    return date(year, 1, 1), _("Only the year was given; 01/01/%(year)s recorded.") % {"year": year}


# Yes / no, money, choices ---------------------------------------------------------------------------------

_TRUE = {"1", "x", "co", "c", "yes", "y", "true", "dung", "v", "✓", "✔"}
_FALSE = {"0", "khong", "k", "no", "n", "false", "sai", "-"}


def yes_no(value):
    """1/0, có/không, x (ticked), yes/no, TRUE/FALSE."""
    if isinstance(value, bool):
        return value
    if isinstance(value, (int, float)) and value in (0, 1):
        return bool(value)
    folded = fold(text(value))
    if folded in _TRUE:
        return True
    if folded in _FALSE:
        return False
    raise Invalid(_("Write 1 (yes) or 0 (no), not “%(value)s”.") % {"value": text(value)})


def money(value):
    """Whole VND: a number cell (1500000, 1500000.0), or text read as the review form reads it
    (households.rules.parse_money): '1500000', '1.500.000', '1 500 000 đ', '1.500.000 VND'; not '1,500,000'."""
    if isinstance(value, bool):
        raise Invalid(_("“%(value)s” is not an amount in VND.") % {"value": value})
    if isinstance(value, (int, float)):
        if isinstance(value, float) and not value.is_integer():
            raise Invalid(_("Amounts are whole VND; “%(value)s” has a fraction.") % {"value": value})
        amount = int(value)
    else:
        raw = text(value)
        amount = rules.parse_money(raw)
        if amount is None:
            raise Invalid(rules.money_format_problem(raw))
    if amount < 0:
        raise Invalid(_("An amount cannot be negative."))
    return amount


def choice_index(choices, synonyms=None):
    """A lookup for a choice column: folded label (Vietnamese and English), value and synonyms -> value.

    `choices` is a TextChoices class; labels are read in both languages so a file in either matches.
    """
    from django.utils import translation

    index = {}
    for language in ("en", "vi"):
        with translation.override(language):
            for value, label in choices.choices:
                index[fold(str(label))] = value
    for value in choices.values:
        index[fold(value)] = value
    for word, value in (synonyms or {}).items():
        index[fold(word)] = value
    for key, value in list(index.items()):
        index.setdefault(key.replace(" ", ""), value)
    return index


def choice(value, index):
    """The value of a choice column, from its label in either language, its code or a synonym."""
    folded = fold(text(value))
    result = index.get(folded)
    if result is None:
        result = index.get(folded.replace(" ", "")) or index.get(folded.replace("/", " ").replace("  ", " "))
    if result is None:
        raise Invalid(
            _("“%(value)s” is not one of the allowed values; choose one from the list.") % {"value": text(value)}
        )
    return result


# Administrative unit names --------------------------------------------------------------------------------

# Longest first, so "to dan pho 3" loses "to dan pho", not just "to".
_UNIT_PREFIXES = sorted(
    [
        "thanh pho",
        "tp",
        "thi xa",
        "tx",
        "huyen",
        "thi tran",
        "tt",
        "phuong",
        "xa",
        "to dan pho",
        "tdp",
        "to",
        "thon",
        "xom",
        "ap",
        "ban",
        "khu pho",
        "khu dan cu",
        "kdc",
        "khu",
        "lang",
        "doi",
    ],
    key=len,
    reverse=True,
)
_PREFIX = re.compile(r"^(?:" + "|".join(re.escape(p) for p in _UNIT_PREFIXES) + r")(?:\s*[.:]\s*|\s+|(?=\d))")


def unit_key(name):
    """A unit name reduced for matching: 'Thôn 01', 'thon 1', '1' -> '1'; 'Xã Song An', 'song an' -> 'song an'.

    The kind prefix (Xã, Phường, Thị trấn, Thôn, Tổ dân phố, Tổ, TDP, Xóm, ...) goes, with accents, case and
    extra spaces; leading zeros of numbers go ('Tổ 05' is 'Tổ 5'); a 'số' before a number goes ('Thôn số 3').
    """
    folded = fold(text(name)).replace("-", " ")
    folded = " ".join(folded.split())
    stripped = _PREFIX.sub("", folded, count=1)
    if stripped:
        folded = stripped
    folded = re.sub(r"^so\s+(?=\d)", "", folded)
    return _DIGITS.sub(lambda m: str(int(m.group())), folded).strip()


def natural_key(name):
    """Sort key for unit names: 'Thôn 2' before 'Thôn 10', accents and prefixes ignored."""
    return _DIGITS.sub(lambda m: m.group().zfill(6), unit_key(name))


def gso_code(value, width=5):
    """A GSO code typed as text or a number ('13249', 13249, 13249.0, '013249'); None if not a code."""
    raw = code(value)
    if raw.isdigit() and raw.isascii() and len(raw.lstrip("0")) <= width:
        return raw.lstrip("0").zfill(width)
    return None
