"""What goes into each official document: the Decree 30 header for the issuing unit and each document's body."""

from dataclasses import dataclass

from units import selectors as unit_selectors
from units.choices import UnitKind
from units.models import Unit

from .models import DocumentKind

ADMINISTRATIVE_KINDS = {UnitKind.PROVINCE, UnitKind.DISTRICT, UnitKind.COMMUNE}


def document_date(place, day):
    """'Thái Bình, ngày 07 tháng 9 năm 2022': days under 10 and months 1-2 take a leading zero (Decree 30)."""
    month = f"{day.month:02d}" if day.month < 3 else str(day.month)
    return f"{place}, ngày {day.day:02d} tháng {month} năm {day.year}"


@dataclass(frozen=True)
class Issuer:
    parent_line: str
    body_line: str
    number_suffix: str
    signature_title: str
    signature_role: str


def issuer_for(unit, province):
    """Header lines and signature block of a document issued by `unit`."""
    if unit.kind in ADMINISTRATIVE_KINDS:
        return Issuer("ỦY BAN NHÂN DÂN", unit.name.upper(), "UBND", "TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH")
    parent_line = f"UBND {province.name.upper()}" if unit.parent_id == province.pk else unit.parent.name.upper()
    return Issuer(parent_line, unit.name.upper(), "", "", "THỦ TRƯỞNG ĐƠN VỊ")


def _province_of(unit):
    return Unit.objects.get(pk=int(unit.path.split("/", 1)[0]))


def _place(province):
    return province.name.removeprefix("Tỉnh ").removeprefix("Thành phố ")


def _common(unit, day, today):
    province = _province_of(unit)
    return {
        "unit": unit,
        "day": day,
        "issuer": issuer_for(unit, province),
        "dateline": document_date(_place(province), today),
        "counts": unit_selectors.subtree_counts(unit, day=day),
    }


def unit_summary_context(unit, day, today):
    children = list(unit_selectors.children(unit, day=day))
    return {
        **_common(unit, day, today),
        "children": [c for c in children if c.kind in ADMINISTRATIVE_KINDS],
        "participants": [c for c in children if c.kind not in ADMINISTRATIVE_KINDS | {UnitKind.VILLAGE}],
    }


def unit_roster_context(unit, day, today):
    return {**_common(unit, day, today), "groups": unit_selectors.communes_by_district(unit, day=day)}


DOCUMENTS = {
    DocumentKind.UNIT_SUMMARY: ("reports/decree30/unit_summary.html", unit_summary_context),
    DocumentKind.UNIT_ROSTER: ("reports/decree30/unit_roster.html", unit_roster_context),
}
