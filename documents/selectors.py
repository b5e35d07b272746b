"""Reads of the documents app, scoped by the one access policy."""

from units import policy

from .models import Document


def documents_for(user):
    return Document.visible_to(user)


def document_for(user, pk):
    return policy.get_or_404(user, documents_for(user), pk=pk)
