"""Celery tasks of the registry: thin wrappers around services."""

from celery import shared_task
from django.utils import timezone

from . import services


@shared_task
def lock_closed_periods():
    """Daily: lock the reviews of periods that have closed (idempotent; a missed day is caught up)."""
    return services.lock_closed_periods(today=timezone.localdate())
