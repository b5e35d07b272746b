"""The one access policy.

A user holds roles in units (`Membership`). Each role reaches either the subtree of its unit or the whole
province its unit belongs to. The same rule answers "may this user do X to this unit" (`can`) and "which
rows may this user do X to" (`restrict`, `visible_units`), so views, exports, imports, reports and admin pages
all scope the same way. Objects outside the scope answer 404, never 403, so their existence is not revealed.

Each scoped model names, once, the path of the unit it belongs to (`scope_path`: "path" on Unit, "village__path"
on Household, "unit__path" on ImportJob, ...); `restrict` and `get_or_404` read it unless a call gives another.
"""

from functools import reduce
from operator import or_

from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404

from .models import Membership, Unit, User
from .roles import ROLE_RULES, Action, Scope

_CACHE_ATTR = "_scope_memberships"

# Acts that only a role held in the unit grants: superuser status never implies them (recognising a commune's
# review results is the commune chairman's act, not the platform administrator's).
ROLE_ONLY_ACTIONS = frozenset({Action.RECOGNISE})


def memberships(user):
    """The user's memberships with their units, loaded once per request."""
    if not user.is_authenticated:
        return []
    cached = getattr(user, _CACHE_ATTR, None)
    if cached is None:
        cached = list(Membership.objects.filter(user=user).select_related("unit").order_by("unit__path", "role"))
        setattr(user, _CACHE_ATTR, cached)
    return cached


def forget(user):
    """Drop the per-request cache after the user's memberships changed."""
    if hasattr(user, _CACHE_ATTR):
        delattr(user, _CACHE_ATTR)


def _scope_root(membership):
    rule = ROLE_RULES[membership.role]
    if rule.scope == Scope.PROVINCE:
        return membership.unit.path.split("/", 1)[0] + "/"
    return membership.unit.path


def scope_paths(user, action=Action.VIEW):
    """Path prefixes the user may act on; None means everything (superusers, except ROLE_ONLY_ACTIONS)."""
    if user.is_authenticated and user.is_superuser and action not in ROLE_ONLY_ACTIONS:
        return None
    prefixes = {_scope_root(m) for m in memberships(user) if action in ROLE_RULES[m.role].actions}
    # A prefix inside another one adds nothing.
    return sorted(p for p in prefixes if not any(p != q and p.startswith(q) for q in prefixes))


def restrict(user, queryset, *, path_field=None, action=Action.VIEW):
    """Narrow `queryset` to rows whose unit lies in the user's scope; `path_field` leads to that unit's path
    (default: the model's `scope_path`)."""
    path_field = path_field or queryset.model.scope_path
    prefixes = scope_paths(user, action)
    if prefixes is None:
        return queryset
    if not prefixes:
        return queryset.none()
    return queryset.filter(reduce(or_, (Q(**{f"{path_field}__startswith": p}) for p in prefixes)))


def visible_units(user, action=Action.VIEW):
    return restrict(user, Unit.objects.all(), action=action)


def can(user, action, unit):
    prefixes = scope_paths(user, action)
    return prefixes is None or any(unit.path.startswith(p) for p in prefixes)


def can_anywhere(user, action):
    """Whether the user may take `action` in at least one unit (to show or hide a button)."""
    prefixes = scope_paths(user, action)
    return prefixes is None or bool(prefixes)


def manageable_users(user, users):
    """The accounts in `users` that `user` may administer: every role they hold lies in the MANAGE scope (an
    account with no role, or a superuser, only a superuser may administer)."""
    prefixes = scope_paths(user, Action.MANAGE)
    if prefixes is None:
        return users
    if not prefixes:
        return users.none()
    inside = reduce(or_, (Q(unit__path__startswith=p) for p in prefixes))
    return users.filter(is_superuser=False, pk__in=Membership.objects.filter(inside).values("user_id")).exclude(
        pk__in=Membership.objects.exclude(inside).values("user_id")
    )


def actors(action, unit):
    """The active users whose roles give `action` on `unit` (to remind them, or to tell them work waits): a role
    held in the unit or one of its ancestors (subtree scope), or anywhere in its province (province scope).
    Superusers act through their roles here like anyone else."""
    by_scope = {Scope.SUBTREE: [], Scope.PROVINCE: []}
    for role, rule in ROLE_RULES.items():
        if action in rule.actions:
            by_scope[rule.scope].append(role)
    province = unit.path.split("/", 1)[0] + "/"
    reach = Q(role__in=by_scope[Scope.SUBTREE], unit_id__in=[*unit.ancestor_ids, unit.pk]) | Q(
        role__in=by_scope[Scope.PROVINCE], unit__path__startswith=province
    )
    return User.objects.filter(is_active=True, pk__in=Membership.objects.filter(reach).values("user_id"))


def actors_of(action, units):
    """`actors` for many units in one query: {unit id: [users]} (a unit nobody acts for is absent)."""
    by_scope = {Scope.SUBTREE: [], Scope.PROVINCE: []}
    for role, rule in ROLE_RULES.items():
        if action in rule.actions:
            by_scope[rule.scope].append(role)
    units = list(units)
    if not units:
        return {}
    reach_of = {}  # unit id held in -> the units it reaches (itself and its descendants among `units`)
    provinces = {}
    for unit in units:
        for held in [*unit.ancestor_ids, unit.pk]:
            reach_of.setdefault(held, []).append(unit.pk)
        provinces.setdefault(unit.path.split("/", 1)[0] + "/", []).append(unit.pk)
    reach = Q(role__in=by_scope[Scope.SUBTREE], unit_id__in=list(reach_of))
    for province in provinces:
        reach |= Q(role__in=by_scope[Scope.PROVINCE], unit__path__startswith=province)
    found = {}
    memberships_ = Membership.objects.filter(reach, user__is_active=True).select_related("user", "unit")
    for membership in memberships_.order_by("user_id"):
        if ROLE_RULES[membership.role].scope == Scope.PROVINCE:
            reached = provinces.get(membership.unit.path.split("/", 1)[0] + "/", [])
        else:
            reached = reach_of.get(membership.unit_id, [])
        for unit_id in reached:
            users = found.setdefault(unit_id, [])
            if membership.user not in users:
                users.append(membership.user)
    return found


def get_or_404(user, queryset, *, path_field=None, action=Action.VIEW, **lookup):
    """Fetch one object the user may see (`action`: VIEW_PEOPLE for a household); outside the scope it does not
    exist for them."""
    try:
        obj = restrict(user, queryset, path_field=path_field, action=action).get(**lookup)
    except queryset.model.DoesNotExist as exc:
        raise Http404 from exc
    return obj


def require(user, action, unit):
    """Raise 404 when the unit is out of sight, 403 when it is visible but the action is not allowed."""
    if not can(user, Action.VIEW, unit):
        raise Http404
    if not can(user, action, unit):
        raise PermissionDenied
