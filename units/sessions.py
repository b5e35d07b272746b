"""Sessions that end after a working day without activity, kept alive by use without a write per page."""

import time

from django.conf import settings
from django.contrib.auth import SESSION_KEY

REFRESHED = "_refreshed"


class SlidingSessionMiddleware:
    """A signed-in session lives SESSION_COOKIE_AGE (a working day) from its last use, not from sign-in.

    SESSION_SAVE_EVERY_REQUEST would write the session row on every page (the household list included); this
    re-saves it, which pushes the expiry forward in the database and in the cookie, at most once every
    SESSION_REFRESH_SECONDS. Placed after SessionMiddleware, so that the change is saved on the way out.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        session = getattr(request, "session", None)
        if session is not None and not session.is_empty() and SESSION_KEY in session:
            now = int(time.time())
            if now - session.get(REFRESHED, 0) >= settings.SESSION_REFRESH_SECONDS:
                session[REFRESHED] = now
        return response
