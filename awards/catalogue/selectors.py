"""The bonus an award carries on a decision date: the multiple in force for its type × the base salary in force,
rounded up to the next 10,000 đồng (DOMAIN.md §5). Two queries for any number of award types."""

from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from .. import rules
from ..models import AwardType, BaseSalary, BonusMultiple


@dataclass(frozen=True)
class Bonus:
    multiple: Decimal
    base_salary: int
    bonus: int


def _period(start, end):
    if end is None:
        return _("from %(start)s") % {"start": f"{start:%d/%m/%Y}"}
    return _("from %(start)s to %(end)s") % {"start": f"{start:%d/%m/%Y}", "end": f"{end:%d/%m/%Y}"}


def _row_in_force(rows, day):
    """(row, the day before the next row) of the dated `rows` (sorted by valid_from) in force on `day`."""
    found = rules.in_force([(row.valid_from, index) for index, row in enumerate(rows)], day)
    if found is None:
        return None, None
    after = rows[found + 1].valid_from - timedelta(days=1) if found + 1 < len(rows) else None
    return rows[found], after


def bonuses(award_types, day):
    """{award type id: Bonus} on `day` for every award type of `award_types`; refused in Vietnamese, naming the
    period, when a type has no multiple in force, an unknown one (to be entered by an administrator), or when no
    base salary is in force."""
    award_types = list(award_types)
    multiples = {}
    for row in BonusMultiple.objects.filter(award_type__in=award_types).order_by("award_type", "valid_from"):
        multiples.setdefault(row.award_type_id, []).append(row)
    salary, _end = _row_in_force(list(BaseSalary.objects.order_by("valid_from")), day)
    if salary is None:
        raise ValidationError(
            _("No base salary is in force on %(day)s: an administrator must enter it in the awards catalogue.")
            % {"day": f"{day:%d/%m/%Y}"}
        )
    found = {}
    for award_type in award_types:
        row, end = _row_in_force(multiples.get(award_type.pk, []), day)
        if row is None:
            raise ValidationError(
                _("“%(award)s” carries no bonus multiple on %(day)s: no decision of that date can award it.")
                % {"award": award_type.name, "day": f"{day:%d/%m/%Y}"}
            )
        if row.multiple is None:
            raise ValidationError(
                _(
                    "The bonus multiple of “%(award)s” %(period)s (%(basis)s) is not known yet: an administrator "
                    "must enter it before a decision of that period can be issued."
                )
                % {"award": award_type.name, "period": _period(row.valid_from, end), "basis": row.basis}
            )
        found[award_type.pk] = Bonus(row.multiple, salary.amount, rules.bonus(row.multiple, salary.amount))
    return found


def bonus_on(award_type: AwardType, day):
    """The Bonus of one award type on `day` (see `bonuses`)."""
    return bonuses([award_type], day)[award_type.pk]
