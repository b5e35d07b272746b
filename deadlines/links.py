"""Where a deadline's reminders send a unit's people: the page on which they act on it (the unit's report, its
plan, the review's progress). Each app registers, from its AppConfig.ready(), a function for the deadline kinds its
pages serve (as documents.kinds), so this layer never imports the apps above it; a kind without one, or a function
that finds no page, sends them to the home page (the deadlines they owe, with the days left)."""

from collections.abc import Callable

from django.urls import reverse

_LINKS: dict[str, Callable] = {}


def register(kind, link):
    """`link(deadline, unit)` -> the URL (a path) of the page where `unit`'s people act on `deadline`, or None."""
    _LINKS[kind] = link


def url_for(deadline, unit):
    link = _LINKS.get(deadline.kind)
    return (link(deadline, unit) if link else None) or reverse("reports:home")
