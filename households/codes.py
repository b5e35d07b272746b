"""Household registry codes: one written form and one numbering per commune (pure rules, no database access).

The written form (`normalise`) is applied wherever a code comes in or is looked up: the household form, the
services, the imports (households and reviews), the list's search; codes are stored in that form, so every
export writes it and a commune's own export re-imports onto the same households.

A commune numbers its households `<GSO code of the commune>-<5-digit number>` (13249-00017), as the demo data
and the browser tests do. The format is data derived from the commune (`CodeFormat.of`): a commune without a GSO
code has no numbering to check. Only a new code is checked, and how strictly depends on where it comes from:
- typed on the "new household" form (`format_problem`): it must be in the commune's numbering;
- in an imported roster (`import_problem`): rosters carried over from earlier registries keep their own numbering
  (SA-001), but a code with no number at all, or in another commune's numbering, is refused;
- an existing household keeps its code whatever its numbering: the code is not editable, and an import finds the
  household by it.
"""

import re
import unicodedata
from dataclasses import dataclass

from django.utils.translation import gettext as _

# Dashes that word processors and phones type instead of the hyphen-minus (NFKC leaves them as they are).
_DASHES = dict.fromkeys(map(ord, "\u2010\u2011\u2012\u2013\u2014\u2015\u2212"), "-")


def normalise(value):
    """The one written form of a household code: NFKC (full-width digits and letters become plain ones), every
    dash a hyphen, no whitespace at all (a space typed or pasted inside a code is never part of it), letters in
    upper case. ' 13249 – 00017 ' and '１３２４９-00017' are '13249-00017'; 'sa 001' is 'SA001'."""
    if value is None:
        return ""
    text = unicodedata.normalize("NFKC", str(value)).translate(_DASHES)
    return unicodedata.normalize("NFKC", "".join(text.split()).upper())


@dataclass(frozen=True)
class CodeFormat:
    """How a commune numbers its households: a prefix (the commune's GSO code and a hyphen) and a number of
    `digits` digits, zero-padded."""

    prefix: str
    digits: int = 5

    @classmethod
    def of(cls, commune_code):
        """The numbering of the commune with this GSO code; None when the commune has no code."""
        commune_code = normalise(commune_code)
        return cls(prefix=f"{commune_code}-") if commune_code else None

    @property
    def regex(self):
        return rf"^{re.escape(self.prefix)}[0-9]{{{self.digits}}}$"

    def matches(self, code):
        return re.fullmatch(self.regex, code) is not None

    def code(self, number):
        return f"{self.prefix}{number:0{self.digits}d}"


_NUMBERED = re.compile(r"([0-9]+)-[0-9]+")


def numbering_of(code):
    """The commune code of a code written in some commune's numbering ('13255' for '13255-00007'), else None."""
    match = _NUMBERED.fullmatch(code)
    return match.group(1) if match else None


def import_problem(code, code_format, *, commune, other_commune=None):
    """Why `code` (already normalised) cannot be a new household's code in a roster imported into `commune` (its
    name) numbering with `code_format` (None when it can). `other_commune`: the name of the commune whose
    numbering the code is written in, when that is another one."""
    if not any(ch.isdigit() for ch in code):
        example = code_format.code(1) if code_format else "13249-00001"
        return _(
            "Registry code %(code)s has no number; new households of %(commune)s are numbered like %(example)s."
        ) % {
            "code": code,
            "commune": commune,
            "example": example,
        }
    if other_commune:
        return _("Registry code %(code)s is in the numbering of %(other)s, but the household is in %(commune)s.") % {
            "code": code,
            "other": other_commune,
            "commune": commune,
        }
    return None


def format_problem(code, code_format, *, example):
    """Why `code` (already normalised) cannot be a new code of a commune numbering with `code_format` (None when it
    can); `example` is a valid code to show, the next free one."""
    if not code:
        return _("Type the household's registry code.")
    if code_format is None or code_format.matches(code):
        return None
    return _(
        "Registry code %(code)s does not follow the commune's numbering: the commune's code, a hyphen and a "
        "%(digits)s-digit number, e.g. %(example)s."
    ) % {"code": code, "digits": code_format.digits, "example": example}
