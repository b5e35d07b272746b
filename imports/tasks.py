"""Celery tasks of the imports app: thin wrappers; each is idempotent through the job's conditional state moves."""

from celery import shared_task
from django.utils import timezone

from . import pipeline


@shared_task(acks_late=True)
def validate_job(job_id):
    return pipeline.validate(job_id)


@shared_task(acks_late=True)
def apply_job(job_id):
    return pipeline.apply(job_id)


@shared_task(acks_late=True)
def export_job(job_id):
    from . import services

    return services.run_export(job_id)


@shared_task
def clean_up_files():
    """Daily: expired exports, never-confirmed imports and their staged rows (see services.clean_up_files)."""
    from . import services

    return services.clean_up_files(now=timezone.now())
