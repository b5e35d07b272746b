"""The bell in the menu bar: the signed-in user's unread notifications. The user is loaded with the count
(deadlines.backends); a user signed in otherwise costs one query, run only if the page reads the count."""

from functools import partial

from . import selectors


def inbox(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    loaded = getattr(user, "unread_notifications", None)
    # A callable is called by the template engine when (and each time) a template reads the value.
    return {"unread_notifications": partial(selectors.unread_count, user) if loaded is None else loaded}
