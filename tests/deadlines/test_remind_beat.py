"""Beat's schedules come from one command, idempotent: the daily reminder job at 07:00 and the mail outbox every
minute; running it again leaves the same rows."""

import io

import pytest
from django.core.management import call_command
from django_celery_beat.models import CrontabSchedule, PeriodicTask


def rows():
    tasks = PeriodicTask.objects.select_related("crontab").order_by("name")
    return [
        (t.pk, t.name, t.task, t.enabled, t.crontab.minute, t.crontab.hour, str(t.crontab.timezone)) for t in tasks
    ], sorted(CrontabSchedule.objects.values_list("pk", flat=True))


@pytest.mark.django_db
def test_the_reminders_and_the_outbox_are_scheduled_once_however_often_the_command_runs():
    call_command("setup_periodic_tasks", stdout=io.StringIO())
    first = rows()
    by_task = {task: (minute, hour, zone) for _pk, _name, task, _on, minute, hour, zone in first[0]}
    assert by_task["deadlines.tasks.send_reminders"] == ("0", "7", "Asia/Ho_Chi_Minh")
    assert by_task["deadlines.tasks.send_outbox"] == ("*", "*", "Asia/Ho_Chi_Minh")
    call_command("setup_periodic_tasks", stdout=io.StringIO())
    assert rows() == first
