"""Registry lists as Excel files that read back through the importers unchanged: an export is a filled-in template.

The headers are the importers' own columns (in Vietnamese, like the templates, whatever the reader's language),
values are written the way the importers read them (labels, 1/0 ticks, the commune's GSO code since several
communes of the province share a name), and every row comes from one streamed query: `values_list` with
`.iterator(chunk_size=2000)`, no query per row. The review export adds read-only columns (computed and recognised
class, state, head, village) that the importer ignores.
"""

from django.contrib.postgres.aggregates import StringAgg
from django.db.models import Case, IntegerField, OuterRef, Subquery, Value, When
from django.utils import translation
from django.utils.translation import gettext as _

from common.xlsx import write_xlsx, xlsx_response
from households import exports as household_exports
from households import privacy
from households.models import Member, PovertyClass, Relation, Review, ReviewState, Schooling, Sex, WorkingCapacity

from .importers.households import COLUMNS as MEMBER_COLUMNS
from .importers.reviews import COLUMNS as REVIEW_COLUMNS
from .importers.reviews import FLAGS, INDICATOR_KEYS
from .workbooks import DATA_SHEET

CHUNK = 2000

# Member column key -> the field read for it.
MEMBER_SOURCES = {
    "household_code": "household__code",
    "commune": "household__village__parent__code",
    "village": "household__village__name",
    "address": "household__address",
    "full_name": "full_name",
    "relation": "relation",
    "birth_date": "birth_date",
    "sex": "sex",
    "cccd": "cccd",
    "ethnicity": "ethnicity",
    "has_health_insurance": "has_health_insurance",
    "has_disability": "has_disability",
    "working_capacity": "working_capacity",
    "schooling": "schooling",
}
REVIEW_READ_ONLY = ("computed_class", "recognised_class", "state", "head_name", "household__village__name")


def _labels(choices):
    return {value: str(label) for value, label in choices.choices}


def member_rows(households, user):
    """One row per member of `households`, a household's members together, the head first; IDs and dates of birth
    as `user` may read them (households.privacy)."""
    relations, sexes = _labels(Relation), _labels(Sex)
    capacities, schooling = _labels(WorkingCapacity), _labels(Schooling)
    yes, no = str(_("Yes")), str(_("No"))
    convert = {
        "relation": relations.get,
        "sex": sexes.get,
        "working_capacity": capacities.get,
        "schooling": schooling.get,
        "has_health_insurance": lambda value: yes if value else no,
        "has_disability": lambda value: yes if value else no,
    }
    keys = [column.key for column in MEMBER_COLUMNS]
    members = (
        Member.objects.filter(household__in=households.order_by().values("pk"))
        .order_by(
            "household__village_id",
            "household__code",
            Case(When(relation=Relation.HEAD, then=Value(0)), default=Value(1), output_field=IntegerField()),
            "birth_date",
            "pk",
        )
        .annotate(shows_identity=privacy.identity_shown(user, Member))
        .values_list(*(MEMBER_SOURCES[key] for key in keys), "shows_identity")
    )
    converters = [convert.get(key) for key in keys]
    masks = [
        (i, privacy.MASKS[MEMBER_SOURCES[key]]) for i, key in enumerate(keys) if MEMBER_SOURCES[key] in privacy.MASKS
    ]
    for *values, identity in members.iterator(chunk_size=CHUNK):
        if not identity:
            for i, mask in masks:
                values[i] = mask(values[i])
        yield [f(v) if f is not None and v is not None else v for f, v in zip(converters, values, strict=True)]


def member_header():
    return [str(column.header) for column in MEMBER_COLUMNS]


def review_header():
    return [str(column.header) for column in REVIEW_COLUMNS] + [
        str(_("Computed class")),
        str(_("Recognised class")),
        str(_("State")),
        str(_("Head of household")),
        str(_("Village")),
    ]


def review_rows(households, year):
    """One row per review of `year` of `households`: the importer's columns, then the read-only ones."""
    classes, states = _labels(PovertyClass), _labels(ReviewState)
    through = Review.causes.through
    causes = Subquery(
        through.objects.filter(review_id=OuterRef("pk"))
        .order_by()
        .values("review_id")
        .annotate(names=StringAgg("povertycause__name", "; ", order_by="povertycause__order"))
        .values("names")
    )
    head = Subquery(
        Member.objects.filter(household_id=OuterRef("household_id"), relation="head").values("full_name")[:1]
    )
    reviews = (
        Review.objects.filter(year=year, household__in=households.order_by().values("pk"))
        .annotate(cause_names=causes, head_name=head)
        .order_by("household__village_id", "household__code")
        .values_list(
            "household__code",
            "year",
            "income",
            "deprived",
            *FLAGS,
            "cause_names",
            "class_override",
            "class_reason",
            *REVIEW_READ_ONLY,
        )
    )
    numbers = [int(key[1:]) for key in INDICATOR_KEYS]
    for code, year_, income, deprived, *rest in reviews.iterator(chunk_size=CHUNK):
        flags, (cause_names, override, reason, computed, recognised, state, head_name, village) = rest[:4], rest[4:]
        yield [
            code,
            year_,
            income,
            *(1 if number in deprived else 0 for number in numbers),
            *(1 if flag else 0 for flag in flags),
            cause_names or None,
            classes.get(override) if override else None,
            reason or None,
            classes.get(computed),
            classes.get(recognised) if recognised else None,
            states.get(state),
            head_name,
            village,
        ]


def _spec(kind, households, year, user):
    if kind == "households":  # the household list as shown: not an import format
        return {
            **household_exports.household_report(households, year),
            "header": household_exports.household_header(),
            "rows": household_exports.household_rows(households, year),
            "widths": None,
        }
    if kind == "members":
        return {
            "filename": f"thanh-vien-ho-{year}.xlsx",
            "header": member_header(),
            "rows": member_rows(households, user),
            "widths": [column.width for column in MEMBER_COLUMNS],
        }
    return {
        "filename": f"ket-qua-ra-soat-{year}.xlsx",
        "header": review_header(),
        "rows": review_rows(households, year),
        "widths": [column.width for column in REVIEW_COLUMNS] + [22, 22, 16, 26, 18],
    }


def response(kind, households, year, *, user):
    """The export as a download, written during the request (lists of up to EXPORT_SYNC_MAX_HOUSEHOLDS)."""
    with translation.override("vi"):
        spec = _spec(kind, households, year, user)
        return xlsx_response(title=DATA_SHEET, **spec)


def estimate(kind, households, year):
    """How many rows the export will have (for the progress of a background export)."""
    ids = households.order_by().values("pk")
    if kind == "households":
        return households.count()
    if kind == "members":
        return Member.objects.filter(household__in=ids).count()
    return Review.objects.filter(year=year, household__in=ids).count()


def write(kind, households, year, handle, *, user, progress=None):
    """Write the export to a binary file; returns (file name, rows written)."""
    with translation.override("vi"):
        spec = _spec(kind, households, year, user)
        filename = spec.pop("filename")
        return filename, write_xlsx(handle, title=DATA_SHEET, progress=progress, **spec)
