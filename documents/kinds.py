"""The kinds of official document the apps render; each app registers its own from its AppConfig.ready(), so
this layer never imports the apps above it."""

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class DocumentType:
    kind: str
    label: str
    template: str
    type_code: str  # Decree 30's abbreviation of the type: BC, KH, QĐ, TTr, TB
    context: Callable  # context(unit, day[, subject]) -> the template's own variables
    numbered: bool = False  # takes a number from the register when requested
    filename: Callable | None = (
        None  # filename(unit, day[, subject]) -> the stored file's name; default: kind, unit id, day
    )
    # A kind that renders one record (a summary, a decision) is given its id as `subject` after unit and day.
    with_subject: bool = False

    def arguments(self, unit, day, subject):
        return (unit, day, subject) if self.with_subject else (unit, day)


_TYPES = {}


def register(kind, *, label, template, type_code, context, numbered=False, filename=None, with_subject=False):
    _TYPES[kind] = DocumentType(kind, label, template, type_code, context, numbered, filename, with_subject)


def get(kind):
    return _TYPES[kind]


def choices():
    return [(kind, spec.label) for kind, spec in _TYPES.items()]
