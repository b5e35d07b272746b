"""Writes of the reports app: its documents, rendered and stored by `documents`."""

from documents import services as document_services


def render_now(*, kind, unit, day):
    """Render a short document in the request; returns (pdf bytes, page count)."""
    return document_services.render_now(kind=kind, unit=unit, day=day)


def request_document(*, user, kind, unit, day):
    """Queue a long document for the worker."""
    return document_services.request_document(user=user, kind=kind, unit=unit, day=day)
