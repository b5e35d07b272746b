"""Writes of the support ledger: a giver records what it gave, one row from the form or many from an Excel file.

Both ways go through `check_support_rows`, so a form and a file cannot disagree. A giver finds a household only by
its registry code, and a code that is unknown, archived or of another province gets one and the same answer, so
the ledger tells a giver nothing about the registry beyond "this code can receive support".
"""

from dataclasses import dataclass
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Min
from django.utils import timezone
from django.utils.translation import gettext as _

from common.text import MAX_COMMENT_LENGTH, check_text, nfc, unsafe_characters_problem
from households import codes
from households.models import Household, Review
from units import policy
from units.choices import UnitKind
from units.roles import Action

from .. import snapshots
from ..models import MAX_SUPPORT_VALUE, Movement, Support, SupportKind
from ..models.ledger import MONEY_KINDS

MAX_DONOR_LENGTH = 255


def value_problem(kind, value):
    """Why `value` (whole VND) cannot be the value of support of `kind` (None when it can). In-kind support (a
    job, a card, a house) may be recorded at 0 when nobody put a value on it; cash and loans never."""
    if value is None:
        return _("Type the value in VND, like 5.000.000 or 5000000.")
    if value < 0:
        return _("The value of support cannot be negative.")
    if value > MAX_SUPPORT_VALUE:
        return _("%(value)s đ is more than one row of support can be (at most %(max)s đ); check the zeros.") % {
            "value": f"{value:,}".replace(",", "."),
            "max": f"{MAX_SUPPORT_VALUE:,}".replace(",", "."),
        }
    if value == 0 and kind in MONEY_KINDS:
        return _("Cash and loans must have a value above 0 đ.")
    return None


def date_problem(given_on, *, today, first_day):
    """Why support cannot be dated `given_on` (None when it can): not in the future, not before the movement
    (`first_day`, the first day of the province's first movement; None when the province has none)."""
    if given_on is None:
        return _("Type the date the support was given, as dd/mm/yyyy.")
    if given_on > today:
        return _("The date %(day)s is in the future.") % {"day": given_on.strftime("%d/%m/%Y")}
    if first_day is None:
        return _("No emulation movement is loaded for this province yet, so support cannot be recorded.")
    if given_on < first_day:
        return _("The date %(day)s is before the movement began (%(first)s).") % {
            "day": given_on.strftime("%d/%m/%Y"),
            "first": first_day.strftime("%d/%m/%Y"),
        }
    return None


def unknown_code_message(code):
    return _(
        "Registry code %(code)s is not a household that can receive support. Check the code with the household or "
        "its commune."
    ) % {"code": code}


@dataclass
class SupportRow:
    """One row to record, as given (a form or a file) and, once checked, with its recipient resolved."""

    kind: str = ""
    value: int | None = None
    given_on: date | None = None
    household_code: str = ""
    commune: object = None  # a commune unit, for support to the commune as a whole
    donor: str = ""
    note: str = ""
    household_id: int | None = None
    commune_id: int | None = None

    def key(self, giver_id):
        """What makes two rows the same gift (a file imported twice records nothing twice): a household's row keys
        on its household, a commune-wide row on its commune."""
        commune = None if self.household_id else self.commune_id
        return (giver_id, self.household_id, commune, self.kind, self.value, self.given_on, self.donor)


def province_id(unit):
    return int(unit.path.split("/", 1)[0])


def first_day(province):
    """The first day support can be dated in the province: 1 January of its first movement's first year."""
    year = Movement.objects.filter(province_id=province).aggregate(first=Min("start_year"))["first"]
    return date(year, 1, 1) if year else None


def _resolve(giver, rows):
    """Fill each row's household and recipient commune (the commune of its review of the year, else where it
    lives), by one query for the households and one for their reviews; returns row index -> code problem."""
    codes_wanted = {row.household_code for row in rows if row.household_code}
    households = {}
    if codes_wanted:
        households = {
            h.code: h
            for h in Household.objects.active()
            .filter(province_id=province_id(giver), code__in=codes_wanted)
            .select_related("village")
            .only("id", "code", "village__parent_id")
        }
    years = {row.given_on.year for row in rows if row.given_on}
    reviewed = {}
    if households and years:
        reviewed = {
            (household, year): commune
            for household, year, commune in Review.objects.filter(
                household_id__in=[h.pk for h in households.values()], year__in=years
            ).values_list("household_id", "year", "village__parent_id")
        }
    problems = {}
    for index, row in enumerate(rows):
        if not row.household_code:
            continue
        household = households.get(row.household_code)
        if household is None:
            problems[index] = unknown_code_message(row.household_code)
            continue
        row.household_id = household.pk
        year = row.given_on.year if row.given_on else None
        row.commune_id = reviewed.get((household.pk, year)) or household.village.parent_id
    return problems


def check_support_rows(*, giver, rows, today=None):
    """Check `rows` (SupportRow) for `giver` and resolve their recipients. Returns one dict of problems per row
    (field -> message; empty when the row can be recorded). Writes nothing."""
    today = today or timezone.localdate()
    start = first_day(province_id(giver))
    for row in rows:
        row.household_code = codes.normalise(row.household_code)
        row.donor = nfc(row.donor or "").strip()
        row.note = nfc(row.note or "").strip()
    code_problems = _resolve(giver, rows)
    results = []
    for index, row in enumerate(rows):
        problems = {}
        if row.kind not in SupportKind.values:
            problems["kind"] = _("Choose the kind of support.")
        problem = value_problem(row.kind, row.value)
        if problem:
            problems["value"] = problem
        problem = date_problem(row.given_on, today=today, first_day=start)
        if problem:
            problems["given_on"] = problem
        if bool(row.household_code) == (row.commune is not None):
            problems["household_code"] = _("Give either the household's registry code or a commune, not both.")
        elif index in code_problems:
            problems["household_code"] = code_problems[index]
        elif row.commune is not None:
            if row.commune.kind != UnitKind.COMMUNE or province_id(row.commune) != province_id(giver):
                problems["commune"] = _("Choose a commune of the province.")
            else:
                row.commune_id = row.commune.pk
        for field, text, limit in (("donor", row.donor, MAX_DONOR_LENGTH), ("note", row.note, MAX_COMMENT_LENGTH)):
            problem = unsafe_characters_problem(text)
            if problem or len(text) > limit:
                problems[field] = problem or _("At most %(n)s characters.") % {"n": limit}
        results.append(problems)
    return results


def existing_keys(giver, rows):
    """The keys (SupportRow.key) of `rows` already recorded for `giver`."""
    days = {row.given_on for row in rows if row.given_on}
    if not days:
        return set()
    found = Support.objects.filter(giver=giver, given_on__in=days).values_list(
        "giver_id", "household_id", "commune_id", "kind", "value", "given_on", "donor"
    )
    return {(g, h, None if h else c, k, v, d, n) for g, h, c, k, v, d, n in found}


def _require_giver(user, giver):
    policy.require(user, Action.RECORD_SUPPORT, giver)


@transaction.atomic
def record_support_rows(*, user, giver, rows):
    """Record `rows` (checked SupportRow) given by `giver`, by one INSERT; all or nothing. Returns the new rows."""
    _require_giver(user, giver)
    problems = check_support_rows(giver=giver, rows=rows)
    errors = [(index, p) for index, p in enumerate(problems) if p]
    if errors:
        index, first = errors[0]
        raise ValidationError(first if len(rows) == 1 else {"__all__": [f"{index + 1}: {m}" for m in first.values()]})
    snapshots.mark_stale(days=[row.given_on for row in rows])
    return Support.objects.bulk_create(
        Support(
            giver=giver,
            donor=row.donor,
            household_id=row.household_id,
            commune_id=row.commune_id,
            kind=row.kind,
            value=row.value,
            given_on=row.given_on,
            note=row.note,
            recorded_by=user,
        )
        for row in rows
    )


def record_support(
    *, user, giver, kind, value, given_on, household_code="", commune=None, donor="", note=""
) -> Support:
    """Record one contribution from `giver` to the household with `household_code` (in any written form) or to
    `commune` as a whole; refused with a message per field, nothing saved."""
    check_text(donor=donor, note=note)
    row = SupportRow(
        kind=kind,
        value=value,
        given_on=given_on,
        household_code=household_code or "",
        commune=commune,
        donor=donor or "",
        note=note or "",
    )
    return record_support_rows(user=user, giver=giver, rows=[row])[0]
