"""Declare the periodic tasks run by Celery beat (DatabaseScheduler); safe to run on every deploy."""

from django.core.management.base import BaseCommand
from django.db import transaction
from django_celery_beat.models import CrontabSchedule, PeriodicTask

# name: (task, minute, hour) — times in the project's time zone (Asia/Ho_Chi_Minh).
PERIODIC_TASKS = {
    "Lock reviews of closed periods": ("households.tasks.lock_closed_periods", "5", "0"),
    "Snapshot the registry's figures": ("households.tasks.refresh_figures", "30", "1"),
    "Send deadline reminders": ("deadlines.tasks.send_reminders", "0", "7"),
    "Send queued mail": ("deadlines.tasks.send_outbox", "*", "*"),  # every minute
    "Clean up old exports and unconfirmed imports": ("imports.tasks.clean_up_files", "30", "2"),
}


class Command(BaseCommand):
    help = "Create or update the periodic tasks of Celery beat."

    @transaction.atomic
    def handle(self, *args, **options):
        for name, (task, minute, hour) in PERIODIC_TASKS.items():
            schedule, _ = CrontabSchedule.objects.get_or_create(
                minute=minute,
                hour=hour,
                day_of_week="*",
                day_of_month="*",
                month_of_year="*",
                timezone="Asia/Ho_Chi_Minh",
            )
            PeriodicTask.objects.update_or_create(name=name, defaults={"task": task, "crontab": schedule})
        self.stdout.write(f"{len(PERIODIC_TASKS)} periodic task(s) declared.")
