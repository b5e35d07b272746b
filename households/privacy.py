"""Who reads which personal data of the registry (Decree 13/2023/NĐ-CP), decided in one place.

Household pages and registry exports need `Action.VIEW_PEOPLE` (the selectors restrict by it). A member's citizen
ID and full date of birth need `Action.VIEW_IDENTITY` in the household's unit; anyone else reads a masked ID
("034*******89") and the year of birth alone — on the household page, in the members export and in the history
of changes. `MASKS` names the member fields concerned and how each is masked.
"""

from datetime import date
from functools import reduce
from operator import or_

from django.db.models import BooleanField, ExpressionWrapper, Q, Value
from django.http import Http404

from units import policy
from units.roles import Action


def mask_cccd(value):
    """'034070012345' -> '034*******45': the province of registration and two digits to tell people apart."""
    if not value:
        return value
    return f"{value[:3]}{'*' * (len(value) - 5)}{value[-2:]}"


def birth_year(value):
    """A date of birth (a date, or an ISO text as history stores it) reduced to its year."""
    if not value:
        return value
    return value.year if isinstance(value, date) else int(str(value)[:4])


MASKS = {"cccd": mask_cccd, "birth_date": birth_year}


def require_people(user):
    """Household pages and registry exports are personal data: they exist only for a user who may see people
    somewhere (404 otherwise, as out of scope); figures stay on the progress, movement and home pages."""
    if not policy.can_anywhere(user, Action.VIEW_PEOPLE):
        raise Http404


def shows_identity(user, unit):
    """Whether `user` reads IDs and full dates of birth of the households of `unit`."""
    return policy.can(user, Action.VIEW_IDENTITY, unit)


def identity_shown(user, model):
    """A boolean expression for `annotate` on rows of `model`: true on rows whose unit (the model's `scope_path`)
    lets `user` read IDs and full dates of birth."""
    prefixes = policy.scope_paths(user, Action.VIEW_IDENTITY)
    if prefixes is None:
        return Value(True)
    if not prefixes:
        return Value(False)
    inside = reduce(or_, (Q(**{f"{model.scope_path}__startswith": prefix}) for prefix in prefixes))
    return ExpressionWrapper(inside, output_field=BooleanField())


def shown(field, value, identity):
    """`value` of the member field `field` as a reader with (`identity`) or without identity rights sees it."""
    mask = MASKS.get(field)
    return value if identity or mask is None else mask(value)
