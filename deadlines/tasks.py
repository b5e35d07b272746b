"""Celery tasks of the deadlines app: thin wrappers around services."""

from celery import shared_task
from django.utils import timezone

from . import services


@shared_task
def send_reminders():
    """Daily: the reminders due today, each once (a rerun sends nothing twice, a missed day is caught up)."""
    return services.send_reminders(today=timezone.localdate())
