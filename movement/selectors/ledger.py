"""Reads of the support ledger, scoped by the one access policy, aggregated in SQL.

Two sides see a row: its giver (the users who record support for that unit, who see what they gave and the
households they gave it to: code, head's name and village, never the registry) and the recipients' side (those who
see households' personal information where the recipient commune lies: the commune, its district, DOLISA).
"""

from dataclasses import dataclass
from datetime import date

from django.db import connection
from django.db.models import Count, OuterRef, Q, Subquery, Sum
from django.db.models.functions import Coalesce, ExtractYear
from django.utils import timezone

from deadlines.models import ReviewPeriod
from households.models import FiguresYear, Member, PovertyClass, Relation
from units import policy
from units.models import Unit
from units.roles import ROLE_RULES, Action

from ..models import Support, SupportKind, SupportYear, UnitSupport
from ..models.ledger import GIVER_KINDS, JOB_KINDS

# What the totals can be grouped by: the values() of the GROUP BY and the label shown for each group.
DIMENSIONS = {
    "giver": ("giver_id", "giver__name"),
    "commune": ("commune_id", "commune__name"),
    "kind": ("kind", "kind"),
    "year": ("year", "year"),
}


def can_record(user):
    return policy.can_anywhere(user, Action.RECORD_SUPPORT)


def can_see(user):
    """Whether the ledger page opens for the user: givers and those who see households."""
    return can_record(user) or policy.can_anywhere(user, Action.VIEW_PEOPLE)


def visible_support(user):
    """The rows the user may see: given by a unit they record support for, or received in their people scope."""
    rows = Support.objects.all()
    given = policy.restrict(user, rows, path_field="giver__path", action=Action.RECORD_SUPPORT)
    received = policy.restrict(user, rows, path_field="commune__path", action=Action.VIEW_PEOPLE)
    return given | received


def givers_for(user):
    """The units the user records support for: the units of their roles that give that right (a superuser: every
    unit of a giving kind)."""
    units = Unit.objects.current().filter(kind__in=GIVER_KINDS)
    if user.is_superuser:
        return units.order_by("path")
    own = {m.unit_id for m in policy.memberships(user) if Action.RECORD_SUPPORT in ROLE_RULES[m.role].actions}
    return units.filter(pk__in=own).order_by("path")


def head_name():
    return Subquery(
        Member.objects.filter(household=OuterRef("household_id"), relation=Relation.HEAD).values("full_name")[:1]
    )


@dataclass(frozen=True)
class Filters:
    year: int | None = None
    kind: str = ""
    giver: int | None = None
    commune: int | None = None


def _filtered(rows, filters):
    if filters.year:
        rows = rows.filter(given_on__year=filters.year)
    if filters.kind:
        rows = rows.filter(kind=filters.kind)
    if filters.giver:
        rows = rows.filter(giver_id=filters.giver)
    if filters.commune:
        rows = rows.filter(commune_id=filters.commune)
    return rows


def support_rows(user, filters=Filters()):
    """The rows the user may see, newest first, with the giver, the commune, the household's code, its head's
    name and its village (what a giver may know of a household it supported)."""
    return (
        _filtered(visible_support(user), filters)
        .select_related("giver", "commune", "household", "household__village")
        .annotate(head=head_name())
        .order_by("-given_on", "-pk")
    )


def support_totals(user, filters=Filters(), by="giver"):
    """Rows, households supported and VND by one dimension (DIMENSIONS), largest value first, one GROUP BY."""
    key, label = DIMENSIONS[by]
    rows = _filtered(visible_support(user), filters).annotate(year=ExtractYear("given_on"))
    totals = (
        rows.values(key, label)
        .annotate(rows=Count("pk"), households=Count("household", distinct=True), value=Sum("value"))
        .order_by("-value", label)
    )
    kinds = dict(SupportKind.choices)
    return [
        {
            "key": item[key],
            "label": kinds.get(item[label], item[label]) if by == "kind" else item[label],
            "rows": item["rows"],
            "households": item["households"],
            "value": item["value"],
        }
        for item in totals
    ]


def years_recorded(user):
    return sorted(
        visible_support(user).annotate(year=ExtractYear("given_on")).values_list("year", flat=True).distinct(),
        reverse=True,
    )


def filter_choices(user):
    """The givers and communes that appear in the user's rows, for the filters (two small queries)."""
    rows = visible_support(user)
    givers = Unit.objects.filter(pk__in=rows.values("giver_id")).order_by("name")
    communes = Unit.objects.filter(pk__in=rows.values("commune_id")).order_by("name")
    return givers, communes


def household_support(household):
    """What `household` received, newest first, for its page (the page has checked that the user may open it)."""
    return Support.objects.filter(household=household).select_related("giver").order_by("-given_on", "-pk")


# The dashboard's comparison ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class OutcomeGroup:
    """Households of one class in the year, supported that year or not, and their class the year after."""

    cohort: str  # poor or near_poor
    supported: bool
    households: int
    escaped: int  # a better recognised class the next year (poor -> near-poor or above; near-poor -> above)
    still: int  # the same class, or worse
    no_result: int  # no recognised result the next year (yet)

    def share(self, part):
        return round(100 * part / self.households, 1) if self.households else None

    @property
    def escaped_share(self):
        return self.share(self.escaped)

    @property
    def still_share(self):
        return self.share(self.still)

    @property
    def no_result_share(self):
        return self.share(self.no_result)


@dataclass(frozen=True)
class SupportOutcomes:
    unit: Unit
    year: int
    groups: tuple

    @property
    def next_year(self):
        return self.year + 1


BETTER = {
    PovertyClass.POOR: (PovertyClass.NEAR_POOR, PovertyClass.AVERAGE, PovertyClass.NONE),
    PovertyClass.NEAR_POOR: (PovertyClass.AVERAGE, PovertyClass.NONE),
}
OUTCOME_MEASURES = ("total", "escaped", "no_result")
# The order of a snapshot's `outcomes` array (models.UnitSupport): each cohort, supported then not, each measure.
OUTCOME_ORDER = tuple(
    (str(cohort), supported, measure)
    for cohort in BETTER
    for supported in (True, False)
    for measure in OUTCOME_MEASURES
)


def _better():
    return " ".join(
        f"WHEN '{cls}' THEN ARRAY[{', '.join(repr(str(b)) for b in classes)}]::varchar[]"
        for cls, classes in BETTER.items()
    )


# The households of the year's lists (r), their review of the next year (n) and whether they received support in
# the year (s), and what is counted of them: shared by the live comparison and the snapshot (movement.snapshots).
OUTCOME_COUNTS = """count(*) AS total,
       count(*) FILTER (WHERE n.recognised_class = ANY(CASE r.recognised_class {better} END)) AS escaped,
       count(*) FILTER (WHERE coalesce(n.recognised_class, '') = '') AS no_result"""
OUTCOME_JOINS = """LEFT JOIN households_review n ON n.household_id = r.household_id AND n.year = %(next)s
LEFT JOIN (SELECT DISTINCT household_id FROM {support}
           WHERE household_id IS NOT NULL AND given_on BETWEEN %(first)s AND %(last)s) s
       ON s.household_id = r.household_id
WHERE r.year = %(year)s AND r.recognised_class IN %(cohorts)s"""


def outcome_sql(template):
    return template.format(
        counts=OUTCOME_COUNTS.format(better=_better()),
        joins=OUTCOME_JOINS.format(support=Support._meta.db_table),
    )


def outcome_params(year):
    """The parameters of the comparison of `year`'s households (their support in `year`, their class the next)."""
    return {
        "year": year,
        "next": year + 1,
        "first": date(year, 1, 1),
        "last": date(year, 12, 31),
        "cohorts": tuple(str(cls) for cls in BETTER),
    }


_OUTCOMES_SQL = """
SELECT r.recognised_class, s.household_id IS NOT NULL AS supported, {counts}
FROM households_review r
JOIN units_unit v ON v.id = r.village_id AND v.path LIKE %(prefix)s
{joins}
GROUP BY 1, 2
"""


def _outcome_groups(unit, year, counts):
    """OutcomeGroups from {(cohort, supported): {measure: n}} (a missing group is empty)."""
    groups = []
    for cohort in BETTER:
        for was_supported in (True, False):
            item = counts.get((str(cohort), was_supported), dict.fromkeys(OUTCOME_MEASURES, 0))
            groups.append(
                OutcomeGroup(
                    cohort=cohort,
                    supported=was_supported,
                    households=item["total"],
                    escaped=item["escaped"],
                    still=item["total"] - item["escaped"] - item["no_result"],
                    no_result=item["no_result"],
                )
            )
    return SupportOutcomes(unit=unit, year=year, groups=tuple(groups))


def support_outcomes(unit, year):
    """Of the households recognised poor or near-poor in `year` under `unit` (counted where their review of the
    year was made, as every figure of the year), those that received support in `year` and those that did not,
    and what became of each group in `year + 1`. Read from the snapshot of `year + 1` once that year is closed
    and its snapshot current; else one SQL statement, joins rather than a subquery a household (the province has
    tens of thousands on its lists). A comparison, not a cause: households are not supported at random."""
    if from_snapshot(year + 1):
        stored = UnitSupport.objects.filter(year=year + 1, unit=unit).values_list("outcomes", flat=True).first()
        values = stored or [0] * len(OUTCOME_ORDER)
        counts = {}
        for (cohort, supported, measure), value in zip(OUTCOME_ORDER, values, strict=True):
            counts.setdefault((cohort, supported), {})[measure] = value
        return _outcome_groups(unit, year, counts)
    with connection.cursor() as cursor:
        cursor.execute(outcome_sql(_OUTCOMES_SQL), {**outcome_params(year), "prefix": f"{unit.path}%"})
        counts = {
            (cls, supported): {"total": total, "escaped": escaped, "no_result": no_result}
            for cls, supported, total, escaped, no_result in cursor.fetchall()
        }
    return _outcome_groups(unit, year, counts)


# Support totals of a unit and a year ---------------------------------------------------------------------------


@dataclass(frozen=True)
class SupportTotals:
    """What the unit and the units under it gave in the year (given_*, jobs: rows of jobs and vocational
    training), and what households and communes under it received (received_*, by kind in VND)."""

    given_rows: int = 0
    given_value: int = 0
    jobs_given: int = 0
    received_rows: int = 0
    received_value: int = 0
    households_supported: int = 0
    received_by_kind: tuple = (0,) * len(SupportKind.values)  # in the order of SupportKind

    @property
    def by_kind(self):
        return dict(zip(SupportKind.values, self.received_by_kind, strict=True))


_TOTAL_FIELDS = ("given_rows", "given_value", "jobs_given", "received_rows", "received_value", "households_supported")


def from_snapshot(year):
    """Whether `year`'s support is read from its snapshot: the year's review period has closed and both snapshots
    of the year's aggregation run (the registry's figures, the ledger's support) are current. One query."""
    closed = ReviewPeriod.objects.filter(due_on__lt=timezone.localdate()).values("year")
    figures_current = FiguresYear.objects.filter(stale=False, computed_at__isnull=False, year__in=closed)
    return SupportYear.objects.filter(
        year=year, stale=False, computed_at__isnull=False, year__in=figures_current.values("year")
    ).exists()


def live_support(unit, year):
    """The unit's support totals of `year`, counted now (one statement)."""
    given = Q(giver__path__startswith=unit.path)
    received = Q(commune__path__startswith=unit.path)
    totals = _year(Support.objects.all(), year).aggregate(
        given_rows=Count("pk", filter=given),
        given_value=Coalesce(Sum("value", filter=given), 0),
        jobs_given=Count("pk", filter=given & Q(kind__in=list(JOB_KINDS))),
        received_rows=Count("pk", filter=received),
        received_value=Coalesce(Sum("value", filter=received), 0),
        households_supported=Count("household", distinct=True, filter=received),
        **{f"kind_{kind}": Coalesce(Sum("value", filter=received & Q(kind=kind)), 0) for kind in SupportKind.values},
    )
    return SupportTotals(
        **{name: totals[name] for name in _TOTAL_FIELDS},
        received_by_kind=tuple(totals[f"kind_{kind}"] for kind in SupportKind.values),
    )


def unit_support(unit, year):
    """The unit's support totals of `year`: from the snapshot for a closed year whose snapshot is current, else
    counted now; the same numbers either way."""
    if from_snapshot(year):
        stored = UnitSupport.objects.filter(year=year, unit=unit).first()
        if stored is None:
            return SupportTotals()
        return SupportTotals(
            **{name: getattr(stored, name) for name in _TOTAL_FIELDS},
            received_by_kind=tuple(stored.received_by_kind),
        )
    return live_support(unit, year)


# Measures of the criteria (movement.models.Measure) -------------------------------------------------------------


def _year(rows, year):
    return rows.filter(given_on__gte=date(year, 1, 1), given_on__lte=date(year, 12, 31))


def measure_support_given(unit, year):
    """VND given in `year` by the unit and the units under it (a bank with its district branches)."""
    return unit_support(unit, year).given_value


def measure_support_received(unit, year):
    """VND received in `year` by households and communes under the unit (0 for a unit that is not an area)."""
    return unit_support(unit, year).received_value


def measure_jobs_given(unit, year):
    """Rows of jobs and vocational training given in `year` by the unit and the units under it."""
    return unit_support(unit, year).jobs_given


def _given_totals():
    return {
        "rows": Count("pk"),
        "households": Count("household", distinct=True),
        "value": Coalesce(Sum("value"), 0),
        "jobs": Count("pk", filter=Q(kind__in=list(JOB_KINDS))),
    }


def support_given_by(unit, year, *, by):
    """What the units under `unit` gave in `year`, grouped by the giver's kind (`by="kind"`) or by the giver
    (`by="giver"`): rows, households supported, VND and rows of jobs and vocational training, one GROUP BY, with
    the total over all givers (a household supported by two givers counts once in it)."""
    rows = _year(Support.objects.filter(giver__path__startswith=unit.path), year)
    keys = ("giver__kind",) if by == "kind" else ("giver_id", "giver__name", "giver__kind", "giver__path")
    groups = list(rows.values(*keys).annotate(**_given_totals()).order_by(*keys))
    return groups, rows.aggregate(**_given_totals())


def household_section(user, household):
    """The household page's "support received" section: every row the household received (whoever gave it, since
    the user opened the household's page), evaluated here so the page's query count stays fixed."""
    return {"rows": list(household_support(household)), "can_record": can_record(user)}
