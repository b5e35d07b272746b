"""Yearly snapshots of the registry's figures: every unit's class, group, deprivation and cause counts and its own
movement table's total for a year, computed set-wise in SQL and stored (models.FiguresYear, UnitFigures,
UnitDeprivation, UnitCause), so that a closed year's figures are read rather than recomputed (households.figures).

`aggregate(year)` computes one year for every unit with registry data under it: the additive figures per village,
rolled up the tree by the units' paths; the movement per household, expanded to every unit above the villages of
its two reviews, so that each unit sees exactly what its own movement table sees (a household that moved between
two communes of a district leaves the one and joins the other, and stays in the district). It replaces the year's
rows in one transaction and is rerunnable: the same data gives the same rows.

Apps above the registry add snapshots of their own to the same run (the movement's support totals): each registers
from its AppConfig.ready() (`follow`) a function that stores its year, called inside the aggregation's transaction
and lock, and one that names its years gone stale, which the nightly refresh computes again.

A snapshot goes stale when a recognised result of its year or an earlier one changes (recognition is the one write
that sets them: `mark_stale`), and is then not read until it is computed again. The aggregation takes an
exclusive advisory lock on its year and every such write a shared one on each year it changes, so an aggregation
never misses a write that commits while it reads. What it does not follow: households registered, archived or
moved after the aggregation (the denominator of the rates and the pending count); a snapshot keeps the year as it
was when it was computed.
"""

import time
from collections.abc import Callable
from dataclasses import dataclass

from django.db import connection, transaction
from django.utils import timezone

from . import figures
from .models import FiguresYear

LOCK = 0x5A47  # the first key of the advisory locks of snapshots (the second is the year)

# The ids of a village's path, itself last: "1/5/42/" -> {1,5,42}.
_ANCESTORS = "string_to_array(rtrim({path}, '/'), '/')::bigint[]"

# Class, group and household counts of every unit: per village, then summed over each unit's villages.
_FIGURES_SQL = f"""
CREATE TEMP TABLE snapshot_figures ON COMMIT DROP AS
WITH reviewed AS (
    SELECT village_id,
        {{classes}},
        {{groups}}
    FROM households_review WHERE year = %(year)s AND recognised_class <> ''
    GROUP BY village_id
), active AS (
    SELECT coalesce(r.village_id, h.village_id) AS village_id, count(*) AS households
    FROM households_household h
    LEFT JOIN households_review r ON r.household_id = h.id AND r.year = %(year)s
    WHERE h.archived_at IS NULL OR h.archived_at > make_date(%(year)s, 12, 31)
    GROUP BY 1
)
SELECT a.unit_id, {{sums}}, sum(coalesce(households, 0))::int AS households
FROM reviewed FULL JOIN active USING (village_id)
JOIN units_unit v ON v.id = village_id
CROSS JOIN LATERAL unnest({_ANCESTORS.format(path="v.path")}) AS a(unit_id)
GROUP BY a.unit_id
"""

_CLASS_COLUMNS = [f"{cls}_{measure}" for cls in figures.CLASSES for measure in ("households", "persons")]
_GROUP_COLUMNS = [f"{cls}_{group}" for cls in figures.LISTED for group in figures.GROUPS]


def _figures_sql():
    classes = ",\n        ".join(
        f"count(*) FILTER (WHERE recognised_class = '{cls}') AS {cls}_households, "
        f"coalesce(sum(member_count) FILTER (WHERE recognised_class = '{cls}'), 0) AS {cls}_persons"
        for cls in figures.CLASSES
    )
    groups = ",\n        ".join(
        f"count(*) FILTER (WHERE recognised_class = '{cls}' AND {group}) AS {cls}_{group}"
        for cls in figures.LISTED
        for group in figures.GROUPS
    )
    sums = ", ".join(f"sum(coalesce({name}, 0))::int AS {name}" for name in _CLASS_COLUMNS + _GROUP_COLUMNS)
    return _FIGURES_SQL.format(classes=classes, groups=groups, sums=sums)


def _move(cls, other, earlier):
    """A household's column in the table of `cls` (NULL: not in it, 0: stays), as figures._LABELLED_SQL has it."""
    return f"""CASE
            WHEN p_cls = '{cls}' AND c_cls = '{cls}' THEN 0
            WHEN p_cls = '{cls}' AND c_cls IS NULL THEN 4
            WHEN p_cls = '{cls}' AND c_cls = '{other}' THEN 2
            WHEN p_cls = '{cls}' THEN 3
            WHEN c_cls IS DISTINCT FROM '{cls}' THEN NULL
            WHEN p_cls IS NULL THEN 8
            WHEN p_cls = '{other}' THEN 5
            WHEN {earlier} THEN 6
            ELSE 7
        END"""


def _earlier(cls):
    """Whether the household was on the list `cls` before last year: asked only where column 6 or 7 is at stake."""
    return f"""CASE WHEN g_c_cls = '{cls}' AND g_p_cls IN ('average', 'none') THEN EXISTS (
            SELECT 1 FROM households_review e WHERE e.household_id = pairs.household_id
            AND e.year < %(prev)s AND e.recognised_class = '{cls}') END"""


# The movement of every unit. Each household on a list in one of the two years, with the ancestors of its two
# reviews' villages (p_anc, c_anc) and of where it is this year (place_anc), is expanded to every unit in p_anc or
# c_anc: there, its review of a year counts only if that review's village is under the unit, exactly as the
# unit's own movement table restricts its reviews to its area. `in_movement`: the unit is a row of its parent's
# table (some household of the parent's table has a review under it), which keeps a row for a unit no longer in
# force. The columns are figures' own expressions.
_MOVEMENT_SQL = f"""
CREATE TEMP TABLE snapshot_movement ON COMMIT DROP AS
WITH placed AS (
    SELECT r.household_id, r.year, r.recognised_class AS cls, r.member_count AS n,
           {_ANCESTORS.format(path="v.path")} AS anc
    FROM households_review r JOIN units_unit v ON v.id = r.village_id
    WHERE r.year IN (%(prev)s, %(year)s) AND r.recognised_class <> ''
      AND r.household_id IN (
          SELECT household_id FROM households_review
          WHERE year IN (%(prev)s, %(year)s) AND recognised_class IN ('poor', 'near_poor'))
), pairs AS (
    SELECT household_id, p.cls AS g_p_cls, p.n AS g_p_n, p.anc AS p_anc, c.cls AS g_c_cls, c.n AS g_c_n, c.anc AS c_anc
    FROM (SELECT * FROM placed WHERE year = %(prev)s) p
    FULL JOIN (SELECT * FROM placed WHERE year = %(year)s) c USING (household_id)
), located AS (
    SELECT pairs.*,
        h.archived_at IS NULL OR h.archived_at > make_date(%(year)s, 12, 31) AS active,
        {_ANCESTORS.format(path="coalesce(xv.path, hv.path)")} AS place_anc,
        {_earlier("poor")} AS was_poor,
        {_earlier("near_poor")} AS was_near_poor
    FROM pairs
    JOIN households_household h ON h.id = pairs.household_id
    JOIN units_unit hv ON hv.id = h.village_id
    LEFT JOIN households_review x ON x.household_id = pairs.household_id AND x.year = %(year)s
    LEFT JOIN units_unit xv ON xv.id = x.village_id
), scoped AS (
    SELECT u.unit_id, active,
        CASE WHEN u.unit_id = ANY(p_anc) THEN g_p_cls END AS p_cls,
        CASE WHEN u.unit_id = ANY(c_anc) THEN g_c_cls END AS c_cls,
        CASE WHEN u.unit_id = ANY(p_anc) THEN g_p_n ELSE 0 END AS p_n,
        CASE WHEN u.unit_id = ANY(c_anc) THEN g_c_n ELSE 0 END AS c_n,
        u.unit_id = ANY(place_anc) AS here,
        (u.parent_id = ANY(p_anc) AND g_p_cls IN ('poor', 'near_poor'))
            OR (u.parent_id = ANY(c_anc) AND g_c_cls IN ('poor', 'near_poor')) AS listed_in_parent,
        was_poor, was_near_poor
    FROM located
    CROSS JOIN LATERAL (
        SELECT p_anc[i] AS unit_id, p_anc[i - 1] AS parent_id FROM generate_subscripts(p_anc, 1) AS i
        UNION
        SELECT c_anc[i], c_anc[i - 1] FROM generate_subscripts(c_anc, 1) AS i
    ) u
), labelled AS (
    SELECT *, {_move("poor", "near_poor", "was_poor")} AS pm, {_move("near_poor", "poor", "was_near_poor")} AS nm
    FROM scoped
)
SELECT unit_id, coalesce(bool_or(listed_in_parent), false) AS in_movement, {{columns}}
FROM labelled GROUP BY unit_id
"""


def _movement_array(table, measure):
    letter = measure[0]
    return "ARRAY[" + ", ".join(f"coalesce(m.{table}_{letter}{col}, 0)" for col in figures.COLUMNS) + "]"


_INSERT_FIGURES_SQL = """
INSERT INTO households_unitfigures (
    year, unit_id, in_movement, {class_columns}, groups_poor, groups_near_poor,
    moves_poor_households, moves_poor_persons, moves_near_households, moves_near_persons, pending, households)
SELECT %(year)s, coalesce(f.unit_id, m.unit_id), coalesce(m.in_movement, false),
    {class_values},
    ARRAY[{groups_poor}], ARRAY[{groups_near_poor}],
    {moves_poor_households}, {moves_poor_persons}, {moves_near_households}, {moves_near_persons},
    coalesce(m.pending, 0), coalesce(f.households, 0)
FROM snapshot_figures f FULL JOIN snapshot_movement m USING (unit_id)
"""


def _insert_figures_sql():
    return _INSERT_FIGURES_SQL.format(
        class_columns=", ".join(_CLASS_COLUMNS),
        class_values=", ".join(f"coalesce(f.{name}, 0)" for name in _CLASS_COLUMNS),
        groups_poor=", ".join(f"coalesce(f.poor_{group}, 0)" for group in figures.GROUPS),
        groups_near_poor=", ".join(f"coalesce(f.near_poor_{group}, 0)" for group in figures.GROUPS),
        **{
            f"moves_{table}_{measure}": _movement_array(table, measure)
            for table in ("poor", "near")
            for measure in ("households", "persons")
        },
    )


# Every indicator of the year's standard for every unit of the snapshot, zeros included (as the live figure).
_DEPRIVATION_SQL = f"""
INSERT INTO households_unitdeprivation (year, unit_id, number, name, poor, near_poor)
WITH standard AS (
    SELECT id FROM households_povertystandard
    WHERE first_year <= %(year)s AND (last_year IS NULL OR last_year >= %(year)s)
), per_village AS (
    SELECT r.village_id, d.number,
           count(*) FILTER (WHERE r.recognised_class = 'poor') AS poor,
           count(*) FILTER (WHERE r.recognised_class = 'near_poor') AS near_poor
    FROM households_review r CROSS JOIN LATERAL unnest(r.deprived) AS d(number)
    WHERE r.year = %(year)s AND r.recognised_class IN ('poor', 'near_poor')
      AND r.standard_id IN (SELECT id FROM standard)
    GROUP BY 1, 2
), rolled AS (
    SELECT a.unit_id, number, sum(poor)::int AS poor, sum(near_poor)::int AS near_poor
    FROM per_village JOIN units_unit v ON v.id = village_id
    CROSS JOIN LATERAL unnest({_ANCESTORS.format(path="v.path")}) AS a(unit_id)
    GROUP BY 1, 2
)
SELECT %(year)s, f.unit_id, i.number, i.name, coalesce(rolled.poor, 0), coalesce(rolled.near_poor, 0)
FROM households_unitfigures f
CROSS JOIN households_indicator i
LEFT JOIN rolled ON rolled.unit_id = f.unit_id AND rolled.number = i.number
WHERE f.year = %(year)s AND i.standard_id IN (SELECT id FROM standard)
"""

_CAUSE_SQL = f"""
INSERT INTO households_unitcause (year, unit_id, cause_id, households)
SELECT %(year)s, a.unit_id, per_village.cause_id, sum(n)::int
FROM (
    SELECT r.village_id, c.povertycause_id AS cause_id, count(*) AS n
    FROM households_review r JOIN households_review_causes c ON c.review_id = r.id
    WHERE r.year = %(year)s AND r.recognised_class = 'poor'
    GROUP BY 1, 2
) per_village
JOIN units_unit v ON v.id = per_village.village_id
CROSS JOIN LATERAL unnest({_ANCESTORS.format(path="v.path")}) AS a(unit_id)
GROUP BY a.unit_id, per_village.cause_id
"""


@dataclass(frozen=True)
class Follower:
    aggregate: Callable  # aggregate(year): store the app's snapshot of `year` (inside the run's transaction)
    stale_years: Callable  # stale_years() -> the years whose snapshot of that app must be computed again


_FOLLOWERS = []


def follow(*, aggregate, stale_years):
    """Have an app above the registry store its own snapshot of each year this module aggregates."""
    _FOLLOWERS.append(Follower(aggregate, stale_years))


def followers_stale_years():
    return set().union(*(follower.stale_years() for follower in _FOLLOWERS))


def lock_shared(years):
    """Inside a writing transaction: wait for an aggregation of any of `years` to finish, and hold back new ones
    until this transaction ends (writes never wait for one another)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock_shared(%s, y) FROM unnest(%s::int[]) AS y", [LOCK, list(years)])


def aggregate(year):
    """Compute every unit's figures of `year` and replace the year's snapshot with them, and the followers'
    snapshots of the year, in one transaction; returns the year's FiguresYear (when it ran, how long it took, how
    many units)."""
    started = time.perf_counter()
    params = {"year": year, "prev": year - 1}
    with transaction.atomic(), connection.cursor() as cursor:
        # Waits for writes that changed this year's figures to commit, and holds back new ones until done.
        cursor.execute("SELECT pg_advisory_xact_lock(%s, %s)", [LOCK, year])
        for table in ("unitcause", "unitdeprivation", "unitfigures"):
            cursor.execute(f"DELETE FROM households_{table} WHERE year = %s", [year])
        cursor.execute(_figures_sql(), params)
        cursor.execute(_MOVEMENT_SQL.format(columns=figures._columns()), params)
        cursor.execute(_insert_figures_sql(), params)
        units = cursor.rowcount
        cursor.execute(_DEPRIVATION_SQL, params)
        cursor.execute(_CAUSE_SQL, params)
        cursor.execute("DROP TABLE snapshot_figures, snapshot_movement")
        for follower in _FOLLOWERS:
            follower.aggregate(year)
        snapshot, _created = FiguresYear.objects.update_or_create(
            year=year,
            defaults={
                "computed_at": timezone.now(),
                "seconds": round(time.perf_counter() - started, 3),
                "units": units,
                "stale": False,
            },
        )
    return snapshot


def mark_stale(*, reviews):
    """After the reviews with the ids `reviews` got their recognised results (inside the writing transaction): the
    snapshots of their years and of every later one (whose movement starts from them) are stale until computed
    again."""
    if not reviews:
        return
    with connection.cursor() as cursor:
        # Shared locks on each year from theirs to this one: writes never wait for one another, only for an
        # aggregation of one of those years (which then waits for this write to commit, and reads it).
        cursor.execute(
            """
            SELECT s.first FROM (
                SELECT min(year) AS first, max(year) AS last FROM households_review WHERE id = ANY(%s)
            ) s
            CROSS JOIN LATERAL (
                SELECT pg_advisory_xact_lock_shared(%s, y) FROM generate_series(s.first, greatest(s.last, %s)) AS y
            ) locked
            """,
            [list(reviews), LOCK, timezone.localdate().year],
        )
        first = cursor.fetchone()[0]
    FiguresYear.objects.filter(year__gte=first, stale=False).update(stale=True)
