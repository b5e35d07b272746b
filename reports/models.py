"""The official documents the reports app renders through `documents` (the rows live there)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class DocumentKind(models.TextChoices):
    UNIT_SUMMARY = "unit_summary", _("Unit summary report")
    UNIT_ROSTER = "unit_roster", _("Roster of administrative units")
