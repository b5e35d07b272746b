"""The daily reminders: each unit that still owes a deadline is reminded of each kind once — a rerun sends nothing
twice, a missed day is caught up — and each person gets one notification naming their units."""

from datetime import date, timedelta

import time_machine
from django.utils import translation
from django.utils.translation import gettext

from deadlines import services, tasks
from deadlines.models import Deadline, Fulfilment, Notification, ReminderSent, ReviewPeriod
from units.choices import UnitCategory, UnitKind
from units.models import Unit
from units.roles import Role

from .conftest import DUE, TITLE, morning


def run_on(day):
    with time_machine.travel(morning(day), tick=False):
        return tasks.send_reminders()


def titles(user):
    return list(Notification.objects.filter(recipient=user).order_by("pk").values_list("title", flat=True))


def vi(msgid, **params):
    with translation.override("vi"):
        return gettext(msgid) % params


def owing_count(report):
    return Unit.objects.active_on(DUE).filter(kind=UnitKind.COMMUNE, path__startswith=report.within.path).count()


def test_each_reminder_is_sent_once_a_rerun_and_the_following_days_send_nothing_twice(
    report, officer, vu_hoi_officer, district_officer
):
    communes = owing_count(report)
    assert communes > 20

    assert run_on(DUE - timedelta(days=7)) == communes
    week = vi("%(deadline)s is due on %(due)s", deadline=TITLE, due="20/11/2025")
    assert titles(officer) == [week]
    assert titles(vu_hoi_officer) == [week]
    assert titles(district_officer) == [week], "one notification for all the district's communes"

    assert run_on(DUE - timedelta(days=7)) == 0  # the same morning again (a retried task)
    for offset in range(6, 0, -1):
        assert run_on(DUE - timedelta(days=offset)) == 0
    assert titles(officer) == [week]

    assert run_on(DUE) == communes
    assert run_on(DUE) == 0
    today = vi("%(deadline)s is due today (%(due)s)", deadline=TITLE, due="20/11/2025")
    assert titles(officer) == [week, today]

    assert run_on(DUE + timedelta(days=1)) == communes
    late = vi("%(deadline)s was due on %(due)s", deadline=TITLE, due="20/11/2025")
    for offset in range(1, 30):  # from 7/12 the review period's own reminders start: not this deadline's
        run_on(DUE + timedelta(days=offset))
        assert ReminderSent.objects.filter(deadline=report).count() == 3 * communes
    assert [title for title in titles(officer) if TITLE in title] == [week, today, late]


def test_a_missed_morning_is_caught_up_the_next_day(report, officer):
    """Beat did not run on the 13th and the 14th (the worker was down): the week-before reminder goes on the 15th."""
    assert run_on(date(2025, 11, 15)) == owing_count(report)
    assert titles(officer) == [vi("%(deadline)s is due on %(due)s", deadline=TITLE, due="20/11/2025")]
    assert run_on(date(2025, 11, 16)) == 0


def test_the_body_names_the_units_and_counts_the_rest(report, officer, district_officer, song_an):
    run_on(DUE - timedelta(days=3))
    mine = Notification.objects.get(recipient=officer)
    assert mine.body == vi("Still owed by: %(units)s.", units=song_an.name)
    assert mine.url == "/"
    district = Notification.objects.get(recipient=district_officer)
    more = owing_count(report) - services.NAMED_UNITS
    with translation.override("vi"):
        tail = translation.ngettext("%(names)s and %(count)d more unit", "%(names)s and %(count)d more units", more)
    assert tail.split("%(count)d")[1].strip() in district.body
    assert f" {more} " in district.body


def test_units_that_delivered_or_are_not_in_force_on_the_due_day_are_not_reminded(report, officer, make_user, song_an):
    district = song_an.parent
    ended = Unit.objects.create(
        kind=UnitKind.COMMUNE,
        category=UnitCategory.COMMUNE_RURAL,
        name="Xã Hồng Lý cũ",
        parent=district,
        valid_to=date(2025, 6, 30),
    )
    ending = Unit.objects.create(
        kind=UnitKind.COMMUNE,
        category=UnitCategory.COMMUNE_RURAL,
        name="Xã Việt Hùng",
        parent=district,
        valid_to=date(2026, 6, 30),  # ends with a future reorganisation: still in force on the due day
    )
    ended_officer = make_user(Role.COMMUNE_OFFICER, ended)
    ending_officer = make_user(Role.COMMUNE_OFFICER, ending)
    Fulfilment.objects.create(deadline=report, unit=song_an, at=morning(date(2025, 11, 10)))

    run_on(DUE)
    assert titles(officer) == []
    assert titles(ended_officer) == []
    assert len(titles(ending_officer)) == 1


def test_a_review_period_has_no_overdue_reminder(tree, officer):
    period = ReviewPeriod.objects.get(year=2025)
    assert run_on(period.closes_on) > 0
    with translation.override("vi"):
        label = period.label
    assert titles(officer) == [vi("%(deadline)s is due today (%(due)s)", deadline=label, due="14/12/2025")]
    assert run_on(period.closes_on + timedelta(days=1)) == 0
    assert len(titles(officer)) == 1


def test_a_deadline_long_past_reminds_nobody(report, officer):
    Deadline.objects.filter(pk=report.pk).update(due_on=date(2024, 11, 20), opens_on=date(2024, 10, 1))
    assert run_on(date(2025, 11, 18)) == 0
    assert not Notification.objects.exists()


def test_reminders_are_mailed_once_the_transaction_commits(
    report, officer, mailoutbox, django_capture_on_commit_callbacks, settings
):
    settings.SITE_URL = "https://vnn.thaibinh.gov.vn"
    with django_capture_on_commit_callbacks(execute=True):
        run_on(DUE)
    mails = [m for m in mailoutbox if m.to == [officer.email]]
    assert len(mails) == 1
    assert mails[0].subject == titles(officer)[0]
    assert "https://vnn.thaibinh.gov.vn/" in mails[0].body
