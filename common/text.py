"""Vietnamese text on the way in (NFC, trimmed) and folded for accent- and case-blind search."""

import re
import unicodedata

from django.utils.text import slugify

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
