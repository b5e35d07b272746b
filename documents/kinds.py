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
    context: Callable  # context(unit, day) -> the template's own variables
    numbered: bool = False  # takes a number from the register when requested
    filename: Callable | None = None  # filename(unit, day) -> the stored file's name; default: kind, unit id, day


_TYPES = {}


def register(kind, *, label, template, type_code, context, numbered=False, filename=None):
    _TYPES[kind] = DocumentType(kind, label, template, type_code, context, numbered, filename)


def get(kind):
    return _TYPES[kind]


def choices():
    return [(kind, spec.label) for kind, spec in _TYPES.items()]
