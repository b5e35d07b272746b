"""Sections that the apps above the registry add to the household page (the support a household received, from
the movement's ledger). Each app registers its own from its AppConfig.ready(), as documents.kinds does, so the
registry shows them without importing the apps above it."""

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Section:
    key: str
    template: str  # rendered with `section` bound to what `context` returned
    context: Callable  # context(user, household) -> the section's data, or None to leave it out


@dataclass(frozen=True)
class Shown:
    template: str
    data: object


_SECTIONS = {}


def register(key, *, template, context):
    _SECTIONS[key] = Section(key, template, context)


def for_household(user, household):
    """The sections to show on `household`'s page for `user`, in the order they were registered."""
    shown = []
    for section in _SECTIONS.values():
        data = section.context(user, household)
        if data is not None:
            shown.append(Shown(section.template, data))
    return shown
