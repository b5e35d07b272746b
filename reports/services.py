"""Writes of the reports app: requesting and rendering generated documents."""

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from units import policy

from .documents import DOCUMENTS
from .models import DocumentStatus, GeneratedDocument
from .pdf import render_pdf


def render_now(*, kind, unit, day):
    """Render a short document in the request; returns (pdf bytes, page count)."""
    template, build = DOCUMENTS[kind]
    return render_pdf(template, build(unit, day, timezone.localdate()))


@transaction.atomic
def request_document(*, user, kind, unit, day):
    """Queue a document for the worker; the task starts once the row is committed."""
    from .tasks import render_document

    policy.require(user, policy.Action.VIEW, unit)
    document = GeneratedDocument.objects.create(kind=kind, unit=unit, as_of=day, requested_by=user)
    transaction.on_commit(lambda: render_document.delay(document.pk))
    return document


def render_stored(*, document_id):
    """Render a queued document into its file. Idempotent: only the first delivery of the task does the work."""
    claimed = GeneratedDocument.objects.filter(pk=document_id, status=DocumentStatus.QUEUED).update(
        status=DocumentStatus.RUNNING, progress=10
    )
    if not claimed:
        return False
    document = GeneratedDocument.objects.select_related("unit").get(pk=document_id)
    try:
        pdf, pages = render_now(kind=document.kind, unit=document.unit, day=document.as_of)
    except Exception as exc:
        GeneratedDocument.objects.filter(pk=document_id).update(
            status=DocumentStatus.FAILED, error=str(exc)[:2000], finished_at=timezone.now()
        )
        raise
    document.file.save(f"{document.kind}-{document.unit_id}-{document.as_of:%Y%m%d}.pdf", ContentFile(pdf), save=False)
    GeneratedDocument.objects.filter(pk=document_id).update(
        file=document.file.name,
        pages=pages,
        status=DocumentStatus.DONE,
        progress=100,
        finished_at=timezone.now(),
    )
    return True
