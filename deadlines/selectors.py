"""Reads of the deadlines app: who owes a deadline, reopenings in force, what a user owes, a user's inbox."""

from django.db.models import Max, Q
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _

from units import policy
from units.models import Unit

from . import rules
from .models import Deadline, DeadlineKind, Fulfilment, Notification, Reopening


def owing_units(deadline):
    """The units that owe `deadline` and have not delivered (see `owed_units`)."""
    delivered = Fulfilment.objects.filter(deadline=deadline).values("unit_id")
    return owed_units(deadline).exclude(pk__in=delivered)


def owed_units(deadline):
    """The units a deadline is owed by, delivered or not: those in force on its due day whose kind is one of its
    kinds and that lie under its `within` unit (when it names kinds or a unit), and the units it lists."""
    chosen = Q()
    if deadline.unit_kinds:
        chosen &= Q(kind__in=deadline.unit_kinds)
    if deadline.within_id:
        chosen &= Q(path__startswith=deadline.within.path)
    if not chosen:
        chosen = Q(pk__in=[])
    listed = Q(pk__in=deadline.units.values("pk"))
    return Unit.objects.active_on(deadline.due_on).filter(chosen | listed)


def reopened_until(deadline, unit, today):
    """The latest day `deadline` is reopened until for `unit`, if a reopening still runs on `today`."""
    return deadline.reopenings.filter(unit=unit, until__gte=today).aggregate(m=Max("until"))["m"]


def owed_by(user, *, today):
    """What the home page lists: the deadlines the user owes for units where their roles let them act, from
    `rules.HOME_HORIZON_DAYS` before they open (or are due) to the due day, and the reopenings of passed ones that
    still run. Each: label, note, due day, days left."""
    items = [
        _item(deadline, deadline.due_on, today)
        for deadline in Deadline.objects.filter(due_on__gte=today).select_related("within")
        if rules.in_view(today=today, due_on=deadline.due_on, opens_on=deadline.opens_on)
        and policy.restrict(user, owing_units(deadline), action=deadline.action).exists()
    ]
    reopenings = policy.restrict(
        user, Reopening.objects.filter(until__gte=today, deadline__due_on__lt=today).select_related("deadline", "unit")
    )
    items += [
        _item(r.deadline, r.until, today, unit=r.unit)
        for r in reopenings.order_by("until", "pk")
        if policy.can(user, r.deadline.action, r.unit)
    ]
    return sorted(items, key=lambda item: item["due_on"])


def _item(deadline, due_on, today, *, unit=None):
    if unit is not None:
        label = _("%(deadline)s, reopened for %(unit)s") % {"deadline": deadline.label, "unit": unit.name}
    else:
        label = deadline.label
    note = _("entry locks after this day") if deadline.kind == DeadlineKind.REVIEW_PERIOD else ""
    return {"label": label, "note": note, "due_on": due_on, "days_left": rules.days_left(due_on, today)}


def inbox(user):
    return Notification.objects.filter(recipient=user)


def notification_for(user, pk):
    """One of the user's own notifications; anyone else's does not exist for them."""
    return get_object_or_404(inbox(user), pk=pk)


def unread_count(user):
    return Notification.objects.filter(recipient=user, read_at__isnull=True).count()
