"""The registry's figures for a unit and a year: what movement, reports and awards read instead of the review
tables. Every figure aggregates in SQL and returns small dataclasses.

A year's figures count each review in the village it was made in (`Review.village`), not where its household lives
now, so a household that moves later leaves every earlier year as it was. In the movement table a household that
moved between two years leaves the area it was reviewed in the year before (column 4, other decreases) and joins
the one it is reviewed in this year (column 8, other increases); inside one table, the two rows it moved between
show that, and the total (the area as a whole) sees it stay. Every row is its unit's own table's total, so a unit's
figures are the same wherever they show. The callers check that the user may see the unit (units.policy).
"""

from dataclasses import dataclass, field
from datetime import date

from django.db import connection
from django.db.models import Count, F, FilteredRelation, OuterRef, Q, Subquery, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone

from deadlines.models import ReviewPeriod
from units import selectors as unit_selectors
from units.choices import UnitKind
from units.models import Unit, natural_order

from .models import (
    FiguresYear,
    Indicator,
    PovertyCause,
    PovertyClass,
    Review,
    ReviewState,
    UnitCause,
    UnitDeprivation,
    UnitFigures,
)

CLASSES = (PovertyClass.POOR, PovertyClass.NEAR_POOR, PovertyClass.AVERAGE)
LISTED = (PovertyClass.POOR, PovertyClass.NEAR_POOR)
GROUPS = ("no_working_capacity", "meritorious_service", "ethnic_minority", "social_protection")


def _recognised(unit, year):
    """Reviews of `year` with a recognised result, counted in the unit they were made in."""
    return Review.objects.filter(year=year, village__path__startswith=unit.path).exclude(recognised_class="")


# Class, group, deprivation and cause counts -------------------------------------------------------------------


@dataclass(frozen=True)
class Tally:
    """Households and the persons in them."""

    households: int = 0
    persons: int = 0


@dataclass(frozen=True)
class ClassCounts:
    """Recognised results of a year by class."""

    poor: Tally
    near_poor: Tally
    average: Tally


def class_counts(unit, year):
    """Poor, near-poor and average households (and persons) recognised under `unit` for `year`."""
    if _from_snapshot(year):
        return _snapshot_class_counts(unit, year)
    totals = _recognised(unit, year).aggregate(
        **{
            f"{cls}_{measure}": Coalesce(aggregate, 0)
            for cls in CLASSES
            for measure, aggregate in (
                ("households", Count("pk", filter=Q(recognised_class=cls))),
                ("persons", Sum("member_count", filter=Q(recognised_class=cls))),
            )
        }
    )
    return ClassCounts(**{cls.value: Tally(totals[f"{cls}_households"], totals[f"{cls}_persons"]) for cls in CLASSES})


@dataclass(frozen=True)
class GroupCounts:
    """Households of a list (poor or near-poor) in each group the forms report."""

    no_working_capacity: int = 0
    meritorious_service: int = 0
    ethnic_minority: int = 0
    social_protection: int = 0


def group_counts(unit, year):
    """{PovertyClass.POOR: GroupCounts, PovertyClass.NEAR_POOR: GroupCounts} of the recognised results."""
    if _from_snapshot(year):
        return _snapshot_group_counts(unit, year)
    totals = _recognised(unit, year).aggregate(
        **{
            f"{cls}_{group}": Count("pk", filter=Q(recognised_class=cls, **{group: True}))
            for cls in LISTED
            for group in GROUPS
        }
    )
    return {cls: GroupCounts(**{group: totals[f"{cls}_{group}"] for group in GROUPS}) for cls in LISTED}


@dataclass(frozen=True)
class DeprivationCount:
    """Households of each list deprived on one indicator of the year's standard."""

    number: int
    name: str
    poor: int = 0
    near_poor: int = 0


_DEPRIVATION_SQL = """
SELECT i.number, i.name,
       count(r.id) FILTER (WHERE r.recognised_class = 'poor') AS poor,
       count(r.id) FILTER (WHERE r.recognised_class = 'near_poor') AS near_poor
FROM households_indicator i
LEFT JOIN (
    SELECT r.id, r.standard_id, r.recognised_class, d.number
    FROM households_review r
    JOIN units_unit v ON v.id = r.village_id AND v.path LIKE %(prefix)s
    CROSS JOIN LATERAL unnest(r.deprived) AS d(number)
    WHERE r.year = %(year)s AND r.recognised_class IN ('poor', 'near_poor')
) r ON r.standard_id = i.standard_id AND r.number = i.number
WHERE i.standard_id IN (
    SELECT id FROM households_povertystandard
    WHERE first_year <= %(year)s AND (last_year IS NULL OR last_year >= %(year)s)
)
GROUP BY i.number, i.name ORDER BY i.number
"""


def deprivation_counts(unit, year):
    """Per indicator of the standard in force for `year`: poor and near-poor households deprived on it."""
    if _from_snapshot(year):
        counts = [
            DeprivationCount(*row)
            for row in UnitDeprivation.objects.filter(year=year, unit=unit)
            .order_by("number")
            .values_list("number", "name", "poor", "near_poor")
        ]
        if counts:  # a unit without registry data has no rows: its zeros come from the live figure
            return counts
    with connection.cursor() as cursor:
        cursor.execute(_DEPRIVATION_SQL, {"year": year, "prefix": f"{unit.path}%"})
        return [DeprivationCount(*row) for row in cursor.fetchall()]


@dataclass(frozen=True)
class CauseCount:
    cause: PovertyCause
    households: int


def cause_counts(unit, year):
    """Per cause of poverty (in display order): the recognised poor households that give it."""
    if _from_snapshot(year):
        given = UnitCause.objects.filter(year=year, unit=unit, cause=OuterRef("pk")).values("households")
        causes = PovertyCause.objects.annotate(households=Coalesce(Subquery(given), 0)).order_by("order", "pk")
        return [CauseCount(cause, cause.households) for cause in causes]
    reviews = _recognised(unit, year).filter(recognised_class=PovertyClass.POOR)
    causes = PovertyCause.objects.annotate(
        households=Count("review", filter=Q(review__in=reviews.values("pk")))
    ).order_by("order", "pk")
    return [CauseCount(cause, cause.households) for cause in causes]


# The movement tables -----------------------------------------------------------------------------------------

COLUMNS = range(1, 10)
ROW_KINDS = [UnitKind.DISTRICT, UnitKind.COMMUNE, UnitKind.VILLAGE]

# One row per household of a list last year or this year in the area (the reviews' villages under `prefix`),
# labelled with its move in the poor table (pm) and in the near-poor table (nm): NULL when it does not appear
# there, 0 when it stays on the list. p_row / c_row: the row unit (the ancestor at `level`) of last year's and this
# year's review; `place_row`: the row unit where the household is this year (this year's review, finished or not,
# else where it lives), `here`: whether that is in the area (a household still here without a result is pending).
_LABELLED_SQL = """
WITH placed AS (
    SELECT r.household_id, r.year, r.recognised_class AS cls, r.member_count AS n,
           NULLIF(split_part(v.path, '/', %(level)s), '')::bigint AS row_unit
    FROM households_review r JOIN units_unit v ON v.id = r.village_id AND v.path LIKE %(prefix)s
    WHERE r.year IN (%(prev)s, %(year)s) AND r.recognised_class <> ''
      -- Only households on a list in one of the two years can reach a cell: found first through the
      -- (year, household) index, so that a province's other recognised reviews are never joined to their units.
      AND r.household_id IN (
          SELECT household_id FROM households_review
          WHERE year IN (%(prev)s, %(year)s) AND recognised_class IN ('poor', 'near_poor'))
), pairs AS (
    SELECT household_id, p.cls AS p_cls, p.n AS p_n, p.row_unit AS p_row,
           c.cls AS c_cls, c.n AS c_n, c.row_unit AS c_row
    FROM (SELECT * FROM placed WHERE year = %(prev)s) p
    FULL JOIN (SELECT * FROM placed WHERE year = %(year)s) c USING (household_id)
    WHERE p.cls IN ('poor', 'near_poor') OR c.cls IN ('poor', 'near_poor')
), labelled AS (
    SELECT pairs.household_id, p_cls, c_cls, coalesce(p_n, 0) AS p_n, coalesce(c_n, 0) AS c_n, p_row, c_row,
        h.archived_at IS NULL OR h.archived_at > make_date(%(year)s, 12, 31) AS active,
        NULLIF(split_part(coalesce(xv.path, hv.path), '/', %(level)s), '')::bigint AS place_row,
        coalesce(xv.path, hv.path) LIKE %(prefix)s AS here,
        CASE
            WHEN p_cls = 'poor' AND c_cls = 'poor' THEN 0
            WHEN p_cls = 'poor' AND c_cls IS NULL THEN 4
            WHEN p_cls = 'poor' AND c_cls = 'near_poor' THEN 2
            WHEN p_cls = 'poor' THEN 3
            WHEN c_cls IS DISTINCT FROM 'poor' THEN NULL
            WHEN p_cls IS NULL THEN 8
            WHEN p_cls = 'near_poor' THEN 5
            WHEN EXISTS (SELECT 1 FROM households_review e WHERE e.household_id = pairs.household_id
                         AND e.year < %(prev)s AND e.recognised_class = 'poor') THEN 6
            ELSE 7
        END AS pm,
        CASE
            WHEN p_cls = 'near_poor' AND c_cls = 'near_poor' THEN 0
            WHEN p_cls = 'near_poor' AND c_cls IS NULL THEN 4
            WHEN p_cls = 'near_poor' AND c_cls = 'poor' THEN 2
            WHEN p_cls = 'near_poor' THEN 3
            WHEN c_cls IS DISTINCT FROM 'near_poor' THEN NULL
            WHEN p_cls IS NULL THEN 8
            WHEN p_cls = 'poor' THEN 5
            WHEN EXISTS (SELECT 1 FROM households_review e WHERE e.household_id = pairs.household_id
                         AND e.year < %(prev)s AND e.recognised_class = 'near_poor') THEN 6
            ELSE 7
        END AS nm
    FROM pairs
    JOIN households_household h ON h.id = pairs.household_id
    JOIN units_unit hv ON hv.id = h.village_id
    LEFT JOIN households_review x ON x.household_id = pairs.household_id AND x.year = %(year)s
    LEFT JOIN units_unit xv ON xv.id = x.village_id
)
"""

# The rows: a household that moved between two rows of the table leaves the one (column 4) and joins the other
# (column 8), as each of those units' own table counts it; the total is the area's table, where it stays.
_MOVEMENT_SQL = (
    _LABELLED_SQL
    + """
, parts AS (
    SELECT coalesce(c_row, p_row) AS row_unit, p_cls, c_cls, p_n, c_n, pm, nm, active,
           place_row IS NOT DISTINCT FROM coalesce(c_row, p_row) AS here
    FROM labelled WHERE p_row IS NULL OR c_row IS NULL OR p_row = c_row
    UNION ALL
    SELECT p_row, p_cls, NULL, p_n, 0, CASE WHEN p_cls = 'poor' THEN 4 END, CASE WHEN p_cls = 'near_poor' THEN 4 END,
           active, place_row IS NOT DISTINCT FROM p_row
    FROM labelled WHERE p_row <> c_row
    UNION ALL
    SELECT c_row, NULL, c_cls, 0, c_n, CASE WHEN c_cls = 'poor' THEN 8 END, CASE WHEN c_cls = 'near_poor' THEN 8 END,
           active, place_row IS NOT DISTINCT FROM c_row
    FROM labelled WHERE p_row <> c_row
)
SELECT row_unit, {columns} FROM parts GROUP BY row_unit
UNION ALL
SELECT NULL, {columns} FROM labelled
"""
)

# Households of the registry not archived on 31 December (the denominator of the poverty rate), per row unit, each
# counted where its review of the year was made (where it lives when it has none).
_ACTIVE_SQL = """
SELECT NULLIF(split_part(v.path, '/', %(level)s), '')::bigint AS row_unit, count(*) AS households
FROM households_household h
LEFT JOIN households_review r ON r.household_id = h.id AND r.year = %(year)s
JOIN units_unit v ON v.id = coalesce(r.village_id, h.village_id) AND v.path LIKE %(prefix)s
WHERE h.archived_at IS NULL OR h.archived_at > make_date(%(year)s, 12, 31)
GROUP BY ROLLUP (row_unit)
"""

_TABLE_CLASSES = {"poor": ("poor", "pm"), "near": ("near_poor", "nm")}


def _cell(table, column):
    """The households counted in a cell of the households measure: the one rule of the table and its lists."""
    cls, move = _TABLE_CLASSES[table]
    if column == 1:
        return f"p_cls = '{cls}'"
    if column == 9:
        return f"c_cls = '{cls}'"
    return f"{move} = {int(column)}"


@dataclass(frozen=True)
class MovementCell:
    """A cell of the households measure of a movement table: its unit, table ("poor", "near") and column."""

    unit: Unit
    table: str
    column: int


def movement_cell_households(cell, year):
    """The ids of the households counted in `cell` in `year`, by the table's own statement, filtered (the cell's
    unit as the area: each row of a table is its unit's own total).

    Run on its own rather than as a subquery of the list: inside `id IN (...)` PostgreSQL may re-run the whole
    statement for every household of the area when its row estimates are off (seen on tables whose statistics
    still described a much larger registry).
    """
    with connection.cursor() as cursor:
        cursor.execute(
            _LABELLED_SQL + f"SELECT household_id FROM labelled WHERE {_cell(cell.table, cell.column)}",
            {"year": year, "prev": year - 1, "level": 1, "prefix": f"{cell.unit.path}%"},
        )
        return [household_id for (household_id,) in cursor.fetchall()]


def _columns():
    """Households and persons, columns 1-9, for the poor (pm) and near-poor (nm) tables."""
    parts = []
    for table, (_cls, move) in _TABLE_CLASSES.items():
        for col in COLUMNS:
            parts.append(f"count(*) FILTER (WHERE {_cell(table, col)}) AS {table}_h{col}")
        for col in (1, 2, 3, 5, 6, 7, 9):
            people = "p_n" if col < 5 else "c_n"
            parts.append(f"coalesce(sum({people}) FILTER (WHERE {_cell(table, col)}), 0) AS {table}_p{col}")
        # Households that stay on the list but shrink or grow count their persons as other decreases/increases.
        parts.append(
            f"coalesce(sum(p_n) FILTER (WHERE {move} = 4), 0)"
            f" + coalesce(sum(greatest(p_n - c_n, 0)) FILTER (WHERE {move} = 0), 0) AS {table}_p4"
        )
        parts.append(
            f"coalesce(sum(c_n) FILTER (WHERE {move} = 8), 0)"
            f" + coalesce(sum(greatest(c_n - p_n, 0)) FILTER (WHERE {move} = 0), 0) AS {table}_p8"
        )
    # Still in the area at the end of the year but without a recognised result: counted in column 4 for now.
    parts.append(
        "count(*) FILTER (WHERE p_cls IN ('poor', 'near_poor') AND c_cls IS NULL AND active AND here) AS pending"
    )
    return ", ".join(parts)


@dataclass
class MovementRow:
    unit: Unit | None  # None for the total row
    values: dict = field(default_factory=dict)  # e.g. values["poor"]["households"][1]
    pending: int = 0  # households on a list at the start with no recognised result for the year yet
    households: int = 0  # households of the registry in the row's area not archived on 31 December

    def get(self, table, measure, column):
        return self.values[table][measure][column]

    @property
    def rates(self):
        """% of the row's households on each list at the end of the year (column 9); None without households."""
        if not self.households:
            return dict.fromkeys(self.values, None)
        return {table: round(100 * v["households"][9] / self.households, 2) for table, v in self.values.items()}


def _empty():
    return {t: {m: dict.fromkeys(COLUMNS, 0) for m in ("households", "persons")} for t in ("poor", "near")}


def movement_table(unit, year, *, below=1, served=None):
    """The 9-column movement of poor and near-poor households (and persons) under `unit` in `year`.

    One row per sub-unit in force at the end of the year (villages for a commune; `below=2`: the units two levels
    down, a province's communes), then the total, computed by one SQL statement. Column 9 = 1 - 2 - 3 - 4 + 5 + 6
    + 7 + 8 holds by construction. A household of a list at the start that is still in the area but has no
    recognised result for the year yet (the review is not finished) counts in column 4 and in each row's `pending`,
    so that the page can say so.

    A closed year with a current snapshot is read from it (one query for the rows and the total); `served`, the
    set `served_years()` gave, spares the query that decides it.
    """
    if below == 1 and (year in served if served is not None else _from_snapshot(year)):
        return _snapshot_movement_table(unit, year)
    params = {"year": year, "prev": year - 1, "level": _row_level(unit, below), "prefix": f"{unit.path}%"}
    with connection.cursor() as cursor:
        cursor.execute(_MOVEMENT_SQL.format(columns=_columns()), params)
        names = [c.name for c in cursor.description]
        raw = [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]
        cursor.execute(_ACTIVE_SQL, params)
        active = dict(cursor.fetchall())

    def parse(record):
        values = _empty()
        for table in ("poor", "near"):
            for col in COLUMNS:
                values[table]["households"][col] = record[f"{table}_h{col}"]
                values[table]["persons"][col] = record[f"{table}_p{col}"]
        return values

    by_unit = {r["row_unit"]: (parse(r), r["pending"]) for r in raw if r["row_unit"] is not None}
    total = next(MovementRow(None, parse(r), r["pending"]) for r in raw if r["row_unit"] is None)
    total.households = active.get(None, 0)
    rows = [
        MovementRow(child, *by_unit.get(child.pk, (_empty(), 0)), households=active.get(child.pk, 0))
        for child in row_units(unit, year, below=below, with_figures=by_unit)
    ]
    return rows, total


# Closed years, read from their snapshot (households.snapshots) ----------------------------------------------


def _served():
    closed = ReviewPeriod.objects.filter(due_on__lt=timezone.localdate()).values("year")
    return FiguresYear.objects.filter(year__in=closed, stale=False, computed_at__isnull=False)


def _from_snapshot(year):
    """Whether `year`'s figures are read from its snapshot: its review period has closed and the snapshot is
    current (computed, and no recognised result of that year or an earlier one changed since)."""
    return _served().filter(year=year).exists()


def served_years():
    """Every year whose figures are read from its snapshot, by one query: a page that reads several years (the
    dashboards) decides once and passes the set as `served` to the figures it asks for."""
    return set(_served().values_list("year", flat=True))


def years_with_results(unit, years, *, served=None):
    """The years of `years` with a recognised result under `unit`. A year its snapshot serves answers from it (a
    household recognised poor, near-poor or of average living standard); the others look the reviews up.

    The snapshot spares the province a scan: the reviews lie on disk year after year, and the planner, expecting a
    match among the first rows, reads every earlier year's reviews before reaching a later year's."""
    served = (served_years() if served is None else served) & set(years)
    found = set(
        UnitFigures.objects.filter(unit=unit, year__in=served)
        .filter(Q(poor_households__gt=0) | Q(near_poor_households__gt=0) | Q(average_households__gt=0))
        .values_list("year", flat=True)
    )
    for year in set(years) - served:
        # A recognised result is only ever on a recognised or locked review: the (year, state) index finds it.
        if _recognised(unit, year).filter(state__in=(ReviewState.RECOGNISED, ReviewState.LOCKED)).exists():
            found.add(year)
    return found


def _snapshot_class_counts(unit, year):
    stored = UnitFigures.objects.filter(year=year, unit=unit).first()
    return ClassCounts(
        **{
            cls.value: Tally(
                getattr(stored, f"{cls}_households", 0) if stored else 0,
                getattr(stored, f"{cls}_persons", 0) if stored else 0,
            )
            for cls in CLASSES
        }
    )


def _snapshot_group_counts(unit, year):
    stored = UnitFigures.objects.filter(year=year, unit=unit).first()
    if stored is None:
        return {cls: GroupCounts() for cls in LISTED}
    return {cls: GroupCounts(*getattr(stored, f"groups_{cls}")) for cls in LISTED}


_SNAPSHOT_MOVES = {
    (table, measure): f"moves_{table}_{measure}" for table in ("poor", "near") for measure in ("households", "persons")
}


def _snapshot_movement_table(unit, year):
    """movement_table from the snapshot, by one query: the unit and its rows' units, each with its own total."""
    end_of_year = date(year, 12, 31)
    if unit.kind == UnitKind.VILLAGE:
        units = Unit.objects.filter(pk=unit.pk)
    else:
        in_force = Unit.objects.active_on(end_of_year).filter(parent=unit, kind__in=ROW_KINDS).values("pk")
        moved = UnitFigures.objects.filter(year=year, in_movement=True, unit__parent=unit).values("unit")
        units = Unit.objects.filter(Q(pk=unit.pk) | Q(pk__in=in_force) | Q(pk__in=moved))
    stored = [*_SNAPSHOT_MOVES.values(), "pending", "households"]
    units = (
        unit_selectors.named_as_of(units, end_of_year)
        .annotate(snapshot=FilteredRelation("figure_snapshots", condition=Q(figure_snapshots__year=year)))
        .annotate(**{f"snapshot_{name}": F(f"snapshot__{name}") for name in stored})
        .order_by("code", *natural_order())
    )

    def row(row_unit, found):
        values = _empty()
        for (table, measure), name in _SNAPSHOT_MOVES.items():
            columns = getattr(found, f"snapshot_{name}")
            if columns:
                values[table][measure] = dict(zip(COLUMNS, columns, strict=True))
        return MovementRow(row_unit, values, found.snapshot_pending or 0, found.snapshot_households or 0)

    found = list(units)
    own = next(found_unit for found_unit in found if found_unit.pk == unit.pk)
    if unit.kind == UnitKind.VILLAGE:
        return [row(unit, own)], row(None, own)
    return [row(child, child) for child in found if child.pk != unit.pk], row(None, own)


def _row_level(unit, below):
    """The part of a village's path that names its row unit `below` levels under `unit` (a village: itself)."""
    depth = unit.path.count("/")
    return depth if unit.kind == UnitKind.VILLAGE else depth + below


def row_units(unit, year, *, below=1, with_figures=()):
    """The rows of a table under `unit` for `year`: the units `below` levels down in force at the end of the year,
    and those that had ended by then but still hold figures of the year (ids in `with_figures`), with the names
    they carried that day, in code order. A village is its own row."""
    if unit.kind == UnitKind.VILLAGE:
        return [unit]
    end_of_year = date(year, 12, 31)
    in_force = (
        Unit.objects.active_on(end_of_year).filter(**{"__".join(["parent"] * below): unit}, kind__in=ROW_KINDS)
    ).values("pk")
    return list(
        unit_selectors.named_as_of(
            Unit.objects.filter(Q(pk__in=list(with_figures)) | Q(pk__in=in_force)), end_of_year
        ).order_by("code", *natural_order())
    )


# The statistic forms: one row per sub-unit and the total, each form by one statement ------------------------

# The recognised poor and near-poor reviews of the year under the area, with the row unit each is counted in.
_LISTED_SQL = """
WITH listed AS (
    SELECT r.id, r.recognised_class AS cls, r.standard_id, r.deprived,
           r.no_working_capacity, r.meritorious_service, r.ethnic_minority, r.social_protection,
           NULLIF(split_part(v.path, '/', %(level)s), '')::bigint AS row_unit
    FROM households_review r JOIN units_unit v ON v.id = r.village_id AND v.path LIKE %(prefix)s
    WHERE r.year = %(year)s AND r.recognised_class IN ('poor', 'near_poor')
)
"""

_GROUPS_SQL = (
    _LISTED_SQL
    + """
SELECT row_unit, {columns} FROM listed GROUP BY ROLLUP (row_unit)
"""
)

# The deprivations count only indicators of the standard each review was made under, of the standards in force
# for the year (as deprivation_counts does). A row of the second part with a NULL row unit is an indicator's total.
_DEPRIVATIONS_SQL = (
    _LISTED_SQL
    + """
SELECT row_unit, NULL::integer AS number,
       count(*) FILTER (WHERE cls = 'poor'), count(*) FILTER (WHERE cls = 'near_poor')
FROM listed GROUP BY ROLLUP (row_unit)
UNION ALL
SELECT row_unit, i.number, count(*) FILTER (WHERE cls = 'poor'), count(*) FILTER (WHERE cls = 'near_poor')
FROM listed CROSS JOIN LATERAL unnest(listed.deprived) AS d(number)
JOIN households_indicator i ON i.standard_id = listed.standard_id AND i.number = d.number
WHERE i.standard_id IN (
    SELECT id FROM households_povertystandard
    WHERE first_year <= %(year)s AND (last_year IS NULL OR last_year >= %(year)s)
)
GROUP BY GROUPING SETS ((row_unit, i.number), (i.number))
"""
)

_CAUSES_SQL = (
    _LISTED_SQL
    + """
SELECT row_unit, NULL::bigint AS cause, count(*) FROM listed WHERE cls = 'poor' GROUP BY ROLLUP (row_unit)
UNION ALL
SELECT row_unit, rc.povertycause_id, count(*)
FROM listed JOIN households_review_causes rc ON rc.review_id = listed.id
WHERE cls = 'poor'
GROUP BY GROUPING SETS ((row_unit, rc.povertycause_id), (rc.povertycause_id))
"""
)


@dataclass
class FormRow:
    """A row of a statistic form: its unit (None for the total), the households of each list (`households`,
    {PovertyClass: n}) and the counts the form breaks them into (`counts`, {PovertyClass: {key: n}}: a group's
    name, an indicator's number, a cause's id)."""

    unit: Unit | None
    households: dict = field(default_factory=dict)
    counts: dict = field(default_factory=dict)

    def rate(self, cls, key):
        """% of the list's households of the row counted under `key`; None when the row has none."""
        total = self.households.get(cls, 0)
        return round(100 * self.counts[cls].get(key, 0) / total, 2) if total else None


def _form_rows(unit, year, below, by_unit, empty):
    total = by_unit.pop(None, None) or empty()
    rows = []
    for child in row_units(unit, year, below=below, with_figures=by_unit):
        row = by_unit.get(child.pk) or empty()
        row.unit = child
        rows.append(row)
    return rows, total


def _run(sql, unit, year, below):
    with connection.cursor() as cursor:
        cursor.execute(sql, {"year": year, "level": _row_level(unit, below), "prefix": f"{unit.path}%"})
        return cursor.fetchall()


def group_table(unit, year, *, below=1):
    """Poor and near-poor households by group (no working capacity, meritorious service, ethnic minority, social
    protection), one row per sub-unit, and the total: (rows, total) of FormRow keyed by group name."""
    columns = ", ".join(
        [f"count(*) FILTER (WHERE cls = '{cls}')" for cls in LISTED]
        + [f"count(*) FILTER (WHERE cls = '{cls}' AND {group})" for cls in LISTED for group in GROUPS]
    )
    by_unit = {}
    for row_unit, *values in _run(_GROUPS_SQL.format(columns=columns), unit, year, below):
        households, groups = values[: len(LISTED)], iter(values[len(LISTED) :])
        by_unit[row_unit] = FormRow(
            None,
            dict(zip(LISTED, households, strict=True)),
            {cls: {group: next(groups) for group in GROUPS} for cls in LISTED},
        )
    return _form_rows(unit, year, below, by_unit, lambda: FormRow(None, dict.fromkeys(LISTED, 0), _no_counts()))


def _no_counts():
    return {cls: {} for cls in LISTED}


def indicators_for(year):
    """(number, name) of the indicators of the standards in force for `year`, by number."""
    return list(
        Indicator.objects.filter(
            Q(standard__last_year__isnull=True) | Q(standard__last_year__gte=year), standard__first_year__lte=year
        )
        .values_list("number", "name")
        .distinct()
        .order_by("number", "name")
    )


def deprivation_table(unit, year, *, below=1):
    """Poor and near-poor households deprived on each indicator of the year's standard, one row per sub-unit, and
    the total: (rows, total) of FormRow keyed by indicator number (FormRow.rate gives the share)."""
    by_unit = {}

    def row(key):
        return by_unit.setdefault(key, FormRow(None, dict.fromkeys(LISTED, 0), _no_counts()))

    totals = {}
    for row_unit, number, poor, near_poor in _run(_DEPRIVATIONS_SQL, unit, year, below):
        if number is None:
            row(row_unit).households.update({PovertyClass.POOR: poor, PovertyClass.NEAR_POOR: near_poor})
        elif row_unit is None:
            totals[number] = (poor, near_poor)
        else:
            counts = row(row_unit).counts
            counts[PovertyClass.POOR][number], counts[PovertyClass.NEAR_POOR][number] = poor, near_poor
    for number, (poor, near_poor) in totals.items():
        counts = row(None).counts
        counts[PovertyClass.POOR][number], counts[PovertyClass.NEAR_POOR][number] = poor, near_poor
    return _form_rows(unit, year, below, by_unit, lambda: FormRow(None, dict.fromkeys(LISTED, 0), _no_counts()))


def cause_table(unit, year, *, below=1):
    """Recognised poor households by cause of poverty, one row per sub-unit, and the total: (rows, total) of
    FormRow keyed by cause id (a household may give several causes)."""
    poor = PovertyClass.POOR
    by_unit = {}
    totals = {}

    def row(key):
        return by_unit.setdefault(key, FormRow(None, {poor: 0}, {poor: {}}))

    for row_unit, cause, households in _run(_CAUSES_SQL, unit, year, below):
        if cause is None:
            row(row_unit).households[poor] = households
        elif row_unit is None:
            totals[cause] = households
        else:
            row(row_unit).counts[poor][cause] = households
    row(None).counts[poor].update(totals)
    return _form_rows(unit, year, below, by_unit, lambda: FormRow(None, {poor: 0}, {poor: {}}))
