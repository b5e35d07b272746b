"""Deadline arithmetic (deadlines.rules): pure functions of dates, tested without a database."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from deadlines import rules

VIETNAM = ZoneInfo("Asia/Ho_Chi_Minh")
UTC = ZoneInfo("UTC")
DUE = date(2025, 11, 20)  # Plan 119's unit reports


@pytest.mark.parametrize(
    ("at", "on_time"),
    [
        (datetime(2025, 11, 20, 23, 59, 59, tzinfo=VIETNAM), True),
        (datetime(2025, 11, 20, 23, 59, 59, 999999, tzinfo=VIETNAM), True),
        (datetime(2025, 11, 21, 0, 0, 0, tzinfo=VIETNAM), False),
        (datetime(2025, 11, 1, 8, 0, tzinfo=VIETNAM), True),
        # The same instants read on a server clock in UTC: Vietnam is 7 hours ahead.
        (datetime(2025, 11, 20, 16, 59, 59, tzinfo=UTC), True),
        (datetime(2025, 11, 20, 17, 0, 0, tzinfo=UTC), False),
        (datetime(2025, 11, 20, 3, 0, 0, tzinfo=UTC), True),
    ],
)
def test_on_time_is_read_in_vietnam_whatever_the_clock_zone(at, on_time):
    assert rules.on_time(at, DUE) is on_time


@pytest.mark.parametrize(("today", "left"), [(date(2025, 11, 13), 7), (DUE, 0), (date(2025, 11, 23), -3)])
def test_days_left(today, left):
    assert rules.days_left(DUE, today) == left


def test_days_left_across_a_year_and_a_leap_day():
    assert rules.days_left(date(2025, 1, 5), date(2024, 12, 20)) == 16
    assert rules.days_left(date(2024, 3, 1), date(2024, 2, 28)) == 2


DEFAULT = rules.offsets(days_before=rules.DAYS_BEFORE, days_after=rules.DAYS_AFTER)


def test_the_default_schedule_is_14_7_3_1_days_before_and_the_day_after():
    assert DEFAULT == [14, 7, 3, 1, -1]
    assert rules.offsets(days_before=[0, 3], days_after=[2, 1]) == [3, 0, -1, -2]


@pytest.mark.parametrize(
    ("day", "due", "skipped"),
    [
        (date(2025, 10, 1), None, []),
        (date(2025, 11, 5), None, []),
        (date(2025, 11, 6), 14, []),  # 14 days before 20/11
        (date(2025, 11, 12), 14, []),  # the 14-day reminder is still the latest due (sent already, or caught up)
        (date(2025, 11, 13), 7, [14]),
        (date(2025, 11, 17), 3, [14, 7]),
        (date(2025, 11, 19), 1, [14, 7, 3]),
        (date(2025, 11, 20), 1, [14, 7, 3]),  # no reminder on the due day by default
        (date(2025, 11, 21), -1, [14, 7, 3, 1]),
        (date(2025, 11, 28), -1, [14, 7, 3, 1]),  # 7 days late: still caught up
        (date(2025, 11, 29), None, []),  # 8 days late: too old to send
        (date(2026, 11, 20), None, []),
    ],
)
def test_the_reminder_due_is_the_latest_whose_day_has_come_the_earlier_ones_are_skipped(day, due, skipped):
    assert rules.reminder_plan(due_on=DUE, today=day, offsets=DEFAULT) == (due, skipped)


def test_a_schedule_without_days_after_reminds_nobody_after_the_due_day():
    offsets = rules.offsets(days_before=[7, 0], days_after=[])
    assert rules.reminder_plan(due_on=DUE, today=DUE, offsets=offsets) == (0, [7])
    assert rules.reminder_plan(due_on=DUE, today=DUE + timedelta(days=1), offsets=offsets) == (0, [7])
    assert rules.reminder_plan(due_on=DUE, today=DUE + timedelta(days=8), offsets=offsets) == (None, [])
    assert rules.reminder_plan(due_on=DUE, today=DUE, offsets=[]) == (None, [])


def test_the_reminder_window_holds_every_deadline_with_a_reminder_due_under_any_schedule():
    today = date(2025, 11, 15)
    first, last = rules.reminder_window(today)
    widest = rules.offsets(days_before=range(rules.MAX_DAYS + 1), days_after=range(1, rules.MAX_DAYS + 1))
    for offset in range(-100, 101):
        due_on = today + timedelta(days=offset)
        due, _skipped = rules.reminder_plan(due_on=due_on, today=today, offsets=widest)
        assert (due is not None) == (first <= due_on <= last), due_on


@pytest.mark.parametrize(
    ("before", "after", "fields"),
    [
        ([14, 7, 3, 1], [1], set()),
        ([], [], set()),
        ([0, 60], [60], set()),
        ([14, -1], [1], {"days_before"}),
        ([14], [-1], {"days_after"}),
        ([14], [0], {"days_after"}),
        ([61, 7], [1], {"days_before"}),
        ([7], [90], {"days_after"}),
        ([7, 3, 7], [1], {"days_before"}),
        ([7], [1, 1], {"days_after"}),
    ],
)
def test_a_schedule_with_a_negative_a_repeated_or_an_absurd_day_is_refused(before, after, fields):
    assert set(rules.schedule_problems(days_before=before, days_after=after)) == fields


def test_the_outbox_retries_after_1_2_4_8_16_minutes_then_gives_up():
    now = datetime(2025, 11, 20, 7, 0, tzinfo=VIETNAM)
    waits = [rules.mail_retry_at(now, attempts) for attempts in range(1, rules.MAIL_ATTEMPTS + 1)]
    assert [(at - now).total_seconds() / 60 for at in waits[:-1]] == [1, 2, 4, 8, 16]
    assert waits[-1] is None


@pytest.mark.parametrize(
    ("today", "opens_on", "shown"),
    [
        (date(2025, 8, 1), date(2025, 9, 1), False),
        (date(2025, 8, 2), date(2025, 9, 1), True),  # 30 days before it opens
        (date(2025, 12, 14), date(2025, 9, 1), True),
        (date(2025, 12, 15), date(2025, 9, 1), False),
        (date(2025, 11, 13), None, False),  # no opening day: from 30 days before the due day
        (date(2025, 11, 14), None, True),
    ],
)
def test_the_home_page_lists_a_deadline_from_30_days_before_it_opens_to_its_day(today, opens_on, shown):
    due_on = date(2025, 12, 14)
    assert rules.in_view(today=today, due_on=due_on, opens_on=opens_on) is shown
