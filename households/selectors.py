"""Reads of the registry, scoped by the access policy; tables aggregate in SQL."""

from dataclasses import dataclass
from datetime import date

import pghistory.models
from django.core.exceptions import ValidationError
from django.db.models import (
    BigIntegerField,
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
from django.db.models.functions import Cast, Coalesce, JSONObject, NullIf, Substr
from django.urls import reverse
from django.utils.translation import gettext as _

from common import history
from common.text import fold
from deadlines.models import ReviewPeriod
from units import policy
from units import selectors as unit_selectors
from units.choices import UnitKind
from units.models import Unit, natural_order
from units.roles import Action

from . import codes, figures, privacy, rules
from .models import (
    HEAD_FIRST,
    ClassChange,
    FiguresYear,
    Household,
    Member,
    PovertyClass,
    PovertyStandard,
    Review,
    ReviewState,
    ReviewTransition,
)


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


def people_for(user):
    """Households the user may open: their members' names and reviews are personal data (VIEW_PEOPLE)."""
    return policy.restrict(user, Household.objects.all(), action=Action.VIEW_PEOPLE)


def villages_for(user):
    villages = policy.restrict(user, Unit.objects.current().filter(kind=UnitKind.VILLAGE))
    return villages.select_related("parent").order_by("parent__name", *natural_order())


def communes_for(user):
    return policy.restrict(user, Unit.objects.current().filter(kind=UnitKind.COMMUNE))


def next_household_code(commune):
    """The code to suggest for a new household of `commune`: its highest number in its own numbering, plus one
    (one indexed query; codes of other numberings are ignored). '' for a commune without a GSO code."""
    code_format = codes.CodeFormat.of(commune.code)
    if code_format is None:
        return ""
    highest = (
        Household.objects.filter(
            province_id=int(commune.path.split("/", 1)[0]),
            code__startswith=code_format.prefix,
            code__regex=code_format.regex,
        )
        .order_by()
        .aggregate(n=Max(Cast(Substr("code", len(code_format.prefix) + 1), BigIntegerField())))["n"]
    )
    return code_format.code((highest or 0) + 1)


def new_household_code(user):
    """The code to suggest on the "new household" form: the next free one of the user's commune when every village
    they may register in is in one commune; '' when they must first choose the village (of one of several)."""
    communes = list(villages_for(user).order_by().values_list("parent", flat=True).distinct()[:2])
    if len(communes) != 1:
        return ""
    return next_household_code(Unit.objects.get(pk=communes[0]))


def _head_name():
    return Subquery(Member.objects.filter(household=OuterRef("pk"), relation="head").order_by().values("full_name")[:1])


def household_filter(
    user,
    *,
    year,
    commune=None,
    village=None,
    klass=None,
    state=None,
    query=None,
    include_archived=False,
    movement=None,
):
    """Households the user may open that pass the list's filters (this year's review joined as `this_year`);
    `movement` (a MovementCell) keeps those counted in that cell of the year's movement table."""
    households = people_for(user)
    if movement:
        households = households.filter(pk__in=figures.movement_cell_households(movement, year))
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
    """Whether a search text is a registry code or a CCCD (as the member form reads one: full-width digits,
    spaces or dots) rather than a name."""
    return any(ch.isdigit() for ch in text) and (" " not in text or rules.clean_cccd(text).isdigit())


def _members_found(text):
    """The members a search text finds, as a condition on Member: by CCCD (the text's digits, 9 or more) when the
    text looks like a code, else by name (accent- and case-blind, anywhere in the name); None for a code only."""
    if _is_code(text):
        digits = "".join(ch for ch in rules.clean_cccd(text) if ch.isascii() and ch.isdigit())
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
        by_code = Q(code=codes.normalise(text))  # codes are stored in their written form: the unique index serves
        return by_code | by_member if by_member is not None else by_code
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
    """One household the user may open; its members carry `shows_identity` (see households.privacy)."""
    members = Member.objects.annotate(shows_identity=privacy.identity_shown(user, Member)).order_by(
        HEAD_FIRST, "birth_date", "pk"
    )
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
        action=Action.VIEW_PEOPLE,
        pk=pk,
    )


def review_for(user, household_pk, year):
    return policy.get_or_404(
        user,
        Review.objects.select_related(
            "household", "household__village", "household__village__parent", "standard"
        ).prefetch_related("causes", "standard__indicators"),
        action=Action.VIEW_PEOPLE,
        household_id=household_pk,
        year=year,
    )


_HIDDEN = frozenset({"id", "version", "updated_at", "name_folded", "deprivation_count", "household", "province"})


def household_history(user, household, *, limit=100):
    """Who changed the household, its members or its reviews, and what, newest first; IDs and dates of birth
    masked for a reader without identity rights."""
    models = {"households.Household": Household, "households.Member": Member, "households.Review": Review}
    events = list(
        pghistory.models.MiddlewareEvents.objects.references(household)
        .filter(pgh_obj_model__in=models)
        .order_by("-pgh_created_at")[:limit]
    )
    masks = {} if privacy.shows_identity(user, household.village) else privacy.MASKS
    return history.describe(events, models, hidden=_HIDDEN, masks=masks)


def _queue_change():
    """ClassChange of a review: its proposed class against last year's recognised class (both annotated)."""
    return Case(
        When(previous_class=F("proposed"), then=Value(ClassChange.SAME)),
        When(proposed=PovertyClass.POOR, then=Value(ClassChange.NEWLY_POOR)),
        When(previous_class=PovertyClass.POOR, then=Value(ClassChange.LEFT_POVERTY)),
        When(previous_class__isnull=True, then=Value(ClassChange.FIRST)),
        default=Value(ClassChange.OTHER),
    )


def leader_queue(user, *, village=None, klass=None, change=None):
    """Submitted reviews waiting for the commune leader's recognition, each with the class it proposes, last
    year's recognised class (`previous_class`, None without one) and how they differ (`change`, a ClassChange).

    Filters: a village, a proposed class, a change ("changed": any ClassChange but SAME); all in SQL.
    """
    last_year = (
        Review.objects.filter(household=OuterRef("household"), year=OuterRef("year") - 1)
        .exclude(recognised_class="")
        .values("recognised_class")[:1]
    )
    reviews = policy.restrict(
        user,
        Review.objects.filter(state=ReviewState.SUBMITTED)
        .select_related("household", "household__village")
        .annotate(
            head_name=Subquery(
                Member.objects.filter(household=OuterRef("household"), relation="head").values("full_name")[:1]
            ),
            proposed=Coalesce(NullIf(F("class_override"), Value("")), F("computed_class")),
            previous_class=Subquery(last_year),
        )
        .annotate(change=_queue_change()),
        action=Action.RECOGNISE,
    )
    if village:
        reviews = reviews.filter(household__village=village)
    if klass:
        reviews = reviews.filter(proposed=klass)
    if change == "changed":
        reviews = reviews.exclude(change=ClassChange.SAME)
    elif change:
        reviews = reviews.filter(change=change)
    return reviews.order_by(*natural_order("household__village__name"), "household__code", "year")


def queue_summary(reviews):
    """How many of `reviews` (from leader_queue) there are and how many change class from last year."""
    return reviews.aggregate(
        total=Count("pk"),
        changed=Count("pk", filter=Q(change__in=[ClassChange.NEWLY_POOR, ClassChange.LEFT_POVERTY, ClassChange.OTHER])),
        **{kind.value: Count("pk", filter=Q(change=kind)) for kind in ClassChange},
    )


def previous_recognised_class(review):
    """The class recognised for the review's household the year before (None without one)."""
    earlier = Review.objects.filter(household_id=review.household_id, year=review.year - 1).exclude(recognised_class="")
    return earlier.values_list("recognised_class", flat=True).first()


def next_in_queue(user, review):
    """The address of the review after `review` in the user's queue (the first one after the last), or None."""
    queue = list(leader_queue(user).values_list("pk", "household_id", "year"))
    position = next((i for i, (pk, _h, _y) in enumerate(queue) if pk == review.pk), None)
    if position is not None:
        queue = queue[position + 1 :] + queue[:position]
    if not queue:
        return None
    _pk, household_id, year = queue[0]
    return reverse("households:review", args=[household_id, year])


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


def _placed_for(user, year):
    """Active households with their review of `year` (`this_year`), each in the village it counts in for that year
    (`place_path`, `place_commune`): its review's (households.figures), else where it lives; scoped there."""
    households = (
        Household.objects.active()
        .annotate(this_year=FilteredRelation("reviews", condition=Q(reviews__year=year)))
        .annotate(
            place_path=Coalesce(F("this_year__village__path"), F("village__path")),
            place_commune=Coalesce(F("this_year__village__parent"), F("village__parent")),
        )
    )
    return policy.restrict(user, households, path_field="place_path")


def progress_totals(user, *, year):
    """Households in the user's scope and where their review of `year` stands (one query)."""
    return _placed_for(user, year).aggregate(**_progress_counts())


PROGRESS_SORTS = ("name", "done", "waiting")
_COUNT_KEYS = ("households", "not_started", "with_result", *(state.value for state in _PROGRESS_STATES))


def _progress_figures(counts):
    """Counts with `waiting` (households without a recognised result) and `done` (% with one; None for none)."""
    figures = {key: counts.get(key, 0) for key in _COUNT_KEYS}
    figures["waiting"] = figures["households"] - figures["with_result"]
    households = figures["households"]
    figures["done"] = round(100 * figures["with_result"] / households, 1) if households else None
    return figures


def _summed(rows):
    return _progress_figures({key: sum(counts[key] for _unit, counts in rows) for key in _COUNT_KEYS})


def _progress_key(sort):
    """Sort key of (unit, figures): by name, by % complete (least complete first), by households waiting (most
    first); the name breaks ties."""

    def name(item):
        return fold(item[0].name_then) if item[0] is not None else ""

    if sort == "done":
        return lambda item: (item[1]["done"] if item[1]["done"] is not None else 101, name(item))
    if sort == "waiting":
        return lambda item: (-item[1]["waiting"], name(item))
    return name


@dataclass
class ProgressGroup:
    unit: Unit | None  # the district; None for communes directly under the province (after 07/2025)
    rows: list  # [(commune, figures)]
    subtotal: dict


@dataclass
class ProgressTable:
    groups: list
    total: dict


def review_progress(user, *, year, unit, sort="name"):
    """Communes under `unit` grouped by district, each with households to review, drafts, submitted, returned,
    recognised, waiting and % complete (one grouped query); district subtotals and the total add them up."""
    rows = (
        _placed_for(user, year)
        .filter(place_path__startswith=unit.path)
        .values("place_commune")
        .annotate(**_progress_counts())
        .order_by()
    )
    by_commune = {row["place_commune"]: row for row in rows}
    end_of_year = date(year, 12, 31)
    communes = list(unit_selectors.named_as_of(Unit.objects.filter(pk__in=by_commune), end_of_year))
    districts = {
        district.pk: district
        for district in unit_selectors.named_as_of(
            Unit.objects.filter(pk__in={c.parent_id for c in communes}, kind=UnitKind.DISTRICT), end_of_year
        )
    }
    grouped = {}
    for commune in communes:
        grouped.setdefault(districts.get(commune.parent_id), []).append(
            (commune, _progress_figures(by_commune[commune.pk]))
        )
    key = _progress_key(sort)
    groups = [ProgressGroup(district, sorted(items, key=key), _summed(items)) for district, items in grouped.items()]
    groups.sort(key=lambda group: key((group.unit, group.subtotal)))
    return ProgressTable(groups, _summed([row for group in groups for row in group.rows]))


def progress_districts(user, unit, *, year):
    """The districts under `unit` in force at the end of `year` that the user may see (the progress chooser)."""
    districts = policy.restrict(
        user,
        Unit.objects.active_on(date(year, 12, 31))
        .filter(kind=UnitKind.DISTRICT, path__startswith=unit.path)
        .exclude(pk=unit.pk),
    )
    return unit_selectors.named_as_of(districts, date(year, 12, 31)).order_by("code", *natural_order())


# The movement tables ---------------------------------------------------------------------------------------


def movement_years(unit, *, today, served=None):
    """The review years up to the current one: (year, finished, has recognised results under `unit`), newest
    first. A year is finished once its review period has closed. `served`: figures.served_years(), when known."""
    periods = list(
        ReviewPeriod.objects.filter(year__lte=current_review_year(today))
        .order_by("-year")
        .values_list("year", "due_on")
    )
    with_results = figures.years_with_results(unit, [year for year, _closes_on in periods], served=served)
    return [(year, closes_on < today, year in with_results) for year, closes_on in periods]


def default_movement_year(years, *, today):
    """The latest finished year with recognised results, else the latest with any, else the current year."""
    finished = [year for year, done, has_results in years if done and has_results]
    started = [year for year, _done, has_results in years if has_results]
    return (finished or started or [current_review_year(today)])[0]


def figures_snapshot(year):
    """The snapshot record of `year`'s figures (when computed, how long it took, stale or not), or None."""
    return FiguresYear.objects.filter(year=year).first()


def review_period_page(deadline, unit):
    """Where a commune's people act on its review period (deadlines.links): the progress of its villages' reviews
    of the period's year."""
    return f"{reverse('households:progress')}?unit={unit.pk}&year={deadline.year}"
