"""The household list as an Excel sheet: the columns the list shows, one streamed query (no query per row)."""

from django.utils.translation import gettext as _

from .models import PovertyClass, ReviewState


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
