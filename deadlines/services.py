"""Every write of the deadlines app: reopenings, notifications (inbox and mail) and the daily reminders."""

import logging
from collections import defaultdict

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage, get_connection
from django.db import connection, transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from common.text import MAX_COMMENT_LENGTH, check_text, nfc
from units import policy
from units.roles import Action

from . import rules, selectors
from .models import Deadline, Fulfilment, Notification, ReminderKind, ReminderSent, Reopening

logger = logging.getLogger(__name__)

# Units named in one reminder before "and N more".
NAMED_UNITS = 5


@transaction.atomic
def reopen(*, user, deadline, unit, until, reason, today=None):
    """Reopen a passed deadline for one unit until a day, with the reason (kept in the history)."""
    policy.require(user, Action.MANAGE, unit)
    check_text(reason=reason, max_length=MAX_COMMENT_LENGTH)
    if not nfc(reason):
        raise ValidationError({"reason": _("Give the reason for reopening.")})
    if until <= deadline.due_on:
        raise ValidationError({"until": _("Reopen until a date after the period's close.")})
    if until < (today or timezone.localdate()):
        raise ValidationError({"until": _("Reopen until today or a later date.")})
    return Reopening.objects.create(deadline=deadline, unit=unit, until=until, reason=nfc(reason), by=user)


@transaction.atomic
def deliver(*, deadline, unit, at):
    """Record that `unit` delivered what `deadline` asks for at the aware datetime `at`. Idempotent: the first
    delivery stands (a replaced file does not make a late unit on time, nor an on-time one late)."""
    fulfilment, _created = Fulfilment.objects.get_or_create(deadline=deadline, unit=unit, defaults={"at": at})
    return fulfilment


@transaction.atomic
def notify(*, recipients, title, body="", url=""):
    """Put a notification in each recipient's inbox and, once the transaction commits, mail it to those with an
    address. Write `title` and `body` in the site's language (`in_site_language`): the inbox keeps them as written."""
    notifications = Notification.objects.bulk_create(
        Notification(recipient=user, title=title, body=body, url=url) for user in recipients
    )
    addresses = sorted({n.recipient.email for n in notifications if n.recipient.email})
    if addresses:
        transaction.on_commit(lambda: _mail(addresses, title, body, url))
    return notifications


def in_site_language():
    """Notifications are written once for every reader, in the site's language (Vietnamese)."""
    return translation.override(settings.LANGUAGE_CODE)


def _mail(addresses, title, body, url):
    """One message per address (nobody sees who else got it). A mail server that fails loses the mail, never
    the inbox entry, which is already saved."""
    text = "\n\n".join(part for part in (body, f"{settings.SITE_URL}{url}" if url else "") if part)
    messages = [EmailMessage(subject=title, body=text, to=[address]) for address in addresses]
    try:
        get_connection().send_messages(messages)
    except OSError:
        logger.exception("Notification mail not sent to %d address(es)", len(addresses))


@transaction.atomic
def mark_read(*, user, notification):
    Notification.objects.filter(pk=notification.pk, recipient=user, read_at__isnull=True).update(read_at=timezone.now())


@transaction.atomic
def mark_all_read(*, user):
    return Notification.objects.filter(recipient=user, read_at__isnull=True).update(read_at=timezone.now())


def _record_reminders(deadline, kind, unit_ids, now):
    """Record the reminder for each unit that has not had it; returns the ids of the units recorded now.

    The unique constraint decides: a rerun (even a concurrent one) inserts nothing for units already reminded."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            INSERT INTO {ReminderSent._meta.db_table} (deadline_id, unit_id, kind, sent_at)
            SELECT %s, unit_id, %s, %s FROM unnest(%s::bigint[]) AS unit_id
            ON CONFLICT (deadline_id, unit_id, kind) DO NOTHING
            RETURNING unit_id
            """,
            [deadline.pk, kind, now, unit_ids],
        )
        return {row[0] for row in cursor.fetchall()}


def _reminder_text(deadline, kind, units):
    names = ", ".join(unit.name for unit in units[:NAMED_UNITS])
    more = len(units) - NAMED_UNITS
    if more > 0:
        names = ngettext("%(names)s and %(count)d more unit", "%(names)s and %(count)d more units", more) % {
            "names": names,
            "count": more,
        }
    due = deadline.due_on.strftime("%d/%m/%Y")
    titles = {
        ReminderKind.WEEK_BEFORE: _("%(deadline)s is due on %(due)s"),
        ReminderKind.DUE_TODAY: _("%(deadline)s is due today (%(due)s)"),
        ReminderKind.OVERDUE: _("%(deadline)s was due on %(due)s"),
    }
    title = titles[kind] % {"deadline": deadline.label, "due": due}
    body = _("Still owed by: %(units)s.") % {"units": names}
    return title, body


@transaction.atomic
def send_deadline_reminders(*, deadline, today):
    """Remind the people of every unit that still owes `deadline` of the reminder due `today`, once per unit and
    kind. One notification per person, naming their units. Returns the number of units reminded now."""
    kind = rules.reminder_due(due_on=deadline.due_on, today=today, overdue=deadline.has_overdue_reminder)
    if kind is None:
        return 0
    owing = {unit.pk: unit for unit in selectors.owing_units(deadline)}
    recorded = _record_reminders(deadline, kind, sorted(owing), timezone.now())
    units_of = defaultdict(list)
    for unit_id in sorted(recorded, key=lambda pk: owing[pk].path):
        for user in policy.actors(deadline.action, owing[unit_id]):
            units_of[user].append(owing[unit_id])
    url = reverse("reports:home")  # the deadlines the user owes, with the days left
    with in_site_language():
        for user, units in units_of.items():
            title, body = _reminder_text(deadline, kind, units)
            notify(recipients=[user], title=title, body=body, url=url)
    return len(recorded)


def send_reminders(*, today):
    """The daily task: every deadline with a reminder due `today`. Idempotent: a rerun sends nothing twice, and a
    missed day is caught up by the next run (rules.reminder_due's windows). Returns the units reminded."""
    horizon = rules.reminder_window(today)
    deadlines = Deadline.objects.filter(due_on__range=horizon).order_by("due_on", "pk")
    return sum(send_deadline_reminders(deadline=deadline, today=today) for deadline in deadlines)
