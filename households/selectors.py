"""Reads of the registry, scoped by the access policy; tables aggregate in SQL."""

from dataclasses import dataclass, field
from datetime import date

import pghistory.models
from django.core.exceptions import ValidationError
from django.db import connection
from django.db.models import (
    Case,
    Count,
    Exists,
    F,
    FilteredRelation,
    JSONField,
    Max,
    OuterRef,
    Prefetch,
    Q,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce, JSONObject, NullIf
from django.utils.translation import gettext as _

from common import history
from common.text import fold
from units import policy
from units import selectors as unit_selectors
from units.choices import UnitKind
from units.models import Unit, natural_order

from .models import Household, Member, PovertyStandard, Review, ReviewPeriod, ReviewState, ReviewTransition


def standard_for(year):
    """The poverty standard in force for a review year; a clear error when none is."""
    standard = (
        PovertyStandard.objects.filter(first_year__lte=year)
        .filter(Q(last_year__isnull=True) | Q(last_year__gte=year))
        .prefetch_related("indicators")
        .first()
    )
    if standard is None:
        raise ValidationError(
            _("No poverty standard is in force for %(year)s; reviews cannot be entered for that year.") % {"year": year}
        )
    return standard


def current_review_year(today):
    """The year of the latest review period that has opened (the year officers are working on)."""
    year = ReviewPeriod.objects.filter(opens_on__lte=today).aggregate(y=Max("year"))["y"]
    return year or today.year


def reopened_until(period, commune, today):
    return period.reopenings.filter(unit=commune, until__gte=today).aggregate(m=Max("until"))["m"]


def households_for(user):
    return policy.restrict(user, Household.objects.all(), path_field="village__path")


def villages_for(user):
    villages = policy.restrict(user, Unit.objects.filter(kind=UnitKind.VILLAGE, valid_to__isnull=True))
    return villages.select_related("parent").order_by("parent__name", *natural_order())


def communes_for(user):
    return policy.restrict(user, Unit.objects.filter(kind=UnitKind.COMMUNE, valid_to__isnull=True))


def _head_name():
    return Subquery(Member.objects.filter(household=OuterRef("pk"), relation="head").order_by().values("full_name")[:1])


def household_filter(
    user, *, year, commune=None, village=None, klass=None, state=None, query=None, include_archived=False
):
    """Households the user may see that pass the list's filters (this year's review joined as `this_year`)."""
    households = households_for(user)
    if not include_archived:
        households = households.active()
    if commune:
        households = households.filter(village__parent=commune)
    if village:
        households = households.filter(village=village)
    households = households.annotate(this_year=FilteredRelation("reviews", condition=Q(reviews__year=year)))
    if state == "none":
        households = households.filter(this_year__isnull=True)
    elif state:
        households = households.filter(this_year__state=state)
    if klass:
        households = households.filter(
            Q(this_year__recognised_class=klass)
            | Q(this_year__recognised_class="", this_year__computed_class=klass, this_year__class_override="")
            | Q(this_year__recognised_class="", this_year__class_override=klass)
        )
    if query:
        households = households.filter(_search(query))
    return households


def household_list(user, *, year, **filters):
    """Rows (dicts) of the households the user may see, with this year's review and last year's recognised
    class for comparison; every filter runs in the database. A search by name or CCCD also gives the member it
    found (`matched_member`: {"name", "relation"}). The per-household columns are subqueries, which PostgreSQL
    evaluates for the rows of a page only and which a count leaves out."""
    households = household_filter(user, year=year, **filters)
    columns = {
        "village_name": F("village__name"),
        "commune_name": F("village__parent__name"),
        "head_name": _head_name(),
        "previous_class": Subquery(
            Review.objects.filter(household=OuterRef("pk"), year=year - 1)
            .exclude(recognised_class="")
            .order_by()
            .values("recognised_class")[:1]
        ),
        "member_total": Subquery(
            Member.objects.filter(household=OuterRef("pk"))
            .order_by()
            .values("household")
            .annotate(n=Count("*"))
            .values("n")[:1]
        ),
        "review_id": F("this_year__id"),
        "review_state": F("this_year__state"),
        "review_class": Coalesce(
            NullIf(F("this_year__recognised_class"), Value("")),
            NullIf(F("this_year__class_override"), Value("")),
            F("this_year__computed_class"),
        ),
        "review_recognised": ~Q(this_year__recognised_class=""),
    }
    query = filters.get("query")
    if query and (found := _members_found(query.strip())) is not None:
        columns["matched_member"] = _matched_member(found)
    return households.annotate(**columns).values("pk", "code", "archived_at", *columns).order_by("village_id", "code")


def _is_code(text):
    return any(ch.isdigit() for ch in text) and " " not in text


def _members_found(text):
    """The members a search text finds, as a condition on Member: by CCCD (the text's digits, 9 or more) when the
    text looks like a code, else by name (accent- and case-blind, anywhere in the name); None for a code only."""
    if _is_code(text):
        digits = "".join(ch for ch in text if ch.isdigit())
        return Q(cccd__startswith=digits) if len(digits) >= 9 else None
    return Q(name_folded__contains=fold(text))


def _search(query):
    """A name (accent- and case-blind, anywhere in any member's name), or a code / CCCD when the text has digits.

    The two kinds never share one OR: that made PostgreSQL scan the whole province's names for a code.
    """
    text = query.strip()
    found = _members_found(text)
    by_member = Exists(Member.objects.filter(found, household=OuterRef("pk"))) if found is not None else None
    if _is_code(text):
        return Q(code__iexact=text) | by_member if by_member is not None else Q(code__iexact=text)
    return by_member


def _matched_member(found):
    """The household's member that the search condition `found` finds, {"name", "relation"}: the head when the head
    is one of them (the row shows the head already), else the eldest."""
    return Subquery(
        Member.objects.filter(found, household=OuterRef("pk"))
        .order_by(Case(When(relation="head", then=0), default=1), "birth_date", "pk")
        .values(found_member=JSONObject(name="full_name", relation="relation"))[:1],
        output_field=JSONField(),
    )


def household_detail(user, pk):
    members = Member.objects.order_by("-relation", "birth_date")
    reviews = (
        Review.objects.select_related("standard", "updated_by")
        .prefetch_related("causes", Prefetch("transitions", ReviewTransition.objects.select_related("by")))
        .order_by("-year")
    )
    return policy.get_or_404(
        user,
        Household.objects.select_related("village", "village__parent").prefetch_related(
            Prefetch("members", members), Prefetch("reviews", reviews)
        ),
        path_field="village__path",
        pk=pk,
    )


def review_for(user, household_pk, year):
    return policy.get_or_404(
        user,
        Review.objects.select_related(
            "household", "household__village", "household__village__parent", "standard"
        ).prefetch_related("causes", "standard__indicators"),
        path_field="household__village__path",
        household_id=household_pk,
        year=year,
    )


_HIDDEN = frozenset({"id", "version", "updated_at", "name_folded", "deprivation_count", "household", "province"})


def household_history(household, *, limit=100):
    """Who changed the household, its members or its reviews, and what, newest first."""
    models = {"households.Household": Household, "households.Member": Member, "households.Review": Review}
    events = list(
        pghistory.models.MiddlewareEvents.objects.references(household)
        .filter(pgh_obj_model__in=models)
        .order_by("-pgh_created_at")[:limit]
    )
    return history.describe(events, models, hidden=_HIDDEN)


def leader_queue(user):
    """Submitted reviews waiting for the commune leader's recognition."""
    return policy.restrict(
        user,
        Review.objects.filter(state=ReviewState.SUBMITTED)
        .select_related("household", "household__village")
        .annotate(
            head_name=Subquery(
                Member.objects.filter(household=OuterRef("household"), relation="head").values("full_name")[:1]
            )
        ),
        path_field="household__village__path",
        action="recognise",
    ).order_by(*natural_order("household__village__name"), "household__code")


def work_counts(user, *, year):
    """Reviews of `year` waiting for this user: drafts and returned ones to (re)submit, submitted to recognise."""
    counts = {}
    for action, states in (
        ("edit_registry", [ReviewState.DRAFT, ReviewState.RETURNED]),
        ("recognise", [ReviewState.SUBMITTED]),
    ):
        if not policy.can_anywhere(user, action):
            continue
        reviews = policy.restrict(
            user,
            Review.objects.filter(year=year, state__in=states),
            path_field="household__village__path",
            action=action,
        )
        counts.update(reviews.aggregate(**{state.value: Count("pk", filter=Q(state=state)) for state in states}))
    return counts


_PROGRESS_STATES = [
    ReviewState.DRAFT,
    ReviewState.SUBMITTED,
    ReviewState.RETURNED,
    ReviewState.RECOGNISED,
    ReviewState.LOCKED,
]


def _progress_counts():
    return {
        "households": Count("pk"),
        "not_started": Count("pk", filter=Q(this_year__isnull=True)),
        "with_result": Count("pk", filter=Q(this_year__recognised_class__gt="")),
        **{state.value: Count("pk", filter=Q(this_year__state=state)) for state in _PROGRESS_STATES},
    }


def progress_totals(user, *, year):
    """Households in the user's scope and where their review of `year` stands (one query)."""
    return (
        households_for(user)
        .active()
        .annotate(this_year=FilteredRelation("reviews", condition=Q(reviews__year=year)))
        .aggregate(**_progress_counts())
    )


def review_progress(user, *, year, unit):
    """Per commune under `unit`: households to review, drafts, submitted, returned, recognised (one query)."""
    rows = (
        households_for(user)
        .active()
        .filter(village__path__startswith=unit.path)
        .annotate(this_year=FilteredRelation("reviews", condition=Q(reviews__year=year)))
        .values("village__parent")
        .annotate(**_progress_counts())
        .order_by()
    )
    by_commune = {row["village__parent"]: row for row in rows}
    communes = unit_selectors.named_as_of(Unit.objects.filter(pk__in=by_commune), date(year, 12, 31)).order_by(
        "parent__code", "code"
    )
    return [(commune, by_commune[commune.pk]) for commune in communes]


# The movement tables ---------------------------------------------------------------------------------------

COLUMNS = range(1, 10)
_ROW_KINDS = [UnitKind.DISTRICT, UnitKind.COMMUNE, UnitKind.VILLAGE]

_MOVEMENT_SQL = """
WITH relevant AS (
    SELECT DISTINCT household_id FROM households_review
    WHERE year IN (%(prev)s, %(year)s) AND recognised_class IN ('poor', 'near_poor')
), pairs AS (
    SELECT NULLIF(split_part(v.path, '/', %(level)s), '')::bigint AS row_unit, r.household_id,
           p.recognised_class AS p_cls, p.member_count AS p_n, c.recognised_class AS c_cls, c.member_count AS c_n,
           h.archived_at IS NULL OR h.archived_at > make_date(%(year)s, 12, 31) AS active
    FROM relevant r
    JOIN households_household h ON h.id = r.household_id
    JOIN units_unit v ON v.id = h.village_id AND v.path LIKE %(prefix)s
    LEFT JOIN households_review p ON p.household_id = r.household_id AND p.year = %(prev)s AND p.recognised_class <> ''
    LEFT JOIN households_review c ON c.household_id = r.household_id AND c.year = %(year)s AND c.recognised_class <> ''
), labelled AS (
    SELECT row_unit, p_cls, c_cls, coalesce(p_n, 0) AS p_n, coalesce(c_n, 0) AS c_n, active,
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
)
SELECT row_unit, {columns}
FROM labelled GROUP BY ROLLUP (row_unit)
"""


def _columns():
    """Households and persons, columns 1-9, for the poor (pm) and near-poor (nm) tables."""
    parts = []
    for table, cls, move in (("poor", "poor", "pm"), ("near", "near_poor", "nm")):
        parts.append(f"count(*) FILTER (WHERE p_cls = '{cls}') AS {table}_h1")
        parts.append(f"coalesce(sum(p_n) FILTER (WHERE p_cls = '{cls}'), 0) AS {table}_p1")
        for col in (2, 3, 5, 6, 7):
            people = "p_n" if col < 5 else "c_n"
            parts.append(f"count(*) FILTER (WHERE {move} = {col}) AS {table}_h{col}")
            parts.append(f"coalesce(sum({people}) FILTER (WHERE {move} = {col}), 0) AS {table}_p{col}")
        # Households that stay on the list but shrink or grow count their persons as other decreases/increases.
        parts.append(f"count(*) FILTER (WHERE {move} = 4) AS {table}_h4")
        parts.append(
            f"coalesce(sum(p_n) FILTER (WHERE {move} = 4), 0)"
            f" + coalesce(sum(greatest(p_n - c_n, 0)) FILTER (WHERE {move} = 0), 0) AS {table}_p4"
        )
        parts.append(f"count(*) FILTER (WHERE {move} = 8) AS {table}_h8")
        parts.append(
            f"coalesce(sum(c_n) FILTER (WHERE {move} = 8), 0)"
            f" + coalesce(sum(greatest(c_n - p_n, 0)) FILTER (WHERE {move} = 0), 0) AS {table}_p8"
        )
        parts.append(f"count(*) FILTER (WHERE c_cls = '{cls}') AS {table}_h9")
        parts.append(f"coalesce(sum(c_n) FILTER (WHERE c_cls = '{cls}'), 0) AS {table}_p9")
    # Still in the area at the end of the year but without a recognised result: counted in column 4 for now.
    parts.append("count(*) FILTER (WHERE p_cls IN ('poor', 'near_poor') AND c_cls IS NULL AND active) AS pending")
    return ", ".join(parts)


@dataclass
class MovementRow:
    unit: Unit | None  # None for the total row
    values: dict = field(default_factory=dict)  # e.g. values["poor"]["households"][1]
    pending: int = 0  # households on a list at the start with no recognised result for the year yet

    def get(self, table, measure, column):
        return self.values[table][measure][column]


def _empty():
    return {t: {m: dict.fromkeys(COLUMNS, 0) for m in ("households", "persons")} for t in ("poor", "near")}


def movement_table(unit, year):
    """The 9-column movement of poor and near-poor households (and persons) under `unit` in `year`.

    One row per sub-unit in force at the end of the year (villages for a commune), then the total, computed by
    one SQL statement with ROLLUP. Column 9 = 1 - 2 - 3 - 4 + 5 + 6 + 7 + 8 holds by construction. A household
    of a list at the start that is still in the area but has no recognised result for the year yet (the review
    is not finished) counts in column 4 and in each row's `pending`, so that the page can say so.
    """
    depth = unit.path.count("/")
    level = depth if unit.kind == UnitKind.VILLAGE else depth + 1
    sql = _MOVEMENT_SQL.format(columns=_columns())
    with connection.cursor() as cursor:
        cursor.execute(sql, {"year": year, "prev": year - 1, "level": level, "prefix": f"{unit.path}%"})
        names = [c.name for c in cursor.description]
        raw = [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]

    def parse(record):
        values = _empty()
        for table in ("poor", "near"):
            for col in COLUMNS:
                values[table]["households"][col] = record[f"{table}_h{col}"]
                values[table]["persons"][col] = record[f"{table}_p{col}"]
        return values

    by_unit = {r["row_unit"]: (parse(r), r["pending"]) for r in raw if r["row_unit"] is not None}
    total = next((MovementRow(None, parse(r), r["pending"]) for r in raw if r["row_unit"] is None), None)
    end_of_year = date(year, 12, 31)
    if unit.kind == UnitKind.VILLAGE:
        children = [unit]
    else:
        in_force = Unit.objects.active_on(end_of_year).filter(parent=unit, kind__in=_ROW_KINDS).values("pk")
        children = list(
            unit_selectors.named_as_of(
                Unit.objects.filter(Q(pk__in=by_unit) | Q(pk__in=in_force)), end_of_year
            ).order_by("code", *natural_order())
        )
    rows = [MovementRow(child, *by_unit.get(child.pk, (_empty(), 0))) for child in children]
    return rows, total or MovementRow(None, _empty())
