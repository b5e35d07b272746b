"""Reminders by schedule offsets instead of three kinds, the administrator's reminder schedules, the mail outbox.

Existing reminder records keep their time and become offsets: 7 days before (the week-before reminder), the due
day (0) and the day after (-1, the overdue reminder)."""

import django.contrib.postgres.fields
from django.db import migrations, models

import deadlines.models

KIND_OFFSETS = {"week_before": 7, "due_today": 0, "overdue": -1}
SCHEDULES = {
    "review_period": ([14, 7, 3, 1], []),  # entry locks when the period closes: nothing to remind of afterwards
    "unit_report": ([14, 7, 3, 1], [1]),
    "provincial_summary": ([14, 7, 3, 1], [1]),
    "plan_milestone": ([14, 7, 3, 1], [1]),
    "good_practices": ([14, 7, 3, 1], [1]),
    "other": ([14, 7, 3, 1], [1]),
}


def kinds_to_offsets(apps, schema_editor):
    ReminderSent = apps.get_model("deadlines", "ReminderSent")
    for kind, offset in KIND_OFFSETS.items():
        ReminderSent.objects.filter(kind=kind).update(offset=offset)
    ReminderSchedule = apps.get_model("deadlines", "ReminderSchedule")
    for kind, (before, after) in SCHEDULES.items():
        ReminderSchedule.objects.get_or_create(kind=kind, defaults={"days_before": before, "days_after": after})


def offsets_to_kinds(apps, schema_editor):
    ReminderSent = apps.get_model("deadlines", "ReminderSent")
    ReminderSent.objects.exclude(offset__in=KIND_OFFSETS.values(), state="sent").delete()
    for kind, offset in KIND_OFFSETS.items():
        ReminderSent.objects.filter(offset=offset).update(kind=kind)


class Migration(migrations.Migration):
    dependencies = [
        ("deadlines", "0002_alter_deadline_action"),
    ]

    operations = [
        migrations.CreateModel(
            name="OutboxMessage",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("to", models.EmailField(max_length=254, verbose_name="to")),
                ("subject", models.CharField(max_length=255, verbose_name="subject")),
                ("body", models.TextField(blank=True, verbose_name="text")),
                (
                    "state",
                    models.CharField(
                        choices=[("queued", "queued"), ("sent", "sent"), ("failed", "failed")],
                        default="queued",
                        max_length=10,
                        verbose_name="state",
                    ),
                ),
                ("attempts", models.PositiveSmallIntegerField(default=0, verbose_name="attempts")),
                ("last_error", models.TextField(blank=True, verbose_name="last error")),
                ("next_attempt_at", models.DateTimeField(blank=True, null=True, verbose_name="next attempt")),
                ("created", models.DateTimeField(auto_now_add=True, verbose_name="created")),
                ("sent_at", models.DateTimeField(blank=True, null=True, verbose_name="sent at")),
            ],
            options={
                "verbose_name": "outgoing mail",
                "verbose_name_plural": "outgoing mail",
                "ordering": ["-created", "-pk"],
                "indexes": [
                    models.Index(
                        condition=models.Q(("state", "queued")), fields=["next_attempt_at", "id"], name="outbox_queue"
                    )
                ],
                "constraints": [
                    models.CheckConstraint(
                        condition=models.Q(
                            models.Q(("state", "queued"), _negated=True),
                            ("next_attempt_at__isnull", False),
                            _connector="OR",
                        ),
                        name="outbox_queued_has_time",
                    )
                ],
            },
        ),
        migrations.CreateModel(
            name="ReminderSchedule",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                (
                    "kind",
                    models.CharField(
                        choices=[
                            ("review_period", "Review period"),
                            ("unit_report", "Unit report"),
                            ("provincial_summary", "Provincial summary"),
                            ("plan_milestone", "Plan milestone"),
                            ("good_practices", "Good-practice compilation"),
                            ("other", "Other deadline"),
                        ],
                        max_length=30,
                        unique=True,
                        verbose_name="deadline kind",
                    ),
                ),
                (
                    "days_before",
                    django.contrib.postgres.fields.ArrayField(
                        base_field=models.SmallIntegerField(),
                        blank=True,
                        default=deadlines.models.default_days_before,
                        help_text="Comma-separated, e.g. 14,7,3,1; 0 is the due day itself.",
                        size=None,
                        verbose_name="days before the due day",
                    ),
                ),
                (
                    "days_after",
                    django.contrib.postgres.fields.ArrayField(
                        base_field=models.SmallIntegerField(),
                        blank=True,
                        default=deadlines.models.default_days_after,
                        help_text="Comma-separated, e.g. 1 for the day after; empty for none.",
                        size=None,
                        verbose_name="days after the due day",
                    ),
                ),
            ],
            options={
                "verbose_name": "reminder schedule",
                "verbose_name_plural": "reminder schedules",
                "ordering": ["kind"],
            },
        ),
        migrations.RenameField(model_name="remindersent", old_name="sent_at", new_name="at"),
        migrations.AlterField(
            model_name="remindersent", name="at", field=models.DateTimeField(verbose_name="recorded at")
        ),
        migrations.AddField(
            model_name="remindersent",
            name="offset",
            field=models.SmallIntegerField(
                null=True, help_text="Negative: days after it.", verbose_name="days before the due day"
            ),
        ),
        migrations.AddField(
            model_name="remindersent",
            name="state",
            field=models.CharField(
                choices=[("sent", "sent"), ("skipped", "skipped (a later reminder was due)")],
                default="sent",
                max_length=10,
                verbose_name="state",
            ),
        ),
        migrations.AlterField(
            model_name="remindersent",
            name="kind",
            field=models.CharField(
                choices=[("week_before", "7 days before"), ("due_today", "due today"), ("overdue", "overdue")],
                max_length=20,
                null=True,
                verbose_name="reminder",
            ),
        ),
        migrations.RunPython(kinds_to_offsets, offsets_to_kinds),
        migrations.RemoveConstraint(model_name="remindersent", name="one_reminder_of_a_kind"),
        migrations.RemoveField(model_name="remindersent", name="kind"),
        migrations.AlterField(
            model_name="remindersent",
            name="offset",
            field=models.SmallIntegerField(
                help_text="Negative: days after it.", verbose_name="days before the due day"
            ),
        ),
        migrations.AddConstraint(
            model_name="remindersent",
            constraint=models.UniqueConstraint(fields=("deadline", "unit", "offset"), name="one_reminder_per_offset"),
        ),
    ]
