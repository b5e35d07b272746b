"""What goes into each of the reports app's official documents; `documents` frames them (issuer, dateline,
number, signature) and renders them."""

from documents import kinds
from documents.issuers import ADMINISTRATIVE_KINDS
from units import selectors as unit_selectors
from units.choices import UnitKind

from .models import DocumentKind


def _common(unit, day):
    return {"unit": unit, "day": day, "counts": unit_selectors.subtree_counts(unit, day=day)}


def unit_summary_context(unit, day):
    children = list(unit_selectors.children(unit, day=day))
    return {
        **_common(unit, day),
        "children": [c for c in children if c.kind in ADMINISTRATIVE_KINDS],
        "participants": [c for c in children if c.kind not in ADMINISTRATIVE_KINDS | {UnitKind.VILLAGE}],
    }


def unit_roster_context(unit, day):
    return {**_common(unit, day), "groups": unit_selectors.communes_by_district(unit, day=day)}


def register():
    kinds.register(
        DocumentKind.UNIT_SUMMARY,
        label=DocumentKind.UNIT_SUMMARY.label,
        template="reports/decree30/unit_summary.html",
        type_code="BC",
        context=unit_summary_context,
    )
    kinds.register(
        DocumentKind.UNIT_ROSTER,
        label=DocumentKind.UNIT_ROSTER.label,
        template="reports/decree30/unit_roster.html",
        type_code="BC",
        context=unit_roster_context,
    )
