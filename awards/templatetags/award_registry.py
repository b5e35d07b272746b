"""Template filters of the award registry."""

from django import template

from ..registry.selectors import decision_number as _decision_number

register = template.Library()


@register.filter
def decision_number(decision):
    """'123/QĐ-UBND' (the decision's issuer must be loaded with it)."""
    return _decision_number(decision)
