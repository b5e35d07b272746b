"""Celery tasks of the registry: thin wrappers around services."""

import pghistory
from celery import shared_task
from django.utils import timezone

from . import services


@shared_task
def lock_closed_periods():
    """Daily: lock the reviews of periods that have closed (idempotent; a missed day is caught up)."""
    with pghistory.context(task="lock_closed_periods"):
        return services.lock_closed_periods(today=timezone.localdate())
