"""Deadline arithmetic: pure functions of dates, no database access.

A deadline's due day ends at 23:59:59 in Vietnam (Asia/Ho_Chi_Minh): anything filed by then is on time, whatever
the server's clock zone.

Reminders follow a schedule of offsets: whole days before the due day (0 is the due day itself), and days after it
written as negative offsets (-1 is the day after). Each offset's reminder goes out on its day, once per unit (the
unique record in the database decides). A daily run that was missed is caught up by the next run, up to
`CATCH_UP_DAYS` late, with the latest reminder due only: the earlier ones it passed over are recorded as skipped,
never sent later, so a unit never gets a burst of stale reminders.
"""

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.utils.translation import gettext_lazy as _

VIETNAM = ZoneInfo("Asia/Ho_Chi_Minh")

# The default schedule: 14, 7, 3 and 1 days before the due day, and the day after it.
DAYS_BEFORE = (14, 7, 3, 1)
DAYS_AFTER = (1,)
MAX_DAYS = 60  # no reminder further than this from the due day
CATCH_UP_DAYS = 7  # a reminder missed by more than this many days is not sent any more

# Mail of the outbox: attempts before a message is given up as failed, and the wait before the first retry,
# doubled at each further one (1, 2, 4, 8, 16 minutes).
MAIL_ATTEMPTS = 6
MAIL_RETRY_SECONDS = 60


def late_from(due_on):
    """The first instant after the due day, in Vietnam: anything filed before it is on time."""
    return datetime.combine(due_on + timedelta(days=1), time.min, tzinfo=VIETNAM)


def on_time(at, due_on):
    """Whether something filed at the aware datetime `at` meets a deadline due on `due_on`."""
    return at < late_from(due_on)


def days_left(due_on, today):
    """Whole days from `today` to the due day: 0 on the day itself, negative once it has passed."""
    return (due_on - today).days


def schedule_problems(*, days_before, days_after):
    """What is wrong with a reminder schedule, as {field: [messages]}: empty when it is valid.

    Both lists count whole days from the due day: `days_before` from 0 (the due day) to `MAX_DAYS`, `days_after`
    from 1 (the day after) to `MAX_DAYS`. A negative number, a day given twice or one too far is refused."""
    problems = {}
    for field, days, least in (("days_before", days_before, 0), ("days_after", days_after, 1)):
        messages = []
        if any(day < 0 for day in days):
            messages.append(
                _("Give days as positive numbers: put reminders after the due day in the “days after” list.")
            )
        elif any(day < least for day in days):
            messages.append(_("Count the days after the due day from 1 (the due day itself is 0 days before)."))
        if any(day > MAX_DAYS for day in days):
            messages.append(_("A reminder can be at most %(max)d days from the due day.") % {"max": MAX_DAYS})
        if len(set(days)) != len(days):
            messages.append(_("Give each day only once."))
        if messages:
            problems[field] = messages
    return problems


def offsets(*, days_before, days_after):
    """The schedule as offsets, earliest reminder first: days before the due day, negative after it."""
    return sorted({*days_before, *(-day for day in days_after)}, reverse=True)


def reminder_day(due_on, offset):
    return due_on - timedelta(days=offset)


def reminder_plan(*, due_on, today, offsets):
    """(the offset whose reminder is due `today` or None, the earlier offsets to record as skipped).

    The reminder due is the latest one whose day has come, if it is at most `CATCH_UP_DAYS` old; every earlier
    offset whose day has passed is skipped (when it was sent on its day, its record is already there and the
    skipped one is not written). A reminder too old to send sends nothing and records nothing."""
    passed = [offset for offset in offsets if reminder_day(due_on, offset) <= today]
    if not passed:
        return None, []
    latest = min(passed)
    if (today - reminder_day(due_on, latest)).days > CATCH_UP_DAYS:
        return None, []
    return latest, [offset for offset in passed if offset != latest]


def reminder_window(today, *, max_days=MAX_DAYS):
    """The due days (first, last) of the deadlines that may have a reminder due `today` under any valid
    schedule."""
    return today - timedelta(days=max_days + CATCH_UP_DAYS), today + timedelta(days=max_days)


def mail_retry_at(now, attempts):
    """When a message that failed `attempts` times is tried again (exponential backoff), or None once it has
    had its `MAIL_ATTEMPTS`."""
    if attempts >= MAIL_ATTEMPTS:
        return None
    return now + timedelta(seconds=MAIL_RETRY_SECONDS * 2 ** (attempts - 1))


# The home page lists a deadline from this many days before it opens (or is due).
HOME_HORIZON_DAYS = 30


def in_view(*, today, due_on, opens_on=None, horizon=HOME_HORIZON_DAYS):
    """Whether the home page lists a deadline on `today`: from `horizon` days before it opens (before it is due,
    when it has no opening day) to its due day."""
    start = (opens_on or due_on) - timedelta(days=horizon)
    return start <= today <= due_on
