"""Reads of good practices and their half-year lists, scoped by the one access policy: a unit sees its own
practices (and those of the units under it), the province's roles see every one; a draft stays with its unit."""

from django.db.models import Case, Count, IntegerField, Q, When
from django.db.models.functions import ExtractYear
from django.http import Http404

from units import policy
from units.roles import ROLE_RULES, Action

from ..models import Compilation, GoodPractice, Half, PracticeFile, PracticeState
from ..models.practices import half_bounds, half_of


def practices_for(user):
    """The practices the user may see: in the VIEW scope, drafts only where the user may write them (REPORT)."""
    visible = policy.restrict(user, GoodPractice.objects.all())
    drafts = policy.restrict(user, GoodPractice.objects.filter(state=PracticeState.DRAFT), action=Action.REPORT)
    return visible.filter(~Q(state=PracticeState.DRAFT) | Q(pk__in=drafts.values("pk"))).select_related(
        "unit", "movement"
    )


def filtered_practices(user, *, state="", kind="", year=None):
    practices = practices_for(user)
    if state:
        practices = practices.filter(state=state)
    if kind:
        practices = practices.filter(kind=kind)
    if year:
        practices = practices.filter(proposed_at__year=year)
    return practices


def practice_for(user, pk):
    try:
        return practices_for(user).select_related("compilation", "movement__lead_unit").get(pk=pk)
    except GoodPractice.DoesNotExist:
        raise Http404 from None


def practice_file_for(user, pk):
    """A file of a practice the user may see."""
    try:
        practice_file = PracticeFile.objects.select_related("practice").get(pk=pk)
    except PracticeFile.DoesNotExist:
        raise Http404 from None
    practice_for(user, practice_file.practice_id)
    return practice_file


def history(practice):
    return practice.transitions.select_related("by")


def proposing_units(user):
    """The units in which the user's own roles let them propose a practice (REPORT), by name."""
    units = {m.unit for m in policy.memberships(user) if Action.REPORT in ROLE_RULES[m.role].actions}
    return sorted(units, key=lambda unit: unit.name)


def compilations_for(user):
    """The half-year lists the user may read: those of movements led by a unit in their scope (the lead unit,
    the Emulation Board, administrators)."""
    return policy.restrict(user, Compilation.objects.select_related("movement", "document", "sent_by"))


def compilation_for(user, pk):
    try:
        return compilations_for(user).get(pk=pk)
    except Compilation.DoesNotExist:
        raise Http404 from None


def compiled_practices(compilation):
    """The practices of a list, in the order the report prints them."""
    return compilation.practices.select_related("unit").order_by("unit__name", "title", "pk")


def half_years(movement, today):
    """Each half-year of the movement begun by `today`, newest first: (year, half, selected and not yet compiled,
    its list or None). One query for the counts, one for the lists."""
    selected = (
        GoodPractice.objects.filter(
            movement=movement, state=PracticeState.SELECTED, compilation__isnull=True, selected_at__isnull=False
        )
        .annotate(
            year=ExtractYear("selected_at"),
            half=Case(
                When(selected_at__month__lte=6, then=Half.FIRST), default=Half.SECOND, output_field=IntegerField()
            ),
        )
        .values("year", "half")
        .annotate(count=Count("pk"))
    )
    counts = {(row["year"], row["half"]): row["count"] for row in selected}
    lists = {(c.year, c.half): c for c in movement.compilations.all()}
    rows = []
    last = min(today.year, movement.end_year)
    for year in range(movement.start_year, last + 1):
        for half in Half:
            if half_bounds(year, half)[0] > today:
                continue
            rows.append((year, half, counts.get((year, half), 0), lists.get((year, half))))
    return rows[::-1]


# Official documents are Vietnamese by law: their words are written here, not translated.
KIND_IN_DOCUMENTS = {"model": "Mô hình", "initiative": "Sáng kiến", "exemplar": "Điển hình tiên tiến"}
HALF_IN_DOCUMENTS = {Half.FIRST: "6 tháng đầu", Half.SECOND: "6 tháng cuối"}


def compilation_document_context(unit, day):
    """The report's own content: the list the lead unit `unit` sent for the half-year ending on `day`."""
    compilation = (
        Compilation.objects.filter(movement__lead_unit=unit, year=day.year, half=half_of(day))
        .select_related("movement")
        .get()
    )
    practices = list(compiled_practices(compilation))
    for practice in practices:
        practice.kind_label = KIND_IN_DOCUMENTS[practice.kind]
    start, end = compilation.bounds
    return {
        "unit": unit,
        "compilation": compilation,
        "movement": compilation.movement,
        "practices": practices,
        "half_label": HALF_IN_DOCUMENTS[compilation.half],
        "start": start,
        "end": end,
        "totals": {
            "households": sum(p.households_out_of_poverty or 0 for p in practices),
            "people": sum(p.people_employed or 0 for p in practices),
            "value": sum(p.value_mobilised or 0 for p in practices),
        },
    }


def measure_good_practices(unit, year):
    """The practices `unit` itself proposed in `year` (first proposal; a returned and corrected one counts once):
    the figure of the criterion "good practices proposed in the year"."""
    return GoodPractice.objects.filter(unit=unit, proposed_at__year=year).count()


def year_counts(movement, year):
    """Per kind of practice: those first proposed in `year` and those selected in `year`, one GROUP BY."""
    rows = (
        GoodPractice.objects.filter(movement=movement)
        .filter(Q(proposed_at__year=year) | Q(state=PracticeState.SELECTED, selected_at__year=year))
        .values("kind")
        .annotate(
            proposed=Count("pk", filter=Q(proposed_at__year=year)),
            selected=Count("pk", filter=Q(state=PracticeState.SELECTED, selected_at__year=year)),
        )
    )
    return {row["kind"]: (row["proposed"], row["selected"]) for row in rows}


def selected_in(movement, year):
    """The practices the lead unit selected in `year`, by unit and title."""
    return (
        GoodPractice.objects.filter(movement=movement, state=PracticeState.SELECTED, selected_at__year=year)
        .select_related("unit")
        .order_by("unit__name", "title", "pk")
    )
