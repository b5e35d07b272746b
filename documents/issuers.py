"""Who issues an official document, as Decree 30/2020 prints it (DOMAIN.md §4): the header lines, the
abbreviation after the number, the place of the dateline and the signature block — for any unit, on the date of
issue: names are those in force that day (`UnitName`), and a unit that had ended by then is replaced by the body
that carried on its work (its successor)."""

from dataclasses import dataclass

from units.choices import UnitKind
from units.models import Unit
from units.selectors import named_as_of

ADMINISTRATIVE_KINDS = frozenset({UnitKind.PROVINCE, UnitKind.DISTRICT, UnitKind.COMMUNE})

# The legal type before an administrative unit's proper name; the dateline prints the proper name alone.
_TYPE_PREFIXES = ("Tỉnh ", "Thành phố ", "Thị xã ", "Huyện ", "Quận ", "Thị trấn ", "Phường ", "Xã ")

PEOPLES_COMMITTEE = "ỦY BAN NHÂN DÂN"


@dataclass(frozen=True)
class Issuer:
    parent_line: str  # the parent body, in capitals, not bold ("" for a People's Committee)
    body_lines: tuple  # the issuing body, in bold capitals
    abbreviation: str  # after the type code in the number: "BC-UBND", "KH-SLĐTBXH"
    place: str  # the dateline's place: the proper name of the administrative unit where the body sits
    collective: str  # a body deciding collectively signs "TM." for it; "" for a body run by its head
    head: str  # the head's title: "CHỦ TỊCH", "GIÁM ĐỐC"


@dataclass(frozen=True)
class Signature:
    lines: tuple  # "TM. ỦY BAN NHÂN DÂN" / "CHỦ TỊCH", or "KT. CHỦ TỊCH" / "PHÓ CHỦ TỊCH"
    signer: str = ""  # printed in bold under the space for the signature and seal


def proper_name(name):
    """'Tỉnh Thái Bình' -> 'Thái Bình', 'Xã Song An' -> 'Song An' (Decree 30, annex I: the place name)."""
    for prefix in _TYPE_PREFIXES:
        if name.startswith(prefix):
            return name.removeprefix(prefix)
    return name


def abbreviation(unit):
    """The body's abbreviation in a document number: the capitals of its short name ('Sở LĐ-TB&XH' -> 'SLĐTBXH'),
    else the initials of its name."""
    if unit.short_name:
        capitals = "".join(ch for ch in unit.short_name if ch.isupper())
        if capitals:
            return capitals
    return "".join(word[0] for word in unit.name.split() if word[0].isalpha()).upper()


def document_date(place, day):
    """'Thái Bình, ngày 07 tháng 9 năm 2022': days under 10 and months 1-2 take a leading zero (Decree 30)."""
    month = f"{day.month:02d}" if day.month < 3 else str(day.month)
    return f"{place}, ngày {day.day:02d} tháng {month} năm {day.year}"


def in_force(unit, on):
    """The unit, or the body that carried on its work after it ended (following successors)."""
    seen = {unit.pk}
    while not unit.is_active_on(on) and unit.successor_id and unit.successor_id not in seen:
        unit = Unit.objects.get(pk=unit.successor_id)
        seen.add(unit.pk)
    return unit


def issuer_for(unit, on):
    """The header of a document issued by `unit` on the day `on` (one query for the names of its chain)."""
    unit = in_force(unit, on)
    chain = list(named_as_of(Unit.objects.filter(pk__in=[*unit.ancestor_ids, unit.pk]), on).order_by("path"))
    body, parent = chain[-1], (chain[-2] if len(chain) > 1 else None)
    seat = next((u for u in reversed(chain) if u.kind in ADMINISTRATIVE_KINDS), body)
    place = proper_name(seat.name_then)
    if body.kind in ADMINISTRATIVE_KINDS:
        return Issuer("", (PEOPLES_COMMITTEE, body.name_then.upper()), "UBND", place, PEOPLES_COMMITTEE, "CHỦ TỊCH")
    if parent is None:
        parent_line = ""
    elif parent.kind in ADMINISTRATIVE_KINDS:
        parent_line = f"UBND {parent.name_then.upper()}"
    else:
        parent_line = parent.name_then.upper()
    head = "GIÁM ĐỐC" if body.kind == UnitKind.DEPARTMENT else "THỦ TRƯỞNG"
    return Issuer(parent_line, (body.name_then.upper(),), abbreviation(body), place, "", head)


def signature_for(issuer, *, deputy=False, signer=""):
    """The head signs for a collective body ("TM. ỦY BAN NHÂN DÂN" / "CHỦ TỊCH"); a deputy signs for the head
    ("KT. CHỦ TỊCH" / "PHÓ CHỦ TỊCH")."""
    if deputy:
        return Signature((f"KT. {issuer.head}", f"PHÓ {issuer.head}"), signer)
    if issuer.collective:
        return Signature((f"TM. {issuer.collective}", issuer.head), signer)
    return Signature((issuer.head,), signer)
