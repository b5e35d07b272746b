"""Vietnamese text on the way in (NFC, trimmed; no invisible or control characters) and folded for accent- and
case-blind search."""

import re
import unicodedata

from django.core.exceptions import ValidationError
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

_SPACES = re.compile(r"\s+")


def nfc(text):
    """NFC-normalise, trim and collapse inner whitespace; None stays None."""
    if text is None:
        return None
    return _SPACES.sub(" ", unicodedata.normalize("NFC", str(text))).strip()


def fold(text):
    """'Nguyễn Văn  Ân' -> 'nguyen van an': no accents (đ -> d), lower case, single spaces.

    Must agree with the database function vnn_fold (households migration 0001) used by indexes.
    """
    decomposed = unicodedata.normalize("NFD", nfc(text) or "")
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    return stripped.replace("đ", "d").replace("Đ", "D").lower()


def slug(text):
    """'Xã Đông Hải' -> 'xa-dong-hai': an ASCII file-name part (accents folded, đ -> d)."""
    return slugify(fold(text))


# Characters nobody types on purpose: C0 and C1 controls (tab, line feed and carriage return excepted: they are
# whitespace that `nfc` collapses, and line breaks belong in comments), bidirectional marks, embeddings, overrides
# and isolates (U+202E shows "gpj.xlsx" as "xslx.jpg"), zero-width characters and the byte-order mark. Invisible
# on screen, they make two identical-looking codes or names differ and can reorder what a reader sees.
_UNSAFE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u061c\u200b-\u200f\u202a-\u202e\u2060\u2066-\u2069\ufeff]")

# Comments, reasons and notes typed into a form: a paragraph or two, never a document.
MAX_COMMENT_LENGTH = 2000
# With the placeholders of Django's max_length message, so that forms, validators and services say the same.
TOO_LONG = gettext_lazy("At most %(limit_value)s characters (this text has %(show_value)s).")


def unsafe_characters_problem(text):
    """The message for the user when `text` holds an invisible or control character (see _UNSAFE), else None."""
    match = _UNSAFE.search(text) if text else None
    if match is None:
        return None
    return _(
        "This text contains an invisible or control character (U+%(code)04X) at position %(position)s. Type the "
        "text again instead of pasting it."
    ) % {"code": ord(match.group()), "position": match.start() + 1}


def long_text_problem(text, limit=MAX_COMMENT_LENGTH):
    """The message for the user when `text` is longer than `limit` characters, else None."""
    if text and len(text) > limit:
        return str(TOO_LONG) % {"limit_value": limit, "show_value": len(text)}
    return None


def validate_safe_text(value):
    """A form field validator: refuse invisible and control characters."""
    problem = unsafe_characters_problem(value)
    if problem:
        raise ValidationError(problem, code="unsafe_characters")


def check_text(*, max_length=None, **fields):
    """Refuse, field by field, text with invisible or control characters (or longer than `max_length`).

    Services call it on what they are given before normalising it: `nfc` would turn some controls into spaces.
    Values that are not text are ignored.
    """
    errors = {}
    for name, value in fields.items():
        if not isinstance(value, str):
            continue
        problem = unsafe_characters_problem(value) or (max_length and long_text_problem(value, max_length))
        if problem:
            errors[name] = problem
    if errors:
        raise ValidationError(errors)
