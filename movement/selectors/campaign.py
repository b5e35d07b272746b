"""Which movement a page is about: the one running this year (in a unit's province, when a page is about a unit)."""

from ..models import Movement


def current_movement(*, today, unit=None):
    """The movement running in `today`'s year, else the latest that has started, else the first; only those of
    `unit`'s province when given. None when there is none."""
    movements = Movement.objects.select_related("province", "lead_unit").order_by("start_year", "pk")
    if unit is not None:
        movements = movements.filter(province__path=unit.path.split("/", 1)[0] + "/")
    movements = list(movements)
    running = [m for m in movements if m.start_year <= today.year <= m.end_year]
    started = [m for m in movements if m.start_year <= today.year]
    return (running or started[-1:] or movements[:1] or [None])[0]
