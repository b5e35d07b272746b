"""The yearly snapshot of the support ledger (models.SupportYear, UnitSupport), computed in the same run and
transaction as the registry's figures (households.snapshots.aggregate calls `aggregate`, registered from the app's
ready()): every unit's support totals of the year, given (by it and the units under it) and received (under it),
and what became in the year of the households on last year's lists, supported last year or not — the numbers
movement.selectors.ledger counts live (`live_support`, `support_outcomes`), by one INSERT … SELECT, rerunnable with
the same rows.

Support recorded for a year makes that year's snapshot stale (its totals) and the next one's (its comparison of last
year's households): `mark_stale`, in the recording transaction, under the registry's advisory locks of those years,
so an aggregation never misses a row that commits while it reads. The nightly refresh then runs those years again.
"""

from datetime import date

from django.db import connection
from django.utils import timezone

from households import snapshots as registry_snapshots
from households.models import FiguresYear

from .models import SupportKind, SupportYear, UnitSupport
from .models.ledger import JOB_KINDS
from .selectors import ledger

# The ids of a unit's path, itself last: "1/5/42/" -> {1,5,42} (as households.snapshots).
_ANCESTORS = "string_to_array(rtrim({path}, '/'), '/')::bigint[]"

_SUPPORT_SQL = f"""
INSERT INTO {UnitSupport._meta.db_table} (
    year, unit_id, given_rows, given_value, jobs_given,
    received_rows, received_value, households_supported, received_by_kind, outcomes)
WITH support AS (
    SELECT * FROM movement_support WHERE given_on BETWEEN %(year_first)s AND %(year_last)s
), given AS (
    SELECT a.unit_id, count(*) AS n, sum(s.value) AS value, count(*) FILTER (WHERE s.kind IN %(job_kinds)s) AS jobs
    FROM support s JOIN units_unit g ON g.id = s.giver_id
    CROSS JOIN LATERAL unnest({_ANCESTORS.format(path="g.path")}) AS a(unit_id)
    GROUP BY 1
), received AS (
    SELECT a.unit_id, count(*) AS n, sum(s.value) AS value, count(DISTINCT s.household_id) AS households,
           ARRAY[{{by_kind}}] AS by_kind
    FROM support s JOIN units_unit c ON c.id = s.commune_id
    CROSS JOIN LATERAL unnest({_ANCESTORS.format(path="c.path")}) AS a(unit_id)
    GROUP BY 1
), per_village AS (
    SELECT r.village_id, r.recognised_class AS cls, s.household_id IS NOT NULL AS supported, {{counts}}
    FROM households_review r
    {{joins}}
    GROUP BY 1, 2, 3
), outcomes AS (
    SELECT a.unit_id, ARRAY[{{outcomes}}] AS outcomes
    FROM per_village JOIN units_unit v ON v.id = per_village.village_id
    CROSS JOIN LATERAL unnest({_ANCESTORS.format(path="v.path")}) AS a(unit_id)
    GROUP BY 1
)
SELECT %(snapshot_year)s, u.unit_id, coalesce(given.n, 0), coalesce(given.value, 0), coalesce(given.jobs, 0),
    coalesce(received.n, 0), coalesce(received.value, 0), coalesce(received.households, 0),
    coalesce(received.by_kind, ARRAY[{{no_kinds}}]::bigint[]),
    coalesce(outcomes.outcomes, ARRAY[{{no_outcomes}}]::int[])
FROM (SELECT unit_id FROM given UNION SELECT unit_id FROM received UNION SELECT unit_id FROM outcomes) u
LEFT JOIN given USING (unit_id)
LEFT JOIN received USING (unit_id)
LEFT JOIN outcomes USING (unit_id)
"""


def _support_sql():
    by_kind = ", ".join(f"coalesce(sum(s.value) FILTER (WHERE s.kind = '{kind}'), 0)" for kind in SupportKind.values)
    outcomes = ", ".join(
        f"coalesce(sum({measure}) FILTER (WHERE cls = '{cohort}' AND {'' if supported else 'NOT '}supported), 0)::int"
        for cohort, supported, measure in ledger.OUTCOME_ORDER
    )
    return ledger.outcome_sql(
        _SUPPORT_SQL.format(
            by_kind=by_kind,
            outcomes=outcomes,
            no_kinds=", ".join(["0"] * len(SupportKind.values)),
            no_outcomes=", ".join(["0"] * len(ledger.OUTCOME_ORDER)),
            counts="{counts}",
            joins="{joins}",
        )
    )


def aggregate(year):
    """Replace `year`'s support snapshot: the totals of support given in `year`, and the outcomes in `year` of the
    households on the lists of `year - 1`. Runs inside the registry's aggregation (its transaction and its
    advisory lock on the year); returns the number of units stored."""
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {UnitSupport._meta.db_table} WHERE year = %s", [year])
        cursor.execute(
            _support_sql(),
            {
                **ledger.outcome_params(year - 1),
                "snapshot_year": year,
                "year_first": date(year, 1, 1),
                "year_last": date(year, 12, 31),
                "job_kinds": tuple(str(kind) for kind in JOB_KINDS),
            },
        )
        units = cursor.rowcount
    SupportYear.objects.update_or_create(year=year, defaults={"computed_at": timezone.now(), "stale": False})
    return units


def stale_years():
    """The years whose support snapshot went stale since it was computed, and those the registry stored without
    one (before this snapshot existed), for the nightly refresh."""
    stale = SupportYear.objects.filter(stale=True, computed_at__isnull=False).values_list("year", flat=True)
    missing = (
        FiguresYear.objects.filter(computed_at__isnull=False)
        .exclude(year__in=SupportYear.objects.values("year"))
        .values_list("year", flat=True)
    )
    return set(stale) | set(missing)


def mark_stale(*, days):
    """After support given on `days` was recorded (inside the recording transaction): the snapshots of those years
    and of the years after them are stale until computed again."""
    years = sorted({day.year for day in days} | {day.year + 1 for day in days})
    if not years:
        return
    registry_snapshots.lock_shared(years)
    SupportYear.objects.filter(year__in=years, stale=False).update(stale=True)


def register():
    registry_snapshots.follow(aggregate=aggregate, stale_years=stale_years)
