"""Generated official documents: rendered by a worker, stored, and fetched by the people allowed to see them."""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from units.models import Unit


class DocumentKind(models.TextChoices):
    UNIT_SUMMARY = "unit_summary", _("Unit summary report")
    UNIT_ROSTER = "unit_roster", _("Roster of administrative units")


class DocumentStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Rendering")
    DONE = "done", _("Ready")
    FAILED = "failed", _("Failed")


class GeneratedDocument(models.Model):
    kind = models.CharField(_("document"), max_length=30, choices=DocumentKind.choices)
    unit = models.ForeignKey(Unit, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="documents")
    as_of = models.DateField(_("as of"))
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("requested by"), on_delete=models.PROTECT, related_name="+"
    )
    status = models.CharField(_("status"), max_length=10, choices=DocumentStatus.choices, default=DocumentStatus.QUEUED)
    progress = models.PositiveSmallIntegerField(_("progress"), default=0)
    pages = models.PositiveIntegerField(_("pages"), null=True, blank=True)
    file = models.FileField(_("file"), upload_to="documents/%Y/%m/", blank=True)
    error = models.TextField(_("error"), blank=True)
    created_at = models.DateTimeField(_("requested at"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    scope_path = "unit__path"

    class Meta:
        verbose_name = _("generated document")
        verbose_name_plural = _("generated documents")
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.get_kind_display()} — {self.unit}"

    def get_absolute_url(self):
        return reverse("reports:document", args=[self.pk])
