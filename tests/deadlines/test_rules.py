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


@pytest.mark.parametrize(
    ("offset", "kind"),
    [
        (-30, None),
        (-8, None),
        (-7, rules.WEEK_BEFORE),
        (-3, rules.WEEK_BEFORE),
        (-1, rules.WEEK_BEFORE),
        (0, rules.DUE_TODAY),
        (1, rules.OVERDUE),
        (7, rules.OVERDUE),
        (8, None),
        (400, None),
    ],
)
def test_which_reminder_is_due_on_each_day(offset, kind):
    assert rules.reminder_due(due_on=DUE, today=DUE + timedelta(days=offset)) == kind


@pytest.mark.parametrize("offset", [1, 4, 7])
def test_a_deadline_without_an_overdue_reminder_has_none_after_its_day(offset):
    assert rules.reminder_due(due_on=DUE, today=DUE + timedelta(days=offset), overdue=False) is None
    assert rules.reminder_due(due_on=DUE, today=DUE, overdue=False) == rules.DUE_TODAY


def test_the_reminder_window_holds_every_deadline_with_a_reminder_due():
    today = date(2025, 11, 15)
    first, last = rules.reminder_window(today)
    for offset in range(-40, 41):
        due_on = today + timedelta(days=offset)
        due = rules.reminder_due(due_on=due_on, today=today) is not None
        assert due == (first <= due_on <= last), due_on


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
