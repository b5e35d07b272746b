"""Reads of the award registry. Every read starts from the awards the user may see (`units.policy.restrict` on the
award's unit); searching, filtering, counting and summing run in the database."""

from dataclasses import dataclass, field

from django.db.models import Count, Q, Sum
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from common.text import fold
from documents.issuers import ADMINISTRATIVE_KINDS, abbreviation
from households import privacy
from households.rules import clean_cccd
from units import policy
from units.choices import UnitKind
from units.models import Unit

from ..models import Award, AwardLevel, AwardMethod, NomineeKind, Occasion

# The order of the recipient kinds in the statistics and in form 0603.N (collectives, households, individuals).
KINDS = (NomineeKind.COLLECTIVE, NomineeKind.FAMILY, NomineeKind.INDIVIDUAL)
# The methods as form 0603.N names its rows (thường xuyên, chuyên đề, đột xuất).
METHODS = {
    AwardMethod.REGULAR: _("Regular awards"),
    AwardMethod.THEMATIC: _("Thematic awards"),
    AwardMethod.AD_HOC: _("Ad hoc awards"),
}


def decision_number(decision):
    """'123/QĐ-UBND': the number as the decision prints it (Decree 30: number/type code-issuer's abbreviation)."""
    issuer = decision.issuer
    return f"{decision.number}/QĐ-{'UBND' if issuer.kind in ADMINISTRATIVE_KINDS else abbreviation(issuer)}"


def visible_awards(user):
    return policy.restrict(user, Award.objects.all())


def occasions():
    return Occasion.objects.order_by("-year", "name", "pk")


def search_condition(text):
    """A citizen ID (12 digits, as typed: spaces, dots or full-width digits allowed) finds that ID exactly; any other
    text finds the names that contain it, accent- and case-blind (the trigram index on `name_folded`)."""
    digits = clean_cccd(text)
    if digits.isascii() and digits.isdigit():
        return Q(cccd=digits)
    return Q(name_folded__contains=fold(text))


def _in_period(awards, signed_from=None, signed_to=None):
    if signed_from:
        awards = awards.filter(decision__signed_on__gte=signed_from)
    if signed_to:
        awards = awards.filter(decision__signed_on__lte=signed_to)
    return awards


ORDER = ("-decision__signed_on", "-decision_id", "pk")  # newest decision first, each in its annex's order


def _filtered(user, *, query="", unit=None, kind="", occasion=None, year=None, signed_from=None, signed_to=None):
    awards = _in_period(visible_awards(user), signed_from, signed_to)
    if query.strip():
        awards = awards.filter(search_condition(query.strip()))
    if unit is not None:
        awards = awards.filter(unit__path__startswith=unit.path)
    if kind:
        awards = awards.filter(kind=kind)
    if occasion is not None:
        awards = awards.filter(occasion=occasion)
    if year:
        awards = awards.filter(year=year)
    return awards


def _shown(user, awards):
    """Awards with what a row shows (`shows_identity`: whether the reader sees the full citizen ID)."""
    return awards.select_related("decision", "decision__issuer", "award_type", "occasion", "unit", "district").annotate(
        shows_identity=privacy.identity_shown(user, Award)
    )


class Rows:
    """The filtered awards as a Paginator reads them: counted and sliced on the awards' keys alone (sorted with
    their decision's date), then the page's rows read in full. Sorting thousands of rows joined with everything a
    row shows, to keep 50 of them, took most of a common surname's search time."""

    def __init__(self, user, awards):
        self.keys = awards.order_by(*ORDER).values_list("pk", flat=True)
        self.shown = _shown(user, Award.objects.all())

    def count(self):
        return self.keys.count()

    def __getitem__(self, index):
        keys = list(self.keys[index])
        found = self.shown.in_bulk(keys)
        return [found[pk] for pk in keys]


def registry(user, **filters):
    """The awards the user may see that pass the filters, for a Paginator (see `Rows`). Filters: query (a name or
    a citizen ID), unit (its subtree), kind, occasion, year, signed_from and signed_to (the decision's date)."""
    return Rows(user, _filtered(user, **filters))


def registry_rows(user, **filters):
    """Every award the filters keep, in the registry's order, with what a row shows (for the Excel export)."""
    return _shown(user, _filtered(user, **filters)).order_by(*ORDER)


def award_for(user, pk):
    """One award the user may see (404 otherwise), with `shows_identity`."""
    return policy.get_or_404(
        user,
        Award.objects.select_related(
            "decision", "decision__issuer", "decision__proposal", "award_type", "occasion", "unit", "district"
        ).annotate(shows_identity=privacy.identity_shown(user, Award)),
        pk=pk,
    )


def household_awards(household):
    """The awards a household received as a family, newest first (the household page's section)."""
    return list(
        Award.objects.filter(household=household, kind=NomineeKind.FAMILY)
        .select_related("decision", "decision__issuer", "award_type", "occasion")
        .order_by("-decision__signed_on", "-pk")
    )


def household_section(user, household):
    """The household page's "awards" section, left out for a household never awarded."""
    awards = household_awards(household)
    return {"awards": awards} if awards else None


# Statistics ---------------------------------------------------------------------------------------------------


@dataclass
class Line:
    """A line of a statistics table: counts by recipient kind, their total and the bonuses paid."""

    label: str
    counts: dict = field(default_factory=lambda: dict.fromkeys(KINDS, 0))
    bonus: int = 0
    code: str = ""
    level: int = 0  # 0 a total, 1 an occasion's subtotal, 2 a district

    @property
    def total(self):
        return sum(self.counts.values())

    @property
    def cells(self):
        return [self.counts[kind] for kind in KINDS]

    def add(self, kind, count, bonus=0):
        self.counts[kind] += count
        self.bonus += bonus or 0


def statistics(user, *, signed_from=None, signed_to=None):
    """Awards by occasion and district (the district of the collective or of the nominating unit; "provincial
    units" for those outside any district), counted by recipient kind with the bonuses: one GROUP BY query.
    Returns the lines in print order: each occasion's districts then its subtotal, and the grand total last."""
    groups = (
        _in_period(visible_awards(user), signed_from, signed_to)
        .values(
            "occasion_id", "occasion__name", "occasion__year", "district_id", "district__name", "district__path", "kind"
        )
        .annotate(count=Count("pk"), bonus=Sum("bonus"))
        .order_by("occasion__year", "occasion__name", "occasion_id", "district__path")
    )
    total = Line(str(_("Total")))
    by_occasion = {}  # occasion id -> (its subtotal, {district id: its line})
    for row in groups:
        subtotal, districts = by_occasion.setdefault(row["occasion_id"], (Line(row["occasion__name"], level=1), {}))
        district = districts.setdefault(
            row["district_id"],
            Line(row["district__name"] or str(_("Provincial units and units outside any district")), level=2),
        )
        for line in (district, subtotal, total):
            line.add(row["kind"], row["count"], row["bonus"])
    lines = []
    for subtotal, districts in by_occasion.values():
        lines += [*districts.values(), subtotal]
    return [*lines, total]


def form_0603(user, *, signed_from=None, signed_to=None):
    """Form 0603.N (Circular 02/2023/TT-BNV): the provincial awards decided in the period, by method (the rows) and
    recipient kind (the columns), one GROUP BY query. Row 01 is the total of the methods' rows 02-04."""
    counts = (
        _in_period(visible_awards(user), signed_from, signed_to)
        .filter(award_type__level=AwardLevel.PROVINCIAL)
        .values("method", "kind")
        .annotate(count=Count("pk"))
        .order_by()
    )
    total = Line(str(_("Provincial awards, total")), code="01")
    lines = {method: Line(str(label), code=f"{n:02d}", level=1) for n, (method, label) in enumerate(METHODS.items(), 2)}
    for row in counts:
        for line in (lines[row["method"]], total):
            line.add(row["kind"], row["count"])
    return [total, *lines.values()]


def kind_labels():
    return [capfirst(NomineeKind(kind).label) for kind in KINDS]


def reporter(user):
    """The units a report of the user's statistics covers (the province for a provincial role)."""
    prefixes = policy.scope_paths(user)
    units = Unit.objects.filter(kind=UnitKind.PROVINCE) if prefixes is None else Unit.objects.filter(path__in=prefixes)
    return ", ".join(units.order_by("path").values_list("name", flat=True))


def decided_in(movement, year):
    """The movement's awards decided in `year`, by recipient kind: {kind: (count, bonus)} in one GROUP BY query,
    for the yearly summary (the province's, so not narrowed to a user's sight)."""
    rows = (
        Award.objects.filter(occasion__movement=movement, decision__signed_on__year=year)
        .values("kind")
        .annotate(count=Count("pk"), bonus=Sum("bonus"))
        .order_by()
    )
    return {row["kind"]: (row["count"], row["bonus"]) for row in rows}
