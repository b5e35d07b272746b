"""Reads of the documents app, scoped by the one access policy."""

from django.shortcuts import get_object_or_404

from .models import Document


def documents_for(user):
    return Document.visible_to(user)


def document_for(user, pk):
    return get_object_or_404(documents_for(user), pk=pk)
