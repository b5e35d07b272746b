"""Writes of the documents app: numbers from the register, and rendering — now or by the worker."""

from django.db import connection, transaction
from django.utils import timezone

from common import jobs
from units import policy

from . import kinds
from .issuers import document_date, in_force, issuer_for, signature_for
from .models import Document, NumberRegister
from .pdf import render_pdf


def next_number(*, issuer, type_code, year):
    """The next number of `issuer`'s documents of `type_code` in `year`: one statement that creates or increments
    the register's row under its unique index, so concurrent requests get distinct, consecutive numbers."""
    table = NumberRegister._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (issuer_id, type_code, year, last) VALUES (%s, %s, %s, 1) "
            f"ON CONFLICT (issuer_id, type_code, year) DO UPDATE SET last = {table}.last + 1 RETURNING last",
            [issuer.pk, type_code, year],
        )
        return cursor.fetchone()[0]


def document_context(*, kind, unit, day, today, number=None, subject=None):
    """The Decree 30 frame (issuer on the day of issue, dateline, signature, number) around the kind's content."""
    spec = kinds.get(kind)
    issuer = issuer_for(unit, today)
    return {
        "issuer": issuer,
        "dateline": document_date(issuer.place, today),
        "signature": signature_for(issuer),
        "type_code": spec.type_code,
        "number": number,
        **spec.context(*spec.arguments(unit, day, subject)),
    }


def render_now(*, kind, unit, day, number=None, subject=None, issued_on=None):
    """Render a short document in the request, dated `issued_on` (default today: a record issued earlier, such as
    a submitted report, keeps its own day); returns (pdf bytes, page count)."""
    context = document_context(
        kind=kind, unit=unit, day=day, today=issued_on or timezone.localdate(), number=number, subject=subject
    )
    return render_pdf(kinds.get(kind).template, context)


@transaction.atomic
def request_document(*, user, kind, unit, day, subject=None, number=None):
    """Queue a document for the worker (numbered now if its kind is, unless the record it renders already holds
    its number); the task starts once the row is committed."""
    from .tasks import render_document

    policy.require(user, policy.Action.VIEW, unit)
    spec = kinds.get(kind)
    if spec.numbered and number is None:
        today = timezone.localdate()
        number = next_number(issuer=in_force(unit, today), type_code=spec.type_code, year=today.year)
    document = Document.objects.create(
        kind=kind, unit=unit, as_of=day, number=number, subject=subject, requested_by=user
    )
    transaction.on_commit(lambda: render_document.delay(document.pk))
    return document


def render_stored(*, document_id):
    """Render a queued document into its file. Idempotent: only the first delivery of the task does the work."""

    def render(document):
        document.report(10)
        spec = kinds.get(document.kind)
        pdf, pages = render_now(
            kind=document.kind,
            unit=document.unit,
            day=document.as_of,
            number=document.number,
            subject=document.subject,
            # A document of one record (a summary, a decision) is issued on that record's day, its `as_of`.
            issued_on=document.as_of if spec.with_subject else None,
        )
        return {
            "name": spec.filename(*spec.arguments(document.unit, document.as_of, document.subject))
            if spec.filename
            else f"{document.kind}-{document.unit_id}-{document.as_of:%Y%m%d}.pdf",
            "content": pdf,
            "pages": pages,
        }

    return jobs.run(Document, document_id, render)
