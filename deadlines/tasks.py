"""Celery tasks of the deadlines app: thin wrappers around services."""

from celery import shared_task
from django.utils import timezone

from . import services


@shared_task
def send_reminders():
    """Daily: the reminders due today, each once (a rerun sends nothing twice, missed days are caught up with the
    latest reminder due)."""
    return services.send_reminders(today=timezone.localdate())


@shared_task
def send_outbox():
    """Every minute: the queued mail that is due, with retries."""
    return services.send_outbox()
