"""The daily reminders: each unit that still owes a deadline is reminded at each offset of its schedule once — a
rerun sends nothing twice, missed days are caught up with the latest reminder only — and each person gets one
notification naming their units. (The same over a 30-day window through a real worker: test_remind_window.py.)"""

from datetime import date, timedelta

import time_machine
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

from deadlines import services, tasks
from deadlines.models import (
    Deadline,
    DeadlineKind,
    Fulfilment,
    Notification,
    OutboxMessage,
    ReminderSchedule,
    ReminderSent,
    ReviewPeriod,
)
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


def records(report):
    return sorted(ReminderSent.objects.filter(deadline=report).values_list("offset", "state").distinct())


def test_each_reminder_is_sent_once_a_rerun_and_the_following_days_send_nothing_twice(
    report, officer, vu_hoi_officer, district_officer
):
    communes = owing_count(report)
    assert communes > 20
    before = vi("%(deadline)s is due on %(due)s", deadline=TITLE, due="20/11/2025")
    late = vi("%(deadline)s was due on %(due)s", deadline=TITLE, due="20/11/2025")

    sent = {}
    for day in (DUE + timedelta(days=offset) for offset in range(-20, 10)):  # the review period reminds from 30/11
        sent[day] = run_on(day)
        assert run_on(day) == 0  # the same morning again (a retried task)
    reminder_days = {date(2025, 11, 6), date(2025, 11, 13), date(2025, 11, 17), date(2025, 11, 19), date(2025, 11, 21)}
    assert {day for day, count in sent.items() if count} == reminder_days
    assert all(sent[day] == communes for day in reminder_days)
    assert [title for title in titles(officer) if TITLE in title] == [before] * 4 + [late]
    assert [title for title in titles(vu_hoi_officer) if TITLE in title] == [before] * 4 + [late]
    assert len([t for t in titles(district_officer) if TITLE in t]) == 5, "one notification for all its communes"
    assert records(report) == [(-1, "sent"), (1, "sent"), (3, "sent"), (7, "sent"), (14, "sent")]
    assert ReminderSent.objects.filter(deadline=report).count() == 5 * communes


def test_missed_mornings_are_caught_up_with_the_latest_reminder_only(report, officer):
    """Beat did not run from the 13th to the 18th (the worker was down): on the 19th only the 1-day reminder goes
    out; the 7- and 3-day ones are recorded as skipped and never sent, and the 14-day one was sent on its day."""
    assert run_on(date(2025, 11, 6)) == owing_count(report)
    assert run_on(date(2025, 11, 19)) == owing_count(report)
    assert records(report) == [(1, "sent"), (3, "skipped"), (7, "skipped"), (14, "sent")]
    assert len(titles(officer)) == 2
    assert run_on(date(2025, 11, 20)) == 0
    assert len(titles(officer)) == 2


def test_a_deadline_entered_late_sends_the_latest_reminder_due_not_a_burst(report, officer):
    assert run_on(date(2025, 11, 18)) == owing_count(report)
    assert records(report) == [(3, "sent"), (7, "skipped"), (14, "skipped")]
    assert titles(officer) == [vi("%(deadline)s is due on %(due)s", deadline=TITLE, due="20/11/2025")]


def test_the_schedule_an_administrator_set_is_followed(report, officer):
    ReminderSchedule.objects.update_or_create(
        kind=DeadlineKind.UNIT_REPORT, defaults={"days_before": [10, 0], "days_after": [3]}
    )
    sent = {day: run_on(day) for day in (DUE + timedelta(days=offset) for offset in range(-20, 10))}
    assert {day for day, count in sent.items() if count} == {date(2025, 11, 10), DUE, date(2025, 11, 23)}
    assert titles(officer)[1] == vi("%(deadline)s is due today (%(due)s)", deadline=TITLE, due="20/11/2025")


def test_the_body_names_the_units_and_counts_the_rest(report, officer, district_officer, song_an):
    run_on(DUE - timedelta(days=3))
    mine = Notification.objects.get(recipient=officer)
    assert mine.body == vi("Still owed by: %(units)s.", units=song_an.name)
    assert mine.url == reverse("reports:unit_reports")  # the unit report list, where Song An opens its report
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

    run_on(DUE - timedelta(days=1))
    assert titles(officer) == []
    assert titles(ended_officer) == []
    assert len(titles(ending_officer)) == 1


def test_a_review_period_has_no_reminder_after_it_closes(tree, officer):
    period = ReviewPeriod.objects.get(year=2025)
    assert run_on(period.closes_on - timedelta(days=1)) > 0
    with translation.override("vi"):
        label = period.label
    assert titles(officer) == [vi("%(deadline)s is due on %(due)s", deadline=label, due="14/12/2025")]
    for offset in range(10):
        assert run_on(period.closes_on + timedelta(days=offset)) == 0
    assert len(titles(officer)) == 1


def test_a_deadline_long_past_reminds_nobody(report, officer):
    Deadline.objects.filter(pk=report.pk).update(due_on=date(2024, 11, 20), opens_on=date(2024, 10, 1))
    assert run_on(date(2025, 11, 18)) == 0
    assert not Notification.objects.exists()


def test_reminder_mails_are_queued_with_the_notifications_and_sent_by_the_outbox(report, officer, mailoutbox, settings):
    settings.SITE_URL = "https://vnn.thaibinh.gov.vn"
    run_on(DUE - timedelta(days=1))
    assert not mailoutbox, "nothing is mailed inside the reminders' transaction"
    queued = OutboxMessage.objects.get(to=officer.email)
    assert (queued.subject, queued.state, queued.attempts) == (titles(officer)[0], "queued", 0)
    assert "https://vnn.thaibinh.gov.vn/" in queued.body

    sent = services.send_outbox()
    assert sent == {"sent": OutboxMessage.objects.count()}
    mails = [m for m in mailoutbox if m.to == [officer.email]]
    assert len(mails) == 1
    assert mails[0].subject == titles(officer)[0]
    assert "https://vnn.thaibinh.gov.vn/" in mails[0].body
    assert services.send_outbox() == {}
    assert len(mailoutbox) == OutboxMessage.objects.count()
