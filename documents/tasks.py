"""Celery tasks of the documents app: thin wrappers around services."""

from celery import shared_task

from . import services


@shared_task(acks_late=True)
def render_document(document_id):
    return services.render_stored(document_id=document_id)
