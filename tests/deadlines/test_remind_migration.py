"""The move from three reminder kinds to offsets (deadlines migration 0003): every record keeps its deadline,
unit and time and gets the offset of its kind; every deadline kind gets its editable schedule."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from deadlines.models import ReminderSchedule, ReminderSent

BEFORE = [("deadlines", "0002_alter_deadline_action")]
AT = datetime(2025, 11, 13, 7, 0, 4, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh"))


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.mark.django_db(transaction=True)
def test_reminder_kinds_become_offsets_and_schedules_are_created(tree):
    song_an, vu_hoi = tree.commune("13249"), tree.commune("13255")
    old = migrate(BEFORE)
    Deadline = old.get_model("deadlines", "Deadline")
    OldReminder = old.get_model("deadlines", "ReminderSent")
    report = Deadline.objects.create(kind="unit_report", year=2025, title="Báo cáo năm 2025", due_on=date(2025, 11, 20))
    for unit, kind in [(song_an, "week_before"), (song_an, "due_today"), (song_an, "overdue"), (vu_hoi, "week_before")]:
        OldReminder.objects.create(deadline=report, unit_id=unit.pk, kind=kind, sent_at=AT)

    migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())

    rows = set(ReminderSent.objects.values_list("deadline_id", "unit_id", "offset", "state", "at"))
    assert rows == {
        (report.pk, song_an.pk, 7, "sent", AT),
        (report.pk, song_an.pk, 0, "sent", AT),
        (report.pk, song_an.pk, -1, "sent", AT),
        (report.pk, vu_hoi.pk, 7, "sent", AT),
    }
    schedules = {s.kind: (s.days_before, s.days_after) for s in ReminderSchedule.objects.all()}
    assert schedules["unit_report"] == ([14, 7, 3, 1], [1])
    assert schedules["provincial_summary"] == ([14, 7, 3, 1], [1])
    assert schedules["review_period"] == ([14, 7, 3, 1], [])
    assert len(schedules) == 6
