"""Template filters of the registry: readable class and state names, money in đồng."""

from django import template
from django.utils.formats import number_format

from households.models import PovertyClass, Relation, ReviewState
from households.selectors import MovementRow

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
def split(value):
    return value.split()
