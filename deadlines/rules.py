"""Deadline arithmetic: pure functions of dates, no database access.

A deadline's due day ends at 23:59:59 in Vietnam (Asia/Ho_Chi_Minh): anything filed by then is on time, whatever
the server's clock zone. Reminders come in three kinds, each with a window of days, so that a run of the daily
task that was missed is caught up by the next one, and a later kind takes over from an earlier one.
"""

from datetime import timedelta
from zoneinfo import ZoneInfo

VIETNAM = ZoneInfo("Asia/Ho_Chi_Minh")

WEEK_BEFORE = "week_before"
DUE_TODAY = "due_today"
OVERDUE = "overdue"

LEAD_DAYS = 7  # the first reminder goes out a week before the due day
OVERDUE_DAYS = 7  # an overdue reminder still goes out up to a week after it (a late first run), never later


def on_time(at, due_on):
    """Whether something filed at the aware datetime `at` meets a deadline due on `due_on`."""
    return at.astimezone(VIETNAM).date() <= due_on


def days_left(due_on, today):
    """Whole days from `today` to the due day: 0 on the day itself, negative once it has passed."""
    return (due_on - today).days


def reminder_due(*, due_on, today, overdue=True):
    """The reminder a unit that still owes a deadline should have by `today`, or None.

    `WEEK_BEFORE` from seven days before the due day to the day before it, `DUE_TODAY` on the day, `OVERDUE` (when
    the deadline has one) in the week after it. Outside those windows nothing is due: a deadline long past reminds
    nobody when it is first entered.
    """
    left = days_left(due_on, today)
    if 1 <= left <= LEAD_DAYS:
        return WEEK_BEFORE
    if left == 0:
        return DUE_TODAY
    if overdue and -OVERDUE_DAYS <= left <= -1:
        return OVERDUE
    return None


def reminder_window(today):
    """The due days (first, last) of the deadlines that may have a reminder due `today`."""
    return today - timedelta(days=OVERDUE_DAYS), today + timedelta(days=LEAD_DAYS)


# The home page lists a deadline from this many days before it opens (or is due).
HOME_HORIZON_DAYS = 30


def in_view(*, today, due_on, opens_on=None, horizon=HOME_HORIZON_DAYS):
    """Whether the home page lists a deadline on `today`: from `horizon` days before it opens (before it is due,
    when it has no opening day) to its due day."""
    start = (opens_on or due_on) - timedelta(days=horizon)
    return start <= today <= due_on
