"""Official documents rendered by the worker (a job of the job base), and the number register of each issuer."""

from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from common import jobs
from units import policy
from units.models import Unit

from . import kinds


class Document(jobs.Job):
    """A document about (and issued by) a unit, as of a day, rendered to PDF by the worker; the people who see the
    unit may fetch it."""

    kind = models.CharField(_("document"), max_length=30, choices=kinds.choices)
    unit = models.ForeignKey(Unit, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="documents")
    as_of = models.DateField(_("as of"))
    number = models.PositiveIntegerField(_("number"), null=True, blank=True)
    # The id of the record a kind renders (`kinds.DocumentType.with_subject`): a summary, a decision.
    subject = models.PositiveBigIntegerField(_("subject"), null=True, blank=True)
    pages = models.PositiveIntegerField(_("pages"), null=True, blank=True)
    file = models.FileField(_("file"), upload_to="documents/%Y/%m/", max_length=255, blank=True)

    scope_path = "unit__path"

    class Meta:
        verbose_name = _("generated document")
        verbose_name_plural = _("generated documents")
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return f"{self.get_kind_display()} — {self.unit}"

    def get_absolute_url(self):
        return reverse("documents:document", args=[self.pk])

    def get_result_url(self):
        return reverse("documents:download", args=[self.pk])

    @classmethod
    def visible_to(cls, user):
        """Documents about units the user can see (someone else's request for the same unit included)."""
        return policy.restrict(user, cls.objects.select_related("unit", "requested_by"))


class NumberRegister(models.Model):
    """The last number an issuer gave to a type of document in a year (Decree 30: numbering restarts each year).
    One row per (issuer, type, year), incremented in place, so two requests can never take the same number."""

    issuer = models.ForeignKey(Unit, verbose_name=_("issuer"), on_delete=models.PROTECT, related_name="+")
    type_code = models.CharField(_("type of document"), max_length=10)
    year = models.PositiveSmallIntegerField(_("year"))
    last = models.PositiveIntegerField(_("last number given"), default=0)

    scope_path = "issuer__path"

    class Meta:
        verbose_name = _("number register")
        verbose_name_plural = _("number registers")
        constraints = [
            models.UniqueConstraint(fields=["issuer", "type_code", "year"], name="number_register_unique"),
        ]

    def __str__(self):
        return f"{self.issuer} {self.type_code} {self.year}: {self.last}"
