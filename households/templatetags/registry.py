"""Template filters of the registry: readable class and state names, money in đồng, members' personal data."""

from datetime import date

from django import template
from django.utils.formats import date_format, number_format

from households import privacy
from households.figures import MovementRow
from households.models import PovertyClass, Relation, ReviewState
from households.rules import MOVEMENT_COLUMNS

register = template.Library()


# value -> lazy label, built once: the household list calls these filters several times a row.
_CLASS_LABELS = dict(PovertyClass.choices)
_STATE_LABELS = dict(ReviewState.choices)
_RELATION_LABELS = dict(Relation.choices)


@register.filter
def class_label(value):
    return _CLASS_LABELS.get(value, "")


@register.filter
def state_label(value):
    return _STATE_LABELS.get(value, "")


@register.filter
def relation_label(value):
    return _RELATION_LABELS.get(value, "")


@register.filter
def vnd(value):
    """1500000 -> '1.500.000 đ' (grouping follows the active language)."""
    if value in (None, ""):
        return ""
    return f"{number_format(value, force_grouping=True)} đ"


@register.filter
def cell(value, key):
    """Walk a movement table: row|cell:"poor"|cell:"households"|cell:9."""
    mapping = value.values if isinstance(value, MovementRow) else value
    return mapping[key]


@register.filter
def movement_label(value):
    """'poor-7' -> the name of column 7 of the poor households' movement table ("" for anything else)."""
    table, _sep, column = str(value).partition("-")
    labels = MOVEMENT_COLUMNS.get(table, {})
    return labels.get(int(column), "") if column.isascii() and column.isdigit() else ""


@register.filter
def split(value):
    return value.split()


@register.filter
def member_cccd(member):
    """A member's citizen ID as the reader may see it (households.privacy: masked without identity rights)."""
    return privacy.shown("cccd", member.cccd, getattr(member, "shows_identity", False)) or "—"


@register.filter
def member_birth(member):
    """A member's date of birth, or its year alone for a reader without identity rights."""
    born = privacy.shown("birth_date", member.birth_date, getattr(member, "shows_identity", False))
    return date_format(born, "SHORT_DATE_FORMAT") if isinstance(born, date) else born
