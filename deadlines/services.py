"""Every write of the deadlines app: reopenings, notifications (inbox and mail outbox), the daily reminders and
the sending of queued mail."""

from collections import Counter, defaultdict

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage, get_connection
from django.db import connection, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from common.text import MAX_COMMENT_LENGTH, check_text, nfc
from units import policy
from units.roles import Action

from . import links, rules, selectors
from .models import (
    Deadline,
    DeadlineKind,
    Fulfilment,
    Notification,
    OutboxMessage,
    OutboxState,
    ReminderSchedule,
    ReminderSent,
    ReminderState,
    Reopening,
)

# Units named in one reminder before "and N more".
NAMED_UNITS = 5
# Messages one run of the mail sender sends at most (beat starts one a minute).
OUTBOX_BATCH = 500


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
    """Put a notification in each recipient's inbox and queue a mail to those with an address (sent by the
    outbox's task once this transaction commits). Write `title` and `body` in the site's language
    (`in_site_language`): the inbox keeps them as written."""
    return _deliver([Notification(recipient=user, title=title, body=body, url=url) for user in recipients])


def _deliver(notifications):
    """Save the notifications and queue one mail per address and text (nobody sees who else got it)."""
    notifications = Notification.objects.bulk_create(notifications)
    mails = {}
    for n in notifications:
        if n.recipient.email:
            text = "\n\n".join(part for part in (n.body, f"{settings.SITE_URL}{n.url}" if n.url else "") if part)
            mails.setdefault((n.recipient.email, n.title, text), None)
    now = timezone.now()
    OutboxMessage.objects.bulk_create(
        OutboxMessage(to=to, subject=subject, body=text, next_attempt_at=now) for to, subject, text in mails
    )
    return notifications


def in_site_language():
    """Notifications are written once for every reader, in the site's language (Vietnamese)."""
    return translation.override(settings.LANGUAGE_CODE)


@transaction.atomic
def mark_read(*, user, notification):
    Notification.objects.filter(pk=notification.pk, recipient=user, read_at__isnull=True).update(read_at=timezone.now())


@transaction.atomic
def mark_all_read(*, user):
    return Notification.objects.filter(recipient=user, read_at__isnull=True).update(read_at=timezone.now())


def reminder_schedules():
    """The schedule of each deadline kind: the administrator's row, else the default."""
    rows = {schedule.kind: schedule for schedule in ReminderSchedule.objects.all()}
    return {kind: rows.get(kind) or ReminderSchedule.default_for(kind) for kind in DeadlineKind.values}


def _record_reminders(deadline, due, skipped, unit_ids, now):
    """Record, for each unit, the reminder `due` as sent and the `skipped` offsets as skipped, where not recorded
    yet; returns the ids of the units whose reminder `due` is recorded now (those to remind).

    The unique constraint decides: a rerun (even a concurrent one, which waits for this transaction) inserts
    nothing for a unit already reminded at that offset."""
    plan = [(due, ReminderState.SENT), *((offset, ReminderState.SKIPPED) for offset in skipped)]
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            INSERT INTO {ReminderSent._meta.db_table} (deadline_id, unit_id, "offset", state, at)
            SELECT %s, unit_id, plan.days, plan.state, %s
            FROM unnest(%s::bigint[]) AS unit_id
            CROSS JOIN unnest(%s::smallint[], %s::varchar[]) AS plan(days, state)
            ON CONFLICT (deadline_id, unit_id, "offset") DO NOTHING
            RETURNING unit_id, state
            """,
            [deadline.pk, now, unit_ids, [offset for offset, _state in plan], [state for _offset, state in plan]],
        )
        return {unit_id for unit_id, state in cursor.fetchall() if state == ReminderState.SENT}


def _reminder_text(deadline, today, units):
    names = ", ".join(unit.name for unit in units[:NAMED_UNITS])
    more = len(units) - NAMED_UNITS
    if more > 0:
        names = ngettext("%(names)s and %(count)d more unit", "%(names)s and %(count)d more units", more) % {
            "names": names,
            "count": more,
        }
    due = deadline.due_on.strftime("%d/%m/%Y")
    left = rules.days_left(deadline.due_on, today)  # a reminder caught up late speaks of today
    if left > 0:
        title = _("%(deadline)s is due on %(due)s")
    elif left == 0:
        title = _("%(deadline)s is due today (%(due)s)")
    else:
        title = _("%(deadline)s was due on %(due)s")
    body = _("Still owed by: %(units)s.") % {"units": names}
    return title % {"deadline": deadline.label, "due": due}, body


@transaction.atomic
def send_deadline_reminders(*, deadline, today, schedule=None):
    """Remind the people of every unit that still owes `deadline` of the reminder due `today` (its schedule's
    latest offset whose day has come, caught up to `rules.CATCH_UP_DAYS` late), once per unit and offset; the
    earlier offsets passed over are recorded as skipped. One notification per person, naming their units and
    linking to the page where the first of them acts on the deadline (`links`); the records, notifications and
    queued mails commit together or not at all. Returns the number of units reminded now."""
    schedule = schedule or reminder_schedules()[deadline.kind]
    due, skipped = rules.reminder_plan(due_on=deadline.due_on, today=today, offsets=schedule.offsets)
    if due is None:
        return 0
    owing = {unit.pk: unit for unit in selectors.owing_units(deadline)}
    if not owing:
        return 0
    recorded = _record_reminders(deadline, due, skipped, sorted(owing), timezone.now())
    units_of = defaultdict(list)
    acting = policy.actors_of(deadline.action, [owing[pk] for pk in recorded])
    for unit_id in sorted(recorded, key=lambda pk: owing[pk].path):
        for user in acting.get(unit_id, ()):
            units_of[user].append(owing[unit_id])
    notifications = []
    urls = {}  # the page where a unit acts on the deadline (links registered by the apps), read once a unit
    with in_site_language():
        for user, units in units_of.items():
            title, body = _reminder_text(deadline, today, units)
            first = units[0]
            if first.pk not in urls:
                urls[first.pk] = links.url_for(deadline, first)
            notifications.append(Notification(recipient=user, title=title, body=body, url=urls[first.pk]))
    _deliver(notifications)
    return len(recorded)


def send_reminders(*, today):
    """The daily task: every deadline with a reminder due `today`, each in its own transaction. Idempotent: a
    rerun (or a run beside it) sends nothing twice, and missed days are caught up with the latest reminder due.
    Returns the number of units reminded."""
    schedules = reminder_schedules()
    deadlines = Deadline.objects.filter(due_on__range=rules.reminder_window(today)).select_related("within")
    return sum(
        send_deadline_reminders(deadline=deadline, today=today, schedule=schedules[deadline.kind])
        for deadline in deadlines.order_by("due_on", "pk")
    )


def send_outbox(*, limit=OUTBOX_BATCH):
    """Send the queued mail that is due, one message per transaction, each message's row locked while it is
    sent (`SKIP LOCKED`: two senders never take the same message, and a message sent is never queued again).
    A failure is recorded on the message, which is tried again later (`rules.mail_retry_at`) and marked failed
    after `rules.MAIL_ATTEMPTS`. Returns the count of each outcome."""
    outcomes = Counter()
    for _i in range(limit):
        state = _send_next()
        if state is None:
            break
        outcomes[state] += 1
    return dict(outcomes)


@transaction.atomic
def _send_next():
    now = timezone.now()
    message = (
        OutboxMessage.objects.select_for_update(skip_locked=True)
        .filter(state=OutboxState.QUEUED, next_attempt_at__lte=now)
        .order_by("next_attempt_at", "pk")
        .first()
    )
    if message is None:
        return None
    mail = EmailMessage(subject=message.subject, body=message.body, to=[message.to])
    try:
        accepted = get_connection(fail_silently=False).send_messages([mail])
        error = "" if accepted else "The mail backend accepted no message."
    except Exception as exc:  # whatever the backend raises is kept on the message, which is tried again
        error = f"{type(exc).__name__}: {exc}"
    message.attempts += 1
    if error:
        message.last_error = error
        message.next_attempt_at = rules.mail_retry_at(now, message.attempts)
        message.state = OutboxState.QUEUED if message.next_attempt_at else OutboxState.FAILED
    else:
        message.state, message.sent_at, message.next_attempt_at = OutboxState.SENT, timezone.now(), None
    message.save(update_fields=["attempts", "last_error", "next_attempt_at", "state", "sent_at"])
    return message.state


@transaction.atomic
def requeue(*, messages):
    """Queue failed messages again, now, with a fresh count of attempts (the administrator fixed the cause)."""
    return OutboxMessage.objects.filter(pk__in=[m.pk for m in messages], state=OutboxState.FAILED).update(
        state=OutboxState.QUEUED, attempts=0, next_attempt_at=timezone.now()
    )
