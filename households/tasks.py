"""Celery tasks of the registry: thin wrappers around services."""

import pghistory
from celery import shared_task
from django.utils import timezone

from . import rules, selectors, services, snapshots
from .models import FiguresYear


@shared_task
def lock_closed_periods():
    """Daily: lock the reviews of periods that have closed (idempotent; a missed day is caught up)."""
    with pghistory.context(task="lock_closed_periods"):
        return services.lock_closed_periods(today=timezone.localdate())


@shared_task
def aggregate_figures(year):
    """Compute the snapshot of one year's figures (on demand); returns the seconds it took."""
    return snapshots.aggregate(year).seconds


@shared_task
def refresh_figures():
    """Nightly: during the review season, the current review year's snapshot; and every snapshot gone stale (the
    registry's or a follower's: the movement's support)."""
    today = timezone.localdate()
    years = set(FiguresYear.objects.filter(stale=True, computed_at__isnull=False).values_list("year", flat=True))
    years |= snapshots.followers_stale_years()
    if rules.in_review_season(today):
        years.add(selectors.current_review_year(today))
    return {year: snapshots.aggregate(year).seconds for year in sorted(years)}
