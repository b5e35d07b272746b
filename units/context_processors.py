"""Puts the signed-in user's roles and units in every page's context."""

from . import policy
from .roles import Action


def scope(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    memberships = policy.memberships(user)
    can = {action.value: policy.can_anywhere(user, action) for action in Action if action != Action.VIEW}
    return {"my_memberships": memberships, "my_roles": {m.role for m in memberships}, "can": can}
