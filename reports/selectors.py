"""Reads of the reports app: documents a user may fetch, and what the home page lists."""

from units import policy

from .models import GeneratedDocument


def documents_for(user):
    """Documents about units the user can see (someone else's request for the same unit included)."""
    return policy.restrict(
        user, GeneratedDocument.objects.select_related("unit", "requested_by"), path_field="unit__path"
    )


def document_for(user, pk):
    return policy.get_or_404(user, documents_for(user), path_field="unit__path", pk=pk)


def home_panels(user):
    """'Waiting for me' and 'due soon' for the user's roles; later issues fill these lists."""
    return {"waiting": [], "due": [], "recent_documents": documents_for(user).filter(requested_by=user)[:5]}
