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

from households.models import Member, PovertyClass, Relation
from units import policy
from units.models import Unit
from units.roles import ROLE_RULES, Action

from ..models import Support, SupportKind
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


_OUTCOMES_SQL = """
SELECT r.recognised_class, s.household_id IS NOT NULL AS supported, count(*) AS total,
       count(*) FILTER (WHERE n.recognised_class = ANY(CASE r.recognised_class {better} END)) AS escaped,
       count(*) FILTER (WHERE coalesce(n.recognised_class, '') = '') AS no_result
FROM households_review r
JOIN units_unit v ON v.id = r.village_id AND v.path LIKE %(prefix)s
LEFT JOIN households_review n ON n.household_id = r.household_id AND n.year = %(next)s
LEFT JOIN (SELECT DISTINCT household_id FROM {support}
           WHERE household_id IS NOT NULL AND given_on BETWEEN %(first)s AND %(last)s) s
       ON s.household_id = r.household_id
WHERE r.year = %(year)s AND r.recognised_class IN %(cohorts)s
GROUP BY 1, 2
"""


def support_outcomes(unit, year):
    """Of the households recognised poor or near-poor in `year` under `unit` (counted where their review of the
    year was made, as every figure of the year), those that received support in `year` and those that did not,
    and what became of each group in `year + 1`. One SQL statement, joins rather than a subquery a household (the
    province has tens of thousands on its lists). A comparison, not a cause: households are not supported at
    random."""
    better = " ".join(
        f"WHEN '{cls}' THEN ARRAY[{', '.join(repr(str(b)) for b in classes)}]::varchar[]"
        for cls, classes in BETTER.items()
    )
    with connection.cursor() as cursor:
        cursor.execute(
            _OUTCOMES_SQL.format(better=better, support=Support._meta.db_table),
            {
                "prefix": f"{unit.path}%",
                "year": year,
                "next": year + 1,
                "first": date(year, 1, 1),
                "last": date(year, 12, 31),
                "cohorts": tuple(str(cls) for cls in BETTER),
            },
        )
        counts = {
            (cls, supported): {"total": total, "escaped": escaped, "no_result": no_result}
            for cls, supported, total, escaped, no_result in cursor.fetchall()
        }
    groups = []
    for cohort in BETTER:
        for was_supported in (True, False):
            item = counts.get((cohort, was_supported), {"total": 0, "escaped": 0, "no_result": 0})
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


# Measures of the criteria (movement.models.Measure) -------------------------------------------------------------


def _year(rows, year):
    return rows.filter(given_on__gte=date(year, 1, 1), given_on__lte=date(year, 12, 31))


def measure_support_given(unit, year):
    """VND given in `year` by the unit and the units under it (a bank with its district branches)."""
    rows = _year(Support.objects.filter(giver__path__startswith=unit.path), year)
    return rows.aggregate(total=Coalesce(Sum("value"), 0))["total"]


def measure_support_received(unit, year):
    """VND received in `year` by households and communes under the unit (0 for a unit that is not an area)."""
    rows = _year(Support.objects.filter(commune__path__startswith=unit.path), year)
    return rows.aggregate(total=Coalesce(Sum("value"), 0))["total"]


def measure_jobs_given(unit, year):
    """Rows of jobs and vocational training given in `year` by the unit and the units under it."""
    return _year(Support.objects.filter(giver__path__startswith=unit.path, kind__in=list(JOB_KINDS)), year).count()


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
