"""The household list as an Excel sheet: the columns the list shows, one streamed query (no query per row)."""

from django.utils.translation import gettext as _

from common.text import slug
from units.models import Unit

from .models import PovertyClass, ReviewState


def _area_of(households):
    """The smallest unit holding every household of the list: its commune, else its district, else its province."""
    for field in ("village__parent_id", "village__parent__parent_id", "province_id"):
        units = list(households.order_by().values_list(field, flat=True).distinct()[:2])
        if len(units) == 1 and units[0] is not None:
            return Unit.objects.get(pk=units[0])
    return None


def household_report(households, year):
    """The household list's file name and title block: a report names its unit and year, in the file name too."""
    area = _area_of(households)
    name = area.name if area else ""
    return {
        "filename": f"ho-gia-dinh-{year}-{slug(name)}.xlsx" if area else f"ho-gia-dinh-{year}.xlsx",
        "heading": [
            _("Households %(year)s") % {"year": year},
            _("Unit: %(unit)s") % {"unit": name},
            _("Year: %(year)s") % {"year": year},
        ],
    }


def household_header():
    return [
        _("Registry code"),
        _("Head of household"),
        _("Village"),
        _("Commune"),
        _("Address"),
        _("Members"),
        _("Year"),
        _("Class"),
        _("Review"),
        _("Archived on"),
    ]


def household_rows(households, year):
    """Rows of `households` (selectors.household_list, already filtered and scoped) for `year`."""
    classes = {value: str(label) for value, label in PovertyClass.choices}
    states = {value: str(label) for value, label in ReviewState.choices}
    values = households.values_list(
        "code",
        "head_name",
        "village__name",
        "village__parent__name",
        "address",
        "member_total",
        "review_class",
        "review_state",
        "archived_at",
    )
    for code, head, village, commune, address, members, klass, state, archived in values.iterator(chunk_size=2000):
        yield (
            code,
            head,
            village,
            commune,
            address,
            members,
            year,
            classes.get(klass, ""),
            states.get(state, ""),
            archived,
        )
