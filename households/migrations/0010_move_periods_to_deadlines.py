"""Review periods and their reopenings move to the deadlines app: each period becomes a deadline of kind
"review_period" (communes owe it, entry closes after its due day), each reopening a deadlines reopening with its
commune, day, reason, author and time. Then the registry's own tables go. A fresh database gets the default
periods from households.reference (0002 no longer seeds them)."""

from django.db import migrations

from households import reference

COPY = """
INSERT INTO deadlines_deadline (kind, year, title, opens_on, due_on, action, unit_kinds, within_id)
SELECT 'review_period', p.year, '', p.opens_on, p.closes_on, 'edit_registry', ARRAY['commune'], NULL
FROM households_reviewperiod p ORDER BY p.year;
INSERT INTO deadlines_reopening (deadline_id, unit_id, until, reason, by_id, at)
SELECT d.id, o.unit_id, o.until, o.reason, o.by_id, o.at
FROM households_periodreopening o
JOIN households_reviewperiod p ON p.id = o.period_id
JOIN deadlines_deadline d ON d.kind = 'review_period' AND d.year = p.year
ORDER BY o.id;
"""

COPY_BACK = """
INSERT INTO households_reviewperiod (year, opens_on, closes_on)
SELECT d.year, d.opens_on, d.due_on FROM deadlines_deadline d WHERE d.kind = 'review_period' ORDER BY d.year;
INSERT INTO households_periodreopening (period_id, unit_id, until, reason, by_id, at)
SELECT p.id, o.unit_id, o.until, o.reason, o.by_id, o.at
FROM deadlines_reopening o
JOIN deadlines_deadline d ON d.id = o.deadline_id AND d.kind = 'review_period'
JOIN households_reviewperiod p ON p.year = d.year
ORDER BY o.id;
DELETE FROM deadlines_reopening o USING deadlines_deadline d WHERE d.id = o.deadline_id AND d.kind = 'review_period';
DELETE FROM deadlines_remindersent o USING deadlines_deadline d WHERE d.id = o.deadline_id AND d.kind = 'review_period';
DELETE FROM deadlines_fulfilment o USING deadlines_deadline d WHERE d.id = o.deadline_id AND d.kind = 'review_period';
DELETE FROM deadlines_deadline_units o USING deadlines_deadline d WHERE d.id = o.deadline_id AND d.kind = 'review_period';
DELETE FROM deadlines_deadline WHERE kind = 'review_period';
"""


def copy_periods(apps, schema_editor):
    schema_editor.execute(COPY)
    reference.seed_periods(apps.get_model)


def copy_back(apps, schema_editor):
    schema_editor.execute(COPY_BACK)


class Migration(migrations.Migration):
    dependencies = [
        ("households", "0009_review_village"),
        ("deadlines", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(copy_periods, copy_back),
        migrations.RemoveField(
            model_name="periodreopeningevent",
            name="pgh_obj",
        ),
        migrations.RemoveField(
            model_name="periodreopeningevent",
            name="by",
        ),
        migrations.RemoveField(
            model_name="periodreopeningevent",
            name="period",
        ),
        migrations.RemoveField(
            model_name="periodreopeningevent",
            name="pgh_context",
        ),
        migrations.RemoveField(
            model_name="periodreopeningevent",
            name="unit",
        ),
        migrations.DeleteModel(
            name="PeriodReopening",
        ),
        migrations.DeleteModel(
            name="ReviewPeriod",
        ),
        migrations.DeleteModel(
            name="PeriodReopeningEvent",
        ),
    ]
