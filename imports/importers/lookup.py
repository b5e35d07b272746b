"""Finding communes and villages named in a roster: by GSO code or by name, with or without prefix and accents.

Loaded once per job (a few thousand units at most) into dictionaries keyed by code and by `unit_key`.
"""

from collections import defaultdict

from django.utils import formats, timezone
from django.utils.translation import gettext as _

from units import policy
from units.choices import UnitKind
from units.models import Unit, UnitName
from units.roles import Action

from .. import normalise


class UnitLookup:
    """The communes of the job's province and the villages under the job's unit, with the user's scope."""

    def __init__(self, job, *, with_villages=True, today=None):
        self.job = job
        self.target = job.unit
        self.today = today or timezone.localdate()
        province_path = self.target.path.split("/", 1)[0] + "/"
        self.province = Unit.objects.get(path=province_path)
        communes = list(
            Unit.objects.filter(kind=UnitKind.COMMUNE, path__startswith=province_path).select_related("successor")
        )
        self.communes = {c.pk: c for c in communes}
        self.commune_by_code = {c.code: c for c in communes if c.code}
        self.commune_by_key = defaultdict(list)
        for commune in communes:
            self.commune_by_key[normalise.unit_key(commune.name)].append(commune)
        for former in UnitName.objects.filter(unit__in=communes).select_related("unit"):
            key = normalise.unit_key(former.name)
            if former.unit not in self.commune_by_key[key]:
                self.commune_by_key[key].append(former.unit)
        # Where the user may import: the job's unit, intersected with the user's current scope.
        self.allowed = {
            c.pk
            for c in communes
            if c.path.startswith(self.target.path) and policy.can(job.requested_by, Action.IMPORT, c)
        }
        self.others = {}  # village id outside the import -> the village if the user may see it, else None
        self.villages_by_commune = defaultdict(lambda: defaultdict(list))
        self.village_by_code = {}
        self.villages = {}
        if with_villages:
            self.load_villages()

    def load_villages(self):
        villages = Unit.objects.filter(kind=UnitKind.VILLAGE, path__startswith=self.target.path).only(
            "id", "name", "code", "parent_id", "category", "valid_from", "valid_to", "note", "path"
        )
        for village in villages:
            self.villages[village.pk] = village
            self.villages_by_commune[village.parent_id][normalise.unit_key(village.name)].append(village)
            if village.code:
                self.village_by_code[(village.parent_id, village.code)] = village

    @property
    def default_commune(self):
        return self.target if self.target.kind == UnitKind.COMMUNE else None

    def commune(self, value):
        """The commune named by `value` (a GSO code or a name); raises normalise.Invalid for the user."""
        if value in (None, ""):
            if self.default_commune is None:
                raise normalise.Invalid(_("Give the commune (its name or GSO code)."))
            return self.default_commune
        code = normalise.gso_code(value)
        commune = self.commune_by_code.get(code) if code else None
        if commune is None:
            candidates = self.commune_by_key.get(normalise.unit_key(value), [])
            inside = [c for c in candidates if c.path.startswith(self.target.path)]
            if len(inside) == 1 or (len(candidates) == 1 and not inside):
                commune = (inside or candidates)[0]
            elif len(inside) > 1 or len(candidates) > 1:
                raise normalise.Invalid(
                    _("Several communes are called “%(value)s”; give the GSO code instead.") % {"value": value}
                )
        if commune is None:
            raise normalise.Invalid(
                _("Unknown commune “%(value)s”: give its GSO code or its name as in the list of units.")
                % {"value": value}
            )
        if commune.valid_from and commune.valid_from > self.today:
            raise normalise.Invalid(
                _("%(commune)s comes into force on %(day)s; import into it from that day.")
                % {"commune": commune.name, "day": formats.date_format(commune.valid_from, "SHORT_DATE_FORMAT")}
            )
        if commune.valid_to and commune.valid_to < self.today:
            successor = commune.successor.name if commune.successor_id else "—"
            raise normalise.Invalid(
                _("%(commune)s no longer exists since %(day)s (now part of %(successor)s).")
                % {
                    "commune": commune.name,
                    "day": formats.date_format(commune.valid_to, "SHORT_DATE_FORMAT"),
                    "successor": successor,
                }
            )
        if commune.pk not in self.allowed:
            raise normalise.Invalid(
                _("%(commune)s is outside this import (%(unit)s) or outside your area.")
                % {"commune": commune.name, "unit": self.target.name}
            )
        return commune

    def village(self, commune, value):
        """The village of `commune` named by `value` (its code, or its name with or without Thôn/Tổ dân phố)."""
        raw = normalise.code(value)
        village = self.village_by_code.get((commune.pk, raw)) if raw else None
        if village is None:
            candidates = self.villages_by_commune[commune.pk].get(normalise.unit_key(value), [])
            if len(candidates) > 1:
                exact = [v for v in candidates if normalise.folded(v.name) == normalise.folded(value)]
                candidates = exact
            if len(candidates) == 1:
                village = candidates[0]
            elif len(candidates) > 1:
                raise normalise.Invalid(
                    _("Several villages of %(commune)s are called “%(value)s”; write the full name.")
                    % {"commune": commune.name, "value": normalise.text(value)}
                )
        if village is None:
            raise normalise.Invalid(
                _(
                    "Unknown village “%(value)s” in %(commune)s. Correct the name, or import the villages of the "
                    "commune first."
                )
                % {"value": normalise.text(value), "commune": commune.name}
            )
        if village.valid_to and village.valid_to < self.today:
            raise normalise.Invalid(_("The village “%(value)s” no longer exists.") % {"value": village.name})
        if not village.is_active_on(self.today):
            raise normalise.Invalid(
                _("The village “%(value)s” comes into force on %(day)s.")
                % {"value": village.name, "day": formats.date_format(village.valid_from, "SHORT_DATE_FORMAT")}
            )
        return village

    def village_in_scope(self, village_id):
        village = self.villages.get(village_id)
        return village is not None and village.parent_id in self.allowed

    def visible_village(self, village_id):
        """The village (with its commune) of a household the file names, if the importing user may see it, else
        None: only then may a message name that household or where it lives."""
        if self.village_in_scope(village_id):
            return self.villages[village_id]
        if village_id not in self.others:
            village = Unit.objects.select_related("parent").get(pk=village_id)
            self.others[village_id] = village if policy.can(self.job.requested_by, Action.VIEW, village) else None
        return self.others[village_id]
