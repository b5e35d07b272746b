"""Villages (thôn) and residential groups (tổ dân phố) of a commune: one row per village.

Key: the commune and the name without its prefix, accents or case ("Thôn 01", "thon 1" and "1" are one village).
A new village is named with its prefix ("1" of type Thôn becomes "Thôn 1"); an existing one keeps its name, and
only its type, code and note are updated. Villages missing from the file are never deleted.
"""

import re

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from common.text import fold
from units.choices import URBAN_COMMUNE_CATEGORIES, UnitCategory, UnitKind
from units.models import Unit

from .. import normalise
from ..resources import VillageResource
from .base import (
    COMMUNE_ALIASES,
    NEW,
    UNCHANGED,
    UPDATED,
    Column,
    Importer,
    Stats,
    choice_parser,
    commune_names,
    parse_code,
)
from .lookup import UnitLookup

RURAL, URBAN = UnitCategory.VILLAGE_RURAL.value, UnitCategory.VILLAGE_URBAN.value
CATEGORY_SYNONYMS = {
    "Thôn": RURAL,
    "Xóm": RURAL,
    "Làng": RURAL,
    "Ấp": RURAL,
    "Bản": RURAL,
    "Tổ dân phố": URBAN,
    "Tổ": URBAN,
    "TDP": URBAN,
    "Khu phố": URBAN,
}
PREFIXES = {RURAL: "Thôn", URBAN: "Tổ dân phố"}
# The prefixes a village name may start with, folded, and the type each implies.
_NAME_PREFIX = re.compile(r"^(to dan pho|tdp|thon|xom|lang|ap|ban|khu pho|to)(?:\s*[.:]\s*|\s+|(?=\d))")
_STANDARD = {"thon", "to dan pho", "tdp", "to"}  # prefixes written the standard way: Thôn, Tổ dân phố
_IMPLIED = {"to dan pho": URBAN, "tdp": URBAN, "khu pho": URBAN, "to": URBAN}


def category_labels(unit):
    return [PREFIXES[RURAL], PREFIXES[URBAN]]


def display_name(raw, category):
    """'thon 1' -> 'Thôn 1', 'TDP 3' -> 'Tổ dân phố 3', '1' (Thôn) -> 'Thôn 1', 'xóm Chùa' -> 'Xóm Chùa'."""
    name = normalise.text(raw)
    match = _NAME_PREFIX.match(fold(name).replace("-", " "))
    if match and match.group(1) not in _STANDARD:
        return name[:1].upper() + name[1:]  # Xóm, Làng, Ấp, Bản, Khu phố: the official name keeps its own word
    base = name[match.end() :].strip() if match else name
    base = re.sub(r"^(?i:số|so)\s+(?=\d)", "", base)
    base = re.sub(r"\b0+(?=\d)", "", base)
    return f"{PREFIXES[category]} {base[:1].upper()}{base[1:]}" if base else name


def implied_category(raw):
    match = _NAME_PREFIX.match(fold(normalise.text(raw)).replace("-", " "))
    if not match:
        return None
    return _IMPLIED.get(match.group(1), RURAL)


COLUMNS = (
    Column(
        "commune",
        gettext_lazy("Commune, ward or township"),
        help=gettext_lazy("GSO code or name of the commune. May be left empty when the import is for one commune."),
        example="Xã Song An",
        aliases=COMMUNE_ALIASES,
        choices=commune_names,
        strict_choices=False,
        width=24,
    ),
    Column(
        "name",
        gettext_lazy("Village or residential group"),
        help=gettext_lazy(
            "The name, with or without “Thôn” or “Tổ dân phố” (“Thôn 1”, “thon 1” and “1” are the same village)."
        ),
        example="Thôn Đông Hồ",
        required=True,
        aliases=(
            "Thôn/Tổ dân phố",
            "Tên thôn",
            "Thôn",
            "Tổ dân phố",
            "Tên thôn/Tổ dân phố",
            "Thôn/Tổ dân phố",
            "Tên",
            "Tên đơn vị",
        ),
        max_length=255,
        width=28,
    ),
    Column(
        "category",
        gettext_lazy("Type"),
        help=gettext_lazy(
            "Thôn or Tổ dân phố. Empty: taken from the name's prefix, else Tổ dân phố in wards and townships and "
            "Thôn elsewhere."
        ),
        example="Thôn",
        aliases=("Loại", "Loại đơn vị", "Phân loại"),
        parse=choice_parser(UnitCategory, CATEGORY_SYNONYMS),
        choices=category_labels,
        width=14,
    ),
    Column(
        "code",
        gettext_lazy("Village code"),
        help=gettext_lazy("Optional: the code the province gives the village, unique among villages."),
        example="13249-01",
        aliases=("Mã thôn", "Mã", "Mã đơn vị", "Mã số"),
        parse=parse_code,
        max_length=20,
        number_format="@",
        width=14,
    ),
    Column(
        "note",
        gettext_lazy("Note"),
        help=gettext_lazy("Optional."),
        aliases=("Ghi chú",),
        width=30,
    ),
)


class Context:
    def __init__(self, job, applying):
        self.job = job
        self.applying = applying
        self.units = UnitLookup(job)
        self.seen = {}  # (commune id, key) -> row number
        self.seen_codes = {}
        self.stats = Stats()


class VillagesImporter(Importer):
    kind = "villages"
    label = gettext_lazy("Villages of a commune")
    description = gettext_lazy("One row per village (thôn) or residential group (tổ dân phố).")
    columns = COLUMNS
    target_kinds = (UnitKind.COMMUNE, UnitKind.DISTRICT)
    notes = (
        gettext_lazy(
            "One row per village or residential group. An existing village is recognised by its name without "
            "prefix or accents; its type, code and note are updated, its name is kept."
        ),
    )

    def prepare(self, job, *, applying=False):
        return Context(job, applying)

    def plan(self, ctx, rows):
        codes = {r.values["code"] for r in rows if r.values.get("code")}
        code_owner = dict(
            Unit.objects.filter(kind=UnitKind.VILLAGE, code__in=codes).values_list("code", "id") if codes else []
        )
        for row in rows:
            values = row.values
            if "name" not in values:
                continue
            try:
                commune = ctx.units.commune(values.get("commune"))
            except normalise.Invalid as exc:
                row.error("commune", str(exc))
                continue
            key = normalise.unit_key(values["name"])
            if not key:
                row.error("name", _("“%(column)s” is required.") % {"column": self.column("name").header})
                continue
            first = ctx.seen.setdefault((commune.pk, key), row.number)
            if first != row.number:
                row.error(
                    "name",
                    _("This village is already on row %(row)s (names are compared without prefix or accents).")
                    % {"row": first},
                )
                continue
            category = values.get("category") or implied_category(values["name"])
            if category is None:
                category = URBAN if commune.category in URBAN_COMMUNE_CATEGORIES else RURAL
            if category not in (RURAL, URBAN):
                row.error("category", _("Choose Thôn or Tổ dân phố."))
                continue
            existing = ctx.units.villages_by_commune[commune.pk].get(key, [])
            if len(existing) > 1:
                row.error(
                    "name",
                    _("Several villages of %(commune)s are called “%(value)s”; write the full name.")
                    % {"commune": commune.name, "value": values["name"]},
                )
                continue
            village = existing[0] if existing else None
            code = values.get("code")
            if code:
                first_code = ctx.seen_codes.setdefault(code, row.number)
                owner = code_owner.get(code)
                if first_code != row.number:
                    row.error("code", _("Code %(code)s is already on row %(row)s.") % {"code": code, "row": first_code})
                    continue
                if owner is not None and (village is None or owner != village.pk):
                    row.error("code", _("Code %(code)s is already used by another village.") % {"code": code})
                    continue
            note = values.get("note")
            if village is None:
                row.action = (
                    "create",
                    {
                        "id": None,
                        "kind": UnitKind.VILLAGE.value,
                        "category": category,
                        "name": display_name(values["name"], category),
                        "code": code or "",
                        "parent_id": commune.pk,
                        "note": note or "",
                    },
                )
                row.status = NEW
            else:
                wanted = {
                    "id": village.pk,
                    "kind": UnitKind.VILLAGE.value,
                    "category": category if values.get("category") else village.category or category,
                    "name": village.name,
                    "code": code or village.code,
                    "parent_id": village.parent_id,
                    "note": note if note is not None else village.note,
                }
                changed = any(wanted[f] != getattr(village, f) for f in ("category", "code", "note"))
                row.action = ("update", wanted) if changed else None
                row.status = UPDATED if changed else UNCHANGED
            ctx.stats.add("villages", row.status)

    def persist(self, ctx, rows, recorder):
        actions = [row.action[1] for row in rows if row.action]
        creates = [a for a in actions if a["id"] is None]
        updates = [a for a in actions if a["id"] is not None]
        resource = VillageResource()
        resource.write(creates + updates)
        recorder.record(Unit, "insert", resource.created_ids)
        recorder.record(Unit, "update", [a["id"] for a in updates])

    def counts_summary(self, stats, *, applied):
        counts = self.counts(stats, "villages")
        if applied:
            text = _("Imported. Villages: %(new)s new, %(updated)s changed, %(unchanged)s unchanged.")
        else:
            text = _("Checked. Villages: %(new)s new, %(updated)s to change, %(unchanged)s unchanged.")
        text %= {"new": counts[NEW], "updated": counts[UPDATED], "unchanged": counts[UNCHANGED]}
        return text
