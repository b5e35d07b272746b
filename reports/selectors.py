"""Reads of the reports app: what the home page lists."""

from django.urls import reverse
from django.utils.translation import gettext as _

from deadlines import selectors as deadline_selectors
from documents import selectors as document_selectors
from households import selectors as household_selectors
from imports import selectors as import_selectors
from imports.models import JobState


def home_panels(user, *, today):
    """'Waiting for me' (work in the user's queues) and 'my deadlines' (what the user owes for the units where they
    may act, with the days left)."""
    year = household_selectors.current_review_year(today)
    counts = household_selectors.work_counts(user, year=year)
    list_url = reverse("households:list")
    waiting = [
        item
        for item in (
            {
                "label": _("Reviews returned for correction"),
                "count": counts.get("returned"),
                "url": f"{list_url}?year={year}&state=returned",
            },
            {
                "label": _("Draft reviews to finish and submit"),
                "count": counts.get("draft"),
                "url": f"{list_url}?year={year}&state=draft",
            },
            {
                "label": _("Reviews waiting for your recognition"),
                "count": counts.get("submitted"),
                "url": reverse("households:queue"),
            },
        )
        if item["count"]
    ]
    unconfirmed = list(
        import_selectors.jobs_for(user).filter(requested_by=user, state=JobState.VALIDATED).values_list("pk", flat=True)
    )
    if unconfirmed:
        waiting.append(
            {
                "label": _("Checked imports waiting for your confirmation (the unit takes no other import meanwhile)"),
                "count": len(unconfirmed),
                "url": reverse("imports:job", args=[unconfirmed[0]])
                if len(unconfirmed) == 1
                else reverse("imports:list"),
            }
        )
    return {
        "waiting": waiting,
        "due": deadline_selectors.owed_by(user, today=today),
        "year": year,
        "progress": household_selectors.progress_totals(user, year=year),
        "recent_documents": document_selectors.documents_for(user).filter(requested_by=user)[:5],
    }
