"""The daily reminder job through a real Celery worker (Redis broker, not eager) over 30 days around Plan 119's
deadlines — the unit reports due 20/11/2025 and DOLISA's provincial summary due 25/11/2025 — with a three-day
outage of the worker (17, 18 and 19 November), and the job run twice every morning it runs.

Expected, from the default schedule (14, 7, 3 and 1 days before, the day after) and the catch-up rule (the
latest reminder due only, the ones passed over recorded as skipped):

- unit reports: 6/11, 13/11, [17/11 lost in the outage: skipped], 19/11's reminder sent on 20/11, 21/11;
- the summary: 11/11, 18/11's reminder sent on 20/11, 22/11, 24/11, 26/11;
- a unit that delivers stops being reminded; a unit that owes nothing is never reminded.
"""

import threading
from datetime import date, datetime, timedelta

import pytest
import time_machine
from django.db import connection
from django.utils import translation
from django.utils.translation import gettext

from deadlines import services, tasks
from deadlines.models import Deadline, DeadlineKind, Fulfilment, Notification, OutboxMessage, ReminderSent
from units.roles import Action, Role

from .conftest import VIETNAM, morning

REPORT_DUE = date(2025, 11, 20)
SUMMARY_DUE = date(2025, 11, 25)
FIRST_DAY = date(2025, 10, 31)
DAYS = 30  # to 29/11: the 2025 review period's own reminders start on 30/11
OUTAGE = {date(2025, 11, 17), date(2025, 11, 18), date(2025, 11, 19)}
REPORT_TITLE = "Báo cáo kết quả thực hiện Phong trào thi đua “Vì người nghèo - Không để ai bị bỏ lại phía sau” năm 2025"
SUMMARY_TITLE = "Báo cáo tổng hợp kết quả Phong trào năm 2025 của Sở Lao động - Thương binh và Xã hội"

SENT, SKIPPED = "sent", "skipped"
D = date


def vi(msgid, **params):
    with translation.override("vi"):
        return gettext(msgid) % params


@pytest.fixture
def plan(tree, make_user):
    """The two deadlines, the units that owe them, and one responsible person per unit."""
    song_an, vu_hoi, dong_phuong = (tree.commune(code) for code in ("13249", "13255", "12694"))
    home_affairs, propaganda = tree.participant("Sở Nội vụ"), tree.participant("Ban Tuyên giáo")
    dolisa = tree.participant("Sở LĐ-TB&XH")
    report = Deadline.objects.create(
        kind=DeadlineKind.UNIT_REPORT, year=2025, title=REPORT_TITLE, due_on=REPORT_DUE, action=Action.REPORT
    )
    report.units.set([song_an, vu_hoi, dong_phuong, home_affairs, propaganda])
    summary = Deadline.objects.create(
        kind=DeadlineKind.PROVINCIAL_SUMMARY, year=2025, title=SUMMARY_TITLE, due_on=SUMMARY_DUE, action=Action.COMPILE
    )
    summary.units.set([dolisa])
    people = {
        "song_an": make_user(Role.COMMUNE_OFFICER, song_an, last_name="Nguyễn Thị", first_name="Huyền"),
        "vu_hoi": make_user(Role.COMMUNE_OFFICER, vu_hoi, last_name="Phạm Văn", first_name="Đức"),
        "dong_phuong": make_user(Role.COMMUNE_LEADER, dong_phuong, last_name="Lê Thị Thanh", first_name="Hương"),
        "home_affairs": make_user(Role.UNIT_REPORTER, home_affairs, last_name="Trịnh", first_name="Ngọc"),
        "propaganda": make_user(Role.UNIT_REPORTER, propaganda, last_name="Đỗ Minh", first_name="Khoa"),
        "dolisa": make_user(Role.DOLISA_STAFF, dolisa, last_name="Vũ Thị", first_name="Thanh"),
        # Owes nothing: a ward officer of the provincial city.
        "bystander": make_user(Role.COMMUNE_OFFICER, tree.commune("12433"), last_name="Hoàng", first_name="Yến"),
    }
    units = {
        "song_an": song_an,
        "vu_hoi": vu_hoi,
        "dong_phuong": dong_phuong,
        "home_affairs": home_affairs,
        "propaganda": propaganda,
        "dolisa": dolisa,
    }
    return report, summary, units, people


# Deliveries: (day, unit key, deadline): Ban Tuyên giáo on 10/11, Đông Phương on 16/11 (both in time), Vũ Hội on
# 22/11 (late); each at 10:00, after that morning's run.
DELIVERIES = {D(2025, 11, 10): ["propaganda"], D(2025, 11, 16): ["dong_phuong"], D(2025, 11, 22): ["vu_hoi"]}

# (offset, state, day recorded) for each unit of each deadline.
REPORT_NEVER_DELIVERED = [
    (14, SENT, D(2025, 11, 6)),
    (7, SENT, D(2025, 11, 13)),
    (3, SKIPPED, D(2025, 11, 20)),
    (1, SENT, D(2025, 11, 20)),
    (-1, SENT, D(2025, 11, 21)),
]
EXPECTED_REPORT = {
    "song_an": REPORT_NEVER_DELIVERED,
    "home_affairs": REPORT_NEVER_DELIVERED,
    "vu_hoi": REPORT_NEVER_DELIVERED,  # delivered on 22/11, after every reminder of the schedule
    "dong_phuong": REPORT_NEVER_DELIVERED[:2],
    "propaganda": REPORT_NEVER_DELIVERED[:1],
}
EXPECTED_SUMMARY = {
    "dolisa": [
        (14, SENT, D(2025, 11, 11)),
        (7, SENT, D(2025, 11, 20)),
        (3, SENT, D(2025, 11, 22)),
        (1, SENT, D(2025, 11, 24)),
        (-1, SENT, D(2025, 11, 26)),
    ]
}


def run_job(day):
    """The beat's morning run through the worker, with the clock at 07:00 in Vietnam that day."""
    with time_machine.travel(morning(day), tick=True):
        return tasks.send_reminders.delay().get(timeout=60)


def recorded(deadline, units):
    key_of = {unit.pk: key for key, unit in units.items()}
    rows = {}
    for unit_id, offset, state, at in ReminderSent.objects.filter(deadline=deadline).values_list(
        "unit_id", "offset", "state", "at"
    ):
        rows.setdefault(key_of[unit_id], []).append((offset, state, at.astimezone(VIETNAM).date()))
    return {key: sorted(found, key=lambda row: -row[0]) for key, found in rows.items()}


def inbox(user, deadline_title):
    return [
        (n.created.astimezone(VIETNAM).date(), n.title)
        for n in Notification.objects.filter(recipient=user).order_by("created", "pk")
        if deadline_title in n.title
    ]


def test_thirty_days_with_an_outage_no_duplicate_no_gap_only_the_late_units(celery_worker, plan):
    report, summary, units, people = plan
    reminded = {}
    for day in (FIRST_DAY + timedelta(days=n) for n in range(DAYS)):
        if day not in OUTAGE:
            reminded[day] = run_job(day)
            assert run_job(day) == 0, f"the second run on {day} sent something"
        for key in DELIVERIES.get(day, []):
            at = datetime(day.year, day.month, day.day, 10, 0, tzinfo=VIETNAM)
            Fulfilment.objects.create(deadline=report, unit=units[key], at=at)

    assert recorded(report, units) == EXPECTED_REPORT
    assert recorded(summary, units) == EXPECTED_SUMMARY
    assert {day: count for day, count in reminded.items() if count} == {
        D(2025, 11, 6): 5,
        D(2025, 11, 11): 1,
        D(2025, 11, 13): 4,  # Ban Tuyên giáo delivered on 10/11
        D(2025, 11, 20): 3 + 1,  # Song An, Sở Nội vụ, Vũ Hội (1 day before, a day late), DOLISA (7 days before)
        D(2025, 11, 21): 3,
        D(2025, 11, 22): 1,
        D(2025, 11, 24): 1,
        D(2025, 11, 26): 1,
    }

    def before(title, due):
        return vi("%(deadline)s is due on %(due)s", deadline=title, due=due)

    today = vi("%(deadline)s is due today (%(due)s)", deadline=REPORT_TITLE, due="20/11/2025")
    late = vi("%(deadline)s was due on %(due)s", deadline=REPORT_TITLE, due="20/11/2025")
    report_before = before(REPORT_TITLE, "20/11/2025")
    assert inbox(people["song_an"], REPORT_TITLE) == [
        (D(2025, 11, 6), report_before),
        (D(2025, 11, 13), report_before),
        (D(2025, 11, 20), today),
        (D(2025, 11, 21), late),
    ]
    assert inbox(people["vu_hoi"], REPORT_TITLE) == inbox(people["song_an"], REPORT_TITLE)
    assert inbox(people["home_affairs"], REPORT_TITLE) == inbox(people["song_an"], REPORT_TITLE)
    assert inbox(people["dong_phuong"], REPORT_TITLE) == [
        (D(2025, 11, 6), report_before),
        (D(2025, 11, 13), report_before),
    ]
    assert inbox(people["propaganda"], REPORT_TITLE) == [(D(2025, 11, 6), report_before)]
    summary_before = before(SUMMARY_TITLE, "25/11/2025")
    assert inbox(people["dolisa"], SUMMARY_TITLE) == [
        (D(2025, 11, 11), summary_before),
        (D(2025, 11, 20), summary_before),
        (D(2025, 11, 22), summary_before),
        (D(2025, 11, 24), summary_before),
        (D(2025, 11, 26), vi("%(deadline)s was due on %(due)s", deadline=SUMMARY_TITLE, due="25/11/2025")),
    ]
    assert not Notification.objects.filter(recipient=people["bystander"]).exists()
    assert not Notification.objects.filter(recipient=people["dolisa"], title__contains=REPORT_TITLE).exists()

    # Every notification has its mail queued once; the outbox's task sends each once.
    notifications = Notification.objects.count()
    assert OutboxMessage.objects.filter(state="queued").count() == notifications == 4 + 4 + 4 + 2 + 1 + 5
    with time_machine.travel(morning(D(2025, 11, 30)), tick=True):
        assert tasks.send_outbox.delay().get(timeout=60) == {"sent": notifications}
        assert tasks.send_outbox.delay().get(timeout=60) == {}
    assert OutboxMessage.objects.filter(state="sent").count() == notifications


def _run_in_threads(count, target):
    barrier = threading.Barrier(count)
    results, errors = [], []

    def run():
        try:
            barrier.wait(timeout=10)
            results.append(target())
        except Exception as exc:  # reported to the test below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not errors, errors
    return results


@pytest.mark.django_db(transaction=True)
def test_two_runs_at_once_remind_each_unit_once(plan):
    *_deadlines_and_units, people = plan
    day = D(2025, 11, 19)
    results = _run_in_threads(3, lambda: services.send_reminders(today=day))
    assert sum(results) == 5 + 1  # the five units owing the report, DOLISA (summary: 7 days before, a day late)
    assert ReminderSent.objects.filter(state=SENT).count() == 6
    assert Notification.objects.filter(recipient=people["song_an"]).count() == 1
    assert OutboxMessage.objects.filter(to=people["song_an"].email).count() == 1


@pytest.mark.django_db(transaction=True)
def test_a_run_that_dies_half_way_leaves_nothing_half_done_and_the_next_run_sends_the_rest(plan, monkeypatch):
    """The job dies while notifying for the second deadline: the first deadline's reminders are complete
    (records, notifications, mails), the second's left nothing behind, and the rerun sends exactly those."""
    report, _summary, _units, people = plan
    day = D(2025, 11, 20)
    deliver = services._deliver
    calls = []

    def dying(notifications):
        calls.append(len(notifications))
        if len(calls) == 2:
            raise ConnectionError("worker lost")
        return deliver(notifications)

    monkeypatch.setattr(services, "_deliver", dying)
    with pytest.raises(ConnectionError):
        services.send_reminders(today=day)
    assert set(ReminderSent.objects.values_list("deadline_id", flat=True)) == {report.pk}
    assert not Notification.objects.filter(recipient=people["dolisa"]).exists()
    assert OutboxMessage.objects.count() == Notification.objects.count() == 5

    monkeypatch.setattr(services, "_deliver", deliver)
    assert services.send_reminders(today=day) == 1
    assert Notification.objects.filter(recipient=people["dolisa"]).count() == 1
    assert services.send_reminders(today=day) == 0
    assert OutboxMessage.objects.count() == Notification.objects.count() == 6
