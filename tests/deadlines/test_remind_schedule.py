"""The reminder schedule is data an administrator edits in the admin: days before and after the due day,
refused with a Vietnamese message (and nothing saved) when a day is negative, given twice or absurdly far."""

import pytest
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

from deadlines.models import DeadlineKind, ReminderSchedule
from units.roles import Role


def vi(msgid, **params):
    with translation.override("vi"):
        return gettext(msgid) % params


@pytest.fixture
def admin_client(client, tree, make_user):
    admin = make_user(Role.ADMIN, tree.province, username="quantri.tinh", is_staff=True, is_superuser=True)
    client.force_login(admin)
    return client


@pytest.fixture
def schedule(db):
    return ReminderSchedule.objects.update_or_create(
        kind=DeadlineKind.UNIT_REPORT, defaults={"days_before": [14, 7, 3, 1], "days_after": [1]}
    )[0]


def post(client, schedule, before, after):
    url = reverse("admin:deadlines_reminderschedule_change", args=[schedule.pk])
    data = {"kind": schedule.kind, "days_before": before, "days_after": after}
    return client.post(url, data, HTTP_ACCEPT_LANGUAGE="vi")


@pytest.mark.parametrize(
    ("before", "after", "message"),
    [
        ("14,7,-3", "1", "Give days as positive numbers: put reminders after the due day in the “days after” list."),
        ("14", "-1", "Give days as positive numbers: put reminders after the due day in the “days after” list."),
        ("14", "0", "Count the days after the due day from 1 (the due day itself is 0 days before)."),
        ("7,3,7", "1", "Give each day only once."),
    ],
)
def test_a_negative_or_repeated_day_is_refused_in_vietnamese_and_nothing_is_saved(
    admin_client, schedule, before, after, message
):
    response = post(admin_client, schedule, before, after)
    assert response.status_code == 200
    assert vi(message) in response.content.decode()
    assert vi(message) != message, "translated"
    schedule.refresh_from_db()
    assert (schedule.days_before, schedule.days_after) == ([14, 7, 3, 1], [1])


def test_a_day_further_than_60_days_is_refused(admin_client, schedule):
    response = post(admin_client, schedule, "90,7", "1")
    assert vi("A reminder can be at most %(max)d days from the due day.", max=60) in response.content.decode()
    schedule.refresh_from_db()
    assert schedule.days_before == [14, 7, 3, 1]


def test_a_valid_schedule_is_saved_and_listed(admin_client, schedule):
    assert post(admin_client, schedule, "10,5,0", "2").status_code == 302
    schedule.refresh_from_db()
    assert (schedule.days_before, schedule.days_after) == ([10, 5, 0], [2])
    assert schedule.offsets == [10, 5, 0, -2]
    page = admin_client.get(reverse("admin:deadlines_reminderschedule_changelist"), HTTP_ACCEPT_LANGUAGE="vi")
    assert vi("Unit report") in page.content.decode()


def test_a_kind_without_a_row_follows_the_default(db):
    ReminderSchedule.objects.all().delete()
    from deadlines import services

    schedules = services.reminder_schedules()
    assert schedules[DeadlineKind.UNIT_REPORT].offsets == [14, 7, 3, 1, -1]
    assert schedules[DeadlineKind.REVIEW_PERIOD].offsets == [14, 7, 3, 1]
